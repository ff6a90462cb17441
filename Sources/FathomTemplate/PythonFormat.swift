import FathomCore

/// Python's `str()`, `repr()`, `bool()` and type names for template values.
enum Py {
    /// `str(value)`. Values whose Python `str()` holds a memory address cannot be printed deterministically,
    /// so they throw instead of rendering something different from jinja2.
    static func str(_ value: TemplateValue) throws(FathomError) -> String {
        switch value {
        case .undefined: return ""
        case .string(let s): return s
        case .native(let n):
            if case .markup(let s) = n.storage { return s }
            return try repr(value)
        default: return try repr(value)
        }
    }

    /// Appends `str(value)` to `out` (the fast path for `{{ ... }}`).
    static func write(_ value: TemplateValue, to out: inout String) throws(FathomError) {
        switch value {
        case .string(let s): out += s
        case .undefined: break
        case .int(let i): out += String(i)
        default: out += try str(value)
        }
    }

    static func repr(_ value: TemplateValue) throws(FathomError) -> String {
        var out = ""
        try repr(value, into: &out)
        return out
    }

    static func repr(_ value: TemplateValue, into out: inout String) throws(FathomError) {
        switch value {
        case .undefined: out += "Undefined"
        case .none: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .double(let d): out += floatRepr(d)
        case .string(let s): out += stringRepr(s)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += ", " }
                try repr(e, into: &out)
            }
            out += "]"
        case .tuple(let a):
            out += "("
            for (i, e) in a.enumerated() {
                if i > 0 { out += ", " }
                try repr(e, into: &out)
            }
            out += a.count == 1 ? ",)" : ")"
        case .object(let o):
            try dictRepr(o, into: &out)
        case .native(let n):
            switch n.storage {
            case .markup(let s): out += "Markup(" + stringRepr(s) + ")"
            case .namespace(let b):
                out += "<Namespace "
                try dictRepr(b.attributes, into: &out)
                out += ">"
            case .macro(let b): out += "<Macro " + stringRepr(b.definition.name) + ">"
            case .loop(let b): out += "<LoopContext \(b.index0 + 1)/\((try? b.length()) ?? b.index0 + 1)>"
            case .range(let a, let b, let c): out += c == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(c))"
            case .view(let kind, let o):
                out += "dict_\(kind.rawValue)(["
                for (i, (k, v)) in o.enumerated() {
                    if i > 0 { out += ", " }
                    switch kind {
                    case .keys: try repr(k, into: &out)
                    case .values: try repr(v, into: &out)
                    case .items: try repr(.tuple([k, v]), into: &out)
                    }
                }
                out += "])"
            case .function(let f):
                throw FathomError(.invalidValue, "cannot print function '\(f.name)': jinja2 prints a memory address")
            case .boundMethod(let r, let m):
                throw FathomError(.invalidValue, "cannot print method '\(m)' of \(typeName(r)): jinja2 prints a memory address")
            case .generator(let g):
                throw FathomError(.invalidValue, "cannot print a \(g.typeName) object (jinja2 prints a memory address); convert it with |list")
            }
        }
    }

    static func dictRepr(_ o: TemplateObject, into out: inout String) throws(FathomError) {
        out += "{"
        for (i, (k, v)) in o.enumerated() {
            if i > 0 { out += ", " }
            try repr(k, into: &out)
            out += ": "
            try repr(v, into: &out)
        }
        out += "}"
    }

    /// jinja2's `has_safe_repr`: values its optimizer may fold into constants.
    static func hasSafeRepr(_ value: TemplateValue) -> Bool {
        switch value {
        case .none, .bool, .int, .double, .string: return true
        case .array(let a), .tuple(let a): return a.allSatisfy(hasSafeRepr)
        case .object(let o): return o.keys.allSatisfy(hasSafeRepr) && o.values.allSatisfy(hasSafeRepr)
        case .undefined: return false
        case .native(let n):
            switch n.storage {
            case .markup, .range: return true
            default: return false
            }
        }
    }

    /// `bool(value)`.
    static func truthy(_ value: TemplateValue) -> Bool {
        switch value {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a), .tuple(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        case .native(let n):
            switch n.storage {
            case .markup(let s): return !s.isEmpty
            case .view(_, let o): return !o.isEmpty
            case .range(let a, let b, let c): return rangeCount(a, b, c) > 0
            case .loop(let l): return ((try? l.length()) ?? 1) > 0
            default: return true
            }
        }
    }

    /// The Python type name (`'str'`, `'dict'`, ...), for error messages.
    static func typeName(_ value: TemplateValue) -> String {
        switch value {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .array: return "list"
        case .tuple: return "tuple"
        case .object: return "dict"
        case .native(let n):
            switch n.storage {
            case .markup: return "Markup"
            case .namespace: return "Namespace"
            case .function: return "function"
            case .boundMethod: return "builtin_function_or_method"
            case .macro: return "Macro"
            case .loop: return "LoopContext"
            case .view(let k, _): return "dict_\(k.rawValue)"
            case .generator(let g): return g.typeName
            case .range: return "range"
            }
        }
    }

    /// jinja2's `object_type_repr`: `None` or `dict object`.
    static func objectTypeRepr(_ value: TemplateValue) -> String {
        switch value {
        case .none: return "None"
        case .native(let n):
            switch n.storage {
            case .namespace: return "jinja2.utils.Namespace object"
            case .macro: return "jinja2.runtime.Macro object"
            case .loop: return "jinja2.runtime.LoopContext object"
            case .markup: return "markupsafe.Markup object"
            default: return "\(typeName(value)) object"
            }
        default: return "\(typeName(value)) object"
        }
    }

    /// Python's `repr(str)`.
    static func stringRepr(_ s: String) -> String {
        var hasSingle = false, hasDouble = false
        for u in s.unicodeScalars {
            if u == "'" { hasSingle = true } else if u == "\"" { hasDouble = true }
        }
        let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for u in s.unicodeScalars {
            switch u {
            case quote, "\\": out.append("\\"); out.append(u)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default:
                if PythonText.isPrintable(u) {
                    out.append(u)
                } else {
                    let v = u.value
                    let hex = String(v, radix: 16)
                    let (prefix, width) = v < 0x100 ? ("\\x", 2) : (v < 0x10000 ? ("\\u", 4) : ("\\U", 8))
                    out.append(contentsOf: (prefix + String(repeating: "0", count: width - hex.count) + hex).unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    /// Python's `repr(float)`: the shortest round-tripping digits, exponent form below 1e-4 and from 1e16.
    static func floatRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (digits, decpt) = shortestDigits(abs(d))
        var out = d < 0 ? "-" : ""
        if decpt <= -4 || decpt > 16 {
            out += String(digits.first!)
            if digits.count > 1 { out += "." + digits.dropFirst() }
            let e = decpt - 1
            out += e < 0 ? "e-" : "e+"
            let ae = String(abs(e))
            out += (ae.count < 2 ? "0" : "") + ae
        } else if decpt <= 0 {
            out += "0." + String(repeating: "0", count: -decpt) + digits
        } else if decpt >= digits.count {
            out += digits + String(repeating: "0", count: decpt - digits.count) + ".0"
        } else {
            let i = digits.index(digits.startIndex, offsetBy: decpt)
            out += digits[..<i] + "." + digits[i...]
        }
        return out
    }

    /// The shortest round-tripping decimal digits of a positive finite double and the position of the decimal
    /// point (value = 0.DIGITS × 10^decpt), read off Swift's own shortest representation.
    static func shortestDigits(_ d: Double) -> (String, Int) {
        let s = d.description
        var mantissa = Substring(s)
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            exponent = Int(s[s.index(after: e)...])!
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(intPart) + fracPart
        var decpt = intPart.count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            decpt -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        return (digits, decpt)
    }

    /// markupsafe's `escape` on a string.
    static func htmlEscape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x27 || $0 == 0x22 }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&#39;"
            case "\"": out += "&#34;"
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// `escape(value)`: a Markup stays as it is, anything else is printed then escaped.
    static func escape(_ value: TemplateValue) throws(FathomError) -> TemplateValue {
        if value.isMarkup { return value }
        return .markup(htmlEscape(try str(value)))
    }
}
