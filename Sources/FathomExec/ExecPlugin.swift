import FathomCore
import Foundation

/// `plugin: exec`: a task plugin in any language. The manifest's `command` starts a process (in the manifest's
/// folder) that speaks the exec protocol, JSON lines over stdin and stdout (`ExecSchema`, or
/// `schemas/exec-plugin.v1.schema.json`): it describes itself (parameters, metrics, axes, default budget), makes
/// samples (asking Fathom to count tokens in the target tokenizer, so lengths are exact), scores answers and gives
/// oracle answers.
///
/// Fathom trusts nothing it says: every line is checked against the schema; Fathom renders and counts every prompt
/// itself and checks the length rule, the budget and the axes; scores must lie in 0...1. A plugin that crashes,
/// hangs past the manifest's `timeout`, writes a line over 32 MiB or breaks the protocol is killed (with its
/// process group) and replaced, and the error names the manifest, the command and the end of its stderr, which
/// goes to a log file. During synthesis such an error stops the run (samples already journaled are kept); during
/// scoring it records the sample as `score_error`.
public struct ExecPlugin: TaskPlugin, ExternalPluginKind {
    public static let kind = TaskManifest.execKind
    public static let summary = "a task plugin in any language: a process speaking the exec protocol (schemas/exec-plugin.v1.schema.json)"
    public static let metrics: [String] = []
    public static let defaultMaxTokens = 1
    public static let defaultTags = TaskTags(family: "exec", diffusion: "low", scope: "small")
    /// Seconds one request may take when the manifest sets no `timeout`.
    public static let defaultTimeout = 120.0
    /// The longest line a plugin may write.
    public static let maxLineBytes = 32 << 20

    public let descriptor: TaskDescriptor
    public let axes: [AxisSpec]
    public let provenance: [String: String]
    /// The metrics the plugin declared (the manifest picks from these).
    let declaredMetrics: [String]
    let pool: ExecWorkerPool

    public init(descriptor: TaskDescriptor, parameters: NoParameters) throws {
        throw FathomError(.usage, "exec tasks are made from their manifest's command", file: descriptor.file, key: "plugin")
    }

    init(descriptor: TaskDescriptor, description: ExecMessages.Description, pool: ExecWorkerPool) {
        self.descriptor = descriptor
        self.axes = (description.axes ?? []).map(\.spec)
        self.provenance = description.provenance ?? [:]
        self.declaredMetrics = description.metrics
        self.pool = pool
    }

    // MARK: loading

    /// Folder of the plugins' stderr logs: `$FATHOM_EXEC_LOGS`, else `fathom-exec/` in the temporary folder.
    public static var logDirectory: String {
        if let folder = ProcessInfo.processInfo.environment["FATHOM_EXEC_LOGS"], !folder.isEmpty { return folder }
        return FileManager.default.temporaryDirectory.appendingPathComponent("fathom-exec").path
    }

    static func launch(for manifest: TaskManifest, task: ExecMessages.Init.Task?) -> ExecLaunch {
        ExecLaunch(
            command: manifest.command ?? [], directory: manifest.directory, file: manifest.file, timeout: manifest.timeout ?? defaultTimeout,
            logPath: logDirectory + "/\(Slug.make(manifest.name)).\(getpid()).log", maxLineBytes: maxLineBytes, task: task)
    }

    /// Starts the manifest's command once and asks it to describe itself.
    public static func describe(_ manifest: TaskManifest) throws -> PluginDescription {
        let worker = try ExecWorker(launch(for: manifest, task: nil))
        do {
            let described = try description(worker.description, manifest: manifest)
            DescribedWorkers.shared.put(worker, for: workerKey(manifest))  // `make` sends it the task
            return described
        } catch {
            worker.finish()
            throw error
        }
    }

    static func workerKey(_ manifest: TaskManifest) -> String { manifest.file + "\u{0}" + manifest.name + "\u{0}" + (manifest.command ?? []).joined(separator: "\u{0}") }

