import FathomCore

extension TemplateArguments {
    /// Binds positional and keyword arguments to Python parameter names; the first `required` must be given.
    func bind(_ function: String, _ names: [String], required: Int = 0) throws(FathomError) -> [TemplateValue?] {
        if positional.count > names.count {
            throw Ops.typeError("\(function)() takes at most \(names.count) argument(s) (\(positional.count) given)")
        }
        var out: [TemplateValue?] = positional.map { $0 } + Array(repeating: nil, count: names.count - positional.count)
        for (k, v) in keywords {
            guard let i = names.firstIndex(of: k) else { throw Ops.typeError("\(function)() got an unexpected keyword argument '\(k)'") }
            if out[i] != nil { throw Ops.typeError("\(function)() got multiple values for argument '\(k)'") }
            out[i] = v
        }
        for i in 0..<required where out[i] == nil {
            throw Ops.typeError("\(function)() missing required argument '\(names[i])'")
        }
        return out
    }
}

/// Python methods of template values (`str.strip`, `dict.items`, ...) under jinja2's immutable sandbox.
enum Methods {
    static let stringMethods: Set<String> = [
        "capitalize", "casefold", "center", "count", "encode", "endswith", "expandtabs", "find", "format", "format_map",
        "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
        "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "maketrans", "partition",
        "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
        "splitlines", "startswith", "strip", "swapcase", "title", "translate", "upper", "zfill",
    ]
    static let markupOnly: Set<String> = ["escape", "unescape", "striptags"]
    static let dictMethods: Set<String> = ["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"]
    static let listMethods: Set<String> = ["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"]
    static let dictMutating: Set<String> = ["clear", "pop", "popitem", "setdefault", "update"]
    static let listMutating: Set<String> = ["append", "clear", "pop", "reverse", "insert", "sort", "extend", "remove"]
    /// Markup methods that return Markup (markupsafe wraps them and escapes their string arguments).
    static let markupWrapped: Set<String> = [
        "capitalize", "title", "lower", "upper", "replace", "ljust", "rjust", "lstrip", "rstrip", "center", "strip",
        "swapcase", "zfill", "casefold", "removeprefix", "removesuffix",
    ]

    static func exists(_ v: TemplateValue, _ name: String) -> Bool {
        switch v {
        case .string: return stringMethods.contains(name)
        case .object: return dictMethods.contains(name)
        case .array: return listMethods.contains(name)
        case .tuple: return name == "count" || name == "index"
        case .native(let n):
            if case .markup = n.storage { return stringMethods.contains(name) || markupOnly.contains(name) }
            return false
        default: return false
        }
    }

    static func isMutating(_ v: TemplateValue, _ name: String) -> Bool {
        switch v {
        case .object: return dictMutating.contains(name)
        case .array: return listMutating.contains(name)
        default: return false
        }
    }
}

extension Interpreter {
    func callMethod(_ receiver: TemplateValue, _ name: String, _ args: TemplateArguments) throws(FathomError) -> TemplateValue {
        switch receiver {
        case .string(let s): return try stringMethod(s, name, args, markup: false)
        case .object(let o): return try dictMethod(o, name, args)
        case .array(let a), .tuple(let a): return try sequenceMethod(receiver, a, name, args)
        case .native(let n):
            if case .markup(let s) = n.storage { return try stringMethod(s, name, args, markup: true) }
            if case .loop(let box) = n.storage { return try loopMethod(box, name, args) }
        default: break
        }
        throw FathomError(.invalidValue, "\(Py.typeName(receiver)).\(name)() is not supported")
    }

    private func loopMethod(_ box: LoopBox, _ name: String, _ args: TemplateArguments) throws(FathomError) -> TemplateValue {
        if name == "cycle" {
            guard !args.positional.isEmpty else { throw Ops.typeError("no items for cycling given") }
            return args.positional[box.index0 % args.positional.count]
        }
        let value = TemplateValue.tuple(args.positional)
        if box.lastChanged != value {
            box.lastChanged = value
            return .bool(true)
        }
        return .bool(false)
    }

    private func dictMethod(_ o: TemplateObject, _ name: String, _ args: TemplateArguments) throws(FathomError) -> TemplateValue {
        switch name {
        case "items", "keys", "values":
            _ = try args.bind(name, [])
            return .native(TemplateNative(.view(ViewKind(rawValue: name)!, o)))
        case "get":
            let a = try args.bind("get", ["key", "default"], required: 1)
            try Ops.requireHashable(a[0]!)
            return o[a[0]!] ?? a[1] ?? .none
        case "copy":
            _ = try args.bind(name, [])
            return .object(o)
        default:
            throw FathomError(.invalidValue, "dict.\(name)() is not supported")
        }
    }

