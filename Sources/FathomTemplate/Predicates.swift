import FathomCore

/// jinja2's built-in tests (`x is defined`, `x is divisibleby 3`, ...).
extension Interpreter {
    static let testNames: Set<String> = [
        "odd", "even", "divisibleby", "defined", "undefined", "filter", "test", "none", "boolean", "false", "true",
        "integer", "float", "lower", "upper", "string", "mapping", "number", "sequence", "iterable", "callable",
        "sameas", "escaped", "in", "==", "eq", "equalto", "!=", "ne", ">", "gt", "greaterthan", "ge", ">=", "<", "lt",
        "lessthan", "<=", "le",
    ]

    func applyTest(_ name: String, _ v: TemplateValue, _ args: TemplateArguments, inputNode: Expr?) throws(FathomError) -> Bool {
        func one(_ param: String) throws(FathomError) -> TemplateValue {
            try args.bind(name, [param], required: 1)[0]!
        }
        func requireDefined() throws(FathomError) {
            if v.isUndefined {
                if let inputNode { throw undefinedError(inputNode) }
                throw FathomError(.invalidValue, "UndefinedError: test '\(name)' on an undefined value")
            }
        }
        switch name {
        case "defined", "undefined":
            _ = try args.bind(name, [])
            return v.isUndefined == (name == "undefined")
        case "none": if case .none = v { return true }; return false
        case "boolean": if case .bool = v { return true }; return false
        case "true": if case .bool(true) = v { return true }; return false
        case "false": if case .bool(false) = v { return true }; return false
        case "integer": if case .int = v { return true }; return false
        case "float": if case .double = v { return true }; return false
        case "number": return v.number != nil
        case "string": return v.text != nil
        case "mapping": if case .object = v { return true }; return false
        case "escaped": return v.isMarkup
        case "iterable", "sequence", "callable":
            _ = try args.bind(name, [])
            return kind(of: v, name)
        case "odd", "even":
            _ = try args.bind(name, [])
            try requireDefined()
            let r = try Ops.binary(.mod, v, .int(2))
            return r == .int(name == "odd" ? 1 : 0)
        case "divisibleby":
            let num = try one("num")
            try requireDefined()
            return try Ops.binary(.mod, v, num) == .int(0)
        case "lower": return PythonText.isLower(try Py.str(v))
        case "upper": return PythonText.isUpper(try Py.str(v))
        case "in": return try Ops.contains(try one("seq"), v)
        case "==", "eq", "equalto": return v == (try one("other"))
        case "!=", "ne": return !(v == (try one("other")))
        case ">", "gt", "greaterthan", ">=", "ge", "<", "lt", "lessthan", "<=", "le":
            let other = try one("other")
            try requireDefined()
            if other.isUndefined { throw FathomError(.invalidValue, "UndefinedError: comparison with an undefined value") }
            let op: CompareOperator = ["gt", ">", "greaterthan"].contains(name) ? .gt
                : (["ge", ">="].contains(name) ? .ge : (["lt", "<", "lessthan"].contains(name) ? .lt : .le))
            return try Ops.order(op, v, other)
        case "filter": return Self.filterNames.contains(try Py.str(v))
        case "test": return Self.testNames.contains(try Py.str(v))
        case "sameas":
            let other = try one("other")
            switch (v, other) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.none, _), (_, .none), (.bool, _), (_, .bool): return false
            case (.native(let a), .native(let b)):
                if case .markup = a.storage { break }
                return a == b
            default: break
            }
            throw FathomError(.invalidValue, "the 'sameas' test is only supported for none, booleans and template objects (Python identity)")
        default:
            throw FathomError(.invalidValue, "TemplateAssertionError: No test named '\(name)'.")
        }
    }

    /// `iterable` (iter() works), `sequence` (len and __getitem__), `callable`, without consuming anything.
    private func kind(of v: TemplateValue, _ test: String) -> Bool {
        switch v {
        case .undefined: return true  // Undefined defines __iter__, __len__, __getitem__ and __call__
        case .string, .array, .tuple, .object: return test != "callable"
        case .none, .bool, .int, .double: return false
        case .native(let n):
            switch n.storage {
            case .markup, .range: return test != "callable"
            case .view, .generator: return test == "iterable"
            case .loop: return test != "sequence"
            case .function, .boundMethod, .macro: return test == "callable"
            case .namespace: return false
            }
        }
    }
}
