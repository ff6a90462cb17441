import FathomCore
import Foundation

/// LongProc's countdown search procedure, verbalised exactly as LongProc's `countdown_evaluator.py` writes it
/// (checked byte for byte against vectors made with LongProc's own code, Tests/Fixtures/longproc/countdown.json).
///
/// Depth-first: at each state every pair (i < j, in list order) is picked; with a ≥ b it tries a + b, a − b, a × b
/// and a / b; the new number goes in front of the numbers left; a branch is dropped when the number is a decimal, at
/// least 2000, or a division by zero; with one number left it is compared with the target. The search stops at the
/// first number equal to the target, so the trace for a target is a prefix of the trace of the whole tree: the
/// generator walks the whole tree once and picks a target whose first hit ends the trace at the wanted length.
enum CountdownSearch {
    static let maxIntermediate = 2000

    /// A number of a state: an integer, a decimal (a / b that does not divide) or a division by zero.
    enum Value: Hashable {
        case int(Int)
        case decimal(Int, Int)
        case divByZero
    }

    /// A leaf of the tree: the trace up to and including its line, its value and the equations of its path.
    struct Leaf {
        var logCount: Int
        var bytes: Int
        var value: Int
        var equations: [String]
    }

    /// The verbalised walk of the whole tree (no target): log entries, with the target shown as `target`.
    struct Walk {
        var log: [String] = []
        var bytes: [Int] = [0]  // cumulative UTF-8 bytes after each entry
        var leaves: [Leaf] = []
    }

    static func indent(_ level: Int) -> String { level == 0 ? "" : String(repeating: " ", count: level) + "|- " }

    static func list(_ numbers: [Int]) -> String { "[" + numbers.map(String.init).joined(separator: ", ") + "]" }

    static func pairs(_ numbers: [Int]) -> String {
        var out: [String] = []
        for i in numbers.indices { for j in numbers.indices where j > i { out.append("(\(numbers[i]), \(numbers[j]))") } }
        return "[" + out.joined(separator: ", ") + "]"
    }

    /// Python's `f"{a / b:.1f}"`.
    static func decimal(_ a: Int, _ b: Int) -> String { String(format: "%.1f", Double(a) / Double(b)) }

