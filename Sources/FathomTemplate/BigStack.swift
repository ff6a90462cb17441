import FathomCore
import Foundation

/// Runs recursive work on a thread with a large stack, waiting for it.
///
/// Template recursion (macros calling macros, recursive loops, deeply nested expressions) can need more stack
/// than a caller's thread has: cooperative-pool threads have 512 KB on macOS, and unoptimized builds use tens
/// of KB per template recursion level. The caller's thread waits while the work runs, as it would if it ran
/// the work itself.
enum BigStack {
    static let size = 32 << 20

    private final class Slot<T>: @unchecked Sendable {
        var result: Result<T, FathomError>?
    }

    private struct Work<T>: @unchecked Sendable {
        let body: () throws(FathomError) -> T
    }

    static func run<T>(_ body: @escaping () throws(FathomError) -> T) throws(FathomError) -> T {
        let slot = Slot<T>()
        let work = Work(body: body)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do throws(FathomError) {
                slot.result = .success(try work.body())
            } catch {
                slot.result = .failure(error)
            }
            done.signal()
        }
        thread.stackSize = size
        thread.start()
        done.wait()
        return try slot.result!.get()
    }
}

extension Array where Element == Node {
    /// Whether rendering may need more than a small stack: the template nests statements and expressions
    /// deeply, a macro or call-block body calls a macro (or `caller`), or a loop is recursive. Renders of such
    /// templates run on a `BigStack` thread from the start (one thread hop per render instead of one per
    /// nested call); `Interpreter.deepening` is the safety net for recursion this does not foresee.
    var needsBigStack: Bool {
        var deep = false
        var macroNames: Set<String> = ["caller"]
        var macroBodies: [[Node]] = []
        func collectMacros(_ list: [Node]) {
            for n in list {
                switch n {
                case .macro(let def, _):
                    macroNames.insert(def.name)
                    macroBodies.append(def.body)
                    collectMacros(def.body)
                case .callBlock(let def, _):
                    macroBodies.append(def.body)
                    collectMacros(def.body)
                case .conditional(let branches, let otherwise):
                    for b in branches { collectMacros(b.body) }
                    collectMacros(otherwise)
                case .forLoop(let f):
                    if f.recursive { deep = true }
                    collectMacros(f.body)
                    collectMacros(f.otherwise)
                case .assignBlock(_, _, let body, _, _), .filterBlock(_, let body, _), .with(_, let body, _, _), .scope(let body, _):
                    collectMacros(body)
                default: break
                }
            }
        }
        collectMacros(self)
        var callsMacro = false
        var inMacroBody = false
        func expr(_ e: Expr, _ depth: Int) {
            if deep { return }
            if depth > 24 {
                deep = true
                return
            }
            switch e.kind {
            case .literal, .name, .variable: break
            case .attribute(let o, _), .negate(let o), .plus(let o), .not(let o): expr(o, depth + 1)
            case .item(let a, let b), .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
                expr(a, depth + 1)
                expr(b, depth + 1)
            case .slice(let a, let b, let c): for x in [a, b, c] { if let x { expr(x, depth + 1) } }
            case .call(let c, let args):
                if inMacroBody, case .variable(let n, _) = c.kind, macroNames.contains(n) { callsMacro = true }
                expr(c, depth + 1)
                arguments(args, depth + 1)
            case .filter(let input, _, let args):
                if let input { expr(input, depth + 1) }
                arguments(args, depth + 1)
            case .test(let input, _, let args):
                expr(input, depth + 1)
                arguments(args, depth + 1)
            case .compare(let first, let ops):
                expr(first, depth + 1)
                for (_, x) in ops { expr(x, depth + 1) }
            case .concat(let items), .list(let items), .tuple(let items): for x in items { expr(x, depth + 1) }
            case .conditional(let t, let a, let b):
                expr(t, depth + 1)
                expr(a, depth + 1)
                if let b { expr(b, depth + 1) }
            case .dict(let pairs):
                for (k, v) in pairs {
                    expr(k, depth + 1)
                    expr(v, depth + 1)
                }
            }
        }
        func arguments(_ a: CallArguments, _ depth: Int) {
            for x in a.positional { expr(x, depth) }
            for (_, x) in a.keywords { expr(x, depth) }
            if let s = a.star { expr(s, depth) }
            if let s = a.starStar { expr(s, depth) }
        }
        func nodes(_ list: [Node], _ depth: Int) {
            for n in list {
                if deep { return }
                switch n {
                case .text, .loopBreak, .loopContinue: break
                case .output(let e): expr(e, depth + 1)
                case .conditional(let branches, let otherwise):
                    for b in branches {
                        expr(b.test, depth + 1)
                        nodes(b.body, depth + 2)
                    }
                    nodes(otherwise, depth + 2)
                case .forLoop(let f):
                    expr(f.iterable, depth + 1)
                    if let filter = f.filter { expr(filter, depth + 1) }
                    nodes(f.body, depth + 3)
                    nodes(f.otherwise, depth + 2)
                case .assign(_, let e, _): expr(e, depth + 1)
                case .assignBlock(_, let filter, let body, _, _):
                    if let filter { expr(filter, depth + 1) }
                    nodes(body, depth + 2)
                case .macro(let def, _):
                    for p in def.parameters { if let d = p.defaultValue { expr(d, depth + 1) } }
                    nodes(def.body, depth + 2)
                case .callBlock(let def, let call):
                    expr(call, depth + 1)
                    nodes(def.body, depth + 2)
                case .filterBlock(let filter, let body, _):
                    expr(filter, depth + 1)
                    nodes(body, depth + 2)
                case .with(let assignments, let body, _, _):
                    for (_, e) in assignments { expr(e, depth + 1) }
                    nodes(body, depth + 2)
                case .scope(let body, _): nodes(body, depth + 2)
                }
            }
        }
        nodes(self, 0)
        inMacroBody = true
        for body in macroBodies { nodes(body, 0) }
        return deep || callsMacro
    }
}