    static func description(_ d: ExecMessages.Description, manifest: TaskManifest) throws -> PluginDescription {
        var specs: [ParameterSpec] = []
        for p in d.parameters ?? [] {
            let spec = ParameterSpec(p.name, p.type, default: p.default, allowed: p.allowed, minimum: p.minimum, doc: p.doc)
            guard case .success = spec.validate(p.default) else {
                throw FathomError(
                    .invalidValue, "the plugin declares parameter '\(p.name)' of type \(p.type.rawValue) with a default that does not fit it",
                    file: manifest.file, key: "plugin")
            }
            specs.append(spec)
        }
        return PluginDescription(
            kind: kind, summary: d.summary, metrics: d.metrics, defaultMaxTokens: d.maxTokens,
            defaultTags: d.tags ?? TaskTags(family: "exec", diffusion: "low", scope: "small"), parameterSpecs: specs)
    }

    /// The task: starts its first process, which checks the resolved parameters (`init`) and then stays ready.
    public static func make(descriptor: TaskDescriptor, manifest: TaskManifest, description: PluginDescription) throws -> any TaskPlugin {
        let task = ExecMessages.Init.Task(
            name: descriptor.name, version: descriptor.version, params: descriptor.parameters, metrics: descriptor.metrics,
            maxTokens: descriptor.generation.maxTokens, stop: descriptor.generation.stop, prefixMode: descriptor.generation.prefixMode)
        let pool = ExecWorkerPool(launch: launch(for: manifest, task: task))
        if let described = DescribedWorkers.shared.take(workerKey(manifest)) {
            try described.initialize(task)
            pool.adopt(described)
        }
        let first = try pool.withWorker { $0.description! }
        return ExecPlugin(descriptor: descriptor, description: first, pool: pool)
    }

