import FathomAuthoring
import FathomCore
import FathomExec
import FathomText
import Foundation

/// `fathom bench exec`: the per-sample cost of an exec plugin against the same task built in Swift. Both are what
/// `fathom new-task` writes for passkey retrieval: the Python exec plugin (fathom_exec.py, sizing with
/// `count_prompt` round trips) and the Swift kind (`ScaffoldedPasskey`, compiled into this module, sizing with
/// `SizedContextBuilder`). Same prompt template, same sizing search, same tokenizer; the difference is the process,
/// the JSON lines and Python.
public enum ExecOverheadBenchmark {
    public struct Side: Codable, Sendable {
        /// Synthesis of one sample at the length (exact, counted by Fathom).
        public var synthesisMsPerSample: Double
        /// Scoring one oracle answer.
        public var scoreMsPerSample: Double
        /// Asking for one oracle answer (Swift: a function call).
        public var oracleMsPerSample: Double
        /// Loading the manifest and making the task ready (exec: starting the processes that describe and serve it).
        public var loadMs: Double
        enum CodingKeys: String, CodingKey {
            case synthesisMsPerSample = "synthesis_ms_per_sample", scoreMsPerSample = "score_ms_per_sample"
            case oracleMsPerSample = "oracle_ms_per_sample", loadMs = "load_ms"
        }
    }

    public struct Figure: Codable, Sendable {
        public var length: String
        public var samples: Int
        public var tokenizer: String
        public var swift: Side
        public var exec: Side
        /// exec − swift, per sample: synthesis + oracle + score.
        public var overheadMsPerSample: Double
        /// exec / swift synthesis time.
        public var synthesisRatio: Double
        public var tokenizerPassMsPerSample: Double
        enum CodingKeys: String, CodingKey {
            case length, samples, tokenizer, swift, exec, overheadMsPerSample = "overhead_ms_per_sample", synthesisRatio = "synthesis_ratio"
            case tokenizerPassMsPerSample = "tokenizer_pass_ms_per_sample"
        }
    }

    public static func run(length: Int, samples: Int, tokenizer: any Tokenizer) throws -> Figure {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fathom-bench-exec-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = "bench.passkey"

        var started = ContinuousClock.now
        let swiftFiles = try TaskScaffold(name: name, kind: .swift, directory: folder, fathomPackage: "/unused").files()
        let manifest = try swiftFiles.first { $0.path.hasPrefix("Tasks/") }.map { try TaskManifest.parse($0.text.replacingOccurrences(
            of: "plugin: bench_passkey", with: "plugin: \(ScaffoldedPasskey.kind)"), file: $0.path) }!
        var swiftRegistry = try Registry(kinds: [ScaffoldedPasskey.self])
        try swiftRegistry.add(manifest)
        let swiftTask = try swiftRegistry.task(named: name)
        let swiftLoad = Clock.seconds(since: started)

        started = ContinuousClock.now
        _ = try TaskScaffold(name: name, kind: .exec, directory: folder + "/exec").write()
        let execRegistry = try Registry.load(sources: [try ManifestSource.folder(folder + "/exec")], kinds: [], external: [ExecPlugin.self])
        let execTask = try execRegistry.task(named: name)
        let execLoad = Clock.seconds(since: started)

        let swift = try measure(swiftTask, length: length, samples: samples, tokenizer: tokenizer, load: swiftLoad)
        let (exec, prompts) = try measureReturningPrompts(execTask, length: length, samples: samples, tokenizer: tokenizer, load: execLoad)
        let floorStart = ContinuousClock.now
        for prompt in prompts { _ = tokenizer.count(prompt) }
        let floor = Clock.seconds(since: floorStart) / Double(max(1, samples))
        let perSample = { (side: Side) in side.synthesisMsPerSample + side.scoreMsPerSample + side.oracleMsPerSample }
        return Figure(
            length: ContextLength.format(length), samples: samples, tokenizer: tokenizer.name, swift: swift, exec: exec,
            overheadMsPerSample: round2(perSample(exec) - perSample(swift)),
            synthesisRatio: round2(exec.synthesisMsPerSample / max(swift.synthesisMsPerSample, 1e-6)), tokenizerPassMsPerSample: round2(floor * 1000))
    }

    static func measure(_ task: any TaskPlugin, length: Int, samples: Int, tokenizer: any Tokenizer, load: Double) throws -> Side {
        try measureReturningPrompts(task, length: length, samples: samples, tokenizer: tokenizer, load: load).0
    }

    static func measureReturningPrompts(
        _ task: any TaskPlugin, length: Int, samples: Int, tokenizer: any Tokenizer, load: Double
    ) throws -> (Side, [String]) {
        func request(_ index: Int, seed: UInt64) -> SampleRequest {
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: tokenizer, renderer: PlainPromptRenderer())
        }
        _ = try task.makeSample(request(0, seed: 99))  // warm: caches, the worker process
        var made: [Sample] = []
        var started = ContinuousClock.now
        for index in 0..<samples { made.append(try task.makeSample(request(index, seed: 42))) }
        let synthesis = Clock.seconds(since: started)
        started = ContinuousClock.now
        let answers = made.map { task.oracleAnswer(sample: $0) }
        let oracle = Clock.seconds(since: started)
        started = ContinuousClock.now
        for (sample, answer) in zip(made, answers) {
            let score = try task.score(text: answer, sample: sample)
            guard score.value == 1 else { throw FathomError(.invalidValue, "\(task.descriptor.kind): the oracle scored \(score.value)") }
        }
        let score = Clock.seconds(since: started)
        let n = Double(max(1, samples))
        let side = Side(
            synthesisMsPerSample: round2(synthesis / n * 1000), scoreMsPerSample: round2(score / n * 1000),
            oracleMsPerSample: round2(oracle / n * 1000), loadMs: round2(load * 1000))
        return (side, made.map(\.promptText))
    }

    static func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
