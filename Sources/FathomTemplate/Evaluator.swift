import FathomCore

/// Expression evaluation, with jinja2's sandboxed `getattr` / `getitem` rules.
extension Interpreter {
    func eval(_ e: Expr) throws(FathomError) -> TemplateValue {
        do { return try evalNode(e) } catch { throw located(error, e.line) }
    }

    private func evalNode(_ e: Expr) throws(FathomError) -> TemplateValue {
        switch e.kind {
        case .literal(let v):
            return v
        case .variable(let n, let slot):
            let v = read(slot)
            if v.isUndefined { return undefined(e, "UndefinedError: '\(n)' is undefined") }
            return v
        case .name:
            if constantMode { throw Self.impossible }
            throw FathomError(.invalidValue, "internal error: unresolved name")
        case .attribute(let o, let name):
            let v = try eval(o)
            if v.isUndefined { throw undefinedError(o) }
            if case .native(let n) = v, case .loop(let box) = n.storage, let a = try loopAttribute(box, name, node: e) { return a }
            return getAttribute(v, name, node: e)
        case .item(let o, let k):
            return try evalItem(e, o, k)
        case .call:
            if constantMode { throw Self.impossible }
            return try evalCall(e)
        case .filter(let input, let name, let args):
            return try evalFilter(e, input, name, args)
        case .test(let input, let name, let args):
            let v = try eval(input)
            return .bool(try applyTest(name, v, try evalArguments(args), inputNode: input))
        case .negate(let x), .plus(let x):
            return try evalUnary(e, x)
        case .not(let x):
            return .bool(!Py.truthy(try eval(x)))
        case .binary(let op, let l, let r):
            return try evalBinary(op, l, r)
        case .and(let l, let r):
            let a = try eval(l)
            return Py.truthy(a) ? try eval(r) : a
        case .or(let l, let r):
            let a = try eval(l)
            return Py.truthy(a) ? a : try eval(r)
        case .compare(let first, let ops):
            return try evalCompare(first, ops)
        case .concat(let items):
            var s = ""
            for i in items { try Py.write(try eval(i), to: &s) }
            return .string(s)
        case .conditional(let test, let then, let otherwise):
            if Py.truthy(try eval(test)) { return try eval(then) }
            if let otherwise { return try eval(otherwise) }
            if constantMode { throw Self.impossible }
            return undefined(e, "UndefinedError: the inline if-expression on line \(e.line) evaluated to false and no else section was defined.")
        case .list(let items):
            return .array(try evalAll(items))
        case .tuple(let items):
            return .tuple(try evalAll(items))
        case .dict(let pairs):
            return try evalDict(pairs)
        case .slice:
            throw FathomError(.invalidValue, "a slice is only valid inside []")
        }
    }

    private func evalAll(_ items: [Expr]) throws(FathomError) -> [TemplateValue] {
        var out: [TemplateValue] = []
        out.reserveCapacity(items.count)
        for i in items { out.append(try eval(i)) }
        return out
    }

    private func evalItem(_ e: Expr, _ o: Expr, _ k: Expr) throws(FathomError) -> TemplateValue {
        let v = try eval(o)
        if case .slice(let a, let b, let c) = k.kind {
            let start = try a.map { x throws(FathomError) in try eval(x) }
            let stop = try b.map { x throws(FathomError) in try eval(x) }
            let step = try c.map { x throws(FathomError) in try eval(x) }
            if v.isUndefined { throw undefinedError(o) }
            return try getSlice(v, start, stop, step, node: e)
        }
        let key = try eval(k)
        if v.isUndefined { throw undefinedError(o) }
        return getItem(v, key, node: e)
    }

    private func evalFilter(_ e: Expr, _ input: Expr?, _ name: String, _ args: CallArguments) throws(FathomError) -> TemplateValue {
        if constantMode && (input == nil || Self.contextFilters.contains(name) || !Self.filterNames.contains(name)) {
            throw Self.impossible
        }
        var v = placeholder
        if let input { v = try eval(input) }
        return try applyFilter(name, v, try evalArguments(args), node: e)
    }

