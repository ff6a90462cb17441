import FathomCore
import Foundation

/// jinja2's built-in filters (with HF's `tojson`).
extension Interpreter {
    static let filterNames: Set<String> = [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "filesizeformat",
        "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join", "last", "length", "list",
        "lower", "map", "max", "min", "pprint", "random", "reject", "rejectattr", "replace", "reverse", "round", "safe",
        "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate",
        "unique", "upper", "urlencode", "urlize", "wordcount", "wordwrap", "xmlattr",
    ]

    /// `soft_str`: strings (and Markup) unchanged, anything else through `str()`.
    func softStr(_ v: TemplateValue) throws(FathomError) -> TemplateValue {
        v.text != nil ? v : .string(try Py.str(v))
    }

    /// Applies `f` to the text, keeping Markup as Markup.
    private func mapText(_ v: TemplateValue, _ f: (String) -> String) throws(FathomError) -> TemplateValue {
        let s = try softStr(v)
        return s.isMarkup ? .markup(f(s.text!)) : .string(f(s.text!))
    }

    func applyFilter(_ name: String, _ v: TemplateValue, _ args: TemplateArguments, node: Expr?) throws(FathomError) -> TemplateValue {
        switch name {
        case "abs":
            _ = try args.bind(name, [])
            switch v.number {
            case .int(let i):
                if i == Int.min { throw PyNum.overflow("abs") }
                return .int(abs(i))
            case .double(let d): return .double(abs(d))
            case nil: throw Ops.typeError("bad operand type for abs(): '\(Py.typeName(v))'")
            }
        case "attr":
            let p = try args.bind(name, ["name"], required: 1)
            guard let attr = p[0]!.text else { return .undefined }
            if v.isUndefined { throw undefinedInput(node, "attr()") }
            return pythonAttribute(v, attr, node: nil) ?? .undefined
        case "batch", "slice":
            let p = try args.bind(name, [name == "batch" ? "linecount" : "slices", "fill_with"], required: 1)
            guard let n = Ops.intIndex(p[0]!), n > 0 else { throw Ops.typeError("\(name) size must be a positive integer") }
            let items = try iterate(v)
            let fill: TemplateValue? = p[1] == TemplateValue.none ? nil : p[1]
            return .generator(name == "batch" ? Sequences.batch(items, n, fill) : Sequences.slice(items, n, fill))
        case "capitalize": _ = try args.bind(name, []); return try mapText(v, PythonText.capitalize)
        case "center":
            let width = try args.bind(name, ["width"])[0] ?? .int(80)
            return try callMethod(try softStr(v), "center", TemplateArguments(positional: [width]))
        case "count", "length":
            _ = try args.bind(name, [])
            return .int(try length(v))
        case "d", "default":
            let p = try args.bind(name, ["default_value", "boolean"])
            if v.isUndefined || (p[1].map(Py.truthy) ?? false && !Py.truthy(v)) { return p[0] ?? .string("") }
            return v
        case "dictsort":
            let p = try args.bind(name, ["case_sensitive", "by", "reverse"])
            guard case .object(let o) = v else {
                if v.isUndefined { throw undefinedInput(node, "dictsort") }
                throw FathomError(.invalidValue, "AttributeError: '\(Py.typeName(v))' object has no attribute 'items'")
            }
            let by = p[1]?.text ?? "key"
            guard by == "key" || by == "value" else { throw FathomError(.invalidValue, "FilterArgumentError: You can only sort by either \"key\" or \"value\"") }
            let caseSensitive = p[0].map(Py.truthy) ?? false
            let pairs = o.map { TemplateValue.tuple([$0.0, $0.1]) }
            let keys = o.map { caseSensitive ? (by == "key" ? $0.0 : $0.1) : ignoreCase(by == "key" ? $0.0 : $0.1) }
            return .array(try Sequences.sorted(pairs, keys: keys, reverse: p[2].map(Py.truthy) ?? false))
        case "e", "escape":
            _ = try args.bind(name, [])
            return try Py.escape(v)
        case "forceescape":
            _ = try args.bind(name, [])
            return .markup(Py.htmlEscape(try Py.str(v)))
        case "first":
            _ = try args.bind(name, [])
            if case .native(let n) = v, case .generator(let g) = n.storage {
                return g.next() ?? undefined(node, "UndefinedError: No first item, sequence was empty.")
            }
            return try iterate(v).first ?? undefined(node, "UndefinedError: No first item, sequence was empty.")
        case "last":
            _ = try args.bind(name, [])
            if case .native(let n) = v, case .generator(let g) = n.storage {
                throw Ops.typeError("'\(g.typeName)' object is not reversible")
            }
            return try iterate(v).last ?? undefined(node, "UndefinedError: No last item, sequence was empty.")
        case "float":
            let p = try args.bind(name, ["default"])
            if v.isUndefined { throw undefinedInput(node, "float()") }
            return try Conversions.toFloat(v) ?? p[0] ?? .double(0)
        case "int":
            let p = try args.bind(name, ["default", "base"])
            if v.isUndefined { throw undefinedInput(node, "int()") }
            return try Conversions.toInt(v, base: try p[1].map { b throws(FathomError) in
                guard let i = Ops.intIndex(b) else { throw Ops.typeError("base must be an int") }
                return i
            } ?? 10) ?? p[0] ?? .int(0)
        case "format":
            if !args.positional.isEmpty && !args.keywords.isEmpty {
                throw FathomError(.invalidValue, "FilterArgumentError: can't handle positional and keyword arguments at the same time")
            }
            let s = try softStr(v)
            let operand: TemplateValue = args.keywords.isEmpty ? .tuple(args.positional) : .object(TemplateObject(args.keywords.map { ($0.name, $0.value) }))
            return try Ops.binary(.mod, s, operand)
        case "indent":
            let p = try args.bind(name, ["width", "first", "blank"])
            if v.isUndefined { throw undefinedInput(node, "indent") }
            return try indent(v, p[0] ?? .int(4), first: p[1].map(Py.truthy) ?? false, blank: p[2].map(Py.truthy) ?? false)
        case "items":
            _ = try args.bind(name, [])
            if v.isUndefined { return .generator([]) }
            guard case .object(let o) = v else { throw Ops.typeError("Can only get item pairs from a mapping.") }
            return .generator(o.map { .tuple([$0.0, $0.1]) })
        case "join":
            let p = try args.bind(name, ["d", "attribute"])
            var items = try iterate(v)
            if let attribute = p[1], !(attribute == .none) {
                let getter = attributeGetter(attribute)
                items = try items.map { x throws(FathomError) in try getter(x) }
            }
            var parts: [String] = []
            for item in items { parts.append(try Py.str(item)) }
            return .string(parts.joined(separator: try Py.str(p[0] ?? .string(""))))
        case "list":
            _ = try args.bind(name, [])
            return .array(try iterate(v))
        case "lower": _ = try args.bind(name, []); return try mapText(v, PythonText.lower)
        case "upper": _ = try args.bind(name, []); return try mapText(v, PythonText.upper)
        case "map": return try mapFilter(v, args)
        case "max", "min":
            let p = try args.bind(name, ["case_sensitive", "attribute"])
            let items = try iterate(v)
            guard !items.isEmpty else { return undefined(node, "UndefinedError: No aggregated item, sequence was empty.") }
            let caseSensitive = p[0].map(Py.truthy) ?? false
            let getter = attributeGetter(p[1] ?? .none)
            var best = 0
            var bestKey = caseSensitive ? try getter(items[0]) : ignoreCase(try getter(items[0]))
            for i in items.indices.dropFirst() {
                let k = caseSensitive ? try getter(items[i]) : ignoreCase(try getter(items[i]))
                if try Ops.order(name == "max" ? .gt : .lt, k, bestKey) {
                    best = i
                    bestKey = k
                }
            }
            return items[best]
        case "reject", "select", "rejectattr", "selectattr":
            return try selectFilter(v, args, reject: name.hasPrefix("reject"), attribute: name.hasSuffix("attr"))
        case "replace":
            let p = try args.bind(name, ["old", "new", "count"], required: 2)
            var count = -1
            if let c = p[2], !(c == .none) {
                guard let i = Ops.intIndex(c) else { throw Ops.typeError("'\(Py.typeName(c))' object cannot be interpreted as an integer") }
                count = i
            }
            return .string(PythonText.replace(try Py.str(v), try Py.str(p[0]!), try Py.str(p[1]!), count: count))
        case "reverse":
            _ = try args.bind(name, [])
            if let s = v.text {
                let r = PythonText.scalarsString(s.unicodeScalars.reversed())
                return v.isMarkup ? .markup(r) : .string(r)
            }
            return try reverseFilter(v)
        case "round":
            let p = try args.bind(name, ["precision", "method"])
            let method = p[1]?.text ?? "common"
            guard ["common", "ceil", "floor"].contains(method) else {
                throw FathomError(.invalidValue, "FilterArgumentError: method must be common, ceil or floor")
            }
            if v.isUndefined { throw undefinedInput(node, "round()") }
            return try Conversions.round(v, p[0] ?? .int(0), method: method)
        case "safe":
            _ = try args.bind(name, [])
            return v.isMarkup ? v : .markup(try Py.str(v))
        case "sort":
            let p = try args.bind(name, ["reverse", "case_sensitive", "attribute"])
            let items = try iterate(v)
            let caseSensitive = p[1].map(Py.truthy) ?? false
            var getters: [Getter] = [attributeGetter(.none)]
            if let attribute = p[2], !(attribute == .none) {
                if let s = attribute.text {
                    getters = PythonText.split(s, ",", maxsplit: -1).map { attributeGetter(.string($0)) }
                } else {
                    getters = [attributeGetter(attribute)]
                }
            }
            var keys: [TemplateValue] = []
            for item in items {
                var parts: [TemplateValue] = []
                for g in getters { parts.append(caseSensitive ? try g(item) : ignoreCase(try g(item))) }
                keys.append(.array(parts))
            }
            return .array(try Sequences.sorted(items, keys: keys, reverse: p[0].map(Py.truthy) ?? false))
        case "string":
            _ = try args.bind(name, [])
            return try softStr(v)
        case "sum":
            let p = try args.bind(name, ["attribute", "start"])
            var items = try iterate(v)
            if let attribute = p[0], !(attribute == .none) {
                let getter = attributeGetter(attribute)
                items = try items.map { x throws(FathomError) in try getter(x) }
            }
            var total = p[1] ?? .int(0)
            for item in items {
                if total.isUndefined || item.isUndefined { throw undefinedInput(nil, "sum") }
                total = try Ops.binary(.add, total, item)
            }
            return total
        case "title":
            _ = try args.bind(name, [])
            return .string(titleFilter(try Py.str(v)))
        case "tojson":
            let p = try args.bind(name, ["ensure_ascii", "indent", "separators", "sort_keys"])
            return .string(try JSONDump.dumps(v, ensureASCII: p[0].map(Py.truthy) ?? false, indent: p[1],
                                              separators: p[2], sortKeys: p[3].map(Py.truthy) ?? false))
        case "trim":
            let chars = try args.bind(name, ["chars"])[0]
            let set: String? = chars.flatMap { $0 == .none ? nil : $0.text }
            return try mapText(v) { PythonText.strip($0, set) }
        case "truncate":
            let p = try args.bind(name, ["length", "killwords", "end", "leeway"])
            guard let text = v.text else {
                // len(s) on a non-string: short containers come back unchanged, anything else raises
                let n = try length(v)
                if n <= (p[0].flatMap(Ops.intIndex) ?? 255) + (p[3].flatMap(Ops.intIndex) ?? 5) { return v }
                throw FathomError(.invalidValue, "the 'truncate' filter on a long \(Py.typeName(v)) is not supported")
            }
            return .string(try truncate(text, p))
        case "unique":
            let p = try args.bind(name, ["case_sensitive", "attribute"])
            let caseSensitive = p[0].map(Py.truthy) ?? false
            let getter = attributeGetter(p[1] ?? .none)
            var seen = Set<TemplateValue>()
            var out: [TemplateValue] = []
            for item in try iterate(v) {
                let k = caseSensitive ? try getter(item) : ignoreCase(try getter(item))
                try Ops.requireHashable(k)
                if seen.insert(k).inserted { out.append(item) }
            }
            return .generator(out)
        case "wordcount":
            _ = try args.bind(name, [])
            var count = 0, inWord = false
            for u in try Py.str(v).unicodeScalars {
                let w = PythonText.isWord(u)
                if w && !inWord { count += 1 }
                inWord = w
            }
            return .int(count)
        case "filesizeformat", "groupby", "pprint", "random", "striptags", "urlencode", "urlize", "wordwrap", "xmlattr":
            throw FathomError(.invalidValue, "the '\(name)' filter is not supported by this engine")
        default:
            throw FathomError(.invalidValue, "TemplateAssertionError: No filter named '\(name)'.")
        }
    }

