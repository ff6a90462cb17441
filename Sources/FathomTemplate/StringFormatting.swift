import FathomCore
import Foundation

/// Python's `str % args` (printf-style) for the common conversions.
enum PercentFormat {
    static func valueError(_ m: String) -> FathomError { FathomError(.invalidValue, "ValueError: " + m) }

    static func format(_ fmt: String, _ arg: TemplateValue, escaping: Bool = false) throws(FathomError) -> String {
        var args: [TemplateValue] = [arg]
        var mapping: TemplateObject?
        // CPython treats any non-tuple, non-str argument with __getitem__ as a mapping: no "not all arguments
        // converted" check for dicts, lists, ranges or Undefined.
        var mappingLike = false
        switch arg {
        case .tuple(let t): args = t
        case .object(let o):
            mapping = o
            mappingLike = true
        case .array, .undefined: mappingLike = true
        case .native(let n):
            if case .range = n.storage { mappingLike = true }
        default: break
        }
        var next = 0
        let s = Array(fmt.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func take() throws(FathomError) -> TemplateValue {
            guard next < args.count else { throw Ops.typeError("not enough arguments for format string") }
            next += 1
            return args[next - 1]
        }
        while i < s.count {
            if s[i] != "%" {
                out.append(s[i])
                i += 1
                continue
            }
            i += 1
            var key: String?
            if i < s.count, s[i] == "(" {
                var depth = 1, j = i + 1
                while j < s.count, depth > 0 {
                    if s[j] == "(" { depth += 1 } else if s[j] == ")" { depth -= 1 }
                    j += 1
                }
                guard depth == 0 else { throw valueError("incomplete format key") }
                key = PythonText.scalarsString(s[(i + 1)..<(j - 1)])
                i = j
            }
            var flags = Set<Unicode.Scalar>()
            while i < s.count, "-+ #0".unicodeScalars.contains(s[i]) { flags.insert(s[i]); i += 1 }
            var width = 0
            if i < s.count, s[i] == "*" {
                guard case .int(let w) = try take() else { throw Ops.typeError("* wants int") }
                width = w
                i += 1
            }
            while i < s.count, let d = Int(String(s[i])), s[i].isASCII { width = width * 10 + d; i += 1 }
            var precision: Int?
            if i < s.count, s[i] == "." {
                i += 1
                var p = 0
                while i < s.count, let d = Int(String(s[i])), s[i].isASCII { p = p * 10 + d; i += 1 }
                precision = p
            }
            while i < s.count, "hlL".unicodeScalars.contains(s[i]) { i += 1 }
            guard i < s.count else { throw valueError("incomplete format") }
            let conv = s[i]
            i += 1
            if conv == "%" {
                out.append("%")
                continue
            }
            let value: TemplateValue
            if let key {
                guard let mapping else {
                    throw Ops.typeError(mappingLike ? "list indices must be integers or slices, not str" : "format requires a mapping")
                }
                guard let v = mapping[key] else { throw FathomError(.invalidValue, "KeyError: \(Py.stringRepr(key))") }
                value = v
            } else {
                value = try take()
            }
            var text = try convert(conv, value, flags: flags, precision: precision)
            if escaping && "sra".unicodeScalars.contains(conv) && !(conv == "s" && value.isMarkup) { text = Py.htmlEscape(text) }
            let left = flags.contains("-")
            let zero = flags.contains("0") && !left && !"srac".unicodeScalars.contains(conv)
            out.append(contentsOf: pad(text, width, left: left, zero: zero).unicodeScalars)
        }
        if !mappingLike && next < args.count { throw Ops.typeError("not all arguments converted during string formatting") }
        return String(out)
    }

    private static func pad(_ text: String, _ width: Int, left: Bool, zero: Bool) -> String {
        let n = text.unicodeScalars.count
        guard n < width else { return text }
        let fill = String(repeating: zero ? "0" : " ", count: width - n)
        if left { return text + fill }
        if zero, let f = text.unicodeScalars.first, "+- ".unicodeScalars.contains(f) {
            return String(f) + fill + String(text.unicodeScalars.dropFirst())
        }
        return fill + text
    }

    private static func convert(_ conv: Unicode.Scalar, _ v: TemplateValue, flags: Set<Unicode.Scalar>, precision: Int?)
        throws(FathomError) -> String {
        let sign = flags.contains("+") ? "+" : (flags.contains(" ") ? " " : "")
        switch conv {
        case "s", "r", "a":
            var t = conv == "s" ? try Py.str(v) : try Py.repr(v)
            if let precision { t = PythonText.scalarsString(t.unicodeScalars.prefix(precision)) }
            return t
        case "d", "i", "u":
            let n: Int
            switch v.number {
            case .int(let i): n = i
            case .double(let d):
                guard d.isFinite, let i = Int(exactly: d.rounded(.towardZero)) else { throw Ops.typeError("cannot convert float to integer") }
                n = i
            case nil: throw Ops.typeError("%\(conv) format: a real number is required, not \(Py.typeName(v))")
            }
            var digits = String(n.magnitude)
            if let precision, digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
            return (n < 0 ? "-" : sign) + digits
        case "x", "X", "o":
            guard case .int(let n)? = v.number else {
                throw Ops.typeError("%\(conv) format: an integer is required, not \(Py.typeName(v))")
            }
            var digits = String(n.magnitude, radix: conv == "o" ? 8 : 16, uppercase: conv == "X")
            if flags.contains("#") { digits = (conv == "o" ? "0o" : (conv == "x" ? "0x" : "0X")) + digits }
            return (n < 0 ? "-" : sign) + digits
        case "f", "F", "e", "E", "g", "G":
            guard let x = v.number?.asDouble else {
                throw Ops.typeError("must be real number, not \(Py.typeName(v))")
            }
            if !x.isFinite {
                let t = x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf")
                let u = "FEG".unicodeScalars.contains(conv) ? t.uppercased() : t
                return (x < 0 || x.isNaN ? "" : sign) + u
            }
            var f = "%" + (flags.contains("#") ? "#" : "") + (sign == "+" ? "+" : (sign == " " ? " " : ""))
            f += ".\(precision ?? 6)" + String(conv)
            return String(format: f, x)
        case "c":
            if case .int(let n)? = v.number, let u = Unicode.Scalar(UInt32(clamping: n)) { return String(u) }
            if let t = v.text, t.unicodeScalars.count == 1 { return t }
            throw Ops.typeError("%c requires int or char")
        default:
            throw valueError("unsupported format character '\(conv)' (0x\(String(conv.value, radix: 16)))")
        }
    }
}

/// Python's `str.format` for plain fields (`{}`, `{0}`, `{name}`, `!r`/`!s`) and simple specs.
enum BraceFormat {
    static func format(_ fmt: String, _ args: TemplateArguments) throws(FathomError) -> String {
        let s = Array(fmt.unicodeScalars)
        var out = String.UnicodeScalarView()
        var auto = 0
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "}" {
                guard i + 1 < s.count, s[i + 1] == "}" else { throw PercentFormat.valueError("Single '}' encountered in format string") }
                out.append("}")
                i += 2
                continue
            }
            if c != "{" {
                out.append(c)
                i += 1
                continue
            }
            if i + 1 < s.count, s[i + 1] == "{" {
                out.append("{")
                i += 2
                continue
            }
            guard let close = s[(i + 1)...].firstIndex(of: "}") else {
                throw PercentFormat.valueError("expected '}' before end of string")
            }
            var field = PythonText.scalarsString(s[(i + 1)..<close])
            i = close + 1
            var spec = ""
            if let colon = field.firstIndex(of: ":") {
                spec = String(field[field.index(after: colon)...])
                field = String(field[..<colon])
            }
            var conversion: Character?
            if let bang = field.firstIndex(of: "!") {
                conversion = field[field.index(after: bang)...].first
                field = String(field[..<bang])
            }
            let value: TemplateValue
            if field.isEmpty {
                guard auto < args.positional.count else { throw FathomError(.invalidValue, "IndexError: Replacement index \(auto) out of range") }
                value = args.positional[auto]
                auto += 1
            } else if let n = Int(field) {
                guard n < args.positional.count else { throw FathomError(.invalidValue, "IndexError: Replacement index \(n) out of range") }
                value = args.positional[n]
            } else if let kw = args.keywords.last(where: { $0.name == field }) {
                value = kw.value
            } else if field.contains(".") || field.contains("[") {
                throw FathomError(.invalidValue, "str.format field '\(field)' (attribute or index lookup) is not supported")
            } else {
                throw FathomError(.invalidValue, "KeyError: \(Py.stringRepr(field))")
            }
            var text: String
            switch conversion {
            case "r", "a": text = try Py.repr(value)
            case "s", nil: text = try Py.str(value)
            default: throw PercentFormat.valueError("Unknown conversion specifier \(conversion!)")
            }
            if !spec.isEmpty {
                guard conversion != nil || value.text != nil else {
                    throw FathomError(.invalidValue, "str.format spec '\(spec)' on a \(Py.typeName(value)) is not supported")
                }
                text = try applyStringSpec(text, spec)
            }
            out.append(contentsOf: text.unicodeScalars)
        }
        return String(out)
    }