    private func evalUnary(_ e: Expr, _ x: Expr) throws(FathomError) -> TemplateValue {
        let v = try eval(x)
        if v.isUndefined { throw undefinedError(x) }
        if case .negate = e.kind { return try Ops.negate(v) }
        guard v.number != nil else { throw FathomError(.invalidValue, "TypeError: bad operand type for unary +: '\(Py.typeName(v))'") }
        if case .bool(let b) = v { return .int(b ? 1 : 0) }
        return v
    }

    private func evalBinary(_ op: BinaryOperator, _ l: Expr, _ r: Expr) throws(FathomError) -> TemplateValue {
        let a = try eval(l)
        let b = try eval(r)
        if a.isUndefined { throw undefinedError(l) }
        if b.isUndefined && !(op == .mod && a.text != nil) { throw undefinedError(r) }
        if op == .pow, !constantMode, case .literal = l.kind, let n = a.number, n.isNegative {
            // jinja2 writes a folded negative base as `-2 ** x`, which Python reads as -(2 ** x)
            return try Ops.negate(try Ops.binary(.pow, try Ops.negate(a), b))
        }
        return try Ops.binary(op, a, b)
    }

    private func evalCompare(_ first: Expr, _ ops: [(CompareOperator, Expr)]) throws(FathomError) -> TemplateValue {
        var left = try eval(first)
        var leftNode = first
        for (op, rightNode) in ops {
            let right = try eval(rightNode)
            if op == .lt || op == .le || op == .gt || op == .ge {
                if left.isUndefined { throw undefinedError(leftNode) }
                if right.isUndefined { throw undefinedError(rightNode) }
            }
            if !(try Ops.compare(op, left, right)) { return .bool(false) }
            left = right
            leftNode = rightNode
        }
        return .bool(true)
    }

    private func evalDict(_ pairs: [(Expr, Expr)]) throws(FathomError) -> TemplateValue {
        var o = TemplateObject()
        for (k, v) in pairs {
            let key = try eval(k)
            try Ops.requireHashable(key)
            o[key] = try eval(v)
        }
        return .object(o)
    }

    /// Records why `node` is undefined and returns undefined.
    func undefined(_ node: Expr?, _ hint: String) -> TemplateValue {
        if let node { hints[ObjectIdentifier(node)] = hint }
        return .undefined
    }

    /// The error for using the undefined value `node` evaluated to.
    func undefinedError(_ node: Expr) -> FathomError {
        if let hint = hints[ObjectIdentifier(node)] { return FathomError(.invalidValue, hint, line: node.line) }
        switch node.kind {
        case .name(let n): return FathomError(.invalidValue, "UndefinedError: '\(n)' is undefined", line: node.line)
        default: return FathomError(.invalidValue, "UndefinedError: value is undefined", line: node.line)
        }
    }

    // MARK: calls

    func evalCall(_ e: Expr, extraKeyword: (String, TemplateValue)? = nil) throws(FathomError) -> TemplateValue {
        guard case .call(let calleeNode, let argNodes) = e.kind else { throw FathomError(.invalidValue, "expected call", line: e.line) }
        let callee = try eval(calleeNode)
        var args = try evalArguments(argNodes)
        if let extraKeyword { args.keywords.append((extraKeyword.0, extraKeyword.1)) }
        do { return try call(callee, args, calleeNode: calleeNode) } catch { throw located(error, e.line) }
    }

    func evalArguments(_ a: CallArguments) throws(FathomError) -> TemplateArguments {
        var args = TemplateArguments()
        for p in a.positional { args.positional.append(try eval(p)) }
        for (k, v) in a.keywords { args.keywords.append((k, try eval(v))) }
        if let star = a.star { args.positional += try iterate(try eval(star)) }
        if let starStar = a.starStar {
            guard case .object(let o) = try eval(starStar) else {
                throw FathomError(.invalidValue, "TypeError: argument after ** must be a mapping")
            }
            for (k, v) in o {
                guard let key = k.text else { throw FathomError(.invalidValue, "TypeError: keywords must be strings") }
                args.keywords.append((key, v))
            }
        }
        return args
    }

