/// A minimal JSON reader over UTF-8 bytes for `tokenizer.json` files.
///
/// Strings stay raw UTF-8 bytes: vocabulary keys must be compared byte for byte, and Swift `String` equality
/// uses canonical equivalence (two distinct tokens such as precomposed and decomposed "é" would collide).
indirect enum TokenizerJSON {
    case null
    case bool(Bool)
    case number(Double)
    case string([UInt8])
    case array([TokenizerJSON])
    case object([(key: [UInt8], value: TokenizerJSON)])

    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        let message: String
        var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    static func parse(_ bytes: [UInt8]) throws -> TokenizerJSON {
        try bytes.withUnsafeBufferPointer { buf in
            var parser = Parser(p: buf.baseAddress!, n: buf.count)
            parser.skipSpace()
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            if parser.i != parser.n { throw ParseError(offset: parser.i, message: "trailing characters") }
            return value
        }
    }

    subscript(key: String) -> TokenizerJSON? {
        guard case .object(let members) = self else { return nil }
        let k = Array(key.utf8)
        for m in members where m.key == k { return m.value }
        return nil
    }

    var stringValue: String? {
        if case .string(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }
    var bytesValue: [UInt8]? {
        if case .string(let b) = self { return b }
        return nil
    }
    var intValue: Int? {
        if case .number(let d) = self, d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
        return nil
    }
    var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
    var arrayValue: [TokenizerJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }
    var typeName: String? { self["type"]?.stringValue }

    /// A short rendering for error messages.
    var brief: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .number(let d): return String(d)
        case .string(let s): return "\"" + String(decoding: s, as: UTF8.self) + "\""
        case .array(let a): return "[\(a.count) items]"
        case .object(let m): return "{" + m.prefix(4).map { String(decoding: $0.key, as: UTF8.self) }.joined(separator: ", ") + "}"
        }
    }

    private struct Parser {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0

        mutating func skipSpace() {
            while i < n, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws -> TokenizerJSON {
            guard depth < 512 else { throw ParseError(offset: i, message: "nesting too deep") }
            guard i < n else { throw ParseError(offset: i, message: "unexpected end") }
            switch p[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(key: [UInt8], value: TokenizerJSON)] = []
                skipSpace()
                if i < n, p[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                while true {
                    skipSpace()
                    guard i < n, p[i] == UInt8(ascii: "\"") else { throw ParseError(offset: i, message: "expected key") }
                    let key = try string()
                    skipSpace()
                    guard i < n, p[i] == UInt8(ascii: ":") else { throw ParseError(offset: i, message: "expected ':'") }
                    i += 1
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    guard i < n else { throw ParseError(offset: i, message: "unexpected end") }
                    if p[i] == UInt8(ascii: ",") { i += 1; continue }
                    if p[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                    throw ParseError(offset: i, message: "expected ',' or '}'")
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [TokenizerJSON] = []
                skipSpace()
                if i < n, p[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < n else { throw ParseError(offset: i, message: "unexpected end") }
                    if p[i] == UInt8(ascii: ",") { i += 1; continue }
                    if p[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw ParseError(offset: i, message: "expected ',' or ']'")
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try literal("true"); return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false"); return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null"); return .null
            default:
                return .number(try number())
            }
        }

        mutating func literal(_ s: StaticString) throws {
            let len = s.utf8CodeUnitCount
            guard i + len <= n else { throw ParseError(offset: i, message: "bad literal") }
            for k in 0..<len where p[i + k] != s.utf8Start[k] { throw ParseError(offset: i, message: "bad literal") }
            i += len
        }

        mutating func number() throws -> Double {
            let start = i
            while i < n {
                let c = p[i]
                if (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { i += 1 } else { break }
            }
            let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
            guard let d = Double(text) else { throw ParseError(offset: start, message: "bad number") }
            return d
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= n else { throw ParseError(offset: i, message: "bad \\u escape") }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = p[i]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw ParseError(offset: i, message: "bad \\u escape")
                }
                v = v << 4 | d
                i += 1
            }
            return v
        }

        mutating func string() throws -> [UInt8] {
            i += 1  // opening quote
            var out: [UInt8] = []
            var runStart = i
            while true {
                guard i < n else { throw ParseError(offset: i, message: "unterminated string") }
                let c = p[i]
                if c == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart))
                    i += 1
                    return out
                }
                if c != UInt8(ascii: "\\") { i += 1; continue }
                out.append(contentsOf: UnsafeBufferPointer(start: p + runStart, count: i - runStart))
                i += 1
                guard i < n else { throw ParseError(offset: i, message: "bad escape") }
                let e = p[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= n, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if low >= 0xDC00 && low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw ParseError(offset: i - 1, message: "bad escape")
                }
                runStart = i
            }
        }
    }
}