    private func sequenceMethod(_ receiver: TemplateValue, _ a: [TemplateValue], _ name: String, _ args: TemplateArguments)
        throws(FathomError) -> TemplateValue {
        switch name {
        case "count":
            let x = try args.bind("count", ["value"], required: 1)[0]!
            return .int(a.filter { $0 == x }.count)
        case "index":
            let p = try args.bind("index", ["value", "start", "stop"], required: 1)
            let (start, count, _) = Ops.sliceIndices(a.count, p[1].flatMap(Ops.intIndex), p[2].flatMap(Ops.intIndex), 1)
            for i in start..<(start + count) where a[i] == p[0]! { return .int(i) }
            throw FathomError(.invalidValue, "ValueError: \(try Py.repr(p[0]!)) is not in list")
        case "copy":
            return receiver
        default:
            throw FathomError(.invalidValue, "\(Py.typeName(receiver)).\(name)() is not supported")
        }
    }

    private func text(_ v: TemplateValue?, _ what: String) throws(FathomError) -> String? {
        guard let v else { return nil }
        if case .none = v { return nil }
        guard let t = v.text else { throw Ops.typeError("\(what) arg must be None or str, not \(Py.typeName(v))") }
        return t
    }

    private func int(_ v: TemplateValue?, _ dflt: Int) throws(FathomError) -> Int {
        guard let v else { return dflt }
        guard let i = Ops.intIndex(v) else { throw Ops.typeError("'\(Py.typeName(v))' object cannot be interpreted as an integer") }
        return i
    }

