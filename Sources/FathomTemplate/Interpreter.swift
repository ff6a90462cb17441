import FathomCore

/// The variables of one function invocation in jinja2's generated code: the template body, a macro call, a
/// call block, a loop filter or a recursive loop. Slots not owned here (nil) are read from the activation the
/// function was defined in, as Python closures read enclosing variables. A missing variable holds undefined.
final class Activation: @unchecked Sendable {
    var slots: [TemplateValue?]
    let parent: Activation?

    init(parent: Activation?, size: Int) {
        self.parent = parent
        slots = Array(repeating: nil, count: size)
    }
}

enum Flow { case normal, breakLoop, continueLoop }

/// Renders a parsed template. One instance per render; not thread-safe (it never needs to be).
final class Interpreter {
    var activation: Activation
    let slotCount: Int
    /// Render globals (and jinja2's default globals), and the template-level variables set so far: what a
    /// scope's `resolve` loads read (jinja2's `context.resolve_or_missing`).
    let globals: [String: TemplateValue]
    var contextVars: [String: TemplateValue] = [:]
    var out = ""
    /// Why an expression evaluated to undefined, for the error raised when the value is used.
    var hints: [ObjectIdentifier: String] = [:]
    /// The body text of a filter block or set block, read by its filter chain's empty input.
    var placeholder: TemplateValue = .undefined
    var callDepth = 0
    /// Nested macro calls and recursive-loop calls allowed (jinja2 hits Python's recursion limit at 150-200).
    static let maxCallDepth = 160
    /// Whether this render already runs on a `BigStack` thread. Recursion two levels deep moves there.
    var onBigStack = false
    /// Compile-time evaluation (`Optimizer`): names, calls and context filters are impossible, and slicing a
    /// non-sequence gives undefined as jinja2's `as_const` does.
    var constantMode = false
    var lenientSlices = false
    static let impossible = FathomError(.invalidValue, "not a compile-time constant")
    static let contextFilters: Set<String> = ["map", "select", "reject", "selectattr", "rejectattr", "random"]

    init(globals: [String: TemplateValue], slotCount: Int = 0) {
        var g = Builtins.globals
        for (k, v) in globals { g[k] = v }
        self.globals = g
        self.slotCount = slotCount
        activation = Activation(parent: nil, size: slotCount)
    }

    func render(_ nodes: [Node], root: FrameInfo) throws(FathomError) -> String {
        enter(root)
        _ = try execute(nodes)
        return out
    }

    /// Runs `body` on a large-stack thread once recursion is two levels deep (see `BigStack`).
    func deepening<T>(_ body: @escaping () throws(FathomError) -> T) throws(FathomError) -> T {
        if onBigStack || callDepth < 2 { return try body() }
        onBigStack = true
        defer { onBigStack = false }
        return try BigStack.run(body)
    }

    /// Runs `body` with output going to a fresh buffer, and returns that buffer.
    func capture(_ body: () throws(FathomError) -> Void) throws(FathomError) -> String {
        let saved = out
        out = ""
        defer { out = saved }
        try body()
        return out
    }

    func located(_ error: FathomError, _ line: Int) -> FathomError {
        var e = error
        if e.line == nil { e.line = line }
        return e
    }

    // MARK: slots

    func read(_ slot: Int) -> TemplateValue {
        var a: Activation? = activation
        while let act = a {
            if let v = act.slots[slot] { return v }
            a = act.parent
        }
        return .undefined
    }

    func resolve(_ name: String) -> TemplateValue { contextVars[name] ?? globals[name] ?? .undefined }

    /// jinja2's `enter_frame`: initialise the scope's own slots.
    func enter(_ frame: FrameInfo) {
        for (slot, load) in frame.loads {
            switch load {
            case .resolve(let name): activation.slots[slot] = resolve(name)
            case .alias(let outer): activation.slots[slot] = read(outer)
            case .undefined: activation.slots[slot] = .undefined
            }
        }
    }

    /// jinja2's `leave_frame`: the scope's slots go back to missing.
    func leave(_ frame: FrameInfo) {
        for slot in frame.resets { activation.slots[slot] = .undefined }
    }

