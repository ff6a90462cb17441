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
        /// Untimed samples made first (another suite seed), so per-process caches are as warm as in a longer run.
        public var warmup: Int
        /// The first warm-up sample: what a process pays before its caches (counted corpora, shared passages and
        /// shot banks) hold anything, tokenizer already loaded.
        public var firstSampleMs: Double
        /// The same, in CPU time of the (single) synthesizing thread: the stable figures on a shared machine.
        public var cpuMsPerSample: Double
        public var tokenizerPassCPUMsPerSample: Double
        public var cpuRatioToFloor: Double
        enum CodingKeys: String, CodingKey {
            case task, length, samples, tokenizer, msPerSample = "ms_per_sample", tokenizerPassMsPerSample = "tokenizer_pass_ms_per_sample"
            case ratioToFloor = "ratio_to_floor", tokens, warmup, firstSampleMs = "first_sample_ms"
            case cpuMsPerSample = "cpu_ms_per_sample", tokenizerPassCPUMsPerSample = "tokenizer_pass_cpu_ms_per_sample"
            case cpuRatioToFloor = "cpu_ratio_to_floor"
        }
    }

    public static func run(task: any TaskPlugin, length: Int, samples: Int, warmup: Int = 1, tokenizer: any Tokenizer) throws -> Figure {
        // Warm the caches as a run does, timing the first (cold) sample.
        var firstSample = 0.0
        for index in 0..<max(1, warmup) {
            let started = ContinuousClock.now
            _ = try task.makeSample(
                task.descriptor.request(length: length, index: index, suiteSeed: 99, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
            if index == 0 { firstSample = Clock.seconds(since: started) }
        }
        var prompts: [String] = []
        let started = ContinuousClock.now
        let startedCPU = Clock.threadCPUSeconds()
        for index in 0..<samples {
            let sample = try task.makeSample(
                task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
            prompts.append(sample.promptText)
        }
        let synthesis = Clock.seconds(since: started)
        let synthesisCPU = Clock.threadCPUSeconds() - startedCPU
        let floorStart = ContinuousClock.now
        let floorStartCPU = Clock.threadCPUSeconds()
        var tokens = 0
        for prompt in prompts { tokens += tokenizer.count(prompt) }
        let floor = Clock.seconds(since: floorStart)
        let floorCPU = Clock.threadCPUSeconds() - floorStartCPU
        func ms(_ seconds: Double) -> Double { (seconds / Double(samples) * 1e5).rounded() / 100 }
        return Figure(
            task: task.descriptor.name, length: ContextLength.format(length), samples: samples, tokenizer: tokenizer.name,
            msPerSample: (synthesis / Double(samples) * 1e5).rounded() / 100,
            tokenizerPassMsPerSample: (floor / Double(samples) * 1e5).rounded() / 100,
            ratioToFloor: (synthesis / max(floor, 1e-9) * 100).rounded() / 100, tokens: tokens, warmup: max(1, warmup),
            firstSampleMs: (firstSample * 1e5).rounded() / 100, cpuMsPerSample: ms(synthesisCPU), tokenizerPassCPUMsPerSample: ms(floorCPU),
            cpuRatioToFloor: (synthesisCPU / max(floorCPU, 1e-9) * 100).rounded() / 100)
    }
}
