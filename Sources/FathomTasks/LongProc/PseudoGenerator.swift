import FathomCore

/// Random programs for pseudocode-to-code: a header that reads `n` and a list `a` of n integers, then blocks, each
/// a small computation over the list that prints its result (sums under a condition, running maxima, counts, list
/// building, halving loops, prefix sums, sorting, nested loops, swaps, folds, classification). Every block uses
/// its own variable names, so programs of any length stay valid; hidden tests are random lists.
enum PseudoGenerator {
    typealias Expr = PseudoProgram.Expr
    typealias Stmt = PseudoProgram.Stmt

    static let header: [Stmt] = [.readInt("n"), .readList("a")]

    static let stems = ["total", "count", "best", "steps", "acc", "value", "result", "pairs", "level", "score", "mark", "low", "high", "run", "tally", "bag"]

    static func e(_ v: Int) -> Expr { .int(v) }
    static func v(_ n: String) -> Expr { .name(n) }
    static func op(_ o: String, _ l: Expr, _ r: Expr) -> Expr { .binary(o, l, r) }
    static func cmp(_ o: String, _ l: Expr, _ r: Expr) -> Expr { .compare(o, l, r) }

    /// Block `k` (its names end in k).
    static func block(_ k: Int, _ rng: inout SeededRandom) -> [Stmt] {
        func name() -> String { rng.pick(stems) + String(k) }
        let a = "a", n = v("n")
        switch rng.below(13) {
        case 0:
            let s = name(), m = rng.int(in: 2...5), r = rng.below(m)
            return [.assign(s, e(0)), .forEach("x", a, [.ifElse(cmp("==", op("%", v("x"), e(m)), e(r)), [.augment(s, "+", v("x"))], [])]), .printValues([v(s)])]
        case 1:
            let b = name(), greater = rng.below(2) == 0
            return [
                .assign(b, .item(a, e(0))),
                .forRange("i", e(1), n, 1, [.ifElse(cmp(greater ? ">" : "<", .item(a, v("i")), v(b)), [.assign(b, .item(a, v("i")))], [])]),
                .printValues([v(b)]),
            ]
        case 2:
            let c = name(), low = rng.int(in: -10...20), high = low + rng.int(in: 5...30)
            return [
                .assign(c, e(0)),
                .forRange("i", e(0), n, 1, [.ifElse(.both(cmp(">", .item(a, v("i")), e(low)), cmp("<", .item(a, v("i")), e(high))), [.augment(c, "+", e(1))], [])]),
                .printValues([v(c)]),
            ]
        case 3:
            let b = name(), t = rng.int(in: -5...30), m = rng.int(in: 2...4), c = rng.int(in: 0...9)
            return [
                .emptyList(b),
                .forEach("x", a, [.ifElse(cmp(">", v("x"), e(t)), [.append(b, op("-", op("*", v("x"), e(m)), e(c)))], [])]),
                .printValues([.length(b)]), .printList(b),
            ]
        case 4:
            let x = name(), s = name() + "s", d = rng.int(in: 2...3), c = rng.int(in: 1...40)
            return [
                .assign(x, op("+", .call("abs", [.item(a, e(0))]), e(c))), .assign(s, e(0)),
                .whileLoop(cmp(">", v(x), e(1)), [.assign(x, op("//", v(x), e(d))), .augment(s, "+", e(1))]),
                .printValues([v(s)]),
            ]
        case 5:
            let p = name()
            return [
                .zeros(p, op("+", n, e(1))),
                .forRange("i", e(0), n, 1, [.setItem(p, op("+", v("i"), e(1)), op("+", .item(p, v("i")), .item(a, v("i"))))]),
                .printValues([.item(p, n), .call("max", [.item(p, n), e(rng.int(in: 0...50))])]),
            ]
        case 6:
            let b = name()
            return [.copyList(b, a), .sortList(b, rng.below(2) == 0), .printValues([.item(b, e(0)), .item(b, op("-", n, e(1)))])]
        case 7:
            let s = name(), m = rng.int(in: 2...6), t = rng.int(in: 0...60)
            return [
                .assign(s, op("+", op("*", .item(a, op("-", n, e(1))), e(m)), n)),
                .ifElse(cmp(">", v(s), e(t)), [.printText("BIG")], [.ifElse(cmp("==", v(s), e(t)), [.printText("EQUAL")], [.printText("SMALL")])]),
            ]
        case 8:
            let r = name(), m = rng.int(in: 2...7), q = rng.pick([97, 101, 1009, 10007])
            return [
                .assign(r, e(0)),
                .forRange("i", op("-", n, e(1)), e(-1), -1, [.assign(r, op("%", op("+", op("*", v(r), e(m)), .item(a, v("i"))), e(q)))]),
                .printValues([v(r)]),
            ]
        case 9:
            let c = name(), m = rng.int(in: 2...5)
            return [
                .assign(c, e(0)),
                .forRange("i", e(0), n, 1, [
                    .forRange("j", op("+", v("i"), e(1)), n, 1, [
                        .ifElse(cmp("==", op("%", op("+", .item(a, v("i")), .item(a, v("j"))), e(m)), e(0)), [.augment(c, "+", e(1))], []),
                    ]),
                ]),
                .printValues([v(c)]),
            ]
        case 10:
            return [
                .forRange("i", e(0), op("-", n, e(1)), 2, [
                    .ifElse(cmp(">", .item(a, v("i")), .item(a, op("+", v("i"), e(1)))), [.swap(a, v("i"), op("+", v("i"), e(1)))], []),
                ]),
                .printList(a),
            ]
        case 11:
            let x = name(), y = name() + "y", m = rng.int(in: 3...9)
            return [
                .assign(x, op("-", .call("max", [.item(a, e(0)), .item(a, op("-", n, e(1)))]), .call("min", [n, e(rng.int(in: 0...9))]))),
                .assign(y, op("%", v(x), e(m))), .printValues([v(x), v(y)]),
            ]
        default:
            let t = name(), c = name() + "c", d = rng.int(in: 2...5), m = rng.int(in: 2...9)
            return [
                .assign(t, op("*", n, e(m))), .assign(c, e(0)),
                .whileLoop(cmp(">", v(t), e(0)), [.augment(t, "-", e(d)), .augment(c, "+", e(1))]),
                .printValues([v(c), v(t)]),
            ]
        }
    }

    /// A program of `blocks` blocks.
    static func program(blocks: Int, _ rng: inout SeededRandom) -> PseudoProgram {
        PseudoProgram(body: header + (0..<blocks).flatMap { block($0 + 1, &rng) })
    }

    /// Test inputs: `n` then n integers.
    static func inputs(_ count: Int, _ rng: inout SeededRandom) -> [String] {
        (0..<count).map { t in
            let n = t == 0 ? 1 : rng.int(in: 1...12)
            return "\(n)\n" + (0..<n).map { _ in String(rng.int(in: -20...50)) }.joined(separator: " ") + "\n"
        }
    }

    /// One statement (not a block) for the line-translation examples.
    static func phrase(_ rng: inout SeededRandom) -> (pseudo: String, python: String) {
        var block = self.block(rng.int(in: 1...99), &rng)
        // Take one simple statement of a block, without its body.
        let simple = block.filter {
            switch $0 {
            case .forRange, .forEach, .whileLoop, .ifElse: false
            default: true
            }
        }
        block = simple.isEmpty ? [.printText("DONE")] : [rng.pick(simple)]
        return (PseudoProgram.pseudoLines(block)[0], PseudoProgram.pythonLines(block)[0])
    }
}