    /// Walks the whole tree from `numbers`; `stopAt` (a target) stops at its first hit, as LongProc does;
    /// `byteLimit` stops once the trace is longer (leaves past it are of no use to the generator).
    static func walk(_ numbers: [Int], target: Int, stopAt: Int? = nil, byteLimit: Int = .max) -> Walk {
        var walk = Walk()
        func append(_ entry: String) {
            walk.log.append(entry)
            walk.bytes.append(walk.bytes.last! + entry.utf8.count)
        }
        // Returns true when the search is to stop.
        func search(_ first: Value?, _ rest: [Int], equation: String?, depth: Int, equations: [String]) -> Bool {
            var numbers = rest
            if let first, let equation {
                switch first {
                case .divByZero:
                    append("\n\(indent(depth))Try \(equation). drop this branch.")
                    return false
                case .decimal(let a, let b):
                    append("\n\(indent(depth))Try \(equation). \(decimal(a, b)) is a decimal, drop this branch.")
                    return false
                case .int(let x):
                    if x >= maxIntermediate {
                        append("\n\(indent(depth))Try \(equation). \(x) exceeds the maximum intermediate result, drop this branch.")
                        return false
                    }
                    numbers = [x] + rest
                }
            }
            if walk.bytes.last! > byteLimit { return true }
            if numbers.count == 1 {
                let x = numbers[0]
                let found = x == (stopAt ?? Int.min)
                append("\n\(indent(depth))Try \(equation!). Evaluate \(x) \(found ? "==" : "!=") \(target), \(found ? "target found!" : "drop this branch.")")
                walk.leaves.append(Leaf(logCount: walk.log.count, bytes: walk.bytes.last!, value: x, equations: equations))
                return found
            }
            var depth = depth
            if equation != nil { append("\n\(indent(depth))Try \(equation!). Add \(numbers[0]) to the number set.") }
            if numbers.count == 2 {
                append(" Current number set: \(list(numbers)), target: \(target), just two numbers left.")
            } else {
                if equation != nil {
                    append(" Current number set: \(list(numbers)), target: \(target). Options for choosing two numbers: \(pairs(numbers)).")
                } else {
                    append("Initial number set: \(list(numbers)), target: \(target). Options for choosing two numbers: \(pairs(numbers)).")
                }
                depth += 1
            }
            for i in numbers.indices {
                for j in numbers.indices where j > i {
                    var (a, b) = (numbers[i], numbers[j])
                    let left = numbers.indices.filter { $0 != i && $0 != j }.map { numbers[$0] }
                    if numbers.count > 2 {
                        append("\n\(indent(depth))Pick two numbers (\(a), \(b)) (numbers left: \(list(left))). Try possible operations.")
                    }
                    if a < b { swap(&a, &b) }
                    let tries: [(Value, String)] = [
                        (.int(a + b), "\(a) + \(b) = \(a + b)"), (.int(a - b), "\(a) - \(b) = \(a - b)"), (.int(a * b), "\(a) * \(b) = \(a * b)"),
                        b == 0 ? (.divByZero, "\(a) / \(b) (invalid operation)")
                            : a % b == 0 ? (.int(a / b), "\(a) / \(b) = \(a / b)") : (.decimal(a, b), "\(a) / \(b) = \(decimal(a, b))"),
                    ]
                    for (value, eq) in tries where search(value, left, equation: eq, depth: depth + 1, equations: equations + [eq]) {
                        return true
                    }
                }
            }
            return false
        }
        _ = search(nil, numbers, equation: nil, depth: 0, equations: [])
        return walk
    }

    /// LongProc's demonstration: the search procedure, then the solution traced back.
    static func demonstration(log: ArraySlice<String>, solution: [String]) -> String {
        "# Search Procedure\n" + log.joined() + "\n\nNow we have found the target, let's trace back the solution:\n"
            + "Final step: \(solution[2])\nThe step before: \(solution[1])\nThe first step: \(solution[0])\n\n"
            + "Output the solution in the required format:\n<Solution>\n\(solution[0])\n\(solution[1])\n\(solution[2])\n</Solution>"
    }

    /// A solved problem.
    struct Problem: Codable, Hashable, Sendable {
        var numbers: [Int]
        var target: Int
        var solution: [String]
        /// The search procedure's lines (the trace).
        var trace: [String]
        var demonstration: String
    }

    /// Targets allowed.
    static let targets = 10...999

    /// A leaf as the generator needs it: where the trace ends, its value, whether its path stays positive.
    struct LeafMark {
        var bytes: Int
        var value: Int
        var positive: Bool
    }

    static func digits(_ n: Int) -> Int {
        var n = abs(n), d = 1
        while n >= 10 {
            n /= 10
            d += 1
        }
        return d
    }

