import FathomCore
import FathomModels
import FathomText
import Foundation

/// What samples to make: the suites or tasks named, and the lengths, count, seed and tokenizer asked for (nil:
/// the suite's, or the defaults for tasks alone).
public struct SamplingConfiguration: Sendable {
    public var lengths: [Int]?
    public var samples: Int?
    public var seed: UInt64?
    /// `approx`, `endpoint` (the server's own tokenize route; `run` only) or a tokenizer file. Nil: against a server
    /// with a tokenize route (or an engine that has one), the server's own; otherwise `approx`.
    public var tokenizer: String?

    public init(lengths: [Int]? = nil, samples: Int? = nil, seed: UInt64? = nil, tokenizer: String? = nil) {
        self.lengths = lengths
        self.samples = samples
        self.seed = seed
        self.tokenizer = tokenizer
    }
}

extension SampleFactory {
    /// The factory for `names` without a server (export): the tokenizer from a file or `approx`, the template by the
    /// discovery policy.
    public static func make(names: [String], registry: Registry, sampling: SamplingConfiguration, prompts: PromptConfiguration) throws -> SampleFactory {
        var plan = try RunPlan.resolve(names: names, registry: registry, lengths: sampling.lengths, samples: sampling.samples, seed: sampling.seed)
        plan.prefixModeOverride = prompts.prefixMode
        if sampling.tokenizer == "endpoint" { throw FathomError(.usage, "--tokenizer endpoint needs a server: use it with fathom run --endpoint URL") }
        let tokenizer = try TokenizerChoice.make(sampling.tokenizer)
        let rendering = try prompts.rendering(tokenizer: tokenizer, tokenizerPath: sampling.tokenizer, engineModel: nil, serverKind: nil, serverTemplate: nil)
        return SampleFactory(plan: plan, tokenizer: tokenizer, rendering: rendering)
    }
}

/// `fathom run` as one library call: resolves the plan, probes the first endpoint once when the tokenizer or the
/// template needs it, builds the tokenizer, the rendering and the backend, and runs (or describes the run).
public struct RunSession: Sendable {
    public var names: [String]
    public var registry: Registry
    public var sampling: SamplingConfiguration
    public var prompts: PromptConfiguration
    public var backend: BackendConfiguration
    public var options: RunOptions

    public init(
        names: [String], registry: Registry, sampling: SamplingConfiguration, prompts: PromptConfiguration, backend: BackendConfiguration,
        options: RunOptions
    ) {
        self.names = names
        self.registry = registry
        self.sampling = sampling
        self.prompts = prompts
        self.backend = backend
        self.options = options
    }

    /// The runner, ready to run: nothing has been sent yet (engines start in `Runner.run`).
    public func prepare() async throws -> Runner {
        try backend.validate()
        var plan = try RunPlan.resolve(names: names, registry: registry, lengths: sampling.lengths, samples: sampling.samples, seed: sampling.seed)
        plan.prefixModeOverride = prompts.prefixMode
        let needsProbe = sampling.tokenizer == "endpoint" || (sampling.tokenizer == nil && !backend.endpoints.isEmpty) || prompts.needsProbe
        let probe = needsProbe ? try await backend.probeFirstEndpoint() : nil
        let tasks = registry.tasks
        let system = try backend.make { sample in tasks[sample.task]!.oracleAnswer(sample: sample) }
        let (tokenizer, choice) = try makeTokenizer(probe: probe, system: system)
        if tokenizer is ApproxTokenizer, backend.usesServer, options.showProgress {
            FileHandle.standardError.write(Data("note: lengths are counted with the approx estimate (\(choice)), not the model's own tokens\n".utf8))
        }
        let serverTemplate = probe.flatMap { p in
            p.chatTemplate.map { PromptConfiguration.ServerTemplate(source: $0, bos: p.bosToken, eos: p.eosToken, url: backend.endpoints[0]) }
        }
        let rendering = try prompts.rendering(
            tokenizer: tokenizer, tokenizerPath: sampling.tokenizer, engineModel: backend.engineModel,
            serverKind: backend.engineServerKind ?? probe?.serverKind, serverTemplate: serverTemplate)
        return Runner(
            factory: SampleFactory(plan: plan, tokenizer: tokenizer, rendering: rendering, tokenizerChoice: choice), backend: system, options: options)
    }

