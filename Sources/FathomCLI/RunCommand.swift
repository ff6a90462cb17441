import ArgumentParser
import FathomCore
import FathomModels
import FathomRun
import FathomReport
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
    @Option(help: "Requests in flight: a number, auto (adapts: starts at the server's slots, halves on 429), or slots (the default: the server's slot count from the probe, else 8).")
    var concurrency = "slots"
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

    func validate() throws {
        if !["auto", "slots"].contains(concurrency) && (Int(concurrency) ?? 0) < 1 {
            throw ValidationError("--concurrency takes a number of at least 1, auto or slots")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let failOnError, !(0...1).contains(failOnError) { throw ValidationError("--fail-on-error takes a fraction from 0 to 1") }
        try backendConfiguration.validate()
    }

    var backendConfiguration: BackendConfiguration {
        var options = OpenAICompatibleBackend.Options()
        switch concurrency {
        case "auto": options.concurrency = .auto(maximum: maxConcurrency)
        case "slots": options.concurrency = .slots(fallback: 8)
        default: options.concurrency = .fixed(Int(concurrency) ?? 1)
        }
        options.stream = stream
        options.declaredContext = contextLimit
        options.timeouts = Timeouts(connectSeconds: connectTimeout, firstByteSeconds: firstByteTimeout, totalSeconds: totalTimeout)
        options.maxAttempts = max(1, maxAttempts)
        options.healthTimeoutSeconds = healthTimeout
        options.cacheDirectory = cacheDir ?? (cache ? ResponseCache.defaultDirectory : nil)
        return BackendConfiguration(
            model: model, endpoints: endpoint, engine: engine, engineModel: engineModel, engineArguments: engineArg, apiKeyVariable: apiKeyEnv,
            options: options)
    }

    func run() async throws {
        let registry = try tasksOption.loadRegistry()
        let session = RunSession(
            names: names, registry: registry, sampling: try sampling.configuration, prompts: prompts.configuration, backend: backendConfiguration,
            options: RunOptions(
                outRoot: out, concurrency: Int(concurrency) ?? maxConcurrency,
                shard: try shard.map { try Shard.parse($0, environment: ProcessInfo.processInfo.environment) }, limit: limit,
                retryErrors: retryErrors, showProgress: !quiet, framework: .current(near: registry.directory),
                scoring: ScoringContext(allowExec: allowExec)))
        if dryRun {
            print(try await session.describe())
            return
        }
        let (manifest, directory) = try await session.run()
        if json {
            print(try jsonText(manifest, pretty: true))
        } else {
            print(try RunReport(manifest: manifest, directory: directory).text())
            print("results: \(directory)")
        }
        if let failOnError, manifest.failedFraction > failOnError {
            printError("error: \(String(format: "%.1f", manifest.failedFraction * 100))% of the samples failed, above --fail-on-error \(failOnError)")
            throw ExitCode(3)
        }
    }
}
