import ArgumentParser
import FathomBench
import FathomCore
import FathomRank
import FathomText
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Performance benchmarks (figures for BENCHMARKS.md).",
        subcommands: [
            BenchHTTP.self, BenchServe.self, BenchSynthesis.self, BenchRouge.self, BenchTokenize.self, BenchRank.self, BenchScoring.self, BenchExec.self,
        ])
}

struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Harness throughput: requests/s and client CPU per request against a local no-op server (spawned unless --server).")

    @Option(help: "Prompt lengths.") var lengths = "4k,128k"
    @Option(help: "Requests per length.") var requests = 400
    @Option(help: "Requests in flight.") var concurrency = 8
    @Option(help: "Use this server instead of spawning `fathom bench serve`.") var server: String?
    @OptionGroup var tasksOption: TasksOption

    func run() async throws {
        let figures = try await HTTPBenchmark.run(
            task: try tasksOption.loadRegistry().task(named: "ruler.niah_single_2"), lengths: try ContextLength.parseList(lengths),
            requests: requests, concurrency: concurrency, server: server, executable: CommandLine.arguments[0])
        print(try jsonText(figures, pretty: true))
    }
}

struct BenchServe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "A no-op OpenAI-compatible server for benchmarks.", shouldDisplay: false)
    @Option(help: "Port on 127.0.0.1.") var port: Int
    func run() throws { try BenchServer.run(port: port) }
}

struct BenchSynthesis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesis", abstract: "Time to synthesize samples of a task at a length, against one tokenizer pass over the same prompts.")

    @Option(help: "Task name.") var task = "ruler.niah_single_2"
    @Option(help: "Length.") var length = "128k"
    @Option(help: "Samples.") var samples = 50
    @Option(help: "Untimed samples first (another seed), so per-process caches are warm as in a longer run; the first one's time is reported as first_sample_ms.")
    var warmup = 1
    @Option(help: "Tokenizer (approx or a tokenizer file).") var tokenizer: String?
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        guard let target = ContextLength.parse(length) else { throw ValidationError("--length takes a length such as 4096, 8k or 1m, not '\(length)'") }
        guard warmup >= 1 else { throw ValidationError("--warmup takes 1 or more samples, not \(warmup)") }
        let figure = try SynthesisBenchmark.run(
            task: try tasksOption.loadRegistry().task(named: task), length: target, samples: samples, warmup: warmup,
            tokenizer: try TokenizerChoice.make(tokenizer))
        print(try jsonText(figure))
    }
}

struct BenchExec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Per-sample cost of an exec plugin (the Python passkey scaffold) against the same task built in Swift (the Swift scaffold).")

    @Option(help: "Length.") var length = "32k"
    @Option(help: "Samples.") var samples = 20
    @Option(help: "Tokenizer (approx or a tokenizer file).") var tokenizer: String?

    func run() throws {
        guard let target = ContextLength.parse(length) else { throw ValidationError("--length takes a length such as 4096, 8k or 1m, not '\(length)'") }
        print(try jsonText(try ExecOverheadBenchmark.run(length: target, samples: samples, tokenizer: try TokenizerChoice.make(tokenizer))))
    }
}

struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tokenize", abstract: "Measure tokenizer encode throughput (single thread, best of N).")

    @Option(help: "Tokenizer spec: path to tokenizer.json, a .gguf model, or path.tiktoken[:cl100k|:o200k].") var tokenizer: String
    @Option(help: "UTF-8 text file to encode as one document.") var input: String
    @Option(name: .customLong("repeat"), help: "Number of timed runs; the best is reported.") var repeatCount: Int = 5
    @Option(help: "Write the token ids (JSON array) to this file, e.g. to compare with peers.") var idsOut: String?

    func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: input) else { throw ValidationError("cannot read \(input)") }
        let (figure, ids) = try TokenizeBenchmark.run(spec: tokenizer, text: String(decoding: data, as: UTF8.self), repeats: repeatCount)
        if let idsOut { try Data(("[" + ids.map(String.init).joined(separator: ",") + "]\n").utf8).write(to: URL(fileURLWithPath: idsOut)) }
        print(try jsonText(figure))
    }
}

struct BenchRouge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rouge", abstract: "Time ROUGE-L/ROUGE-Lsum over a JSONL file of {prediction, reference} pairs.")

    @Argument(help: "JSONL file, one {\"prediction\": ..., \"reference\": ...} object per line.") var input: String
    @Option(help: "Timed passes over all pairs; best and median are reported.") var repeats: Int = 3
    @Option(help: "Untimed warm-up passes.") var warmup: Int = 1
    @Option(help: "Use only the first N pairs.") var limit: Int?
    @Flag(help: "Call rougeL and rougeLsum separately (tokenising twice) instead of rougeLAndLsum.") var separate = false

    func validate() throws {
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
    }

    func run() throws {
        let pairs = try RougeBenchmark.load(input, limit: limit)
        guard !pairs.isEmpty else { throw ValidationError("no pairs in \(input)") }
        print(try jsonText(RougeBenchmark.run(pairs: pairs, input: input, repeats: repeats, warmup: warmup, separate: separate)))
    }
}

struct BenchRank: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rank", abstract: "Benchmark Bradley-Terry fitting on sparse measurements (FathomRank).")

    @Option(help: "Models to generate.") var models = 100
    @Option(help: "Measurements (sparse outcomes) to generate, approximately.") var outcomes = 1_000_000
    @Option(help: "Samples to generate (default: outcomes / 10, i.e. ~10 models per sample).") var samples: Int?
    @Option(help: "Generator seed.") var seed: UInt64 = 0
    @Option(help: "Read measurements from this CSV/JSONL file instead of generating.") var input: String?
    @Option(help: "Repetitions; the best time of each phase is reported.") var repeats = 5
    @Option(help: "Solver: mm | ilsr | newton.") var solver = "ilsr"
    @Option(name: .customLong("tie-policy"), help: "half | both-win | drop.") var tiePolicy = "both-win"
    @Option(help: "Regularisation alpha (choix semantics).") var alpha = 0.0
    @Option(help: "Convergence tolerance (choix: L1 change <= tol * n).") var tolerance = 1e-8
    @Option(name: .customLong("emit-csv"), help: "Write the measurements as CSV (for scripts/rank/bench_choix.py).") var emitCSV: String?
    @Option(name: .customLong("emit-fit"), help: "Write models, the win matrix and theta as JSON.") var emitFit: String?

    func run() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be >= 1") }
        var settings = RankBenchmark.Settings()
        settings.models = models
        settings.outcomes = outcomes
        settings.samples = samples
        settings.seed = seed
        settings.input = input
        settings.repeats = repeats
        settings.solver = try Solver(parsing: solver)
        settings.tiePolicy = try TiePolicy(parsing: tiePolicy)
        settings.alpha = alpha
        settings.tolerance = tolerance
        settings.emitCSV = emitCSV
        settings.emitFit = emitFit
        print(try RankBenchmark.run(settings))
    }
}
