import FathomCore

/// jinja2's compile-time constant folding, done once after parsing.
///
/// jinja2's optimizer replaces every expression whose `as_const()` succeeds, and whose value has a safe repr,
/// by a constant (bottom-up, so `7 or x` folds to `7` without looking at `x`); the code generator then also
/// evaluates constant `{{ }}` outputs at compile time, keeping any value. `as_const` is not the runtime path:
/// its slicing goes through the lenient `environment.getitem`, so `{{ (7)[1:] }}` prints "" while `{{ x[1:] }}`
/// with x = 7 raises. Folding here reproduces those results.
struct Optimizer {
    private let interpreter: Interpreter

    init() {
        interpreter = Interpreter(globals: [:])
        interpreter.constantMode = true
        interpreter.lenientSlices = true
    }

    func fold(_ nodes: [Node]) -> [Node] { nodes.map(fold) }

    func fold(_ node: Node) -> Node {
        switch node {
        case .text, .loopBreak, .loopContinue:
            return node
        case .output(let e):
            let f = fold(e)
            if let v = asConst(f), let s = try? Py.str(v) { return .text(s) }
            return .output(f)
        case .conditional(let branches, let otherwise):
            return .conditional(branches.map { (fold($0.test), fold($0.body)) }, otherwise: fold(otherwise))
        case .forLoop(let f):
            return .forLoop(ForNode(target: f.target, iterable: fold(f.iterable), filter: f.filter.map(fold), recursive: f.recursive,
                                    body: fold(f.body), otherwise: fold(f.otherwise), line: f.line))
        case .assign(let target, let e, let line):
            return .assign(target, fold(e), line: line)
        case .assignBlock(let target, let filter, let body, let line, let frame):
            return .assignBlock(target, filter: filter.map(fold), body: fold(body), line: line, frame: frame)
        case .macro(let def, let target):
            return .macro(fold(def), target: target)
        case .callBlock(let def, let call):
            return .callBlock(fold(def), call: fold(call))
        case .filterBlock(let filter, let body, let frame):
            return .filterBlock(fold(filter), body: fold(body), frame: frame)
        case .with(let assignments, let body, let line, let frame):
            return .with(assignments.map { ($0.0, fold($0.1)) }, body: fold(body), line: line, frame: frame)
        case .scope(let body, let frame):
            return .scope(fold(body), frame: frame)
        }
    }

    private func fold(_ def: MacroDefinition) -> MacroDefinition {
        MacroDefinition(name: def.name, parameters: def.parameters.map { ($0.name, $0.defaultValue.map(fold)) }, body: fold(def.body),
                        line: def.line)
    }

    /// Folds the children, then the expression itself if its value has a safe repr (slices and calls are
    /// never constants themselves, but their parts may be).
    func fold(_ e: Expr) -> Expr {
        let rebuilt = ExprWalk.rebuild(e, fold)
        guard mayFold(rebuilt) else { return rebuilt }
        if let v = asConst(rebuilt), Py.hasSafeRepr(v) { return Expr(.literal(v), line: e.line, column: e.column) }
        return rebuilt
    }

    /// Whether `as_const` can succeed given the (already folded) children: every child it evaluates must be a
    /// constant; `and`, `or` and `if`-expressions only need their first operand to be one to be worth trying.
    private func mayFold(_ e: Expr) -> Bool {
        func constant(_ x: Expr) -> Bool {
            switch x.kind {
            case .literal: return true
            case .slice(let a, let b, let c): return [a, b, c].allSatisfy { $0.map(constant) ?? true }
            default: return false
            }
        }
        switch e.kind {
        case .literal, .name, .variable, .slice, .call: return false
        case .and(let l, _), .or(let l, _): return constant(l)
        case .conditional(let t, _, _): return constant(t)
        case .filter(nil, _, _): return false
        default: return ExprWalk.children(e).allSatisfy(constant)
        }
    }

    /// jinja2's `as_const`: the value, or nil where it raises `Impossible` (names, calls, context filters, ...).
    func asConst(_ e: Expr) -> TemplateValue? {
        if case .literal(let v) = e.kind { return v }
        return try? interpreter.eval(e)
    }
}
