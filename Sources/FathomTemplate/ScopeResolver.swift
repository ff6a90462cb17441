import FathomCore

/// Rewrites names to slots and attaches each scope's entry loads, as jinja2's code generator does with the
/// symbol tables of `Scoping.swift`.
final class ScopeResolver {
    private struct Frame {
        let symbols: Symbols
        /// Template-level scope (the template body and its `if` branches): stores also set context variables.
        let toplevel: Bool
    }

    private var slotIDs: [String: Int] = [:]
    var slotCount: Int { slotIDs.count }

    private func slot(_ ident: String) -> Int {
        if let s = slotIDs[ident] { return s }
        let s = slotIDs.count
        slotIDs[ident] = s
        return s
    }

    private func frameInfo(_ s: Symbols) -> FrameInfo {
        var loads: [(slot: Int, load: SlotLoad)] = []
        var resets: [Int] = []
        for (ident, load) in s.loads.sorted(by: { $0.key < $1.key }) {
            let sl = slot(ident)
            resets.append(sl)
            switch load {
            case .parameter: continue
            case .resolve(let name): loads.append((sl, .resolve(name)))
            case .alias(let outer): loads.append((sl, .alias(slot(outer))))
            case .undefined: loads.append((sl, .undefined))
            }
        }
        return FrameInfo(loads: loads, resets: resets)
    }

    private func unknown(_ name: String, _ line: Int) -> FathomError {
        FathomError(.parse, "line \(line): Tried to resolve a name to a reference that was unknown to the frame ('\(name)')", line: line)
    }

    /// The template body with resolved names, and the template scope's entry loads.
    func resolve(_ nodes: [Node]) throws(FathomError) -> ([Node], FrameInfo) {
        let root = Symbols(parent: nil)
        var v = SymbolVisitor(symbols: root)
        v.visit(nodes)
        let body = try rewrite(nodes, Frame(symbols: root, toplevel: true))
        return (body, frameInfo(root))
    }

    private func rewrite(_ nodes: [Node], _ frame: Frame) throws(FathomError) -> [Node] {
        var out: [Node] = []
        out.reserveCapacity(nodes.count)
        for n in nodes { out.append(try rewrite(n, frame)) }
        return out
    }

    private func inner(_ frame: Frame, _ analyze: (inout SymbolVisitor) -> Void) -> Frame {
        var v = SymbolVisitor(symbols: Symbols(parent: frame.symbols))
        analyze(&v)
        return Frame(symbols: v.symbols, toplevel: false)
    }

    private func rewrite(_ node: Node, _ frame: Frame) throws(FathomError) -> Node {
        switch node {
        case .text, .loopBreak, .loopContinue:
            return node
        case .output(let e):
            return .output(try rewrite(e, frame))
        case .conditional(let branches, let otherwise):
            var out: [(test: Expr, body: [Node])] = []
            for b in branches { out.append((try rewrite(b.test, frame), try rewrite(b.body, frame))) }
            return .conditional(out, otherwise: try rewrite(otherwise, frame))
        case .forLoop(let f):
            return .forLoop(try rewriteFor(f, frame))
        case .assign(let target, let e, let line):
            let value = try rewrite(e, frame)
            return .assign(try rewrite(target, frame, param: false, line), value, line: line)
        case .assignBlock(let target, let filter, let body, let line, _):
            let block = inner(frame) { $0.visit(body) }
            let newBody = try rewrite(body, block)
            var newFilter: Expr?
            if let filter { newFilter = try rewrite(filter, block) }
            return .assignBlock(try rewrite(target, frame, param: false, line), filter: newFilter, body: newBody, line: line,
                                frame: frameInfo(block.symbols))
        case .macro(let def, let target):
            let newDef = try rewriteMacro(def, frame)
            return .macro(newDef, target: try rewrite(target, frame, param: false, def.line))
        case .callBlock(let def, let call):
            let newDef = try rewriteMacro(def, frame)
            return .callBlock(newDef, call: try rewrite(call, frame))
        case .filterBlock(let filter, let body, _):
            let f = inner(frame) {
                $0.visit(body)
                $0.visit(filter)
            }
            return .filterBlock(try rewrite(filter, f), body: try rewrite(body, f), frame: frameInfo(f.symbols))
        case .with(let assignments, let body, let line, _):
            let w = inner(frame) {
                for (t, _) in assignments { $0.visit(t, param: true) }
                $0.visit(body)
            }
            var out: [(AssignTarget, Expr)] = []
            for (t, e) in assignments { out.append((try rewrite(t, w, param: true, line), try rewrite(e, frame))) }
            return .with(out, body: try rewrite(body, w), line: line, frame: frameInfo(w.symbols))
        case .scope(let body, _):
            let s = inner(frame) { $0.visit(body) }
            return .scope(try rewrite(body, s), frame: frameInfo(s.symbols))
        }
    }

