import FathomCore

extension Interpreter {
    /// Calls a macro (or a call block's `caller`) as jinja2's `Macro.__call__` does: positional arguments,
    /// then keywords by name, the special `caller` / `kwargs` / `varargs`, and defaults evaluated in the
    /// macro's scope for parameters not given.
    func callMacro(_ box: MacroBox, _ args: TemplateArguments) throws(FathomError) -> TemplateValue {
        let def = box.definition
        let n = def.parameters.count
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > Self.maxCallDepth {
            throw FathomError(.invalidValue, "RecursionError: maximum recursion depth exceeded in macro '\(def.name)' (jinja2 stops near 150-200 levels too)")
        }
        var values: [TemplateValue?] = Array(args.positional.prefix(n))
        var keywords = args.keywords
        var foundCaller = false
        if values.count != n {
            for p in def.parameters[values.count...] {
                if let i = keywords.firstIndex(where: { $0.name == p.name }) {
                    values.append(keywords.remove(at: i).value)
                } else {
                    values.append(nil)
                }
                if p.name == "caller" { foundCaller = true }
            }
        } else {
            foundCaller = def.parameters.contains { $0.name == "caller" }
        }
        var caller: TemplateValue?
        if def.usesCaller && !foundCaller {
            if let i = keywords.firstIndex(where: { $0.name == "caller" }) {
                caller = keywords.remove(at: i).value
            } else {
                caller = .undefined
            }
        }
        var kwargs: TemplateValue?
        if def.catchesKwargs {
            kwargs = .object(TemplateObject(keywords.map { ($0.name, $0.value) }))
        } else if let first = keywords.first {
            if first.name == "caller" {
                throw FathomError(.invalidValue, "TypeError: macro '\(def.name)' was invoked with two values for the special caller argument. This is most likely a bug.")
            }
            throw FathomError(.invalidValue, "TypeError: macro '\(def.name)' takes no keyword argument '\(first.name)'")
        }
        var varargs: TemplateValue?
        if def.catchesVarargs {
            varargs = .tuple(Array(args.positional.dropFirst(n)))
        } else if args.positional.count > n {
            throw FathomError(.invalidValue, "TypeError: macro '\(def.name)' takes not more than \(n) argument(s)")
        }
        let bound = values
        return try deepening { () throws(FathomError) -> TemplateValue in
            try self.runMacro(box, bound, caller: caller, kwargs: kwargs, varargs: varargs)
        }
    }

    private func runMacro(_ box: MacroBox, _ values: [TemplateValue?], caller: TemplateValue?, kwargs: TemplateValue?,
                          varargs: TemplateValue?) throws(FathomError) -> TemplateValue {
        let def = box.definition
        let savedActivation = activation, savedOut = out
        activation = Activation(parent: box.activation, size: slotCount)
        out = ""
        defer {
            activation = savedActivation
            out = savedOut
        }
        for (i, slot) in def.parameterSlots.enumerated() { if let v = values[i] { activation.slots[slot] = v } }
        if let s = def.callerSlot { activation.slots[s] = caller ?? .undefined }
        if let s = def.kwargsSlot { activation.slots[s] = kwargs ?? .object(TemplateObject()) }
        if let s = def.varargsSlot { activation.slots[s] = varargs ?? .tuple([]) }
        enter(def.frame)
        for (i, p) in def.parameters.enumerated() where values[i] == nil {
            activation.slots[def.parameterSlots[i]] = try p.defaultValue.map { d throws(FathomError) in try eval(d) } ?? .undefined
        }
        _ = try execute(def.body)
        return .string(out)
    }
}