    // MARK: samples

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let message = ExecMessages.MakeSample(
            sampleID: request.identity.id, index: request.index, length: request.length, seed: request.seed, seedText: String(request.seed),
            generation: request.generation,
            tokenizer: .init(name: request.tokenizer.name, exact: !(request.tokenizer.name == "approx")))
        let reply = try pool.withWorker { worker -> ExecMessages.SampleReply in
            try conversing(worker) {
                let answer = try worker.exchange(message) { question in
                    switch question.type {
                    case "count_tokens":
                        return ExecMessages.TokenCounts(counts: request.tokenizer.counts(try question.decode(ExecMessages.CountTokens.self).texts))
                    case "count_prompt":
                        let asked = try question.decode(ExecMessages.CountPrompt.self)
                        let text = try request.renderer.render(messages: asked.messages, answerPrefix: asked.answerPrefix ?? "")
                        return ExecMessages.PromptTokens(tokens: request.tokenizer.promptTokenCount(text, bos: request.renderer.bos))
                    default: return nil
                    }
                }
                switch answer.type {
                case "sample": return try answer.decode(ExecMessages.SampleReply.self)
                case "error":
                    let error = try answer.decode(ExecMessages.ErrorReply.self)
                    throw FathomError(.invalidValue, "the plugin could not make the sample: \(error.message)", file: descriptor.file, key: error.key)
                default:
                    worker.markBroken()
                    throw ExecFailure(message: "it answered make_sample with '\(answer.type)', not 'sample'")
                }
            }
        }
        return try sample(from: reply, request: request)
    }

    /// The sample as Fathom builds it from a plugin's reply: its own identity, prompt text and token count.
    func sample(from reply: ExecMessages.SampleReply, request: SampleRequest) throws -> Sample {
        let answerPrefix = reply.answerPrefix ?? ""
        let promptText = try request.renderer.render(messages: reply.messages, answerPrefix: answerPrefix)
        let promptTokens = request.tokenizer.promptTokenCount(promptText, bos: request.renderer.bos)
        if let claimed = reply.promptTokens, claimed != promptTokens {
            throw FathomError(
                .length, "the plugin says its prompt has \(claimed) tokens; Fathom counts \(promptTokens) with \(request.tokenizer.name)",
                file: descriptor.file)
        }
        var generation = request.generation
        if let maxTokens = reply.maxTokens { generation.maxTokens = maxTokens }
        let sample = Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: reply.messages,
            answerPrefix: answerPrefix, promptText: promptText, reference: reply.reference, generation: generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: promptTokens, contextTokens: reply.contextTokens ?? promptTokens,
                tokenizer: request.tokenizer.fingerprint, needles: reply.needles ?? [], knobs: reply.knobs ?? [:], axes: reply.axes ?? [:]),
            turns: reply.turns ?? [], turnMode: reply.turnMode ?? .conversation)
        if var error = Self.problem(sample, of: self, request: request) {
            if error.kind == .length { error.message += "; size the prompt with count_prompt, which counts exactly as Fathom does" }
            error.file = descriptor.file
            throw error
        }
        return sample
    }

    /// What Fathom's sample checks find wrong with `sample`, if anything.
    static func problem(_ sample: Sample, of task: ExecPlugin, request: SampleRequest) -> FathomError? {
        do {
            try SampleCheck.verify(sample, of: task, identity: request.identity, generation: request.generation)
            return nil
        } catch {
            return error
        }
    }

    // MARK: scoring

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let message = ExecMessages.Score(
            sample: .init(sample),
            response: .init(
                text: response.text, reasoning: response.reasoning, finishReason: response.finishReason, truncated: response.isTruncated,
                usage: response.usage),
            allowExec: context.allowExec)
        do {
            return try pool.withWorker { worker in
                try conversing(worker) {
                    let answer = try worker.exchange(message) { _ in nil }
                    switch answer.type {
                    case "score": return try checked(answer.decode(ExecMessages.ScoreReply.self))
                    case "scoring_failure": throw ScoringFailure(try answer.decode(ExecMessages.Reason.self).reason)
                    case "scoring_skipped": throw ScoringSkipped(try answer.decode(ExecMessages.Reason.self).reason)
                    case "error": throw ScoringFailure("the plugin: \(try answer.decode(ExecMessages.ErrorReply.self).message)")
                    default:
                        worker.markBroken()
                        throw ExecFailure(message: "it answered score with '\(answer.type)'")
                    }
                }
            }
        } catch let error as FathomError {
            throw ScoringFailure(error.description)
        }
    }

    /// The plugin's score as Fathom records it: the value is the manifest's headline metric; every metric the
    /// manifest asks for must be there, and only metrics the plugin declared may be.
    func checked(_ reply: ExecMessages.ScoreReply) throws -> Score {
        var metrics = reply.metrics ?? [:]
        for name in metrics.keys.sorted() where !declaredMetrics.contains(name) {
            throw ScoringFailure("the plugin reported metric '\(name)', which it did not declare (\(declaredMetrics.joined(separator: ", ")))")
        }
        let headline = descriptor.metrics[0]
        if let value = metrics[headline], value != reply.value {
            throw ScoringFailure("the plugin's value \(reply.value) differs from its headline metric \(headline) = \(value)")
        }
        metrics[headline] = reply.value
        for name in descriptor.metrics where metrics[name] == nil {
            throw ScoringFailure("the plugin did not report metric '\(name)', which the manifest asks for")
        }
        return Score(value: reply.value, metrics: metrics.filter { descriptor.metrics.contains($0.key) }, details: reply.details)
    }

    /// The oracle answer, asked of the plugin.
    public func oracle(_ sample: Sample) throws -> String {
        try pool.withWorker { worker in
            try conversing(worker) {
                let answer = try worker.exchange(ExecMessages.Oracle(sample: .init(sample))) { _ in nil }
                guard answer.type == "oracle" else {
                    if answer.type == "error" {
                        throw FathomError(.invalidValue, "the plugin has no oracle answer: \(try answer.decode(ExecMessages.ErrorReply.self).message)")
                    }
                    worker.markBroken()
                    throw ExecFailure(message: "it answered oracle with '\(answer.type)'")
                }
                return try answer.decode(ExecMessages.OracleReply.self).answer
            }
        }
    }

    /// The oracle answer; when the plugin cannot give one, a warning on stderr and an empty answer (which scores as
    /// the null system does, so the oracle's score shows the problem).
    public func oracleAnswer(sample: Sample) -> String {
        do { return try oracle(sample) } catch {
            FileHandle.standardError.write(Data("warning: \(descriptor.name): no oracle answer for sample \(sample.id): \(error)\n".utf8))
            return ""
        }
    }

    /// Runs one conversation; a broken protocol becomes an error naming the manifest, the command and the stderr log.
    private func conversing<T>(_ worker: ExecWorker, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let failure as ExecFailure {
            worker.markBroken()
            throw ExecWorker.error(failure.message, launch: worker.launch, log: worker.process)
        }
    }
}
