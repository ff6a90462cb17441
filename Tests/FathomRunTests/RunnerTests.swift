import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct RunnerTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    let framework = RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")

    func runner(_ plan: RunPlan, backend: any ModelBackend, out: String, limit: Int? = nil, concurrency: Int = 4, shard: Shard? = nil) -> Runner {
        Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
            options: RunOptions(outRoot: out, concurrency: concurrency, shard: shard, limit: limit, showProgress: false, framework: framework))
    }

    func oracle() -> OracleSystem {
        let tasks = registry.tasks
        return OracleSystem { tasks[$0.task]!.oracleAnswer(sample: $0) }
    }

    @Test func oracleScoresOneNullScoresZero() async throws {
        let out = RepoPaths.temporaryDirectory("run")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let plan = try RunPlan.resolve(names: ["quick"], registry: registry, lengths: nil, samples: 3, seed: nil)
        let good = try await runner(plan, backend: oracle(), out: out).run()
        #expect(good.status == "complete")
        #expect(good.results.allSatisfy { $0.score == 1 && $0.nOk == 3 && $0.n == 3 })
        #expect(good.summary.mean == 1)
        let bad = try await runner(plan, backend: NullSystem(), out: out).run()
        #expect(bad.results.allSatisfy { $0.score == 0 })
    }

    @Test func resumeRunsOnlyWhatIsMissing() async throws {
        let out = RepoPaths.temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let plan = try RunPlan.resolve(names: ["quick"], registry: registry, lengths: [2048], samples: 5, seed: 3)
        let first = runner(plan, backend: oracle(), out: out, limit: 7)
        let partial = try await first.run()
        #expect(partial.status == "partial")
        #expect(partial.results.map { $0.nOk }.reduce(0, +) == 7)
        let full = try await runner(plan, backend: oracle(), out: out).run()
        #expect(full.status == "complete")
        let records = try Journal.recover(first.directory + "/samples.jsonl")
        #expect(records.count == 30 && Set(records.map { $0.id }).count == 30)
        // A third run sends nothing.
        let counting = CountingBackend(inner: oracle())
        _ = try await runner(plan, backend: counting, out: out).run()
        #expect(counting.calls == 0)
    }

    @Test func shardsPartitionThePlanAndMerge() async throws {
        let out = RepoPaths.temporaryDirectory("shards")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let plan = try RunPlan.resolve(names: ["quick"], registry: registry, lengths: [2048], samples: 4, seed: 3)
        let all = Set(plan.items().map { $0.identity.id })
        let parts = (0..<3).map { i in Set(plan.items(shard: Shard(index: i, count: 3)).map { $0.identity.id }) }
        #expect(parts[0].union(parts[1]).union(parts[2]) == all && parts.map { $0.count }.reduce(0, +) == all.count)
        var last: RunManifest? = nil
        for i in 0..<3 { last = try await runner(plan, backend: oracle(), out: out, shard: Shard(index: i, count: 3)).run() }
        #expect(last?.status == "complete" && last?.results.allSatisfy { $0.score == 1 } == true)
        #expect(throws: FathomError.self) { _ = try Shard.parse("3/3", environment: [:]) }
        #expect(try Shard.parse("auto/4", environment: ["JOB_COMPLETION_INDEX": "2"]) == Shard(index: 2, count: 4))
    }

    /// Through a server that fails in every way: every sample ends up recorded exactly once, failures are counted
    /// as failures (never scored as 0), and answers that came back are scored.
    @Test func faultsAreCountedNotScored() async throws {
        let out = RepoPaths.temporaryDirectory("faults")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let attempts = AttemptCounter()
        let server = TestOpenAIServer { request, _ in
            let user = ((request.json?["messages"] as? [[String: String]])?.last?["content"]) ?? ""
            let key = ExtractiveAnswerer.queriedKey(user)
            let fault = FaultClass.of(key)
            let attempt = attempts.next(key)
            switch fault {
            case 0: return .status(400, body: #"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}}"#)
            case 1: return .status(404, body: #"{"error":{"message":"no such model"}}"#)
            case 2 where attempt == 0: return .status(429, body: "{}", headers: ["Retry-After": "0"])
            case 3 where attempt == 0: return .status(500, body: "oops")
            case 4 where attempt == 0: return .reset
            case 5 where attempt == 0: return .malformed
            default: return .complete(content: " " + ExtractiveAnswerer.answer(user) + ".")
            }
        }
        let url = try server.start()
        defer { server.stop() }
        var options = OpenAICompatibleBackend.Options()
        options.backoffBaseSeconds = 0.01
        options.backoffCapSeconds = 0.02
        let backend = OpenAICompatibleBackend(endpoint: url, model: "fault-model", apiKey: nil, options: options)
        let plan = try RunPlan.resolve(names: ["ruler.niah_single_1", "ruler.niah_multikey_2"], registry: registry, lengths: [2048], samples: 20, seed: 5)
        let manifest = try await runner(plan, backend: backend, out: out, concurrency: 6).run()
        await backend.shutdown()
        let records = try Journal.recover(runner(plan, backend: backend, out: out).directory + "/samples.jsonl")
        #expect(records.count == 40 && Set(records.map { $0.id }).count == 40)
        let factory = SampleFactory(plan: plan, tokenizer: ApproxTokenizer())
        var expected = [0: 0, 1: 0, 5: 0]
        for item in plan.items() {
            let sample = try factory.sample(item)
            let fault = FaultClass.of(ExtractiveAnswerer.queriedKey(sample.messages[0].content + sample.answerPrefix))
            if fault == 0 { expected[0]! += 1 } else if fault == 1 { expected[1]! += 1 }
        }
        #expect(expected[0]! > 0 && expected[1]! > 0)
        #expect(manifest.results.map { $0.nOverflow }.reduce(0, +) == expected[0]!)
        // Malformed first answers are errors too (a malformed 200 is not retried: it is recorded as failed).
        let malformed = records.filter { $0.errorClass == "malformed_response" }.count
        #expect(manifest.results.map { $0.nError }.reduce(0, +) == expected[1]! + malformed)
        for record in records {
            if record.status == .ok { #expect(record.score == 1, "\(record.id) answered but scored \(String(describing: record.score))") }
            else { #expect(record.score == nil) }
        }
        // Failed samples are never scored themselves; the cell headline counts them as 0, the ok-only mean beside it.
        #expect(manifest.results.allSatisfy { $0.scoreOk == nil || $0.scoreOk == 1 })
        for cell in manifest.results where cell.nOk + cell.nError + cell.nOverflow > 0 {
            let expectedScore = Double(cell.nOk) / Double(cell.nOk + cell.nError + cell.nOverflow)
            #expect(abs((cell.score ?? -1) - expectedScore) < 1e-12)
        }
    }
}

/// Counts how often each key was asked, so a fault can hit only the first attempt.
final class AttemptCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func next(_ key: String) -> Int {
        lock.lock()
        defer { lock.unlock() }
        counts[key, default: -1] += 1
        return counts[key]!
    }
}

/// Which fault a sample meets, from its queried key: 0 overflow, 1 not found, 2 rate limit, 3 server error,
/// 4 reset, 5 malformed (first attempt only for 2–5), otherwise none.
enum FaultClass {
    static func of(_ key: String) -> Int { key.utf8.reduce(0) { $0 + Int($1) } % 9 }
}

/// A tiny extractive "model": answers a NIAH prompt by finding the queried key's needle.
enum ExtractiveAnswerer {
    static func queriedKey(_ prompt: String) -> String {
        guard let range = prompt.range(of: "special magic number for ", options: .backwards) else { return "" }
        let rest = prompt[range.upperBound...]
        return String(rest.prefix { $0 != " " })
    }

    static func answer(_ prompt: String) -> String {
        let key = queriedKey(prompt)
        guard let range = prompt.range(of: "numbers for \(key) is: ") else { return "" }
        return String(prompt[range.upperBound...].prefix { $0.isNumber })
    }
}

/// Passes requests through and counts them.
final class CountingBackend: ModelBackend, @unchecked Sendable {
    let inner: any ModelBackend
    private let lock = NSLock()
    private var count = 0
    init(inner: any ModelBackend) { self.inner = inner }
    var info: ModelInfo { inner.info }
    var calls: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
    func generate(_ request: GenerationRequest) async -> GenerationResult {
        lock.withLock { count += 1 }
        return await inner.generate(request)
    }
}

@Suite struct SuiteSummaryTests {
    /// Effective length: the largest length whose score, and every shorter length's, exceeds the threshold.
    @Test func effectiveLengthStopsAtTheFirstDip() async throws {
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        let plan = try RunPlan.resolve(names: ["ruler.niah_single_1"], registry: registry, lengths: [2048, 4096, 8192], samples: 1, seed: 1)
        func cell(_ length: Int, _ score: Double) -> RunManifest.Result {
            RunManifest.Result(
                task: "ruler.niah_single_1", length: length, n: 1, nOk: 1, nError: 0, nOverflow: 0, nMissing: 0, nTruncatedOutput: 0,
                nPromptMismatch: 0, score: score, ci95: nil, metrics: [:])
        }
        let dip = Aggregator.summary(plan: plan, results: [cell(2048, 0.9), cell(4096, 0.8), cell(8192, 0.95)])
        #expect(dip.effectiveLength == 2048)
        let none = Aggregator.summary(plan: plan, results: [cell(2048, 0.5), cell(4096, 0.9), cell(8192, 0.9)])
        #expect(none.effectiveLength == nil)
        let all = Aggregator.summary(plan: plan, results: [cell(2048, 0.9), cell(4096, 0.9), cell(8192, 0.9)])
        #expect(all.effectiveLength == 8192 && all.weightedMeanIncreasing != nil)
    }
}

@Suite struct SharedContextRunTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    /// Through a server that answers from the prompt: conversation turns grow the message list, separate requests
    /// do not; every turn is recorded with its latency and scored.
    @Test(arguments: ["niah.shared_context", "niah.shared_context_separate"])
    func followUpTurnsAreSentAndScored(task: String) async throws {
        let out = RepoPaths.temporaryDirectory("shared")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let server = TestOpenAIServer { request, _ in
            let messages = (request.json?["messages"] as? [[String: String]]) ?? []
            let question = messages.last?["content"] ?? ""
            let whole = messages.map { $0["content"] ?? "" }.joined(separator: "\n")
            let key = ExtractiveAnswerer.queriedKey(question)
            guard let range = whole.range(of: "numbers for \(key) is: ") else { return .complete(content: "?") }
            return .complete(content: " " + String(whole[range.upperBound...].prefix { $0.isNumber }) + ".")
        }
        let url = try server.start()
        defer { server.stop() }
        let backend = try OpenAICompatibleBackend(endpoints: [url], model: "test-model", apiKey: nil)
        let plan = try RunPlan.resolve(names: [task], registry: registry, lengths: [4096], samples: 2, seed: 9)
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
            options: RunOptions(outRoot: out, concurrency: 1, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        let manifest = try await runner.run()
        await backend.shutdown()
        #expect(manifest.results.allSatisfy { $0.score == 1 })
        let records = try Journal.recover(runner.directory + "/samples.jsonl")
        #expect(records.count == 2 && records.allSatisfy { $0.turns?.count == 3 && $0.turns!.allSatisfy { $0.status == .ok && $0.score == 1 } })
        let sizes = server.requests.map { (($0.json?["messages"] as? [[String: String]]) ?? []).count }
        #expect(sizes.count == 8)
        #expect(sizes == (task.hasSuffix("separate") ? [1, 1, 1, 1, 1, 1, 1, 1] : [1, 3, 5, 7, 1, 3, 5, 7]))
    }
}
