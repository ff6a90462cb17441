import FathomCore
import FathomMetrics
import FathomModels
import FathomRun
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// A plugin that uses every capability of the contract, so the runner's side of each is tested: typed parameters,
/// a budget per sample, a structured reference, an axis, extra turns combined by the plugin, a scorer that sees
/// finish_reason, fails, declines and blocks (it must run off the cooperative pool).
struct ContractProbe: TaskPlugin {
    static let kind = "contract_probe"
    static let summary = "Exercises the plugin contract."
    static let metrics = ["exact"]
    static let defaultMaxTokens = 8
    static let defaultTags = TaskTags(family: "test", diffusion: "low", scope: "small")

    struct Parameters: TaskParameters {
        var items = 3
        var turns = 2
        static let documentation: [String: ParameterDoc] = [
            "items": ParameterDoc("items to list", minimum: 1), "turns": ParameterDoc("extra turns", minimum: 0),
        ]
    }

    /// The structured reference: the items in order.
    struct Items: Codable, Equatable { var items: [String] }

    let descriptor: TaskDescriptor
    let parameters: Parameters
    init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        self.descriptor = descriptor
        self.parameters = parameters
    }

    var axes: [AxisSpec] { [AxisSpec("k", doc: "the sample's output level")] }

    /// Items the sample asks for: `items + index % 3`.
    func count(_ index: Int) -> Int { parameters.items + index % 3 }

    func makeSample(_ request: SampleRequest) throws -> Sample {
        let k = count(request.index)
        let items = (0..<k).map { "item\(request.index)-\($0)" }
        var generation = request.generation
        generation.maxTokens = 4 * k  // the budget follows the output size
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: generation.maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: "Items:", frame: { [Message(.user, $0 + "\nList the items.")] }))
        let sized = try builder.build(minimum: 0, guess: request.length / 2) { n in
            (items + Array(repeating: "filler", count: n)).joined(separator: " ")
        }
        let turns = (0..<parameters.turns).map { t in
            Turn(
                question: "Repeat item \(t).", messages: [Message(.user, "Repeat item \(t).")], answerPrefix: "Item:",
                reference: Reference(answers: [items[t % k]]), maxTokens: 3)
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: sized.prompt.messages,
            answerPrefix: "Items:", promptText: sized.prompt.promptText, reference: try Reference(answers: items, Items(items: items)),
            generation: generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens,
                tokenizer: request.tokenizer.fingerprint, axes: ["k": .number(Double(k))]),
            turns: turns)
    }

    /// A second of blocking would starve the 2-thread cooperative pool if scoring ran on it: `release` is signalled
    /// by an async task, which cannot run while both pool threads wait.
    static let release = DispatchSemaphore(value: 0)

    func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        if response.text.hasPrefix("BLOCK ") {
            guard Self.release.wait(timeout: .now() + 10) == .success else { throw ScoringFailure("the scorer was starved") }
        }
        if response.text.contains("BOOM") { throw ScoringFailure("the checker crashed") }
        if response.text.contains("SKIP") { throw ScoringSkipped("not allowed") }
        if response.text.hasPrefix("EXEC "), !context.allowExec { throw ScoringSkipped("running model code needs --allow-exec") }
        let expected = sample.reference.structured == nil ? sample.reference.answers : try sample.reference.decode(Items.self).items
        let words = response.text.split(separator: " ").map(String.init).filter { $0 != "BLOCK" && $0 != "EXEC" }
        let right = words == expected
        return Score(
            value: right ? 1 : 0, metrics: ["exact": right ? 1 : 0],
            details: .object(["finish_reason": .string(response.finishReason ?? "none"), "truncated": .bool(response.isTruncated)]))
    }

    func oracleAnswer(sample: Sample) -> String { sample.reference.answers.joined(separator: " ") }

    /// The weakest turn decides.
    func combine(turns: [Score]) -> Score { turns.min { $0.value < $1.value }! }
}

/// Answers from a script over the request (an in-process reference system; no HTTP).
struct ScriptedSystem: ModelBackend {
    let answer: @Sendable (Sample) -> GenerationResult
    var info: ModelInfo { ModelInfo(name: "scripted", kind: "reference") }
    func generate(_ request: GenerationRequest) async -> GenerationResult { answer(request.sample) }
}

@Suite struct ContractRunTests {
    let framework = RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")

