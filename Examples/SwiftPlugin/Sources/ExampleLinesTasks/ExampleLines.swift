import FathomCore
import FathomText

/// example.lines: LongChat's line retrieval (Li et al., 2023, "How Long Can Open-Source LLMs Truly Promise on Context
/// Length?", LongEval), as a Swift plugin kind in a package of its own.
///
/// The context is a record of lines `line <name>: REGISTER_CONTENT is <NNNNN>`; the question asks for the value of
/// one line, at a seeded depth. Only exact recall scores: the answer's first number must be that line's value.
/// Made with `fathom new-task example.lines --kind swift`, then written as this task; Examples/python-exec builds
/// the same task as an exec plugin.
public struct ExampleLines: TaskPlugin {
    public static let kind = "example_lines"
    public static let summary = "LongChat line retrieval: recall the number on one line of a long record"
    public static let metrics = ["exact_match"]
    public static let defaultMaxTokens = 16
    public static let defaultTags = TaskTags(family: "synthetic-recall", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var digits = 5
        public init() {}
        public static let documentation: [String: ParameterDoc] = ["digits": ParameterDoc("digits of each REGISTER_CONTENT value", minimum: 2)]
    }

    static let instruction = """
        Below is a record of lines I want you to remember. Each line begins with 'line <line index>' and contains a \
        '<REGISTER_CONTENT>' at the end of the line as a numerical value. For each line index, memorize its corresponding \
        <REGISTER_CONTENT>. At the end of the record, I will ask you to retrieve the corresponding <REGISTER_CONTENT> of a \
        certain line index. Now the record start:\n\n
        """
    /// Line names are two made-up words of two syllables each (4,900 words, 24 million names).
    static let syllables: [String] = "bdfgklmnprstvz".flatMap { c in "aeiou".map { v in String(c) + String(v) } }
    static let words = syllables.count * syllables.count

    public let descriptor: TaskDescriptor
    let digits: Int

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        guard parameters.digits <= 12 else { throw FathomError(.invalidValue, "digits must be at most 12", key: "params.digits") }
        self.descriptor = descriptor
        digits = parameters.digits
    }

    public var axes: [AxisSpec] { [.depth()] }

    static func word(_ n: Int) -> String { syllables[n / syllables.count] + syllables[n % syllables.count] }
    static func name(_ n: Int) -> String { word(n / words) + "-" + word(n % words) }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        var rng = SeededRandom(seed: request.seed)
        let depth = Double(rng.below(10_000)) / 100
        let low = (1..<digits).reduce(1) { value, _ in value * 10 }
        // More lines than the length can hold (a line takes more than 4 tokens in any tokenizer), all distinct.
        let most = request.length / 4 + 16
        var seen = Set<Int>()
        var lines: [String] = []
        var askedName = "", askedValue = 0
        while lines.count < most {
            let n = rng.below(Self.words * Self.words)
            guard seen.insert(n).inserted else { continue }
            let value = rng.int(in: low...(low * 10 - 1))
            if lines.isEmpty { (askedName, askedValue) = (Self.name(n), value) }
            lines.append("line \(Self.name(n)): REGISTER_CONTENT is <\(value)>\n")
        }
        let question = "\nNow the record is over. Tell me what is the <REGISTER_CONTENT> in line \(askedName)? I need the number."
        let answerPrefix = "\nThe <REGISTER_CONTENT> in line \(askedName) is"
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: answerPrefix, frame: { record in [Message(.user, Self.instruction + record + question)] }))
        // k lines, the asked one (lines[0]) at the depth.
        let sized = try builder.build(minimum: 1, guess: max(1, (request.length - request.generation.maxTokens) / 16)) { size in
            let k = min(size, lines.count)
            let at = min(k - 1, Int(depth / 100 * Double(k)))
            return (lines[1..<(at + 1)] + [lines[0]] + lines[(at + 1)..<k]).joined()
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: sized.prompt.messages,
            answerPrefix: answerPrefix, promptText: sized.prompt.promptText, reference: Reference(answers: [String(askedValue)]),
            generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens,
                tokenizer: request.tokenizer.fingerprint, knobs: ["lines": .int(sized.size)], axes: ["depth": .number(depth)]))
    }

    /// The answer's first number must be the asked line's value.
    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) -> Score {
        let value = Self.firstNumber(response.text) == sample.reference.answers[0] ? 1.0 : 0.0
        return Score(value: value, metrics: ["exact_match": value])
    }

    public func oracleAnswer(sample: Sample) -> String { " <\(sample.reference.answers[0])>." }

    /// The first run of ASCII digits in the answer's first 100,000 bytes (answers are hostile: bounded work).
    static func firstNumber(_ text: String) -> String? {
        var digits: [UInt8] = []
        for byte in text.utf8.prefix(100_000) {
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte)
            } else if !digits.isEmpty {
                break
            }
        }
        return digits.isEmpty ? nil : String(decoding: digits, as: UTF8.self)
    }
}
