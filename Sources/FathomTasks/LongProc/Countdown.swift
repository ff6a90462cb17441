import FathomCore
import FathomText

/// LongProc's countdown: four numbers and a target; the model writes LongProc's depth-first search procedure
/// (`CountdownSearch`) until it finds the target, then the three equations of the solution.
///
/// The output level sets where in the search the first solution lies: the generator walks the whole search tree
/// of four random numbers once and takes as target the value of a leaf whose first hit ends the trace at the
/// level's length (only leaves reached through positive whole numbers, targets 10–999). The problem itself cannot
/// grow, so the length is filled with solved examples: whole demonstrations of the procedure (up to 16, about half
/// of the room) and then short solved problems (solutions only), whose count is the fine grain of the sizing.
///
/// Scoring: `accuracy` is 1 for any valid solution, checked by `CountdownArithmetic` (never `eval`); otherwise
/// `partial_accuracy` is the trace's prefix credit against the reference procedure (`TraceMatch`).
public struct Countdown: TaskPlugin {
    public static let kind = "longproc_countdown"
    public static let summary = "Reach a target from four numbers by writing out a depth-first search procedure, then the solution."
    public static let metrics = ["accuracy", "partial_accuracy", "extraction_rate", "truncated"]
    public static let defaultMaxTokens = 10_000
    public static let defaultTags = TaskTags(family: "long-procedure", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var levels = OutputLevel.standard
        public var budgetPercent = 125
        public init() {}
        enum CodingKeys: String, CodingKey { case levels, budgetPercent = "budget_percent" }
        public static let documentation: [String: ParameterDoc] = [
            "levels": ParameterDoc("reference output tokens; sample i takes levels[i mod count] (125…12000)"),
            "budget_percent": ParameterDoc("max_tokens as a percentage of the sample's level", minimum: 100),
        ]
    }