    func registry() throws -> Registry {
        var registry = try Registry(kinds: [ContractProbe.self])
        try registry.add(TaskManifest.parse("name: probe\nplugin: contract_probe\nversion: 1\nparams: {items: 2}\n", file: "probe.yaml"))
        return registry
    }

    func run(_ backend: any ModelBackend, samples: Int = 6, concurrency: Int = 4, scoring: ScoringContext = ScoringContext()) async throws
        -> (RunManifest, [SampleRecord], String)
    {
        let out = RepoPaths.temporaryDirectory("contract")
        let plan = try RunPlan.resolve(names: ["probe"], registry: try registry(), lengths: [1024, 2048], samples: samples, seed: 1)
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
            options: RunOptions(outRoot: out, concurrency: concurrency, showProgress: false, framework: framework, scoring: scoring))
        let manifest = try await runner.run()
        return (manifest, try Journal.recover(runner.directory + "/samples.jsonl"), out)
    }

    func oracle() throws -> OracleSystem {
        let task = try registry().task(named: "probe")
        return OracleSystem { task.oracleAnswer(sample: $0) }
    }

    @Test func budgetsArePerSampleAndCountedByTheLengthRule() async throws {
        let (manifest, records, out) = try await run(try oracle())
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(manifest.results.allSatisfy { $0.score == 1 && $0.nOk == 6 })
        for record in records {
            let k = 2 + record.index % 3
            #expect(record.maxTokens == 4 * k)
            #expect(LengthRule.holds(promptTokens: record.promptTokens, maxTokens: 4 * k, length: record.length))
        }
    }

    @Test func axesAreRecordedAndAggregated() async throws {
        let (manifest, records, out) = try await run(try oracle())
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(records.allSatisfy { $0.axes?["k"] == .number(Double(2 + $0.index % 3)) })
        #expect(manifest.tasks[0].axes.map(\.name) == ["k"])
        let pooled = manifest.byAxis.filter { $0.axis == "k" && $0.length == nil }
        #expect(pooled.map(\.value) == [.number(2), .number(3), .number(4)])
        #expect(pooled.map(\.n) == [4, 4, 4] && pooled.allSatisfy { $0.score == 1 })
        #expect(manifest.byAxis.filter { $0.length == 1024 }.map(\.n) == [2, 2, 2])
    }

    @Test func scorerFailuresAndRefusalsAreStatusesNotZeros() async throws {
        let task = try registry().task(named: "probe")
        let backend = ScriptedSystem { sample in
            let text = sample.index == 1 ? "BOOM" : sample.index == 2 ? "SKIP" : task.oracleAnswer(sample: sample)
            return GenerationResult(text: text, finishReason: sample.index == 3 ? "length" : "stop", latencyMs: 0)
        }
        let (manifest, records, out) = try await run(backend)
        defer { try? FileManager.default.removeItem(atPath: out) }
        for record in records {
            switch record.index {
            case 1: #expect(record.status == .scoreError && record.score == nil && record.error == "the checker crashed")
            case 2: #expect(record.status == .skipped && record.score == nil)
            default: #expect(record.status == .ok && record.score == 1)
            }
            if record.index == 3 {
                #expect(record.truncated && record.scoreDetails?["truncated"] == .bool(true))
                #expect(record.scoreDetails?["finish_reason"] == .string("length"))
            }
        }
        for cell in manifest.results {
            // The sample itself is never scored 0; the cell headline counts the failure as 0, the skip not at all.
            #expect(cell.nScoreError == 1 && cell.nSkipped == 1 && cell.nOk == 4 && cell.nTruncatedOutput == 1)
            #expect(cell.score == 0.8 && cell.scoreOk == 1)
        }
    }

    @Test func scorersSeeWhatTheRunAllows() async throws {
        let task = try registry().task(named: "probe")
        let backend = ScriptedSystem { GenerationResult(text: "EXEC " + task.oracleAnswer(sample: $0), finishReason: "stop", latencyMs: 0) }
        let (denied, deniedRecords, out1) = try await run(backend, samples: 2)
        let (allowed, allowedRecords, out2) = try await run(backend, samples: 2, scoring: ScoringContext(allowExec: true))
        defer { for out in [out1, out2] { try? FileManager.default.removeItem(atPath: out) } }
        #expect(deniedRecords.allSatisfy { $0.status == .skipped } && denied.results.allSatisfy { $0.score == nil && $0.nSkipped == 2 })
        #expect(allowedRecords.allSatisfy { $0.status == .ok && $0.score == 1 } && allowed.scoring.allowExec)
        #expect(denied.runID != allowed.runID, "allowing execution is a different run")
    }

    @Test func turnsAreScoredEachAndCombinedByThePlugin() async throws {
        let task = try registry().task(named: "probe")
        // Right on the first question and on turn 0; wrong on turn 1 for even samples.
        let backend = ScriptedSystem { sample in
            let isTurn1 = sample.messages.last?.content == "Repeat item 1."
            let text = isTurn1 && sample.index % 2 == 0 ? "wrong" : task.oracleAnswer(sample: sample)
            return GenerationResult(text: text, finishReason: "stop", latencyMs: 0)
        }
        let (_, records, out) = try await run(backend)
        defer { try? FileManager.default.removeItem(atPath: out) }
        for record in records {
            let turns = try #require(record.turns)
            #expect(turns.count == 2 && turns.allSatisfy { $0.status == .ok })
            #expect(turns[0].score == 1)
            #expect(turns[1].score == (record.index % 2 == 0 ? 0 : 1))
            #expect(record.score == (record.index % 2 == 0 ? 0 : 1), "combine takes the weakest turn")
        }
    }

    @Test func blockingScorersRunOffTheCooperativePool() async throws {
        let task = try registry().task(named: "probe")
        let backend = ScriptedSystem { sample in
            // Only the first question blocks (its sample still has its turns): one wait per sample, 8 in all.
            GenerationResult(text: sample.turns.isEmpty ? task.oracleAnswer(sample: sample) : "BLOCK " + task.oracleAnswer(sample: sample),
                             finishReason: "stop", latencyMs: 0)
        }
        let releaser = Task {
            for _ in 0..<8 {
                try await Task.sleep(for: .milliseconds(50))
                ContractProbe.release.signal()
            }
        }
        let (_, records, out) = try await run(backend, samples: 4, concurrency: 8)
        releaser.cancel()
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(records.count == 8)
        #expect(!records.contains { $0.error == "the scorer was starved" })
    }

    /// run.json and every samples.jsonl line of a run that used every capability (turns, details, axes, failures)
    /// match the published schemas; the schema files in `schemas/` are the ones the binary carries.
    @Test func runFilesMatchTheirSchemas() async throws {
        let task = try registry().task(named: "probe")
        let backend = ScriptedSystem { sample in
            GenerationResult(text: sample.index == 1 ? "BOOM" : sample.index == 2 ? "SKIP" : task.oracleAnswer(sample: sample),
                             finishReason: sample.index == 3 ? "length" : "stop", latencyMs: 0)
        }
        let out = RepoPaths.temporaryDirectory("schemas")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let plan = try RunPlan.resolve(names: ["probe"], registry: try registry(), lengths: [1024], samples: 5, seed: 1)
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: framework))
        try await runner.run()
        let run = try #require(FileManager.default.contents(atPath: runner.directory + "/run.json"))
        #expect(try ResultsSchemas.validate(run: run) == [])
        let journal = try #require(FileManager.default.contents(atPath: runner.directory + "/samples.jsonl"))
        let lines = journal.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 5)
        for line in lines { #expect(try ResultsSchemas.validate(sample: Data(line)) == []) }
        // The validator is not vacuous: a line with an unknown status or a missing key fails.
        let broken = String(decoding: lines[0], as: UTF8.self).replacingOccurrences(of: #""status":""#, with: #""status":"not-"#)
        #expect(try !ResultsSchemas.validate(sample: Data(broken.utf8)).isEmpty)
        let missing = String(decoding: run, as: UTF8.self).replacingOccurrences(of: #""by_axis""#, with: #""by_axes""#)
        #expect(try !ResultsSchemas.validate(run: Data(missing.utf8)).isEmpty)
        for (name, text) in [("run", ResultsSchemas.run), ("sample", ResultsSchemas.sample)] {
            let file = try #require(FileManager.default.contents(atPath: RepoPaths.root + "/schemas/\(name).schema.json"))
            #expect(String(decoding: file, as: UTF8.self) == text + "\n", "schemas/\(name).schema.json differs from the binary's: run `fathom schema \(name)`")
        }
    }

    @Test func factoryRejectsSamplesThatBreakTheContract() throws {
        struct Liar: TaskPlugin {
            static let kind = "liar"
            static let summary = "Breaks the contract."
            static let metrics = ["exact"]
            static let defaultMaxTokens = 8
            static let defaultTags = TaskTags(family: "test", diffusion: "low", scope: "small")
            let descriptor: TaskDescriptor
            init(descriptor: TaskDescriptor, parameters: NoParameters) { self.descriptor = descriptor }
            var axes: [AxisSpec] { [AxisSpec("k", doc: "")] }
            func makeSample(_ request: SampleRequest) throws -> Sample {
                let lie = request.index
                return Sample(
                    id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: [],
                    answerPrefix: "", promptText: "", reference: Reference(answers: ["x"]), generation: request.generation,
                    metadata: SampleMetadata(
                        targetLength: request.length, promptTokens: lie == 0 ? request.length : request.length - 20, contextTokens: 0,
                        tokenizer: "t", axes: lie == 1 ? [:] : ["k": .number(1)]))
            }
            func oracleAnswer(sample: Sample) -> String { "x" }
        }
        var registry = try Registry(kinds: [Liar.self])
        try registry.add(TaskManifest.parse("name: liar\nplugin: liar\nversion: 1\n", file: "liar.yaml"))
        let plan = try RunPlan.resolve(names: ["liar"], registry: registry, lengths: [1024], samples: 3, seed: 1)
        let factory = SampleFactory(plan: plan, tokenizer: ApproxTokenizer())
        let items = plan.items()
        #expect(throws: FathomError.self) { try factory.sample(items[0]) }  // prompt + max_tokens > L
        do {
            _ = try factory.sample(items[1])
            Issue.record("a missing axis value must be refused")
        } catch {
            #expect(error.description.contains("missing: k") && error.description.contains("liar.yaml"))
        }
        #expect(try factory.sample(items[2]).metadata.axes["k"] == .number(1))
    }
}

/// Issue 16, item 2: a model that fails on the samples it would have got wrong must not score higher than one that
/// answers them wrongly. Headlines count failures as 0; the ok-only mean is shown beside them.
@Suite struct FailuresCannotRaiseHeadlinesTests {
    let framework = RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")

    func run(_ backend: any ModelBackend, out: String) async throws -> RunManifest {
        var registry = try Registry(kinds: [ContractProbe.self])
        try registry.add(TaskManifest.parse("name: probe\nplugin: contract_probe\nversion: 1\nparams: {turns: 0}\n", file: "probe.yaml"))
        var plan = try RunPlan.resolve(names: ["probe"], registry: registry, lengths: [1024, 2048], samples: 3, seed: 1)
        plan.aggregation = SuiteAggregation(byLength: "mean", headline: "effective_length", threshold: 85.6)
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: framework))
        return try await runner.run()
    }

    @Test func failuresCountAsZero() async throws {
        let out = RepoPaths.temporaryDirectory("failures")
        defer { try? FileManager.default.removeItem(atPath: out) }
        // Right at 1K; at 2K right on samples 0 and 1, and sample 2 fails (an overflow) where it would be wrong.
        let failing = ScriptedSystem { sample in
            if sample.length == 2048 && sample.index == 2 {
                return .failure(.overflow, "context_length", "too long", latencyMs: 1, attempts: 1)
            }
            return GenerationResult(text: sample.reference.answers.joined(separator: " "), finishReason: "stop", latencyMs: 0)
        }
        let manifest = try await run(failing, out: out)
        let cell = try #require(manifest.results.first { $0.length == 2048 })
        #expect(cell.nOk == 2 && cell.nOverflow == 1)
        #expect(abs(cell.score! - 2.0 / 3) < 1e-12, "the failure counts as 0")
        #expect(cell.scoreOk == 1, "the ok-only mean is kept beside it")
        #expect(manifest.summary.byLength["2k"].map { abs($0 - 2.0 / 3) < 1e-12 } == true)
        #expect(manifest.summary.byLengthOk["2k"] == 1 && manifest.summary.meanOk == 1 && !manifest.summary.complete)
        #expect(manifest.summary.effectiveLength == 1024, "a failure must not extend the effective length")
        #expect(abs(manifest.summary.mean! - (1 + 2.0 / 3) / 2) < 1e-12)
        // The same answers with the third one wrong instead of failed give the same headline.
        let wrong = ScriptedSystem { sample in
            let text = sample.length == 2048 && sample.index == 2 ? "nothing" : sample.reference.answers.joined(separator: " ")
            return GenerationResult(text: text, finishReason: "stop", latencyMs: 0)
        }
        let answered = try await run(wrong, out: out + "/b")
        #expect(answered.summary.mean == manifest.summary.mean && answered.summary.effectiveLength == manifest.summary.effectiveLength)
        #expect(answered.summary.complete)
    }
}
