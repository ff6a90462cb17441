import FathomCore
import FathomText

/// `fathom bench synthesis`: time to synthesize exact-length samples of a task, against one tokenizer pass over
/// the same finished prompts (the floor: a sample's prompt must be counted at least once).
public enum SynthesisBenchmark {
    public struct Figure: Codable, Sendable {
        public var task: String
        public var length: String
        public var samples: Int
        public var tokenizer: String
        public var msPerSample: Double
        public var tokenizerPassMsPerSample: Double
        public var ratioToFloor: Double
        public var tokens: Int
        enum CodingKeys: String, CodingKey {
            case task, length, samples, tokenizer, msPerSample = "ms_per_sample", tokenizerPassMsPerSample = "tokenizer_pass_ms_per_sample"
            case ratioToFloor = "ratio_to_floor", tokens
        }
    }

    public static func run(task: any TaskPlugin, length: Int, samples: Int, tokenizer: any Tokenizer) throws -> Figure {
        // Warm the corpus count cache once, as a run does.
        _ = try task.makeSample(task.descriptor.request(length: length, index: 0, suiteSeed: 99, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
        var prompts: [String] = []
        let started = ContinuousClock.now
        for index in 0..<samples {
            let sample = try task.makeSample(
                task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
            prompts.append(sample.promptText)
        }
        let synthesis = Clock.seconds(since: started)
        let floorStart = ContinuousClock.now
        var tokens = 0
        for prompt in prompts { tokens += tokenizer.count(prompt) }
        let floor = Clock.seconds(since: floorStart)
        return Figure(
            task: task.descriptor.name, length: ContextLength.format(length), samples: samples, tokenizer: tokenizer.name,
            msPerSample: (synthesis / Double(samples) * 1e5).rounded() / 100,
            tokenizerPassMsPerSample: (floor / Double(samples) * 1e5).rounded() / 100,
            ratioToFloor: (synthesis / max(floor, 1e-9) * 100).rounded() / 100, tokens: tokens)
    }
}