    private func rewriteFor(_ f: ForNode, _ frame: Frame) throws(FathomError) -> ForNode {
        if targetNames(f.target).contains("loop") {
            throw FathomError(.parse, "line \(f.line): Can't assign to special loop variable in for-loop target", line: f.line)
        }
        // jinja2's "extended loop": the loop object exists when the body reads `loop` (or the loop recurses)
        let extended = f.recursive || Undeclared.find(f.body, ["loop"]).contains("loop")
        let loopSymbols = Symbols(parent: frame.symbols)
        var loopSlot: Int?
        if extended { loopSlot = slot(loopSymbols.declareParameter("loop")) }
        var lv = SymbolVisitor(symbols: loopSymbols)
        lv.visit(f.target, param: true)
        lv.visit(f.body)
        let loopFrame = Frame(symbols: loopSymbols, toplevel: false)
        let elseFrame = inner(frame) { $0.visit(f.otherwise) }
        let testFrame = inner(frame) {
            $0.visit(f.target, param: true)
            if let test = f.filter { $0.visit(test) }
        }
        let iterable = try rewrite(f.iterable, frame)
        let target = try rewrite(f.target, loopFrame, param: true, f.line)
        var filter: Expr?
        if let test = f.filter { filter = try rewrite(test, testFrame) }
        return ForNode(target: target, iterable: iterable, filter: filter, recursive: f.recursive,
                       body: try rewrite(f.body, loopFrame), otherwise: try rewrite(f.otherwise, elseFrame), line: f.line,
                       bodyFrame: frameInfo(loopSymbols), filterFrame: frameInfo(testFrame.symbols),
                       elseFrame: frameInfo(elseFrame.symbols), loopSlot: loopSlot)
    }

    private func rewriteMacro(_ def: MacroDefinition, _ frame: Frame) throws(FathomError) -> MacroDefinition {
        let symbols = Symbols(parent: frame.symbols)
        func analyze() {
            var v = SymbolVisitor(symbols: symbols)
            for p in def.parameters { v.visit(.name(p.name), param: true) }
            for p in def.parameters { if let d = p.defaultValue { v.visit(d) } }
            v.visit(def.body)
        }
        analyze()
        let names = def.parameters.map(\.name)
        let undeclared = Undeclared.find(def.body, ["caller", "kwargs", "varargs"])
        var callerSlot: Int?, kwargsSlot: Int?, varargsSlot: Int?
        if undeclared.contains("caller") {
            if let i = names.firstIndex(of: "caller") {
                if def.parameters[i].defaultValue == nil {
                    throw FathomError(.parse, "line \(def.line): When defining macros or call blocks the special \"caller\" argument must be omitted or be given a default.", line: def.line)
                }
            } else {
                callerSlot = slot(symbols.declareParameter("caller"))
            }
        }
        if undeclared.contains("kwargs") && !names.contains("kwargs") { kwargsSlot = slot(symbols.declareParameter("kwargs")) }
        if undeclared.contains("varargs") && !names.contains("varargs") { varargsSlot = slot(symbols.declareParameter("varargs")) }
        analyze()
        let macroFrame = Frame(symbols: symbols, toplevel: false)
        var parameters: [(name: String, defaultValue: Expr?)] = []
        var slots: [Int] = []
        for p in def.parameters {
            var d: Expr?
            if let dv = p.defaultValue { d = try rewrite(dv, macroFrame) }
            parameters.append((p.name, d))
            guard let ident = symbols.findRef(p.name) else { throw unknown(p.name, def.line) }
            slots.append(slot(ident))
        }
        return MacroDefinition(name: def.name, parameters: parameters, body: try rewrite(def.body, macroFrame), line: def.line,
                               frame: frameInfo(symbols), parameterSlots: slots, callerSlot: callerSlot, kwargsSlot: kwargsSlot,
                               varargsSlot: varargsSlot)
    }

    private func targetNames(_ t: AssignTarget) -> [String] {
        switch t {
        case .name(let n): return [n]
        case .tuple(let items): return items.flatMap(targetNames)
        default: return []
        }
    }

    private func rewrite(_ target: AssignTarget, _ frame: Frame, param: Bool, _ line: Int) throws(FathomError) -> AssignTarget {
        switch target {
        case .name(let n):
            guard let ident = frame.symbols.findRef(n) else { throw unknown(n, line) }
            return .slot(n, slot(ident), toplevel: !param && frame.toplevel)
        case .tuple(let items):
            var out: [AssignTarget] = []
            for t in items { out.append(try rewrite(t, frame, param: param, line)) }
            return .tuple(out)
        case .namespaceAttribute(let ns, let attr):
            guard let ident = frame.symbols.findRef(ns) else { throw unknown(ns, line) }
            return .namespaceSlot(ns, slot(ident), attr)
        case .slot, .namespaceSlot:
            return target
        }
    }