    private func stringMethod(_ s: String, _ name: String, _ rawArgs: TemplateArguments, markup: Bool) throws(FathomError) -> TemplateValue {
        let args = rawArgs
        // markupsafe 3 escapes only replace()'s `new` and the fill characters of Markup methods.
        func escaped(_ t: String) -> String { markup ? Py.htmlEscape(t) : t }
        func wrap(_ r: String) -> TemplateValue { markup && Methods.markupWrapped.contains(name) ? .markup(r) : .string(r) }
        func piece(_ r: String) -> TemplateValue { markup ? .markup(r) : .string(r) }
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try text(try args.bind(name, ["chars"])[0], name)
            return wrap(PythonText.strip(s, chars, left: name != "rstrip", right: name != "lstrip"))
        case "upper": _ = try args.bind(name, []); return wrap(PythonText.upper(s))
        case "lower": _ = try args.bind(name, []); return wrap(PythonText.lower(s))
        case "title": _ = try args.bind(name, []); return wrap(PythonText.title(s))
        case "capitalize": _ = try args.bind(name, []); return wrap(PythonText.capitalize(s))
        case "swapcase": _ = try args.bind(name, []); return wrap(PythonText.swapcase(s))
        case "split", "rsplit":
            let p = try args.bind(name, ["sep", "maxsplit"])
            let sep = try text(p[0], name)
            let maxsplit = try int(p[1], -1)
            if let sep {
                if sep.isEmpty { throw PercentFormat.valueError("empty separator") }
                let parts = name == "split" ? PythonText.split(s, sep, maxsplit: maxsplit) : PythonText.rsplit(s, sep, maxsplit: maxsplit)
                return .array(parts.map(piece))
            }
            let parts = name == "split" ? PythonText.splitWhitespace(s, maxsplit: maxsplit) : PythonText.rsplitWhitespace(s, maxsplit: maxsplit)
            return .array(parts.map(piece))
        case "splitlines":
            let keep = try args.bind(name, ["keepends"])[0].map(Py.truthy) ?? false
            return .array(PythonText.splitlines(s, keepends: keep).map(piece))
        case "startswith", "endswith":
            let p = try args.bind(name, ["prefix", "start", "end"], required: 1)
            let sub = try substring(s, p[1], p[2])
            let candidates: [TemplateValue]
            if case .tuple(let t) = p[0]! { candidates = t } else { candidates = [p[0]!] }
            for c in candidates {
                guard let t = c.text else {
                    throw Ops.typeError("\(name) first arg must be str or a tuple of str, not \(Py.typeName(c))")
                }
                if name == "startswith" ? sub.utf8.starts(with: t.utf8) : sub.utf8.reversed().starts(with: t.utf8.reversed()) {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "replace":
            let p = try args.bind(name, ["old", "new", "count"], required: 2)
            guard let old = p[0]!.text, let new = p[1]!.text else { throw Ops.typeError("replace() argument must be str") }
            let newText = p[1]!.isMarkup ? new : escaped(new)
            return wrap(PythonText.replace(s, old, newText, count: try int(p[2], -1)))
        case "find", "rfind", "index", "rindex", "count":
            let p = try args.bind(name, ["sub", "start", "end"], required: 1)
            guard let sub = p[0]!.text else { throw Ops.typeError("must be str, not \(Py.typeName(p[0]!))") }
            let scalars = Array(s.unicodeScalars)
            let (start, count, _) = Ops.sliceIndices(scalars.count, p[1].flatMap(Ops.intIndex), p[2].flatMap(Ops.intIndex), 1)
            let window = PythonText.scalarsString(scalars[start..<(start + count)])
            if name == "count" { return .int(PythonText.count(window, sub)) }
            let hay = Array(window.utf8), needle = Array(sub.utf8)
            var found: Int?
            if name.hasPrefix("r") {
                var i = hay.count - needle.count
                while i >= 0 { if PythonText.matches(hay, at: i, needle) { found = i; break }; i -= 1 }
            } else {
                found = PythonText.findByte(hay, needle, from: 0)
            }
            if let f = found { return .int(start + PythonText.scalarIndex(hay, byteOffset: f)) }
            if name.hasSuffix("index") { throw PercentFormat.valueError("substring not found") }
            return .int(-1)
        case "join":
            let items = try iterate(try args.bind(name, ["iterable"], required: 1)[0]!)
            var parts: [String] = []
            for (i, item) in items.enumerated() {
                guard let t = item.text else {
                    throw Ops.typeError("sequence item \(i): expected str instance, \(Py.typeName(item)) found")
                }
                parts.append(markup && !item.isMarkup ? Py.htmlEscape(t) : t)
            }
            return piece(parts.joined(separator: s))
        case "center", "ljust", "rjust":
            let p = try args.bind(name, ["width", "fillchar"], required: 1)
            let width = try int(p[0], 0)
            let fill = escaped(try text(p[1], name) ?? " ")
            guard fill.unicodeScalars.count == 1 else { throw Ops.typeError("The fill character must be exactly one character long") }
            let n = s.unicodeScalars.count
            guard width > n else { return wrap(s) }
            try Ops.checkSize(1, times: width)
            let marg = width - n
            let left = name == "center" ? marg / 2 + (marg & width & 1) : (name == "rjust" ? marg : 0)
            return wrap(String(repeating: fill, count: left) + s + String(repeating: fill, count: marg - left))
        case "zfill":
            let width = try int(try args.bind(name, ["width"], required: 1)[0], 0)
            let n = s.unicodeScalars.count
            guard width > n else { return wrap(s) }
            try Ops.checkSize(1, times: width)
            let zeros = String(repeating: "0", count: width - n)
            if let f = s.unicodeScalars.first, f == "+" || f == "-" { return wrap(String(f) + zeros + String(s.unicodeScalars.dropFirst())) }
            return wrap(zeros + s)
        case "removeprefix", "removesuffix":
            guard let affix = try text(try args.bind(name, ["affix"], required: 1)[0], name) else { throw Ops.typeError("\(name)() argument must be str") }
            if name == "removeprefix", s.utf8.starts(with: affix.utf8) { return wrap(PythonText.bytesString(s.utf8.dropFirst(affix.utf8.count))) }
            if name == "removesuffix", !affix.isEmpty, s.utf8.reversed().starts(with: affix.utf8.reversed()) {
                return wrap(PythonText.bytesString(s.utf8.dropLast(affix.utf8.count)))
            }
            return wrap(s)
        case "partition", "rpartition":
            guard let sep = try text(try args.bind(name, ["sep"], required: 1)[0], name), !sep.isEmpty else {
                throw PercentFormat.valueError("empty separator")
            }
            let parts = name == "partition" ? PythonText.split(s, sep, maxsplit: 1) : PythonText.rsplit(s, sep, maxsplit: 1)
            if parts.count == 2 { return .tuple([piece(parts[0]), piece(sep), piece(parts[1])]) }
            return name == "partition" ? .tuple([piece(s), piece(""), piece("")]) : .tuple([piece(""), piece(""), piece(s)])
        case "format":
            if markup { throw FathomError(.invalidValue, "Markup.format() is not supported") }
            return .string(try BraceFormat.format(s, rawArgs))
        case "isdigit", "isalpha", "isalnum", "isspace", "isdecimal", "isnumeric", "isascii", "islower", "isupper":
            _ = try args.bind(name, [])
            let u = s.unicodeScalars
            switch name {
            case "islower": return .bool(PythonText.isLower(s))
            case "isupper": return .bool(PythonText.isUpper(s))
            case "isascii": return .bool(u.allSatisfy(\.isASCII))
            default: break
            }
            guard !u.isEmpty else { return .bool(false) }
            let test: (Unicode.Scalar) -> Bool
            switch name {
            case "isdigit": test = PythonText.isDigit
            case "isalpha": test = PythonText.isAlpha
            case "isalnum": test = PythonText.isAlnum
            case "isspace": test = PythonText.isSpace
            case "isdecimal": test = PythonText.isDecimal
            default: test = PythonText.isNumeric
            }
            return .bool(u.allSatisfy(test))
        default:
            throw FathomError(.invalidValue, "str.\(name)() is not supported by this engine")
        }
    }

    /// `s[start:end]` by code point, for startswith/endswith.
    private func substring(_ s: String, _ start: TemplateValue?, _ end: TemplateValue?) throws(FathomError) -> String {
        if start == nil && end == nil { return s }
        let scalars = Array(s.unicodeScalars)
        let a = try start.map { v throws(FathomError) in try int(v, 0) }
        let b = try end.map { v throws(FathomError) in try int(v, scalars.count) }
        return PythonText.scalarsString(Ops.slice(scalars, a, b, 1))
    }
}
