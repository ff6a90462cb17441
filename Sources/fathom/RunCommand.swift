import ArgumentParser
import FathomCore
import FathomModels
import FathomRun
import Foundation

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run suites or tasks against a model and score them.",
        discussion: """
            --model oracle|null without --endpoint selects a built-in reference system. Results go to \
            OUT/<suite>/<model>/<run-id>/ (samples.jsonl, run.json). Re-running the same command resumes: finished \
            samples are skipped. The API key is read from the environment variable named by --api-key-env.
            """)

    @Argument(help: "Suite or task names (see `fathom list`).") var names: [String]
    @Option(help: "Model name: oracle or null (built-in), or the served model's name with --endpoint.") var model: String
    @Option(help: "OpenAI-compatible base URL, e.g. http://127.0.0.1:8000.") var endpoint: String?
    @Option(help: "Name of the environment variable holding the API key.") var apiKeyEnv: String?
    @OptionGroup var sampling: SamplingOptions
    @Option(help: "Requests in flight at once.") var concurrency = 8
    @Option(help: "Output folder.") var out = "runs"
    @Option(help: "Run only shard I of N (I/N, or auto/N from JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID).") var shard: String?
    @Option(help: "Run at most N samples (of this shard).") var limit: Int?
    @Flag(help: "Re-run samples whose last attempt failed.") var retryErrors = false
    @Flag(help: "Show the plan and the first sample of each task and length; send nothing.") var dryRun = false
    @Flag(help: "Print run.json to stdout instead of the table.") var json = false
    @Flag(help: "No progress output.") var quiet = false
    @OptionGroup var tasksOption: TasksOption

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if endpoint == nil && !ReferenceSystems.names.contains(model) {
            throw ValidationError("--model \(model) needs --endpoint URL (without one, use a built-in system: \(ReferenceSystems.names.joined(separator: ", ")))")
        }
        if apiKeyEnv != nil && endpoint == nil { throw ValidationError("--api-key-env only makes sense with --endpoint") }
    }

    func run() async throws {
        let registry = try tasksOption.loadRegistry()
        let plan = try sampling.plan(names: names, registry: registry)
        let factory = SampleFactory(plan: plan, tokenizer: try sampling.makeTokenizer(), renderer: PlainPromptRenderer())
        let backend = try makeBackend(registry: registry)
        let options = RunOptions(
            outRoot: out, concurrency: concurrency, shard: try shard.map { try Shard.parse($0, environment: ProcessInfo.processInfo.environment) },
            limit: limit, retryErrors: retryErrors, showProgress: !quiet, framework: FathomVersion.framework(tasksDirectory: registry.directory))
        let runner = Runner(factory: factory, backend: backend, options: options)
        if dryRun {
            try printDryRun(runner)
            await backend.shutdown()
            return
        }
        let manifest: RunManifest
        do {
            manifest = try await runner.run()
        } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
        if json {
            print(try jsonText(manifest, pretty: true))
        } else {
            print(ReportTable.render(manifest))
            print("results: \(runner.directory)")
        }
    }

    func makeBackend(registry: Registry) throws -> any ModelBackend {
        guard let endpoint else {
            if model == "null" { return NullSystem() }
            let tasks = registry.tasks
            return OracleSystem { sample in tasks[sample.task]!.oracleAnswer(sample: sample) }
        }
        var key: String? = nil
        if let apiKeyEnv {
            guard let value = ProcessInfo.processInfo.environment[apiKeyEnv], !value.isEmpty else {
                throw ValidationError("the environment variable \(apiKeyEnv) (from --api-key-env) is not set")
            }
            key = value
        }
        var options = OpenAICompatibleBackend.Options()
        options.concurrency = concurrency
        return OpenAICompatibleBackend(endpoint: endpoint, model: model, apiKey: key, options: options)
    }

    func printDryRun(_ runner: Runner) throws {
        let plan = runner.plan
        let items = plan.items(shard: runner.options.shard, limit: runner.options.limit)
        print("plan \(plan.name): \(plan.tasks.count) tasks × \(plan.lengths.map(ContextLength.format).joined(separator: ",")) × \(plan.samples) samples = \(items.count) requests")
        print("tokenizer \(runner.factory.tokenizer.name), results in \(runner.directory)")
        for length in plan.lengths {
            for (t, task) in plan.tasks.enumerated() {
                guard let item = items.first(where: { $0.taskIndex == t && $0.length == length }) else { continue }
                let sample = try runner.factory.sample(item)
                print("  \(pad(task.descriptor.name, 24)) \(pad(ContextLength.format(length), 5)) prompt \(sample.metadata.promptTokens) + max_tokens \(sample.generation.maxTokens) tokens")
            }
        }
    }
}