    public let descriptor: TaskDescriptor
    let settings: LevelSettings

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        try OutputLevel.validate(parameters.levels)
        if let big = parameters.levels.first(where: { $0 > 12_000 }) {
            throw FathomError(.invalidValue, "level \(big) is beyond what a four-number search can reach (12000 at most)", key: "params.levels")
        }
        self.descriptor = descriptor
        settings = LevelSettings(levels: parameters.levels, budgetPercent: parameters.budgetPercent)
    }

    public var axes: [AxisSpec] { [OutputLevel.axis] }

    /// A short solved problem on one line: `count` numbers, a target and one solution (no search procedure), from
    /// a random path of operations through positive whole numbers below 2000.
    static func quickProblem(_ rng: inout SeededRandom, count: Int = 4) -> String {
        while true {
            let numbers = (0..<count).map { _ in rng.int(in: 1...49) }
            var pool = numbers
            var steps: [String] = []
            while pool.count > 1 {
                let i = rng.below(pool.count)
                var j = rng.below(pool.count - 1)
                if j >= i { j += 1 }
                let (a, b) = (max(pool[i], pool[j]), min(pool[i], pool[j]))
                let op = rng.below(4)
                let value = [a + b, a - b, a * b, a % b == 0 ? a / b : 0][op]
                guard value > 0 && value < CountdownSearch.maxIntermediate else { break }
                steps.append("\(a) \(["+", "-", "*", "/"][op]) \(b) = \(value)")
                pool = [value] + pool.indices.filter { $0 != i && $0 != j }.map { pool[$0] }
            }
            guard pool.count == 1, CountdownSearch.targets.contains(pool[0]) else { continue }
            return "Numbers: \(CountdownSearch.list(numbers)), target: \(pool[0]). Solution: " + steps.joined(separator: "; ") + "."
        }
    }

    static func demo(_ problem: CountdownSearch.Problem) -> String {
        "# Example\nNumbers: \(CountdownSearch.list(problem.numbers))\nTarget: \(problem.target)\n\n\(problem.demonstration)"
    }

    final class Instance: ProcInstance {
        let problem: CountdownSearch.Problem
        let oracleTokens: Int
        let seed: UInt64
        /// Whole demonstrations: the first is always shown; `prepare` decides how many more.
        var demos: [String]
        var shown = 1
        var quick: [String] = []
        var quickRNG: SeededRandom

        init(problem: CountdownSearch.Problem, tokens: Int, firstDemo: String, seed: UInt64) {
            self.problem = problem
            oracleTokens = tokens
            self.seed = seed
            demos = [firstDemo]
            quickRNG = SeededRandom(seed: deriveSeed(seed, "quick"))
        }

        var oracle: String { problem.demonstration }
        var answerPrefix: String { "" }
        var bytesPerFillerUnit: Double { 28 }
        var knobs: [String: ParameterValue] {
            ["numbers": .list(problem.numbers.map { .int($0) }), "target": .int(problem.target), "trace_lines": .int(problem.trace.count),
             "demonstrations": .int(shown)]
        }

        func reference() throws(FathomError) -> Reference { try Reference(answers: [oracle], problem) }

        func messages(context: String) -> [Message] {
            [Message(.user, Countdown.prompt(examples: context, numbers: problem.numbers, target: problem.target))]
        }

        func prepare(fillerTokens: Int, bytesPerToken: Double) {
            // About half of the room goes to whole demonstrations (at most 16), the rest to short solved problems.
            var rng = SeededRandom(seed: deriveSeed(seed, "demos"))
            var budget = Double(fillerTokens) * bytesPerToken / 2
            while shown < 16 {
                let size = rng.int(in: 1200...4000)
                guard Double(size) < budget, let problem = CountdownSearch.problem(nearBytes: size, slack: 1200, &rng) else { break }
                let demo = Countdown.demo(problem)
                budget -= Double(demo.utf8.count)
                demos.append(demo)
                shown += 1
            }
        }

        /// `filler` equation lines of short solved problems: a four-number problem per three, then one smaller
        /// problem for the rest, so that each unit adds about one equation.
        func context(filler: Int) -> String {
            let full = filler / 3, rest = filler % 3
            while quick.count < full { quick.append(Countdown.quickProblem(&quickRNG)) }
            var text = demos.prefix(shown).joined(separator: "\n\n")
            if filler > 0 {
                var lines = Array(quick.prefix(full))
                if rest > 0 {
                    var rng = SeededRandom(seed: deriveSeed(seed, "partial \(full) \(rest)"))
                    lines.append(Countdown.quickProblem(&rng, count: rest + 1))
                }
                text += "\n\nMore solved problems:\n" + lines.joined(separator: "\n")
            }
            return text
        }

        func fillerUnits(_ range: Range<Int>) -> [String] {
            while quick.count < range.upperBound / 3 + 1 { quick.append(Countdown.quickProblem(&quickRNG)) }
            // A third of a four-number problem's line per unit.
            return range.map { k in
                let line = quick[k / 3]
                let third = line.utf8.count / 3
                let start = line.utf8.index(line.utf8.startIndex, offsetBy: third * (k % 3))
                let end = k % 3 == 2 ? line.utf8.endIndex : line.utf8.index(start, offsetBy: third)
                return String(line[start..<end]) + (k % 3 == 2 ? "\n" : "")
            }
        }

        func validate(filler: Int) throws {
            try Countdown.validate(problem)
        }
    }

    /// Checks a problem: its reference solution is valid under the rules, the procedure replayed from its numbers
    /// stops at the target with exactly its trace, and no earlier leaf hits the target.
    static func validate(_ problem: CountdownSearch.Problem) throws(FathomError) {
        if let why = CountdownArithmetic.check(Substring(problem.solution.joined(separator: "\n")), numbers: problem.numbers, target: problem.target) {
            throw FathomError(.invalidValue, "countdown: the reference solution is not valid: \(why)")
        }
        let replay = CountdownSearch.walk(problem.numbers, target: problem.target, stopAt: problem.target)
        guard let last = replay.leaves.last, last.value == problem.target, last.equations == problem.solution,
            replay.leaves.dropLast().allSatisfy({ $0.value != problem.target })
        else { throw FathomError(.invalidValue, "countdown: the search does not stop at the reference solution") }
        let trace = replay.log.joined().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard trace == problem.trace else { throw FathomError(.invalidValue, "countdown: the trace is not the search procedure") }
    }

    static func prompt(examples: String, numbers: [Int], target: Int) -> String {
        """
        [TASK]
        You are given four numbers and a target number. Use all four numbers, each exactly once, with the operations \
        +, -, * and /, to reach the target.

        [RULES]
        - Use each of the four numbers exactly once.
        - Use only the operations +, -, * and /.
        - Every intermediate result of the solution must be a positive whole number (no decimals).
        - Intermediate results stay below 2000.

        [APPROACH]
        Solve the problem by a depth-first search. Starting from the four numbers:
        - At each state, consider the pairs of numbers in order (the first with the second, the first with the third, \
        and so on, then the second with the third…). For a pair a and b with a >= b, try a + b, a - b, a * b and \
        a / b, in this order, always with the larger number first. Put the new number in front of the numbers left.
          * If numbers are left, continue the search from the new set of numbers.
          * If no number is left, compare the new number with the target: if it is the target, you have found the \
        solution; otherwise go back and try the next option.
        - Drop a branch and go back when the new number is a decimal, when it is 2000 or more, or when it would divide \
        by zero.
        - Stop at the first solution. Write the search exactly in the format of the examples, then trace back the \
        solution.

        [EXAMPLES]
        \(examples)

        (The further problems show only a solution, not the search; some use fewer numbers.)

        [PROBLEM]
        Now solve the following problem. Follow the approach and the format of the examples above: write your search \
        procedure after "# Search Procedure", then the three equations of the solution between <Solution> and \
        </Solution>, with nothing else between the tags.

        Numbers: \(CountdownSearch.list(numbers))
        Target: \(target)
        """
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try ProcSampler.sample(request, descriptor: descriptor, settings: settings, inputPerOutputToken: 0) { level, seed, compact in
            var demoRNG = SeededRandom(seed: deriveSeed(seed, "first demo"))
            guard let first = CountdownSearch.problem(nearBytes: compact ? 700 : 1500, slack: compact ? 300 : 500, &demoRNG) else {
                throw FathomError(.invalidValue, "countdown: no demonstration problem found")
            }
            var rng = SeededRandom(seed: deriveSeed(seed, "problem"))
            var bytesPerToken = 3.4
            var misses = 0
            for _ in 0..<24 {
                let aim = Int(Double(level) * bytesPerToken)
                // The shortest search (the first leaf hits) writes about 850 bytes.
                guard aim >= 800, misses < 3 else { break }
                guard let problem = CountdownSearch.problem(nearBytes: aim, slack: max(60, aim / 11), &rng, draws: 100) else {
                    misses += 1
                    continue
                }
                let tokens = request.tokenizer.count(problem.demonstration)
                if OutputLevel.holds(tokens, level: level) {
                    return Instance(problem: problem, tokens: tokens, firstDemo: Self.demo(first), seed: deriveSeed(seed, "filler"))
                }
                bytesPerToken = Double(problem.demonstration.utf8.count) / Double(max(1, tokens))
            }
            throw FathomError(.length, "countdown: could not find a search of \(level) ± 10% tokens (\(request.tokenizer.name) tokenizer)")
        }
    }

    // MARK: Scoring

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let problem = try sample.reference.decode(CountdownSearch.Problem.self)
        let text = ProcAnswer.text(response).text
        var details: [String: JSONValue] = [:]
        var solutionValid = false
        var extracted = false
        if let block = ProcText.lastBlock(text, open: "<Solution>", close: "</Solution>"), block.complete {
            extracted = true
            let why = CountdownArithmetic.check(block.body, numbers: problem.numbers, target: problem.target)
            solutionValid = why == nil
            details["solution_error"] = why.map { .string($0) } ?? .null
        }
        // The trace: after the last "# Search Procedure", up to the traced-back solution.
        let bytes = Array(text.utf8)
        var match = TraceMatch(referenceLines: problem.trace.count, outputLines: 0, matchedLines: 0, firstDivergence: 0)
        if let start = ProcText.lastIndex(of: Array("# Search Procedure".utf8), in: bytes) {
            let utf8 = text.utf8
            var body = text[utf8.index(utf8.startIndex, offsetBy: start + 18)...]
            let bodyBytes = Array(body.utf8)
            let ends = ["Now we have found the target", "<Solution>"].compactMap { ProcText.firstIndex(of: Array($0.utf8), in: bodyBytes) }
            if let end = ends.min() { body = body[..<body.utf8.index(body.utf8.startIndex, offsetBy: end)] }
            match = TraceMatch.compare(output: TraceMatch.squeezedLines(body), reference: problem.trace.map { ProcText.squeezed(Substring($0)) })
            extracted = true
        }
        details.merge(match.details) { $1 }
        details["solution_valid"] = .bool(solutionValid)
        let accuracy: Double = solutionValid ? 1 : 0
        return ProcScore.make(
            value: accuracy, metrics: ["accuracy": accuracy, "partial_accuracy": solutionValid ? 1 : match.partial], response: response,
            extracted: extracted, details: details)
    }

    public func oracleAnswer(sample: Sample) -> String { sample.reference.answers[0] }
}
