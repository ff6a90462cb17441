import FathomCore

/// Decodes a string literal's body as jinja2 does: `body.encode("ascii", "backslashreplace").decode("unicode-escape")`.
enum StringEscapes {
    static func decode(_ body: String) throws(FathomError) -> String {
        guard body.utf8.contains(0x5C) else { return body }
        let s = Array(body.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            guard c == "\\" else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < s.count else {
                throw FathomError(.parse, "\\ at end of string")
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append(Unicode.Scalar(0x07))
            case "b": out.append(Unicode.Scalar(0x08))
            case "f": out.append(Unicode.Scalar(0x0C))
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append(Unicode.Scalar(0x0B))
            case "0"..."7":
                var v = e.value - 0x30
                var n = 1
                while n < 3, i < s.count, ("0"..."7").contains(s[i]) {
                    v = v * 8 + (s[i].value - 0x30)
                    i += 1
                    n += 1
                }
                out.append(Unicode.Scalar(v)!)
            case "x", "u", "U":
                let width = e == "x" ? 2 : (e == "u" ? 4 : 8)
                var v: UInt32 = 0
                for k in 0..<width {
                    guard i + k < s.count, let d = Character(s[i + k]).hexDigitValue, s[i + k].isASCII else {
                        let name = e == "x" ? "\\xXX" : (e == "u" ? "\\uXXXX" : "\\UXXXXXXXX")
                        throw FathomError(.parse, "truncated \(name) escape")
                    }
                    v = v &* 16 &+ UInt32(d)
                }
                i += width
                guard let u = Unicode.Scalar(v) else {
                    if (0xD800...0xDFFF).contains(v) {
                        throw FathomError(.parse, "lone surrogate escape in string literal is not supported")
                    }
                    throw FathomError(.parse, "illegal Unicode character")
                }
                out.append(u)
            case "N":
                throw FathomError(.parse, "\\N{...} escapes in string literals are not supported")
            default:
                out.append("\\")
                if e.isASCII {
                    out.append(e)
                } else {
                    // backslashreplace turned the character into an escape that the backslash now quotes.
                    let v = e.value
                    let hex = String(v, radix: 16)
                    let (p, w) = v < 0x100 ? ("x", 2) : (v < 0x10000 ? ("u", 4) : ("U", 8))
                    out.append(contentsOf: (p + String(repeating: "0", count: w - hex.count) + hex).unicodeScalars)
                }
            }
        }
        return String(out)
    }
}