    /// The error for a filter applied to an undefined value: the input's own undefined message.
    private func undefinedInput(_ node: Expr?, _ what: String) -> FathomError {
        if let node, case .filter(let input?, _, _) = node.kind { return undefinedError(input) }
        return FathomError(.invalidValue, "UndefinedError: \(what) of an undefined value")
    }

    /// jinja2's `ignore_case` postprocessor.
    func ignoreCase(_ v: TemplateValue) -> TemplateValue {
        guard let s = v.text else { return v }
        return v.isMarkup ? .markup(PythonText.lower(s)) : .string(PythonText.lower(s))
    }

    typealias Getter = (TemplateValue) throws(FathomError) -> TemplateValue

    /// jinja2's `make_attrgetter`: dotted path, digit parts as integers, each step through `getitem`
    /// (a default replaces an undefined step).
    func attributeGetter(_ attribute: TemplateValue, default dflt: TemplateValue? = nil) -> Getter {
        let parts: [TemplateValue]
        if let s = attribute.text {
            parts = PythonText.split(s, ".", maxsplit: -1).map { p in
                p.unicodeScalars.allSatisfy(PythonText.isDigit) && !p.isEmpty ? (Int(p).map { .int($0) } ?? .string(p)) : .string(p)
            }
        } else if attribute == .none {
            parts = []
        } else {
            parts = [attribute]
        }
        return { (item: TemplateValue) throws(FathomError) -> TemplateValue in
            var x = item
            for p in parts {
                if x.isUndefined {
                    throw FathomError(.invalidValue, "UndefinedError: cannot look up \((try? Py.repr(p)) ?? "?") on an undefined value")
                }
                x = self.getItem(x, p, node: nil)
                if let dflt, x.isUndefined { x = dflt }
            }
            return x
        }
    }

