import FathomCore

/// Python's `json.dumps(x, ensure_ascii=..., indent=..., separators=..., sort_keys=...)`, byte for byte
/// (HF transformers' `tojson` filter).
enum JSONDump {
    static func dumps(_ value: TemplateValue, ensureASCII: Bool = false, indent: TemplateValue? = nil,
                      separators: TemplateValue? = nil, sortKeys: Bool = false) throws(FathomError) -> String {
        var indentUnit: String?
        if let indent, !(indent == .none) {
            if let t = indent.text {
                indentUnit = t
            } else if let n = Ops.intIndex(indent) {
                try Ops.checkSize(1, times: n)
                indentUnit = String(repeating: " ", count: max(0, n))
            } else {
                throw Ops.typeError("can't multiply sequence by non-int of type '\(Py.typeName(indent))'")
            }
        }
        var itemSeparator = indentUnit == nil ? ", " : ","
        var keySeparator = ": "
        if let separators, !(separators == .none) {
            switch separators {
            case .array(let p), .tuple(let p):
                guard p.count == 2, let a = p[0].text, let b = p[1].text else {
                    throw FathomError(.invalidValue, "ValueError: separators must be an (item_separator, key_separator) pair of strings")
                }
                itemSeparator = a
                keySeparator = b
            default:
                throw FathomError(.invalidValue, "ValueError: separators must be an (item_separator, key_separator) pair of strings")
            }
        }
        var encoder = Encoder(ensureASCII: ensureASCII, indent: indentUnit, itemSeparator: itemSeparator,
                              keySeparator: keySeparator, sortKeys: sortKeys)
        try encoder.encode(value, level: 0)
        return encoder.out
    }

    private struct Encoder {
        let ensureASCII: Bool
        let indent: String?
        let itemSeparator: String
        let keySeparator: String
        let sortKeys: Bool
        var out = ""

        mutating func encode(_ v: TemplateValue, level: Int) throws(FathomError) {
            if let s = v.text {
                out += JSONDump.quote(s, ensureASCII: ensureASCII)
                return
            }
            switch v {
            case .none: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .int(let i): out += String(i)
            case .double(let d): out += JSONDump.floatString(d)
            case .array(let a), .tuple(let a):
                if a.isEmpty {
                    out += "[]"
                    return
                }
                out += "["
                let (separator, close) = open(level)
                for (i, e) in a.enumerated() {
                    if i > 0 { out += separator }
                    try encode(e, level: level + 1)
                }
                out += close + "]"
            case .object(let o):
                if o.isEmpty {
                    out += "{}"
                    return
                }
                out += "{"
                let (separator, close) = open(level)
                var pairs = Array(o)
                if sortKeys { pairs = try sortPairs(pairs) }
                for (i, (k, value)) in pairs.enumerated() {
                    if i > 0 { out += separator }
                    out += JSONDump.quote(try keyString(k), ensureASCII: ensureASCII)
                    out += keySeparator
                    try encode(value, level: level + 1)
                }
                out += close + "}"
            default:
                throw Ops.typeError("Object of type \(Py.typeName(v)) is not JSON serializable")
            }
        }

        /// Writes the newline and indentation after an opening bracket; returns the item separator and the
        /// text before the closing bracket.
        private mutating func open(_ level: Int) -> (String, String) {
            guard let indent else { return (itemSeparator, "") }
            let inner = "\n" + String(repeating: indent, count: level + 1)
            out += inner
            return (itemSeparator + inner, "\n" + String(repeating: indent, count: level))
        }

        private func keyString(_ k: TemplateValue) throws(FathomError) -> String {
            if let s = k.text { return s }
            switch k {
            case .double(let d): return JSONDump.floatString(d)
            case .bool(let b): return b ? "true" : "false"
            case .none: return "null"
            case .int(let i): return String(i)
            default: throw Ops.typeError("keys must be str, int, float, bool or None, not \(Py.typeName(k))")
            }
        }

        private func sortPairs(_ pairs: [(TemplateValue, TemplateValue)]) throws(FathomError) -> [(TemplateValue, TemplateValue)] {
            let sorted = try Sequences.sorted(pairs.map { .tuple([$0.0, $0.1]) }, keys: pairs.map { $0.0 }, reverse: false)
            return sorted.map { v in
                guard case .tuple(let kv) = v else { return (.none, .none) }
                return (kv[0], kv[1])
            }
        }
    }

    /// `float.__repr__` with json's NaN / Infinity spellings.
    static func floatString(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return Py.floatRepr(d)
    }

    static func quote(_ s: String, ensureASCII: Bool) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": out.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": out.append(contentsOf: "\\f".unicodeScalars)
            default:
                if u.value < 0x20 || (ensureASCII && u.value > 0x7E) {
                    if u.value >= 0x10000 {
                        let n = u.value - 0x10000
                        out.append(contentsOf: hex4(0xD800 | ((n >> 10) & 0x3FF)).unicodeScalars)
                        out.append(contentsOf: hex4(0xDC00 | (n & 0x3FF)).unicodeScalars)
                    } else {
                        out.append(contentsOf: hex4(u.value).unicodeScalars)
                    }
                } else {
                    out.append(u)
                }
            }
        }
        out.append("\"")
        return String(out)
    }

    private static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }
}
