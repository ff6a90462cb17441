import ArgumentParser
import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomText
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Performance benchmarks (figures for BENCHMARKS.md).",
        subcommands: [
            BenchHTTP.self, BenchServe.self, BenchSynthesis.self, BenchRouge.self, BenchTokenize.self, BenchRank.self, BenchScoring.self,
        ])
}

/// Requests per second and harness CPU per request through the OpenAI-compatible backend.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Harness throughput: requests/s and client CPU per request against a local no-op server (spawned unless --server).")

    @Option(help: "Prompt lengths.") var lengths = "4k,128k"
    @Option(help: "Requests per length.") var requests = 400
    @Option(help: "Requests in flight.") var concurrency = 8
    @Option(help: "Use this server instead of spawning `fathom bench serve`.") var server: String?
    @OptionGroup var tasksOption: TasksOption

    struct Figure: Encodable {
        var length: String
        var promptBytes: Int
        var requests: Int
        var seconds: Double
        var requestsPerSecond: Double
        var cpuMsPerRequest: Double
        enum CodingKeys: String, CodingKey {
            case length, promptBytes = "prompt_bytes", requests, seconds, requestsPerSecond = "requests_per_s", cpuMsPerRequest = "cpu_ms_per_request"
        }
    }

    func run() async throws {
        var child: Process? = nil
        var base = server
        if base == nil {
            let port = try EngineProcess.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            process.arguments = ["bench", "serve", "--port", String(port)]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            child = process
            base = "http://127.0.0.1:\(port)"
        }
        defer { child?.terminate() }
        let registry = try tasksOption.loadRegistry()
        let task = try registry.task(named: "ruler.niah_single_2")
        var options = OpenAICompatibleBackend.Options()
        options.concurrency = .fixed(concurrency)
        let backend = try OpenAICompatibleBackend(endpoints: [base!], model: "bench", apiKey: nil, options: options)
        try await backend.prepare(requiredContext: 1, runDirectory: NSTemporaryDirectory())
        var figures: [Figure] = []
        for length in try ContextLength.parseList(lengths) {
            let sample = try task.makeSample(
                task.descriptor.request(length: length, index: 0, suiteSeed: 1, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
            _ = await backend.generate(GenerationRequest(sample: sample, seed: 1))  // warm the connection pool
            let cpuBefore = Self.cpuSeconds()
            let started = ContinuousClock.now
            let failures = await withTaskGroup(of: Bool.self) { group in
                var sent = 0
                var failed = 0
                for _ in 0..<min(concurrency, requests) {
                    group.addTask { await backend.generate(GenerationRequest(sample: sample, seed: 1)).status != .ok }
                    sent += 1
                }
                for await bad in group {
                    if bad { failed += 1 }
                    if sent < requests {
                        group.addTask { await backend.generate(GenerationRequest(sample: sample, seed: 1)).status != .ok }
                        sent += 1
                    }
                }
                return failed
            }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let cpu = Self.cpuSeconds() - cpuBefore
            if failures > 0 { printError("\(failures) requests failed") }
            figures.append(
                Figure(
                    length: ContextLength.format(length), promptBytes: sample.promptText.utf8.count, requests: requests, seconds: (seconds * 1000).rounded() / 1000,
                    requestsPerSecond: (Double(requests) / seconds * 10).rounded() / 10, cpuMsPerRequest: (cpu / Double(requests) * 1e5).rounded() / 100))
        }
        await backend.shutdown()
        print(try jsonText(figures, pretty: true))
    }

    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(0, &usage)  // RUSAGE_SELF
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}

/// The no-op server `bench http` talks to.
struct BenchServe: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "A no-op OpenAI-compatible server for benchmarks.", shouldDisplay: false)
    @Option(help: "Port on 127.0.0.1.") var port: Int
    func run() throws { try BenchServer.run(port: port) }
}

/// Time to synthesize exact-length samples.
struct BenchSynthesis: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synthesis", abstract: "Time to synthesize samples of a task at a length, against one tokenizer pass over the same prompts.")

    @Option(help: "Task name.") var task = "ruler.niah_single_2"
    @Option(help: "Length.") var length = "128k"
    @Option(help: "Samples.") var samples = 50
    @Option(help: "Tokenizer (approx or a tokenizer file).") var tokenizer: String?
    @OptionGroup var tasksOption: TasksOption

    func run() throws {
        let registry = try tasksOption.loadRegistry()
        let plugin = try registry.task(named: task)
        guard let target = ContextLength.parse(length) else { throw ValidationError("bad --length") }
        let chosen = try TokenizerChoice.make(tokenizer)
        // Warm the corpus count cache once, as a run does.
        _ = try plugin.makeSample(plugin.descriptor.request(length: target, index: 0, suiteSeed: 99, tokenizer: chosen, renderer: PlainPromptRenderer()))
        var prompts: [String] = []
        let started = ContinuousClock.now
        for index in 0..<samples {
            let sample = try plugin.makeSample(
                plugin.descriptor.request(length: target, index: index, suiteSeed: 42, tokenizer: chosen, renderer: PlainPromptRenderer()))
            prompts.append(sample.promptText)
        }
        let synthesis = Self.seconds(since: started)
        let floorStart = ContinuousClock.now
        var tokens = 0
        for prompt in prompts { tokens += chosen.count(prompt) }
        let floor = Self.seconds(since: floorStart)
        print(
            #"{"task":"\#(task)","length":"\#(length)","samples":\#(samples),"tokenizer":"\#(chosen.name)","ms_per_sample":\#((synthesis / Double(samples) * 1e5).rounded() / 100),"tokenizer_pass_ms_per_sample":\#((floor / Double(samples) * 1e5).rounded() / 100),"ratio_to_floor":\#((synthesis / max(floor, 1e-9) * 100).rounded() / 100),"tokens":\#(tokens)}"#)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