    private func indent(_ v: TemplateValue, _ width: TemplateValue, first: Bool, blank: Bool) throws(FathomError) -> TemplateValue {
        let pad: String
        if let w = width.text { pad = w } else if let n = Ops.intIndex(width) {
            try Ops.checkSize(1, times: n)
            pad = String(repeating: " ", count: max(0, n))
        } else {
            throw Ops.typeError("can't multiply sequence by non-int of type '\(Py.typeName(width))'")
        }
        guard let text = v.text else {
            if v.isUndefined { throw FathomError(.invalidValue, "UndefinedError: indent of an undefined value") }
            switch v {
            case .array: throw FathomError(.invalidValue, "AttributeError: 'list' object has no attribute 'splitlines'")
            case .tuple: throw Ops.typeError("can only concatenate tuple (not \"str\") to tuple")
            default: throw Ops.typeError("unsupported operand type(s) for +=: '\(Py.typeName(v))' and 'str'")
            }
        }
        let s = v
        let lines = PythonText.splitlines(text + "\n")
        var rv: String
        if blank {
            rv = lines.joined(separator: "\n" + pad)
        } else {
            rv = lines.first ?? ""
            if lines.count > 1 {
                rv += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : pad + $0 }.joined(separator: "\n")
            }
        }
        if first { rv = pad + rv }
        return s.isMarkup ? .markup(rv) : .string(rv)
    }

    private func titleFilter(_ s: String) -> String {
        // re.split(r"([-\s({\[<]+)", s): words and separator runs, each item[0].upper() + item[1:].lower()
        var out = ""
        var item = String.UnicodeScalarView()
        var itemIsSep: Bool?
        func flush() {
            guard let f = item.first else { return }
            out += PythonText.upper(String(f)) + PythonText.lower(PythonText.scalarsString(item.dropFirst()))
            item = String.UnicodeScalarView()
        }
        for u in s.unicodeScalars {
            let sep = PythonText.isSpace(u) || "-({[<".unicodeScalars.contains(u)
            if itemIsSep != sep { flush() }
            itemIsSep = sep
            item.append(u)
        }
        flush()
        return out
    }

    private func truncate(_ s: String, _ p: [TemplateValue?]) throws(FathomError) -> String {
        let length = p[0].flatMap(Ops.intIndex) ?? 255
        let killwords = p[1].map(Py.truthy) ?? false
        let end = try p[2].map { e throws(FathomError) in try Py.str(e) } ?? "..."
        let leeway = p[3].flatMap(Ops.intIndex) ?? 5
        let endCount = end.unicodeScalars.count
        guard length >= endCount else { throw FathomError(.invalidValue, "AssertionError: expected length >= \(endCount), got \(length)") }
        let scalars = Array(s.unicodeScalars)
        if scalars.count <= length + leeway { return s }
        let head = PythonText.scalarsString(Ops.slice(scalars, nil, length - endCount, 1))
        if killwords { return head + end }
        return PythonText.rsplit(head, " ", maxsplit: 1)[0] + end
    }
}