    private func rewrite(_ e: Expr, _ frame: Frame) throws(FathomError) -> Expr {
        if case .name(let n) = e.kind {
            guard let ident = frame.symbols.findRef(n) else { throw unknown(n, e.line) }
            return Expr(.variable(n, slot(ident)), line: e.line, column: e.column)
        }
        var failure: FathomError?
        let rebuilt = ExprWalk.rebuild(e) { child in
            do throws(FathomError) { return try self.rewrite(child, frame) } catch {
                failure = failure ?? error
                return child
            }
        }
        if let failure { throw failure }
        return rebuilt
    }
}

/// jinja2's `find_undeclared`: which of `names` the nodes read before assigning them.
enum Undeclared {
    static func find(_ nodes: [Node], _ names: Set<String>) -> Set<String> {
        var names = names
        var found = Set<String>()
        func name(_ n: String, load: Bool) {
            if load && names.contains(n) { found.insert(n) } else { names.remove(n) }
        }
        func expr(_ e: Expr) { ExprWalk.each(e) { if case .name(let n) = $0.kind { name(n, load: true) } } }
        func target(_ t: AssignTarget) {
            switch t {
            case .name(let n): name(n, load: false)
            case .tuple(let items): items.forEach(target)
            default: break
            }
        }
        func macro(_ def: MacroDefinition) {
            for p in def.parameters { name(p.name, load: false) }
            for p in def.parameters { if let d = p.defaultValue { expr(d) } }
            def.body.forEach(node)
        }
        func node(_ n: Node) {
            switch n {
            case .text, .loopBreak, .loopContinue: break
            case .output(let e): expr(e)
            case .conditional(let branches, let otherwise):
                for b in branches {
                    expr(b.test)
                    b.body.forEach(node)
                }
                otherwise.forEach(node)
            case .forLoop(let f):
                target(f.target)
                expr(f.iterable)
                f.body.forEach(node)
                f.otherwise.forEach(node)
                if let test = f.filter { expr(test) }
            case .assign(let t, let e, _):
                target(t)
                expr(e)
            case .assignBlock(let t, let filter, let body, _, _):
                target(t)
                if let filter { expr(filter) }
                body.forEach(node)
            case .macro(let def, _): macro(def)
            case .callBlock(let def, let call):
                expr(call)
                macro(def)
            case .filterBlock(let filter, let body, _):
                body.forEach(node)
                expr(filter)
            case .with(let assignments, let body, _, _):
                assignments.forEach { target($0.0) }
                assignments.forEach { expr($0.1) }
                body.forEach(node)
            case .scope(let body, _): body.forEach(node)
            }
        }
        nodes.forEach(node)
        return found
    }
}

extension ExprWalk {
    /// The expression with each direct child replaced by `transform(child)`.
    static func rebuild(_ e: Expr, _ transform: (Expr) -> Expr) -> Expr {
        func args(_ a: CallArguments) -> CallArguments {
            CallArguments(positional: a.positional.map(transform), keywords: a.keywords.map { ($0.0, transform($0.1)) },
                          star: a.star.map(transform), starStar: a.starStar.map(transform))
        }
        let kind: Expr.Kind
        switch e.kind {
        case .literal, .name, .variable: return e
        case .attribute(let o, let n): kind = .attribute(transform(o), n)
        case .item(let o, let k): kind = .item(transform(o), transform(k))
        case .slice(let a, let b, let c): kind = .slice(a.map(transform), b.map(transform), c.map(transform))
        case .call(let c, let a): kind = .call(transform(c), args(a))
        case .filter(let input, let name, let a): kind = .filter(input.map(transform), name, args(a))
        case .test(let input, let name, let a): kind = .test(transform(input), name, args(a))
        case .negate(let x): kind = .negate(transform(x))
        case .plus(let x): kind = .plus(transform(x))
        case .not(let x): kind = .not(transform(x))
        case .binary(let op, let l, let r): kind = .binary(op, transform(l), transform(r))
        case .and(let l, let r): kind = .and(transform(l), transform(r))
        case .or(let l, let r): kind = .or(transform(l), transform(r))
        case .compare(let first, let ops): kind = .compare(transform(first), ops.map { ($0.0, transform($0.1)) })
        case .concat(let items): kind = .concat(items.map(transform))
        case .conditional(let t, let a, let b): kind = .conditional(test: transform(t), then: transform(a), otherwise: b.map(transform))
        case .list(let items): kind = .list(items.map(transform))
        case .tuple(let items): kind = .tuple(items.map(transform))
        case .dict(let pairs): kind = .dict(pairs.map { (transform($0.0), transform($0.1)) })
        }
        return Expr(kind, line: e.line, column: e.column)
    }
}
