import FathomCore

/// jinja2's default globals: `range` (sandboxed), `dict`, `namespace`; `cycler`, `joiner` and `lipsum` refuse.
enum Builtins {
    static let maxRange = 100_000

    static let globals: [String: TemplateValue] = [
        "range": .builtin("range") { args throws(FathomError) in try range(args) },
        "dict": .builtin("dict") { args throws(FathomError) in .object(try dict(args, "dict")) },
        "namespace": .builtin("namespace") { args throws(FathomError) in
            .native(TemplateNative(.namespace(NamespaceBox(try dict(args, "namespace")))))
        },
        "cycler": unsupported("cycler"),
        "joiner": unsupported("joiner"),
        "lipsum": unsupported("lipsum"),
    ]

    private static func unsupported(_ name: String) -> TemplateValue {
        .builtin(name) { _ throws(FathomError) in
            throw FathomError(.invalidValue, "the '\(name)' global is not supported by this engine")
        }
    }

    static func range(_ args: TemplateArguments) throws(FathomError) -> TemplateValue {
        guard args.keywords.isEmpty else { throw Ops.typeError("range() takes no keyword arguments") }
        var ints: [Int] = []
        for a in args.positional {
            guard let i = Ops.intIndex(a) else { throw Ops.typeError("'\(Py.typeName(a))' object cannot be interpreted as an integer") }
            ints.append(i)
        }
        let (start, stop, step): (Int, Int, Int)
        switch ints.count {
        case 1: (start, stop, step) = (0, ints[0], 1)
        case 2: (start, stop, step) = (ints[0], ints[1], 1)
        case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
        default: throw Ops.typeError("range expected at most 3 arguments, got \(ints.count)")
        }
        if step == 0 { throw FathomError(.invalidValue, "ValueError: range() arg 3 must not be zero") }
        if rangeCount(start, stop, step) > maxRange {
            throw FathomError(.invalidValue, "OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (\(maxRange)).")
        }
        return .native(TemplateNative(.range(start, stop, step)))
    }

    /// `dict(*args, **kwargs)`.
    static func dict(_ args: TemplateArguments, _ name: String) throws(FathomError) -> TemplateObject {
        guard args.positional.count <= 1 else { throw Ops.typeError("\(name) expected at most 1 argument, got \(args.positional.count)") }
        var o = TemplateObject()
        if let first = args.positional.first {
            switch first {
            case .object(let src): o = src
            case .array(let items), .tuple(let items): try addPairs(items, to: &o)
            case .native(let n):
                switch n.storage {
                case .view(.items, let src): o = src
                case .generator(let g): try addPairs(g.drain(), to: &o)
                case .namespace: throw Ops.typeError("'Namespace' object is not iterable")
                default: throw Ops.typeError("cannot convert \(Py.typeName(first)) to a dictionary")
                }
            default:
                throw Ops.typeError("'\(Py.typeName(first))' object is not iterable")
            }
        }
        for (k, v) in args.keywords { o[k] = v }
        return o
    }

    private static func addPairs(_ items: [TemplateValue], to o: inout TemplateObject) throws(FathomError) {
        for (i, item) in items.enumerated() {
            switch item {
            case .array(let kv), .tuple(let kv):
                guard kv.count == 2 else {
                    throw FathomError(.invalidValue, "ValueError: dictionary update sequence element #\(i) has length \(kv.count); 2 is required")
                }
                try Ops.requireHashable(kv[0])
                o[kv[0]] = kv[1]
            default:
                throw Ops.typeError("cannot convert dictionary update sequence element #\(i) to a sequence")
            }
        }
    }
}