    /// The tokenizer that counts lengths, and why: a given file or `approx`; `endpoint` (asked, or by default when
    /// the server has a tokenize route): the first endpoint's route found by the probe, or a local engine's own,
    /// bound once the engine has started; `approx` for built-in systems and servers without a tokenize route.
    func makeTokenizer(probe: ProbeReport?, system: any ModelBackend) throws -> (any Tokenizer, String) {
        let asked = sampling.tokenizer
        if let asked, asked != "endpoint" { return (try TokenizerChoice.make(asked), "given with --tokenizer") }
        let why = asked == nil ? "by default: the server's own tokenize route" : "given with --tokenizer endpoint"
        if let engine = system as? LocalEngineBackend {
            guard let route = backend.engineTokenizeRoute else {
                if asked == nil { return (ApproxTokenizer(), "by default: the engine has no tokenize route Fathom knows") }
                throw FathomError(.usage, "--tokenizer endpoint: the engine \(backend.engine ?? "") has no tokenize route Fathom knows; use --tokenizer with a tokenizer file")
            }
            return (try EndpointTokenizer(route: route, model: backend.model, apiKey: nil) { engine.baseURL }, why)
        }
        guard let first = backend.endpoints.first, let probe else {
            if asked == nil { return (ApproxTokenizer(), "by default: a built-in system (approx)") }
            throw FathomError(.usage, "--tokenizer endpoint needs --endpoint URL or --engine (a server with a tokenize route)")
        }
        guard let route = probe.tokenizeRoute else {
            if asked == nil { return (ApproxTokenizer(), "by default: \(first) (\(probe.serverKind)) has no tokenize route") }
            throw FathomError(.usage, "\(first) (\(probe.serverKind)) has no tokenize route Fathom knows; use --tokenizer with a tokenizer file")
        }
        return (try EndpointTokenizer(base: first, route: route, model: backend.model, apiKey: try backend.apiKey()), why)
    }

    /// Runs the plan and returns the final run.json. On Ctrl-C or SIGTERM it stops a started engine, writes
    /// run.json from the journals with status `interrupted` (finished samples are already safe in the journal),
    /// and exits with 130 or 143; re-running the same command resumes.
    public func run() async throws -> (manifest: RunManifest, directory: String) {
        let runner = try await prepare()
        let signals = Self.onSignal(directory: runner.directory)
        defer { signals.forEach { $0.cancel() } }
        do {
            let manifest = try await runner.run()
            await runner.backend.shutdown()
            return (manifest, runner.directory)
        } catch {
            await runner.backend.shutdown()
            throw error
        }
    }

    /// Installs SIGINT/SIGTERM handlers that stop engines, record the run as interrupted and exit.
    static func onSignal(directory: String) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                EngineProcess.stopAll()
                var message = "\ninterrupted"
                if FileManager.default.fileExists(atPath: directory + "/run.json"), let manifest = try? RunFolder.refresh(directory, status: "interrupted") {
                    let done = manifest.results.map { $0.n - $0.nMissing }.reduce(0, +)
                    message += ": \(done) finished samples are kept in \(directory); run the same command again to resume"
                }
                FileHandle.standardError.write(Data((message + "\n").utf8))
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// `--dry-run`: the plan and the first sample of each task and length, with their sizes; nothing is sent.
    public func describe() async throws -> String {
        let runner = try await prepare()
        defer { Task { await runner.backend.shutdown() } }
        let plan = runner.plan
        let items = plan.items(shard: runner.options.shard, limit: runner.options.limit)
        var lines = [
            "plan \(plan.name): \(plan.tasks.count) tasks × \(plan.lengths.map(ContextLength.format).joined(separator: ",")) × \(plan.samples) samples = \(items.count) requests",
            "tokenizer \(runner.factory.tokenizer.name), prompts \(runner.factory.rendererName), results in \(runner.directory)",
        ]
        let width = max(24, (plan.tasks.map { $0.descriptor.name.count }.max() ?? 0) + 2)
        for length in plan.lengths {
            for (t, task) in plan.tasks.enumerated() {
                guard let item = items.first(where: { $0.taskIndex == t && $0.length == length }) else { continue }
                let sample = try runner.factory.sample(item)
                let name = task.descriptor.name.padding(toLength: width, withPad: " ", startingAt: 0)
                let size = ContextLength.format(length).padding(toLength: 5, withPad: " ", startingAt: 0)
                lines.append(
                    "  \(name) \(size) prompt \(sample.metadata.promptTokens) + max_tokens \(sample.generation.maxTokens) tokens, prefix \(sample.generation.prefixMode.rawValue)")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension RunManifest {
    /// Failed samples (error, overflow, score_error) over samples that were run.
    public var failedFraction: Double {
        let ran = results.map { $0.n - $0.nMissing }.reduce(0, +)
        let failed = results.map { $0.nError + $0.nOverflow + $0.nScoreError }.reduce(0, +)
        return ran > 0 ? Double(failed) / Double(ran) : 0
    }
}

extension RunManifest.Framework {
    public static let version = "0.1.0"

    /// This build of Fathom, with the git commit of the checkout holding `directory` ("unknown" outside one).
    public static func current(near directory: String) -> RunManifest.Framework {
        RunManifest.Framework(name: "fathom", version: version, gitCommit: gitCommit(near: directory))
    }

    static func gitCommit(near directory: String) -> String {
        // Built-in tasks embedded in the binary have no folder: no checkout to ask (git -C "" would ask the cwd's).
        guard !directory.isEmpty else { return "unknown" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "unknown" }
        process.waitUntilExit()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmedASCIIWhitespace()
        return process.terminationStatus == 0 && !text.isEmpty ? text : "unknown"
    }
}