    func call(_ callee: TemplateValue, _ args: TemplateArguments, calleeNode: Expr?) throws(FathomError) -> TemplateValue {
        if callee.isUndefined {
            if let calleeNode { throw undefinedError(calleeNode) }
            throw FathomError(.invalidValue, "UndefinedError: cannot call an undefined value")
        }
        if case .native(let n) = callee {
            switch n.storage {
            case .function(let f):
                switch f.body {
                case .host(let body): return try body(args)
                case .builtin(let body): return try body(args)
                }
            case .boundMethod(let receiver, let name):
                return try callMethod(receiver, name, args)
            case .macro(let box):
                return try callMacro(box, args)
            case .loop(let box):
                guard let recursion = box.recursion else {
                    throw FathomError(.invalidValue, "TypeError: The loop must have the 'recursive' marker to be called recursively.")
                }
                guard args.positional.count == 1, args.keywords.isEmpty else {
                    throw FathomError(.invalidValue, "TypeError: loop() takes exactly one argument")
                }
                callDepth += 1
                defer { callDepth -= 1 }
                if callDepth > Self.maxCallDepth {
                    throw FathomError(.invalidValue, "RecursionError: maximum recursion depth exceeded in a recursive loop")
                }
                let iterable = args.positional[0]
                return try deepening { () throws(FathomError) -> TemplateValue in
                    .string(try self.capture { () throws(FathomError) in
                        try self.runLoop(recursion.node, iterable: iterable, depth0: box.depth0 + 1, definedIn: recursion.activation)
                    })
                }
            default: break
            }
        }
        throw FathomError(.invalidValue, "TypeError: '\(Py.typeName(callee))' object is not callable")
    }

    // MARK: attribute and item lookup

    /// `obj.name`: the Python attribute if there is one (methods win over dict keys, as in jinja2), else the item.
    func getAttribute(_ v: TemplateValue, _ name: String, node: Expr?) -> TemplateValue {
        if let a = pythonAttribute(v, name, node: node) { return a }
        if case .object(let o) = v, let x = o[name] { return x }
        return undefined(node, "UndefinedError: '\(Py.objectTypeRepr(v))' has no attribute '\(name)'")
    }

    /// Python's `getattr(obj, name)` under the immutable sandbox; nil when there is no such attribute.
    func pythonAttribute(_ v: TemplateValue, _ name: String, node: Expr?) -> TemplateValue? {
        if name.count > 4 && name.hasPrefix("__") && name.hasSuffix("__") {
            return undefined(node, "SecurityError: access to attribute '\(name)' of '\(Py.typeName(v))' object is unsafe.")
        }
        if case .native(let n) = v {
            switch n.storage {
            case .namespace(let box): return box.attributes[name]
            case .loop(let box): return (try? loopAttribute(box, name, node: node)) ?? nil
            case .macro(let box):
                let def = box.definition
                switch name {
                case "name": return .string(def.name)
                case "arguments": return .tuple(def.parameters.map { .string($0.name) })
                case "catch_kwargs": return .bool(def.catchesKwargs)
                case "catch_varargs": return .bool(def.catchesVarargs)
                case "caller": return .bool(def.usesCaller)
                default: return nil
                }
            default: break
            }
        }
        if Methods.exists(v, name) {
            if Methods.isMutating(v, name) {
                return undefined(node, "SecurityError: access to attribute '\(name)' of '\(Py.typeName(v))' object is unsafe.")
            }
            return .native(TemplateNative(.boundMethod(v, name)))
        }
        if let number = v.number {
            switch (name, number) {
            case ("real", .int(let i)), ("numerator", .int(let i)): return .int(i)
            case ("real", .double(let d)): return .double(d)
            case ("imag", .int), ("denominator", .int): return .int(name == "imag" ? 0 : 1)
            case ("imag", .double): return .double(0)
            default: return nil
            }
        }
        return nil
    }