    func assign(_ target: AssignTarget, _ value: TemplateValue) throws(FathomError) {
        switch target {
        case .slot(let name, let slot, let toplevel):
            activation.slots[slot] = value
            if toplevel { contextVars[name] = value }
        case .tuple(let targets):
            let items: [TemplateValue]
            do { items = try iterate(value) } catch {
                throw FathomError(.invalidValue, "TypeError: cannot unpack non-iterable \(Py.typeName(value)) object")
            }
            if items.count > targets.count {
                throw FathomError(.invalidValue, "ValueError: too many values to unpack (expected \(targets.count))")
            }
            if items.count < targets.count {
                throw FathomError(.invalidValue, "ValueError: not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v) }
        case .namespaceSlot(_, let slot, let attr):
            guard case .native(let n) = read(slot), case .namespace(let box) = n.storage else {
                throw FathomError(.invalidValue, "TemplateRuntimeError: cannot assign attribute on non-namespace object")
            }
            box.attributes[attr] = value
        case .name, .namespaceAttribute:
            throw FathomError(.invalidValue, "internal error: unresolved assignment target")
        }
    }

    // MARK: statements

    // The recursive path (execute → node → eval → macro call → execute) is split into small functions without
    // closures: debug builds reserve stack for every local of every case of a switch, so one big switch costs
    // tens of KB per template recursion level.

    func execute(_ nodes: [Node]) throws(FathomError) -> Flow {
        for node in nodes {
            let flow = try executeNode(node)
            if flow != .normal { return flow }
        }
        return .normal
    }

    private func executeNode(_ node: Node) throws(FathomError) -> Flow {
        switch node {
        case .text(let s):
            out += s
        case .output(let e):
            try output(e)
        case .conditional(let branches, let otherwise):
            return try conditional(branches, otherwise)
        case .forLoop(let f):
            return try forLoop(f)
        case .assign(let target, let e, let line):
            try assign(target, e, line)
        case .assignBlock(let target, let filter, let body, let line, let frame):
            try assignBlock(target, filter, body, line, frame)
        case .macro(let def, let target):
            try assign(target, .native(TemplateNative(.macro(MacroBox(definition: def, activation: activation)))))
        case .callBlock(let def, let call):
            try callBlock(def, call)
        case .filterBlock(let filter, let body, let frame):
            try filterBlock(filter, body, frame)
        case .with(let assignments, let body, let line, let frame):
            return try with(assignments, body, line, frame)
        case .loopBreak:
            return .breakLoop
        case .loopContinue:
            return .continueLoop
        case .scope(let body, let frame):
            out += try callerScope(body, frame)
        }
        return .normal
    }

    private func output(_ e: Expr) throws(FathomError) {
        let v = try eval(e)
        do { try Py.write(v, to: &out) } catch { throw located(error, e.line) }
    }

    private func conditional(_ branches: [(test: Expr, body: [Node])], _ otherwise: [Node]) throws(FathomError) -> Flow {
        for b in branches where Py.truthy(try eval(b.test)) {
            return try execute(b.body)
        }
        return try execute(otherwise)
    }

    private func forLoop(_ f: ForNode) throws(FathomError) -> Flow {
        let iterable = try eval(f.iterable)
        return try runLoop(f, iterable: iterable, depth0: 0, definedIn: activation)
    }

    private func assign(_ target: AssignTarget, _ e: Expr, _ line: Int) throws(FathomError) {
        let v = try eval(e)
        do { try assign(target, v) } catch { throw located(error, line) }
    }

    private func assignBlock(_ target: AssignTarget, _ filter: Expr?, _ body: [Node], _ line: Int, _ frame: FrameInfo)
        throws(FathomError) {
        enter(frame)
        defer { leave(frame) }
        let savedOut = out
        out = ""
        defer { out = savedOut }
        _ = try execute(body)
        var v = TemplateValue.string(out)
        if let filter { v = try applyPlaceholder(filter, v) }
        do { try assign(target, v) } catch { throw located(error, line) }
    }

    private func callBlock(_ def: MacroDefinition, _ call: Expr) throws(FathomError) {
        let caller = TemplateValue.native(TemplateNative(.macro(MacroBox(definition: def, activation: activation))))
        let v = try evalCall(call, extraKeyword: ("caller", caller))
        do { try Py.write(v, to: &out) } catch { throw located(error, call.line) }
    }

    private func filterBlock(_ filter: Expr, _ body: [Node], _ frame: FrameInfo) throws(FathomError) {
        enter(frame)
        defer { leave(frame) }
        let savedOut = out
        out = ""
        _ = try execute(body)
        let text = out
        out = savedOut
        let v = try applyPlaceholder(filter, .string(text))
        do { try Py.write(v, to: &out) } catch { throw located(error, filter.line) }
    }

    private func with(_ assignments: [(AssignTarget, Expr)], _ body: [Node], _ line: Int, _ frame: FrameInfo) throws(FathomError) -> Flow {
        enter(frame)
        defer { leave(frame) }
        for (target, e) in assignments {
            let v = try eval(e)
            do { try assign(target, v) } catch { throw located(error, line) }
        }
        return try execute(body)
    }

    /// `{% generation %}`: HF's call block, whose body runs as the `caller` function.
    private func callerScope(_ body: [Node], _ frame: FrameInfo) throws(FathomError) -> String {
        let savedActivation = activation, savedOut = out
        activation = Activation(parent: savedActivation, size: slotCount)
        out = ""
        defer {
            activation = savedActivation
            out = savedOut
        }
        enter(frame)
        _ = try execute(body)
        return out
    }

    private func applyPlaceholder(_ filter: Expr, _ value: TemplateValue) throws(FathomError) -> TemplateValue {
        let saved = placeholder
        placeholder = value
        defer { placeholder = saved }
        return try eval(filter)
    }
}
