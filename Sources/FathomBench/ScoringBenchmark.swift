import FathomCore
import FathomText

/// `fathom bench scoring`: time to score a task's answers (the oracle's, then one hostile 10 MB answer), against one
/// tokenizer pass over the same text (the floor: an answer must be read at least once).
public enum ScoringBenchmark {
    public struct Figure: Codable, Sendable {
        public var task: String
        public var length: String
        public var samples: Int
        public var tokenizer: String
        public var answerBytes: Int
        public var meanOracleScore: Double
        public var msPerAnswer: Double
        public var tokenizerPassMsPerAnswer: Double
        public var ratioToFloor: Double
        public var hostileBytes: Int
        public var hostileMs: Double
        public var hostileTokenizerPassMs: Double
        enum CodingKeys: String, CodingKey {
            case task, length, samples, tokenizer, answerBytes = "answer_bytes", meanOracleScore = "mean_oracle_score"
            case msPerAnswer = "ms_per_answer", tokenizerPassMsPerAnswer = "tokenizer_pass_ms_per_answer", ratioToFloor = "ratio_to_floor"
            case hostileBytes = "hostile_bytes", hostileMs = "hostile_ms", hostileTokenizerPassMs = "hostile_tokenizer_pass_ms"
        }
    }

    /// Scores `samples` oracle answers `repeats` times and keeps the fastest pass; the same for a 10 MB hostile answer.
    /// `context` is what scoring may do (`allowExec`: run model-written code in the sandbox, as `fathom run --allow-exec`).
    public static func run(
        task: any TaskPlugin, length: Int, samples: Int, repeats: Int, tokenizer: any Tokenizer, context: ScoringContext = ScoringContext()
    ) throws -> Figure {
        let made = try (0..<samples).map { index in
            try task.makeSample(task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
        }
        let answers = made.map { task.oracleAnswer(sample: $0) }
        func best(_ body: () throws -> Void) rethrows -> Double {
            var fastest = Double.infinity
            for _ in 0..<max(1, repeats) {
                let start = ContinuousClock.now
                try body()
                fastest = min(fastest, Clock.seconds(since: start))
            }
            return fastest
        }
        var total = 0.0
        var passes = 0
        let scoring = try best {
            passes += 1
            for (sample, answer) in zip(made, answers) { total += try task.score(text: answer, sample: sample, context: context).value }
        }
        let floor = best { for answer in answers { _ = tokenizer.count(answer) } }
        let hostile = String(repeating: "Answer_9: ((((1e999 __import__('os') \u{FFFD} ", count: 250_000)
        let hostileSeconds = try best { _ = try task.score(text: hostile, sample: made[0], context: context) }
        let hostileFloor = best { _ = tokenizer.count(hostile) }
        func ms(_ s: Double, per n: Int = 1) -> Double { (s / Double(max(1, n)) * 1e5).rounded() / 100 }
        return Figure(
            task: task.descriptor.name, length: ContextLength.format(length), samples: samples, tokenizer: tokenizer.name,
            answerBytes: answers.map { $0.utf8.count }.reduce(0, +) / max(1, answers.count),
            meanOracleScore: total / Double(max(1, samples * passes)),
            msPerAnswer: ms(scoring, per: samples), tokenizerPassMsPerAnswer: ms(floor, per: samples),
            ratioToFloor: (scoring / max(floor, 1e-9) * 100).rounded() / 100,
            hostileBytes: hostile.utf8.count, hostileMs: ms(hostileSeconds), hostileTokenizerPassMs: ms(hostileFloor))
    }
}
