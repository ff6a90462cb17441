import FathomCore

/// jinja2's static scoping (`idtracking.py` and the code generator's frames), resolved once after folding.
///
/// Each scope (the template, a loop body, a macro, a `with`, `filter` or `set` block, ...) gets a symbol table
/// whose names map to identifiers `l_{level}_{name}`; here each identifier is a slot number. A name read in a
/// scope is the nearest enclosing identifier, else one loaded from the context on entry. A name assigned in
/// a scope is a new identifier that starts as a copy of the enclosing one, or as missing. So a template-level
/// `{% set x %}` makes `x` missing, not the global, for loops and macros that run before it, and macros read
/// their defining scope's variables as Python closures do.
final class Symbols {
    enum Load: Equatable {
        case parameter, resolve(String), alias(String), undefined
    }

    let level: Int
    let parent: Symbols?
    var refs: [String: String] = [:]
    var loads: [String: Load] = [:]
    var stores: Set<String> = []

    init(parent: Symbols?) {
        self.parent = parent
        level = parent.map { $0.level + 1 } ?? 0
    }

    func copy() -> Symbols {
        let s = Symbols(parent: parent)
        s.refs = refs
        s.loads = loads
        s.stores = stores
        return s
    }

    @discardableResult
    private func defineRef(_ name: String, _ load: Load?) -> String {
        let ident = "l_\(level)_\(name)"
        refs[name] = ident
        if let load { loads[ident] = load }
        return ident
    }

    func findRef(_ name: String) -> String? { refs[name] ?? parent?.findRef(name) }

    func store(_ name: String) {
        stores.insert(name)
        guard refs[name] == nil else { return }
        if let outer = parent?.findRef(name) {
            defineRef(name, .alias(outer))
        } else {
            defineRef(name, .undefined)
        }
    }

    @discardableResult
    func declareParameter(_ name: String) -> String {
        stores.insert(name)
        return defineRef(name, .parameter)
    }

    func load(_ name: String) {
        if findRef(name) == nil { defineRef(name, .resolve(name)) }
    }

    /// Names assigned in some branch of an `if` start from the enclosing scope or the context, not missing.
    func branchUpdate(_ branches: [Symbols]) {
        var newStores = Set<String>()
        for b in branches { newStores.formUnion(b.stores) }
        newStores.subtract(stores)
        for b in branches {
            refs.merge(b.refs) { _, new in new }
            loads.merge(b.loads) { _, new in new }
            stores.formUnion(b.stores)
        }
        for name in newStores {
            guard let target = findRef(name) else { continue }
            if let outer = parent?.findRef(name) {
                loads[target] = .alias(outer)
            } else {
                loads[target] = .resolve(name)
            }
        }
    }
}

/// jinja2's `FrameSymbolVisitor`: what one scope loads and stores, stopping at nested scopes.
struct SymbolVisitor {
    var symbols: Symbols

    mutating func visit(_ nodes: [Node]) { for n in nodes { visit(n) } }

    mutating func visit(_ node: Node) {
        switch node {
        case .text, .loopBreak, .loopContinue, .scope: break
        case .output(let e): visit(e)
        case .conditional(let branches, let otherwise): visitIf(branches[...], otherwise)
        case .forLoop(let f): visit(f.iterable)
        case .assign(let target, let e, _):
            visit(e)
            visit(target, param: false)
        case .assignBlock(let target, _, _, _, _): visit(target, param: false)
        case .macro(let def, _): symbols.store(def.name)
        case .callBlock(_, let call): visit(call)
        case .filterBlock(let filter, _, _): visit(filter)
        case .with(let assignments, _, _, _): for (_, e) in assignments { visit(e) }
        }
    }

    /// `if` / `elif` / `else`: each branch on a copy, then `branchUpdate`.
    private mutating func visitIf(_ branches: ArraySlice<(test: Expr, body: [Node])>, _ otherwise: [Node]) {
        guard let first = branches.first else { return }
        visit(first.test)
        let original = symbols
        symbols = original.copy()
        visit(first.body)
        let body = symbols
        symbols = original.copy()
        for elif in branches.dropFirst() { visitIf([elif][...], []) }
        let elifs = symbols
        symbols = original.copy()
        visit(otherwise)
        let other = symbols
        symbols = original
        symbols.branchUpdate([body, elifs, other])
    }

    mutating func visit(_ target: AssignTarget, param: Bool) {
        switch target {
        case .name(let n): if param { symbols.declareParameter(n) } else { symbols.store(n) }
        case .tuple(let items): for t in items { visit(t, param: param) }
        case .namespaceAttribute(let ns, _): symbols.load(ns)
        case .slot, .namespaceSlot: break
        }
    }

    mutating func visit(_ e: Expr) {
        ExprWalk.each(e) { x in if case .name(let n) = x.kind { symbols.load(n) } }
    }
}

/// Visits an expression tree, children in jinja2's field order.
enum ExprWalk {
    static func each(_ e: Expr, _ f: (Expr) -> Void) {
        f(e)
        for c in children(e) { each(c, f) }
    }

    static func children(_ e: Expr) -> [Expr] {
        func args(_ a: CallArguments) -> [Expr] { a.positional + a.keywords.map(\.1) + [a.star, a.starStar].compactMap { $0 } }
        switch e.kind {
        case .literal, .name, .variable: return []
        case .attribute(let o, _), .negate(let o), .plus(let o), .not(let o): return [o]
        case .item(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b): return [a, b]
        case .slice(let a, let b, let c): return [a, b, c].compactMap { $0 }
        case .call(let c, let a): return [c] + args(a)
        case .filter(let input, _, let a): return [input].compactMap { $0 } + args(a)
        case .test(let input, _, let a): return [input] + args(a)
        case .compare(let first, let ops): return [first] + ops.map(\.1)
        case .concat(let items), .list(let items), .tuple(let items): return items
        case .conditional(let t, let a, let b): return [t, a] + [b].compactMap { $0 }
        case .dict(let pairs): return pairs.flatMap { [$0.0, $0.1] }
        }
    }
}