    /// `obj[key]`: the item if there is one, else (for a string key) the attribute, else undefined.
    func getItem(_ v: TemplateValue, _ key: TemplateValue, node: Expr?) -> TemplateValue {
        switch v {
        case .object(let o):
            if Ops.isHashable(key), let x = o[key] { return x }
        case .array(let a), .tuple(let a):
            if let i = Ops.intIndex(key) {
                let j = i < 0 ? i + a.count : i
                if j >= 0 && j < a.count { return a[j] }
            }
        case .string(let s):
            if let c = Ops.character(s, key) { return .string(c) }
        case .native(let n):
            if case .markup(let s) = n.storage, let c = Ops.character(s, key) { return .markup(c) }
            if case .range(let a, let b, let c) = n.storage, let i = Ops.intIndex(key) {
                let count = rangeCount(a, b, c)
                let j = i < 0 ? i + count : i
                if j >= 0 && j < count { return .int(a + j * c) }
            }
        default: break
        }
        if let name = key.text {
            if let a = pythonAttribute(v, name, node: node) { return a }
            return undefined(node, "UndefinedError: '\(Py.objectTypeRepr(v))' has no attribute '\(name)'")
        }
        let keyRepr = (try? Py.repr(key)) ?? "?"
        return undefined(node, "UndefinedError: \(Py.objectTypeRepr(v)) has no element \(keyRepr)")
    }

    /// `obj[a:b:c]`. jinja2 compiles slices to a plain Python subscript (not `environment.getitem`), so
    /// slicing something that is not a sequence raises instead of giving undefined.
    func getSlice(_ v: TemplateValue, _ start: TemplateValue?, _ stop: TemplateValue?, _ step: TemplateValue?, node: Expr?)
        throws(FathomError) -> TemplateValue {
        if lenientSlices {
            let sliceable: Bool
            switch v {
            case .array, .tuple, .string: sliceable = true
            case .native(let n):
                if case .markup = n.storage { sliceable = true } else if case .range = n.storage { sliceable = true } else { sliceable = false }
            default: sliceable = false
            }
            let indices = [start, stop, step].allSatisfy { p in p == nil || p == TemplateValue.none || (p.map(Ops.intIndex) ?? nil) != nil }
            if !sliceable || !indices { return undefined(node, "UndefinedError: \(Py.objectTypeRepr(v)) has no element slice(...)") }
        }
        switch v {
        case .object: throw Ops.typeError("unhashable type: 'slice'")
        case .array, .tuple, .string: break
        case .native(let n):
            switch n.storage {
            case .markup, .range: break
            default: throw Ops.typeError("'\(Py.typeName(v))' object is not subscriptable")
            }
        default: throw Ops.typeError("'\(Py.typeName(v))' object is not subscriptable")
        }
        func part(_ p: TemplateValue?) throws(FathomError) -> Int? {
            guard let p else { return nil }
            if case .none = p { return nil }
            if let i = Ops.intIndex(p) { return i }
            throw Ops.typeError("slice indices must be integers or None or have an __index__ method")
        }
        let a = try part(start), b = try part(stop), c = try part(step)
        if c == 0 { throw FathomError(.invalidValue, "ValueError: slice step cannot be zero") }
        switch v {
        case .array(let items): return .array(Ops.slice(items, a, b, c))
        case .tuple(let items): return .tuple(Ops.slice(items, a, b, c))
        case .string(let s): return .string(PythonText.scalarsString(Ops.slice(Array(s.unicodeScalars), a, b, c)))
        case .native(let n):
            switch n.storage {
            case .markup(let s): return .markup(PythonText.scalarsString(Ops.slice(Array(s.unicodeScalars), a, b, c)))
            case .range(let r0, let r1, let r2):
                let idx = Ops.sliceIndices(rangeCount(r0, r1, r2), a, b, c)
                let step = r2 * (c ?? 1)
                let first = r0 + idx.start * r2
                return .native(TemplateNative(.range(first, first + idx.count * step, step)))
            default: break
            }
        default: break
        }
        return undefined(node, "UndefinedError: \(Py.objectTypeRepr(v)) has no element slice(...)")
    }
}
