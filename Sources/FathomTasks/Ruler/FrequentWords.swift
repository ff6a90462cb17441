import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// RULER's frequent words extraction (FWE): a long run of random "coded" words whose counts follow Zipf's law,
/// `floor(N · r^-alpha / zeta(alpha))` for the word of rank r; rank 1 is the noise token "...", and the answer is
/// the three words of ranks 2–4.
///
/// The vocabulary has `L / vocab_divisor` random `word_length`-letter lowercase words, drawn per sample. N (the total
/// word count) is sized to the length window. The order of the words is shuffled from the sample's seed (RULER shares
/// one permutation between samples of equal size). A sample is only made when the answer is unambiguous: the
/// third answer word is strictly more frequent than the next word.
public struct FrequentWords: TaskPlugin {
    public static let kind = "frequent_words"
    public static let summary = "Name the three most frequent coded words in a long Zipf-distributed text."
    public static let metrics = ["string_match_all"]
    public static let defaultMaxTokens = 50
    public static let defaultTags = TaskTags(family: "synthetic-aggregation", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var alpha = 2.0
        public var wordLength = 6
        public var vocabDivisor = 50
        public init() {}
        enum CodingKeys: String, CodingKey { case alpha, wordLength = "word_length", vocabDivisor = "vocab_divisor" }
        public static let documentation: [String: ParameterDoc] = [
            "alpha": ParameterDoc("Zipf exponent (above 1)"),
            "word_length": ParameterDoc("letters per coded word", minimum: 2),
            "vocab_divisor": ParameterDoc("vocabulary size is the length divided by this", minimum: 1),
        ]
    }

    static let noise = "..."
    static let answerCount = 3

    public let descriptor: TaskDescriptor
    let alpha: Double
    let wordLength: Int
    let vocabDivisor: Int
    /// zeta(alpha).
    let zeta: Double

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        alpha = p.alpha
        wordLength = p.wordLength
        vocabDivisor = p.vocabDivisor
        guard alpha > 1 else { throw FathomError(.invalidValue, "alpha must be above 1", key: "params.alpha") }
        zeta = Self.riemannZeta(alpha)
    }

    /// Riemann zeta for s > 1: a partial sum plus the Euler–Maclaurin tail (error far below 1e-12 for s ≥ 1.1).
    static func riemannZeta(_ s: Double) -> Double {
        let m = 1000
        var sum = 0.0
        for n in stride(from: m, through: 1, by: -1) { sum += pow(Double(n), -s) }
        let M = Double(m)
        return sum + pow(M, 1 - s) / (s - 1) - pow(M, -s) / 2 + s * pow(M, -s - 1) / 12
    }

    static let instruction =
        "Read the following coded text and track the frequency of each coded word. Find the three most frequently appeared coded words."
    static let question =
        "Question: Do not provide any explanation. Please ignore the dots '....'. What are the three most frequently appeared words in the above coded text?"
    static let answerPrefix = " Answer: According to the coded text above, the three most frequently appeared words are:"

    /// Occurrences of each rank for N words: `floor(N · r^-alpha / zeta)`, r = 1…`ranks`.
    func counts(words n: Int, ranks: Int) -> [Int] {
        (1...ranks).map { r in Int((Double(n) * pow(Double(r), -alpha) / zeta).rounded(.down)) }
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        let vocabSize = request.length / vocabDivisor
        guard vocabSize >= Self.answerCount + 2 else {
            throw FathomError(
                .length, "length \(ContextLength.format(request.length)) gives a vocabulary of \(vocabSize) words; at least \(Self.answerCount + 2) are needed")
        }
        var rng = SeededRandom(seed: seed)
        var seen: Set<String> = []
        var vocab: [String] = []
        while vocab.count < vocabSize {
            var bytes: [UInt8] = []
            for _ in 0..<wordLength { bytes.append(UInt8(0x61 + rng.below(26))) }
            let word = String(decoding: bytes, as: UTF8.self)
            if seen.insert(word).inserted { vocab.append(word) }
        }
        vocab[0] = Self.noise
        let answer = Array(vocab[1...Self.answerCount])
        let orderSeed = deriveSeed(seed, "order")
        func text(_ n: Int) -> String {
            var words: [String] = []
            for (rank, count) in counts(words: n, ranks: vocabSize).enumerated() where count > 0 {
                for _ in 0..<count { words.append(vocab[rank]) }
            }
            var order = SeededRandom(seed: orderSeed)
            order.shuffle(&words)
            return words.joined(separator: " ")
        }
        let maxTokens = request.generation.maxTokens
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix, frame: { context in [Message(.user, Self.instruction + " " + context + "\n" + Self.question)] }))
        // From this N on, N·(p₄ − p₅) ≥ 1, so the third answer word is strictly ahead of the next word at every size.
        let gap = (pow(Double(Self.answerCount + 1), -alpha) - pow(Double(Self.answerCount + 2), -alpha)) / zeta
        let minimum = Int((1 / gap).rounded(.up))
        let perWord = max(1, (request.tokenizer.count(" " + Self.noise) * 3 + request.tokenizer.count(" " + vocab[1]) * 2) / 5)
        let sized = try builder.build(minimum: minimum, guess: max(minimum, (request.length - maxTokens) / perWord), make: text)
        let finalCounts = counts(words: sized.size, ranks: vocabSize)
        guard finalCounts[Self.answerCount] > finalCounts[Self.answerCount + 1] else {
            throw FathomError(.length, "internal: the top \(Self.answerCount) coded words are not unambiguous at N = \(sized.size)")
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
            messages: sized.prompt.messages, answerPrefix: Self.answerPrefix, promptText: sized.prompt.promptText,
            reference: Reference(answers: answer), generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                tokenizer: request.tokenizer.fingerprint,
                knobs: [
                    "num_words": .int(sized.size), "vocab_size": .int(vocabSize),
                    "answer_counts": .list(finalCounts[1...Self.answerCount].map { .int($0) }),
                    "next_count": .int(finalCounts[Self.answerCount + 1]),
                    "sizing_encodings": .int(sized.prompt.verifications),
                ]))
    }

    public func oracleAnswer(sample: Sample) -> String {
        " " + sample.reference.answers.joined(separator: ", ") + "."
    }
}
