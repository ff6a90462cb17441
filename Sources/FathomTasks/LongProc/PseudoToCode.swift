import FathomCore
import FathomSandbox
import FathomText
import Foundation

/// LongProc's pseudocode to code: a program written as pseudocode, one statement a line; the model translates it
/// line by line into Python 3, and hidden input/output tests decide.
///
/// Programs are random (`PseudoGenerator`), in a small language whose semantics are Python's (`PseudoInterpreter`
/// gives each test's expected output). The target is Python 3, not LongProc's C++: a test needs no compile step
/// (g++ takes about a second a program, Python starts in milliseconds), integers do not overflow, and the sandbox
/// has one interpreter to confine rather than a compiler driver, assembler and linker. The input grows to the length
/// with line-translation examples (a pseudocode line and its Python). Running the model's code needs
/// `fathom run --allow-exec` and happens only in `FathomSandbox`; without it a sample with code is `skipped`. An
/// answer with no code block scores 0 without running anything.
public struct PseudoToCode: TaskPlugin {
    public static let kind = "longproc_pseudo_to_code"
    public static let summary = "Translate long generated pseudocode into Python line by line; hidden tests run in a sandbox (--allow-exec)."
    public static let metrics = ["accuracy", "tests_passed", "extraction_rate", "truncated"]
    public static let defaultMaxTokens = 10_000
    public static let defaultTags = TaskTags(family: "long-procedure", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var levels = OutputLevel.standard
        public var budgetPercent = 125
        public var tests = 10
        public init() {}
        enum CodingKeys: String, CodingKey { case levels, budgetPercent = "budget_percent", tests }
        public static let documentation: [String: ParameterDoc] = [
            "levels": ParameterDoc("reference output tokens; sample i takes levels[i mod count] (125…16000)"),
            "budget_percent": ParameterDoc("max_tokens as a percentage of the sample's level", minimum: 100),
            "tests": ParameterDoc("hidden input/output tests per program", minimum: 1),
        ]
    }

