import FathomCore
import FathomModels
import FathomText
import Foundation

/// How a run is carried out (not what it measures: that is the plan).
public struct RunOptions: Sendable {
    public var outRoot: String
    public var concurrency: Int
    public var shard: Shard?
    public var limit: Int?
    /// Re-run samples whose last record is an error (the newest record of an id is the one that counts).
    public var retryErrors: Bool
    public var showProgress: Bool
    public var framework: RunManifest.Framework
    /// What scorers may do (run model code in the sandbox).
    public var scoring: ScoringContext

    public init(
        outRoot: String, concurrency: Int = 8, shard: Shard? = nil, limit: Int? = nil, retryErrors: Bool = false,
        showProgress: Bool = true, framework: RunManifest.Framework, scoring: ScoringContext = ScoringContext()
    ) {
        self.scoring = scoring
        self.outRoot = outRoot
        self.concurrency = concurrency
        self.shard = shard
        self.limit = limit
        self.retryErrors = retryErrors
        self.showProgress = showProgress
        self.framework = framework
    }
}

/// Runs a plan against a backend: synthesizes, generates, scores and journals each sample, resumes from the
/// journal, and writes `run.json`.
///
/// The run folder is `OUT/<suite>/<model-slug>/<run-id>/`, where the run id hashes the plan, tokenizer, prompt
/// renderer and model, so re-running the same command finds the same folder and only runs what is missing.
public struct Runner: Sendable {
    public var factory: SampleFactory
    public var backend: any ModelBackend
    public var options: RunOptions

    public init(factory: SampleFactory, backend: any ModelBackend, options: RunOptions) {
        self.factory = factory
        self.backend = backend
        self.options = options
    }

    public var plan: RunPlan { factory.plan }

    public var runID: String {
        String(
            SHA256.hex(
                "\(plan.hash)|\(factory.tokenizer.fingerprint)|\(factory.rendererName)|\(backend.info.name)|\(backend.info.endpoint ?? "")"
                    + (options.scoring.allowExec ? "|allow-exec" : "")
            ).prefix(12))
    }

    public var directory: String {
        "\(options.outRoot)/\(Slug.make(plan.name))/\(Slug.make(backend.info.name))/\(runID)"
    }

    var journalName: String {
        options.shard.map { "samples.\($0.index)-of-\($0.count).jsonl" } ?? "samples.jsonl"
    }

    /// Runs what is missing and returns the final manifest.
    @discardableResult
    public func run() async throws -> RunManifest {
        let directory = self.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FathomError(.io, "cannot create the run folder: \(error.localizedDescription)", file: directory)
        }
        let (journal, existing) = try Journal.open(directory + "/" + journalName)
        // A run that stops on an error releases the journal at once (resuming in the same process must not find it
        // held); the task group has awaited every append by then.
        defer { journal.close() }
        var latest: [String: SampleRecord] = [:]
        for record in existing { latest[record.id] = record }
        let items = plan.items(shard: options.shard, limit: options.limit)
        let pending = items.filter { item in
            guard let record = latest[item.identity.id] else { return true }
            return options.retryErrors && record.status == .error
        }
        if !pending.isEmpty {
            let required = pending.map { $0.length }.max()!
            try await backend.prepare(requiredContext: required, runDirectory: directory)
        }
        try await writeManifest(status: "running", records: try allRecords(in: directory))