    /// `[[fill]align][width][.precision]` for strings.
    private static func applyStringSpec(_ text: String, _ spec: String) throws(FathomError) -> String {
        var chars = Array(spec.unicodeScalars)
        var fill: Unicode.Scalar = " "
        var align: Unicode.Scalar = "<"
        if chars.count >= 2, "<>^".unicodeScalars.contains(chars[1]) {
            fill = chars[0]
            align = chars[1]
            chars.removeFirst(2)
        } else if let f = chars.first, "<>^".unicodeScalars.contains(f) {
            align = f
            chars.removeFirst()
        }
        var width = 0, precision: Int?
        var i = 0
        while i < chars.count, let d = Int(String(chars[i])) { width = width * 10 + d; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = 0
            while i < chars.count, let d = Int(String(chars[i])) { p = p * 10 + d; i += 1 }
            precision = p
        }
        if i < chars.count, chars[i] == "s" { i += 1 }
        guard i == chars.count else { throw FathomError(.invalidValue, "str.format spec '\(spec)' is not supported") }
        var t = text
        if let precision { t = PythonText.scalarsString(t.unicodeScalars.prefix(precision)) }
        let n = t.unicodeScalars.count
        guard n < width else { return t }
        let total = width - n
        let f = String(fill)
        switch align {
        case ">": return String(repeating: f, count: total) + t
        case "^": return String(repeating: f, count: total / 2) + t + String(repeating: f, count: total - total / 2)
        default: return t + String(repeating: f, count: total)
        }
    }
}
