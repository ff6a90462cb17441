import FathomCore
import FathomText

/// scaffolded.passkey: passkey retrieval (Mohtashami & Jaggi, 2023): a pass key hidden at a seeded depth in filler text; the
/// answer must repeat it.
///
/// A skeleton made by `fathom new-task`: replace the context, the question and the scorer with your task's. Draw
/// every random choice from `SeededRandom(seed: request.seed)`, and size prompts with FathomText's builders
/// (`SizedContextBuilder` here; `ContextBuilder` for streamed haystacks), which count real tokens.
public struct ScaffoldedPasskey: TaskPlugin {
    public static let kind = "scaffolded_passkey"
    public static let summary = "Passkey retrieval: repeat the number hidden in filler text"
    public static let metrics = ["exact_match"]
    public static let defaultMaxTokens = 16
    public static let defaultTags = TaskTags(family: "my-tasks", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var digits = 5
        public init() {}
        public static let documentation: [String: ParameterDoc] = ["digits": ParameterDoc("digits of the pass key", minimum: 1)]
    }

    static let instruction = "There is an important piece of information hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about it.\n"
    static let filler = " The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."
    static let question = "\n\nWhat is the pass key?"
    static let answerPrefix = " The pass key is"

    public let descriptor: TaskDescriptor
    let digits: Int

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        guard parameters.digits <= 18 else { throw FathomError(.invalidValue, "digits must be at most 18", key: "params.digits") }
        self.descriptor = descriptor
        digits = parameters.digits
    }

    public var axes: [AxisSpec] { [.depth()] }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        var rng = SeededRandom(seed: request.seed)
        let low = (1..<digits).reduce(1) { value, _ in value * 10 }
        let passkey = String(rng.int(in: low...(low * 10 - 1)))
        let depth = Double(rng.below(10_000)) / 100
        let needle = " The pass key is \(passkey). Remember it. \(passkey) is the pass key."
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix, frame: { context in [Message(.user, Self.instruction + context + Self.question)] }))
        // The context with k filler units and the needle at the depth; the builder finds the k that fits.
        let sized = try builder.build(minimum: 1, guess: max(1, request.length / 25)) { k in
            let at = min(k, Int(depth / 100 * Double(k)))
            return String(repeating: Self.filler, count: at) + needle + String(repeating: Self.filler, count: k - at)
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: sized.prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: sized.prompt.promptText, reference: Reference(answers: [passkey]),
            generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                tokenizer: request.tokenizer.fingerprint, knobs: ["filler_units": .int(sized.size)], axes: ["depth": .number(depth)]))
    }

    /// The answer's first number must be the pass key.
    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) -> Score {
        let value = Self.firstNumber(response.text) == sample.reference.answers[0] ? 1.0 : 0.0
        return Score(value: value, metrics: ["exact_match": value])
    }

    public func oracleAnswer(sample: Sample) -> String { " \(sample.reference.answers[0])." }

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
