import ArgumentParser
import FathomCore
import FathomModels
import FathomRun
import FathomReport
import FathomText
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites or tasks against a model and score them.",
        discussion: """
            --model oracle|null|retrieval without --endpoint or --engine selects a built-in reference system (retrieval: \
            BM25 over the prompt's sentences, answering with the best four). Results go to \
            OUT/<suite>/<model>/<run-id>/ (samples.jsonl, run.json, engine.log). Re-running the same command resumes: \
            finished samples are skipped. The API key is read from the environment variable named by --api-key-env. \
            Before anything is sent, every endpoint is probed and a run whose lengths exceed the effective context stops.
            """)

    @Argument(help: "Suite or task names (see `fathom list`).") var names: [String]
    @Option(help: "Model name: oracle, null or retrieval (built-in), or the served model's name.") var model: String
    @Option(help: "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000; repeat to spread requests over several.")
    var endpoint: [String] = []
    @Option(help: "Start a local engine: llama-server, vllm, llama-cpp-python or command:\"… {port} …\".") var engine: String?
    @Option(help: "Model file or name the engine serves.") var engineModel: String?
    @Option(help: "An extra argument for the engine (repeatable).") var engineArg: [String] = []
    @Option(help: "Seconds to wait for the engine or endpoint to become healthy.") var healthTimeout: Double = 600
    @Option(help: "Name of the environment variable holding the API key.") var apiKeyEnv: String?
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "Requests in flight: a number, or auto (adapts: starts at the server's slots, halves on 429).") var concurrency = "8"
    @Option(help: "Upper bound for --concurrency auto.") var maxConcurrency = 64
    @OptionGroup var prompts: PromptOptions
    @Flag(help: "Stream answers (records time to first token).") var stream = false
    @Option(help: "Context limit to respect besides what the server reports.") var contextLimit: Int?
    @Flag(help: "Use the response cache (\(ResponseCache.defaultDirectory)).") var cache = false
    @Option(help: "Response cache folder (implies --cache).") var cacheDir: String?
    @Option(help: "Seconds to connect.") var connectTimeout: Double = 10
    @Option(help: "Seconds to wait for the first byte of an answer (prefill of a long prompt).") var firstByteTimeout: Double = 900
    @Option(help: "Seconds for a whole request.") var totalTimeout: Double = 3600
    @Option(help: "Tries per request (429/5xx/timeouts/resets are retried).") var maxAttempts = 6
    @Option(help: "Exit non-zero when more than this fraction of the run's samples failed (error or overflow).") var failOnError: Double?
    @Option(help: "Output folder.") var out = "runs"
    @Option(help: "Run only shard I of N (I/N, or auto/N from JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID).") var shard: String?
    @Option(help: "Run at most N samples (of this shard).") var limit: Int?
    @Flag(help: "Re-run samples whose last attempt failed.") var retryErrors = false
    @Flag(help: "Let tasks run model-written code to score it, only inside the sandbox (without it such samples are skipped, never failed).")
    var allowExec = false
    @Flag(help: "Show the plan and the first sample of each task and length; send nothing.") var dryRun = false
    @Flag(help: "Print run.json to stdout instead of the table.") var json = false
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var tasksOption: TasksOption

    var usesServer: Bool { !endpoint.isEmpty || engine != nil }

    func validate() throws {
        if concurrency != "auto" && (Int(concurrency) ?? 0) < 1 { throw ValidationError("--concurrency takes a number of at least 1, or auto") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if !endpoint.isEmpty && engine != nil { throw ValidationError("use --endpoint or --engine, not both") }
        if !usesServer && !ReferenceSystems.names.contains(model) {
            throw ValidationError("--model \(model) needs --endpoint URL or --engine (without them, use a built-in system: \(ReferenceSystems.names.joined(separator: ", ")))")
        }
        if apiKeyEnv != nil && endpoint.isEmpty { throw ValidationError("--api-key-env only makes sense with --endpoint") }
        if let failOnError, !(0...1).contains(failOnError) { throw ValidationError("--fail-on-error takes a fraction from 0 to 1") }
    }

    func run() async throws {
        let registry = try tasksOption.loadRegistry()
        var plan = try sampling.plan(names: names, registry: registry)
        plan.prefixModeOverride = prompts.prefixModeOverride
        let probe = try await earlyProbe()
        let tokenizer = try makeTokenizer(probe: probe)
        let factory = SampleFactory(plan: plan, tokenizer: tokenizer, rendering: try makeRendering(tokenizer: tokenizer, probe: probe))
        let backend = try makeBackend(registry: registry)
        let width = concurrency == "auto" ? maxConcurrency : Int(concurrency)!
        let options = RunOptions(
            outRoot: out, concurrency: width, shard: try shard.map { try Shard.parse($0, environment: ProcessInfo.processInfo.environment) },
            limit: limit, retryErrors: retryErrors, showProgress: !quiet, framework: FathomVersion.framework(tasksDirectory: registry.directory),
            scoring: ScoringContext(allowExec: allowExec))
        let runner = Runner(factory: factory, backend: backend, options: options)
        if dryRun {
            do { try printDryRun(runner) } catch {
                await backend.shutdown()
                throw error
            }
            await backend.shutdown()
            return
        }
        let signals = engine == nil ? [] : Self.stopEnginesOnSignals()
        let manifest: RunManifest
        do {
            manifest = try await runner.run()
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
        signals.forEach { $0.cancel() }
        if json {
            print(try jsonText(manifest, pretty: true))
        } else {
            print(try RunReport(manifest: manifest, directory: runner.directory).text())
            print("results: \(runner.directory)")
        }
        if let failOnError {
            let planned = manifest.results.map { $0.n - $0.nMissing }.reduce(0, +)
            let failed = manifest.results.map { $0.nError + $0.nOverflow }.reduce(0, +)
            if planned > 0, Double(failed) / Double(planned) > failOnError {
                printError("error: \(failed) of \(planned) samples failed, above --fail-on-error \(failOnError)")
                throw ExitCode(3)
            }
        }
    }

    /// The first endpoint's probe, taken once before synthesis when the tokenizer or the chat template needs it:
    /// `--tokenizer endpoint`, `--chat-template server`, or a template whose server style is not given.
    func earlyProbe() async throws -> ProbeReport? {
        guard !endpoint.isEmpty else { return nil }
        let templateNeedsIt = prompts.templateSource == .server || (prompts.templateSource != .none && prompts.chatServer == nil)
        guard sampling.tokenizer == "endpoint" || templateNeedsIt else { return nil }
        let transport = HTTPTransport()
        do {
            let report = try await EndpointProbe(transport: transport, apiKey: apiKey, healthTimeoutSeconds: healthTimeout).probe(endpoint[0], model: model)
            await transport.shutdown()
            return report
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// `--tokenizer endpoint` counts with the (first) endpoint's own tokenize route, found by probing it.
    func makeTokenizer(probe: ProbeReport?) throws -> any Tokenizer {
        guard sampling.tokenizer == "endpoint" else { return try sampling.makeTokenizer() }
        guard let first = endpoint.first, let probe else {
            throw ValidationError("--tokenizer endpoint needs --endpoint URL (a server with a tokenize route)")
        }
        guard let route = probe.tokenizeRoute else {
            throw ValidationError("\(first) (\(probe.serverKind)) has no tokenize route Fathom knows; use --tokenizer with a tokenizer file")
        }
        return try EndpointTokenizer(base: first, route: route, model: model, apiKey: apiKey)
    }

    /// The chat template (if any) and how the server applies it: the server kind comes from the probe, or from
    /// --engine for a local engine.
    func makeRendering(tokenizer: any Tokenizer, probe: ProbeReport?) throws -> PromptRendering {
        var serverKind = probe?.serverKind
        if let engine, let spec = try? EngineSpec.parse(engine, model: engineModel, extraArguments: []) {
            serverKind = spec.kind == "llama-server" ? "llama.cpp" : spec.kind
        }
        let serverTemplate = probe.flatMap { p in p.chatTemplate.map { (source: $0, bos: p.bosToken, eos: p.eosToken, url: endpoint[0]) } }
        return try prompts.rendering(
            tokenizer: tokenizer, tokenizerPath: sampling.tokenizer, engineModel: engineModel, serverKind: serverKind, serverTemplate: serverTemplate)
    }

    var apiKey: String? { apiKeyEnv.flatMap { ProcessInfo.processInfo.environment[$0] } }

    func makeBackend(registry: Registry) throws -> any ModelBackend {
        guard usesServer else {
            if model == "null" { return NullSystem() }
            if model == "retrieval" { return RetrievalSystem() }
            let tasks = registry.tasks
            return OracleSystem { sample in tasks[sample.task]!.oracleAnswer(sample: sample) }
        }
        var options = OpenAICompatibleBackend.Options()
        options.concurrency = concurrency == "auto" ? .auto(maximum: maxConcurrency) : .fixed(Int(concurrency)!)
        options.stream = stream
        options.declaredContext = contextLimit
        options.timeouts = Timeouts(connectSeconds: connectTimeout, firstByteSeconds: firstByteTimeout, totalSeconds: totalTimeout)
        options.maxAttempts = max(1, maxAttempts)
        options.healthTimeoutSeconds = healthTimeout
        options.cacheDirectory = cacheDir ?? (cache ? ResponseCache.defaultDirectory : nil)
        if let engine {
            let spec = try EngineSpec.parse(engine, model: engineModel, extraArguments: engineArg)
            return LocalEngineBackend(spec: spec, modelName: model, options: options, context: contextLimit, startupTimeoutSeconds: healthTimeout)
        }
        var key: String? = nil
        if let apiKeyEnv {
            guard let value = ProcessInfo.processInfo.environment[apiKeyEnv], !value.isEmpty else {
                throw ValidationError("the environment variable \(apiKeyEnv) (from --api-key-env) is not set")
            }
            key = value
        }
        return try OpenAICompatibleBackend(endpoints: endpoint, model: model, apiKey: key, options: options)
    }

    /// On SIGINT/SIGTERM, stop any engine this run started, then exit (130 / 143).
    static func stopEnginesOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                printError("\nstopping the engine…")
                EngineProcess.stopAll()
                Foundation.exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    func printDryRun(_ runner: Runner) throws {
        let plan = runner.plan
        let items = plan.items(shard: runner.options.shard, limit: runner.options.limit)
        print("plan \(plan.name): \(plan.tasks.count) tasks × \(plan.lengths.map(ContextLength.format).joined(separator: ",")) × \(plan.samples) samples = \(items.count) requests")
        print("tokenizer \(runner.factory.tokenizer.name), prompts \(runner.factory.rendererName), results in \(runner.directory)")
        for length in plan.lengths {
            for (t, task) in plan.tasks.enumerated() {
                guard let item = items.first(where: { $0.taskIndex == t && $0.length == length }) else { continue }
                let sample = try runner.factory.sample(item)
                print("  \(pad(task.descriptor.name, 24)) \(pad(ContextLength.format(length), 5)) prompt \(sample.metadata.promptTokens) + max_tokens \(sample.generation.maxTokens) tokens, prefix \(sample.generation.prefixMode.rawValue)")
            }
        }
    }
}