        let progress = Progress(label: "\(plan.name) × \(backend.info.name)", total: pending.count, enabled: options.showProgress)
        if options.showProgress && items.count > pending.count {
            FileHandle.standardError.write(Data("resuming: \(items.count - pending.count) of \(items.count) samples already done\n".utf8))
        }
        let factory = self.factory
        let backend = self.backend
        let seed = plan.seed
        let scoring = options.scoring
        // Samples in flight: the backend's own limit (a server's slots) plus two being synthesized or scored, so
        // requests never queue inside the server; at most `options.concurrency`.
        let width = min(options.concurrency, (await backend.inFlightLimit).map { $0 + 2 } ?? options.concurrency)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var iterator = pending.makeIterator()
            func submit(_ item: PlanItem) {
                group.addTask {
                    let sample = try await Self.synthesize(item, factory: factory)
                    let task = factory.plan.tasks[item.taskIndex]
                    let record = await Self.answer(
                        sample, task: task, backend: backend, seed: seed, scoring: scoring,
                        renderer: factory.rendering.renderer(for: sample.generation.prefixMode, tokenizer: factory.tokenizer))
                    try await journal.append(record)
                    progress.advance(failed: record.status != .ok)
                }
            }
            for _ in 0..<max(1, width) {
                guard let item = iterator.next() else { break }
                submit(item)
            }
            while try await group.next() != nil {
                if let item = iterator.next() { submit(item) }
            }
        }
        progress.finish()
        let records = try allRecords(in: directory)
        let manifest = try await writeManifest(status: "complete", records: records)
        journal.close()
        return manifest
    }

    /// Synthesis is CPU work (and may call a server's tokenize route): it runs on GCD threads, at most one per
    /// core, so it never holds the cooperative pool that HTTP continuations need.
    static func synthesize(_ item: PlanItem, factory: SampleFactory) async throws -> Sample {
        try await OffPool.run { try factory.sample(item) }
    }

    /// Asks one sample (and its later turns, in order, stopping at the first failure), scores every answer off the
    /// cooperative pool, and returns the journal record.
    static func answer(
        _ sample: Sample, task: any TaskPlugin, backend: any ModelBackend, seed: UInt64, scoring: ScoringContext,
        renderer: any PromptRenderer
    ) async -> SampleRecord {
        let result = await backend.generate(GenerationRequest(sample: sample, seed: seed))
        var record = SampleRecord(sample: sample, result: result, outcome: nil)
        guard result.status == .ok else { return record }
        let outcome = await ScoringOutcome.of(task, result.response, sample, context: scoring)
        record.apply(outcome)
        guard case .scored(let first) = outcome, !sample.turns.isEmpty else { return record }
        var answers = [result.text]
        var turns: [TurnRecord] = []
        for k in sample.turns.indices {
            let request: Sample
            do { request = try sample.turnRequest(k, previous: answers, renderer: renderer) } catch {
                turns.append(TurnRecord(result: .failure(.error, "render", error.description, latencyMs: 0, attempts: 0), outcome: nil))
                break
            }
            let turnResult = await backend.generate(GenerationRequest(sample: request, seed: seed))
            let turnOutcome = turnResult.status == .ok ? await ScoringOutcome.of(task, turnResult.response, request, context: scoring) : nil
            let turn = TurnRecord(result: turnResult, outcome: turnOutcome)
            turns.append(turn)
            guard turn.status == .ok else { break }
            answers.append(turnResult.text)
        }
        record.addTurns(turns, first: first) { task.combine(turns: $0) }
        return record
    }

    /// Records of every journal in the run folder (all shards).
    func allRecords(in directory: String) throws(FathomError) -> [SampleRecord] { try RunFolder.records(in: directory) }

    @discardableResult
    func writeManifest(status: String, records: [SampleRecord]) async throws -> RunManifest {
        let backendReport = await backend.report()
        let aggregates = Aggregator.aggregate(layout: RunLayout(plan: plan), records: records)
        let results = aggregates.results
        let complete = results.allSatisfy { $0.nMissing == 0 }
        let manifest = RunManifest(
            schemaVersion: RunManifest.currentSchemaVersion, status: status == "complete" && !complete ? "partial" : status,
            framework: options.framework, runID: runID,
            suite: RunManifest.SuiteEntry(
                name: plan.name, hash: plan.hash, lengths: plan.lengths, samples: plan.samples, seed: plan.seed,
                aggregate: plan.aggregation),
            tasks: plan.tasks.map { task in
                let d = task.descriptor
                return RunManifest.TaskEntry(
                    name: d.name, kind: d.kind, version: d.version, hash: d.hash, file: d.file, params: d.parameters, metrics: d.metrics,
                    tags: d.tags, generation: plan.generation(of: task), axes: task.axes, provenance: task.provenance)
            },
            model: backend.info, backend: backendReport,
            tokenizer: RunManifest.TokenizerEntry(
                name: factory.tokenizer.name, fingerprint: factory.tokenizer.fingerprint, renderer: factory.rendererName,
                chatTemplate: factory.usesChatTemplate ? factory.rendering.report : nil, exact: !(factory.tokenizer is ApproxTokenizer),
                choice: factory.tokenizerChoice),
            sampling: RunManifest.GenerationSeed(temperature: 0, topP: 1, seed: plan.seed), shard: options.shard, scoring: options.scoring, results: results, byAxis: aggregates.byAxis, summary: aggregates.summary,
            efficiency: aggregates.efficiency)
        try manifest.write(to: directory)
        return manifest
    }
}