    /// The walk of `walk`, measured in UTF-8 bytes without writing it (the generator tries hundreds of draws; only
    /// the one it keeps is written). Targets count as two digits.
    static func measure(_ numbers: [Int], byteLimit: Int) -> [LeafMark] {
        var bytes = 0
        var leaves: [LeafMark] = []
        func indent(_ level: Int) -> Int { level == 0 ? 0 : level + 3 }
        func listBytes(_ xs: [Int]) -> Int { 2 + xs.reduce(0) { $0 + digits($1) } + 2 * max(0, xs.count - 1) }
        func pairBytes(_ xs: [Int]) -> Int {
            var total = 2, count = 0
            for i in xs.indices {
                for j in xs.indices where j > i {
                    total += 4 + digits(xs[i]) + digits(xs[j])
                    count += 1
                }
            }
            return total + 2 * max(0, count - 1)
        }
        // Returns true to stop.
        func search(_ numbers: [Int], equationBytes: Int, depth: Int, positive: Bool) -> Bool {
            if bytes > byteLimit { return true }
            if numbers.count == 1 {
                bytes += 1 + indent(depth) + 4 + equationBytes + 11 + digits(numbers[0]) + 4 + 2 + 19
                leaves.append(LeafMark(bytes: bytes, value: numbers[0], positive: positive))
                return false
            }
            var depth = depth
            if equationBytes > 0 { bytes += 1 + indent(depth) + 4 + equationBytes + 6 + digits(numbers[0]) + 19 }
            if numbers.count == 2 {
                bytes += 20 + listBytes(numbers) + 10 + 2 + 24
            } else {
                bytes += (equationBytes > 0 ? 20 : 19) + listBytes(numbers) + 10 + 2 + 34 + pairBytes(numbers) + 1
                depth += 1
            }
            for i in numbers.indices {
                for j in numbers.indices where j > i {
                    var (a, b) = (numbers[i], numbers[j])
                    let left = numbers.indices.filter { $0 != i && $0 != j }.map { numbers[$0] }
                    if numbers.count > 2 { bytes += 1 + indent(depth) + 19 + digits(a) + digits(b) + 17 + listBytes(left) + 27 }
                    if a < b { swap(&a, &b) }
                    let head = digits(a) + digits(b) + 6  // "a + b = "
                    let next = depth + 1
                    for value in [a + b, a - b, a * b] {
                        if value >= maxIntermediate {
                            bytes += 1 + indent(next) + 4 + head + digits(value) + 2 + digits(value) + 57
                        } else if search([value] + left, equationBytes: head + digits(value), depth: next, positive: positive && value > 0) {
                            return true
                        }
                    }
                    if b == 0 {
                        bytes += 1 + indent(next) + 4 + digits(a) + 24 + 19
                    } else if a % b == 0 {
                        if search([a / b] + left, equationBytes: head + digits(a / b), depth: next, positive: positive) { return true }
                    } else {
                        let shown = digits(Int((Double(a) / Double(b)).rounded(.down))) + 2
                        bytes += 1 + indent(next) + 4 + head + shown + 2 + shown + 32
                    }
                }
            }
            return false
        }
        _ = search(numbers, equationBytes: 0, depth: 0, positive: true)
        return leaves
    }

    /// The problem whose target is `target`, written out (its trace stops at the target's first hit).
    static func problem(_ numbers: [Int], target: Int) -> Problem? {
        let solved = walk(numbers, target: target, stopAt: target)
        guard let leaf = solved.leaves.last, leaf.value == target else { return nil }
        let log = solved.log[...]
        let demonstration = demonstration(log: log, solution: leaf.equations)
        let trace = log.joined().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return Problem(numbers: numbers, target: target, solution: leaf.equations, trace: trace, demonstration: demonstration)
    }

    /// Draws four numbers in 1...49 and picks the target whose first hit ends the demonstration closest to `bytes`
    /// (within `slack`): only first hits of a value in `targets` reached through positive numbers. Nil after
    /// `draws` draws without one.
    static func problem(nearBytes bytes: Int, slack: Int, _ rng: inout SeededRandom, draws: Int = 400) -> Problem? {
        let overhead = 230  // the solution part and the header, about
        for _ in 0..<draws {
            let numbers = (0..<4).map { _ in rng.int(in: 1...49) }
            var seen = Set<Int>()
            var best: LeafMark? = nil
            for leaf in measure(numbers, byteLimit: bytes + slack) {
                if !seen.contains(leaf.value), targets.contains(leaf.value), leaf.positive,
                    best == nil || abs(leaf.bytes + overhead - bytes) < abs(best!.bytes + overhead - bytes)
                {
                    best = leaf
                }
                seen.insert(leaf.value)
            }
            guard let best, abs(best.bytes + overhead - bytes) <= slack, let problem = problem(numbers, target: best.value) else { continue }
            return problem
        }
        return nil
    }
}