    public let descriptor: TaskDescriptor
    let settings: LevelSettings
    let tests: Int

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        try OutputLevel.validate(parameters.levels)
        self.descriptor = descriptor
        settings = LevelSettings(levels: parameters.levels, budgetPercent: parameters.budgetPercent)
        tests = parameters.tests
    }

    public var axes: [AxisSpec] { [OutputLevel.axis] }

    /// The interpreter that runs answers, found once.
    static let runner = PythonTestRunner.system()

    /// The interpreter's version and the fences the sandbox enforces here, found once by running it.
    static let environment: [String: String] = {
        guard let runner else { return ["python": "none found"] }
        guard let (version, fences) = try? runner.version() else {
            let why = Sandbox.unavailable.map { "\($0)" } ?? "the interpreter did not start"
            return ["python": runner.interpreter, "sandbox": "unavailable: \(why) (Landlock ABI \(Sandbox.landlockABI))"]
        }
        return ["python": "\(version) (\(runner.interpreter))", "sandbox": "\(fences), Landlock ABI \(Sandbox.landlockABI)"]
    }()

    public var provenance: [String: String] { Self.environment }

    /// A generated program with its hidden tests and their expected outputs.
    struct Hidden: Hashable {
        var program: PseudoProgram
        var inputs: [String]
        var outputs: [String]
    }

    /// The structured reference: the pseudocode as text (the program's tree would nest as deep as the program, and
    /// deep JSON costs time quadratic in its depth to encode and decode), the hidden tests and their expected outputs.
    struct HiddenTests: Codable, Hashable {
        var pseudocode: String
        var inputs: [String]
        var outputs: [String]
    }

    static func oracle(_ program: PseudoProgram) -> String { "```python\n" + program.python + "\n```" }

    final class Instance: ProcInstance {
        let hidden: Hidden
        let oracle: String
        let oracleTokens: Int
        let example: String
        let seed: UInt64
        var rng: SeededRandom
        var phrases: [String] = []

        init(hidden: Hidden, tokens: Int, example: String, seed: UInt64) {
            self.hidden = hidden
            oracle = PseudoToCode.oracle(hidden.program)
            oracleTokens = tokens
            self.example = example
            self.seed = seed
            rng = SeededRandom(seed: deriveSeed(seed, "phrases"))
        }

        var answerPrefix: String { "" }
        var bytesPerFillerUnit: Double { 50 }
        var knobs: [String: ParameterValue] {
            ["pseudocode_lines": .int(PseudoProgram.pseudoLines(hidden.program.body).count), "tests": .int(hidden.inputs.count)]
        }

        func reference() throws(FathomError) -> Reference {
            try Reference(answers: [oracle], HiddenTests(pseudocode: hidden.program.pseudocode, inputs: hidden.inputs, outputs: hidden.outputs))
        }

        func messages(context: String) -> [Message] {
            [Message(.user, PseudoToCode.prompt(example: example, phrases: context, pseudocode: hidden.program.pseudocode))]
        }

        func grow(to count: Int) {
            while phrases.count < count {
                let (pseudo, python) = PseudoGenerator.phrase(&rng)
                phrases.append("\(pseudo)  =>  \(python)")
            }
        }

        func context(filler: Int) -> String {
            grow(to: filler)
            return phrases.prefix(filler).joined(separator: "\n")
        }

        func fillerUnits(_ range: Range<Int>) -> [String] {
            grow(to: range.upperBound)
            return phrases[range].map { $0 + "\n" }
        }

        func validate(filler: Int) throws { try PseudoToCode.validate(hidden) }
    }

    /// Checks a program: pseudocode and Python have one line each per statement, and every test runs in the
    /// interpreter to exactly its expected output.
    static func validate(_ hidden: Hidden) throws(FathomError) {
        let pseudo = PseudoProgram.pseudoLines(hidden.program.body), python = PseudoProgram.pythonLines(hidden.program.body)
        guard pseudo.count == python.count, hidden.inputs.count == hidden.outputs.count, !hidden.inputs.isEmpty else {
            throw FathomError(.invalidValue, "pseudo_to_code: the pseudocode and the code do not match line for line")
        }
        for (input, output) in zip(hidden.inputs, hidden.outputs) {
            let got: String
            do { got = try PseudoInterpreter.run(hidden.program, input: input) } catch {
                throw FathomError(.invalidValue, "pseudo_to_code: a hidden test fails in the interpreter: \(error)")
            }
            guard got == output else { throw FathomError(.invalidValue, "pseudo_to_code: a hidden test's expected output is not the program's") }
        }
    }

    static func prompt(example: String, phrases: String, pseudocode: String) -> String {
        """
        [TASK]
        You will be given a program written in pseudocode, one statement per line. Write the same program in Python 3, \
        translating it line by line: each line of pseudocode becomes one line of Python, with the same indentation.

        [NOTES]
        - The program reads its input from standard input and writes its output with print.
        - "divided by … rounded down" is floor division (//); "modulo" is Python's % (the result has the sign of the \
        divisor); lists are indexed from 0.
        - Surround your code with ```python and ```, and write nothing else.
        \(example.isEmpty ? "" : "\n[EXAMPLE]\n\(example)\n")\(phrases.isEmpty ? "" : "\n[LINE TRANSLATIONS]\n\(phrases)\n")
        [PSEUDOCODE]
        \(pseudocode)

        [CODE]
        """
    }

    static func example(_ rng: inout SeededRandom) -> String {
        let program = PseudoGenerator.program(blocks: 2, &rng)
        return "Pseudocode:\n\(program.pseudocode)\n\nCode:\n" + oracle(program)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        try ProcSampler.sample(request, descriptor: descriptor, settings: settings, inputPerOutputToken: 0.8) { level, seed, compact in
            var exampleRNG = SeededRandom(seed: deriveSeed(seed, "example"))
            let example = compact ? "" : Self.example(&exampleRNG)
            let fitted = try ProcSampler.fitOutput(level: level, tokenizer: request.tokenizer, guess: max(1, level / 70)) {
                (blocks: Int, draw: Int) -> (value: Hidden, oracle: String)? in
                var rng = SeededRandom(seed: deriveSeed(seed, "program \(blocks) \(draw)"))
                for _ in 0..<8 {
                    let program = PseudoGenerator.program(blocks: blocks, &rng)
                    let inputs = PseudoGenerator.inputs(tests, &rng)
                    guard let outputs = try? inputs.map({ try PseudoInterpreter.run(program, input: $0) }) else { continue }
                    return (Hidden(program: program, inputs: inputs, outputs: outputs), Self.oracle(program))
                }
                return nil
            }
            return Instance(hidden: fitted.value, tokens: fitted.tokens, example: example, seed: deriveSeed(seed, "filler"))
        }
    }

    // MARK: Scoring

    /// The code of an answer: the last complete ```python (or ```py, or bare ```) block; the rest after an opening
    /// fence that never closes.
    static func code(_ text: String) -> Substring? {
        for open in ["```python", "```py", "```"] {
            if let block = ProcText.lastBlock(text, open: open, close: "```") {
                var body = block.body
                if open == "```", let newline = body.firstIndex(of: "\n"), !body[..<newline].contains(" ") { body = body[newline...] }
                if !body.trimmingWhitespace().isEmpty { return body }
            }
        }
        return nil
    }

    /// Output as compared: trailing spaces of each line and trailing blank lines ignored.
    static func normalized(_ output: String) -> [Substring] {
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map { (line: Substring) -> Substring in
            var end = line.endIndex
            while end > line.startIndex, " \t\r".contains(line[line.index(before: end)]) { end = line.index(before: end) }
            return line[..<end]
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        return lines
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let hidden = try sample.reference.decode(HiddenTests.self)
        guard let code = Self.code(ProcAnswer.text(response).text) else {
            return ProcScore.make(value: 0, metrics: ["accuracy": 0, "tests_passed": 0], response: response, extracted: false, details: [:])
        }
        guard context.allowExec else { throw ScoringSkipped("running model-written code needs fathom run --allow-exec") }
        // A machine that cannot run the code declines the sample (skipped, like a run without permission): it says
        // nothing about the model.
        guard let runner = Self.runner else { throw ScoringSkipped("no python3 interpreter to run the hidden tests") }
        if let why = Sandbox.unavailable { throw ScoringSkipped("the sandbox cannot run code on this machine: \(why)") }
        guard code.utf8.count <= 4 << 20 else {
            return ProcScore.make(value: 0, metrics: ["accuracy": 0, "tests_passed": 0], response: response, extracted: true,
                                  details: ["error": .string("code over 4 MB, not run")])
        }
        let run: PythonTestRunner.Run
        do { run = try runner.run(program: String(code), inputs: hidden.inputs) } catch { throw ScoringFailure("\(error)") }
        var passed = 0
        var firstFailure: Int? = nil
        for (i, (test, expected)) in zip(run.tests, hidden.outputs).enumerated() {
            if test.status == .ok && Self.normalized(test.output) == Self.normalized(expected) {
                passed += 1
            } else if firstFailure == nil {
                firstFailure = i
            }
        }
        let fraction = Double(passed) / Double(max(1, hidden.inputs.count))
        let accuracy: Double = passed == hidden.inputs.count ? 1 : 0
        var details: [String: JSONValue] = [
            "tests": .int(hidden.inputs.count), "passed": .int(passed), "first_failed_test": firstFailure.map { .int($0) } ?? .null,
            "sandbox": .string(run.fences.description), "run_ms": .int(run.wallMilliseconds),
        ]
        if let error = run.compileError { details["compile_error"] = .string(String(error.prefix(300))) }
        if let i = firstFailure, i < run.tests.count { details["first_failure_status"] = .string(run.tests[i].status.rawValue) }
        return ProcScore.make(
            value: accuracy, metrics: ["accuracy": accuracy, "tests_passed": fraction], response: response, extracted: true, details: details)
    }

    public func oracleAnswer(sample: Sample) -> String { sample.reference.answers[0] }
}
