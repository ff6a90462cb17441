import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// `fathom merge`: shards run into separate output trees (as on separate machines) merge into the unsharded run's
/// results exactly; mismatched runs, foreign samples and conflicting answers are refused; missing shards reported.
@Suite struct MergeTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    let framework = RunManifest.Framework(name: "fathom", version: "test", gitCommit: "test")

    /// Answers by a hash of the sample id, so every shard layout gives each sample the same outcome: a failed request,
    /// an empty answer, half the oracle's answer, or the oracle's.
    struct MixedBackend: ModelBackend {
        let oracle: OracleSystem
        var info: ModelInfo { ModelInfo(name: "mixed", kind: "reference") }
        func generate(_ request: GenerationRequest) async -> GenerationResult {
            switch SHA256.hex(request.sample.id).first! {
            case "0", "1", "2": return .failure(.error, "http_500", "injected", latencyMs: 1, attempts: 2)
            case "3", "4", "5": return GenerationResult(text: "", finishReason: "stop", latencyMs: 1)
            case "6", "7", "8":
                let full = await oracle.generate(request).text
                return GenerationResult(text: String(full.prefix(full.count / 2)), finishReason: "stop", latencyMs: 1)
            default: return await oracle.generate(request)
            }
        }
    }

    func backend() -> MixedBackend {
        let tasks = registry.tasks
        return MixedBackend(oracle: OracleSystem { tasks[$0.task]!.oracleAnswer(sample: $0) })
    }

    func runner(_ plan: RunPlan, out: String, shard: Shard? = nil) -> Runner {
        Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend(),
            options: RunOptions(outRoot: out, concurrency: 4, shard: shard, showProgress: false, framework: framework))
    }

    /// One unsharded run and four shards, each in its own output tree; returns the unsharded manifest and the trees.
    func runs(_ root: String) async throws -> (whole: RunManifest, shards: [String]) {
        let plan = try RunPlan.resolve(names: ["quick"], registry: registry, lengths: [2048], samples: 3, seed: 5)
        let whole = try await runner(plan, out: root + "/whole").run()
        var trees: [String] = []
        for i in 0..<4 {
            let tree = root + "/pod-\(i)"
            try await runner(plan, out: tree, shard: Shard(index: i, count: 4)).run()
            trees.append(tree)
        }
        return (whole, trees)
    }

    func encoded<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func fourShardsMergeToTheUnshardedResults() async throws {
        let root = RepoPaths.temporaryDirectory("merge")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (whole, trees) = try await runs(root)
        #expect(whole.results.contains { $0.nError > 0 } && whole.results.contains { ($0.score ?? 0) > 0 })
        let report = try RunMerge.merge(trees, into: root + "/merged")
        #expect(report.inputs.count == 4 && report.journals.count == 4 && report.duplicates == 0)
        #expect(report.missingShards == [4: []] && report.missingSamples == 0)
        #expect(report.manifest.status == "complete" && report.manifest.shard == nil)
        #expect(try encoded(report.manifest.results) == encoded(whole.results))
        #expect(try encoded(report.manifest.byAxis) == encoded(whole.byAxis))
        #expect(try encoded(report.manifest.summary) == encoded(whole.summary))
        // The merged folder is a normal run folder: read back, it gives the same results.
        #expect(try encoded(RunFolder.refresh(root + "/merged", status: "complete").results) == encoded(whole.results))
        // Merging the merged run with a shard again counts every sample once.
        let again = try RunMerge.merge([root + "/merged", trees[1]], into: root + "/again")
        let shardOne = try RunFolder.records(in: RunMerge.runFolders([trees[1]])[0])
        #expect(again.samples == report.samples && again.duplicates == shardOne.count)
        #expect(try encoded(again.manifest.results) == encoded(whole.results))
    }

    @Test func refusesMismatchesForeignSamplesAndConflicts() async throws {
        let root = RepoPaths.temporaryDirectory("merge-refuse")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (_, trees) = try await runs(root)
        // A shard with a failed request and an answered sample.
        let shard = try #require(try (0..<4).first { i in
            let statuses = try RunFolder.records(in: RunMerge.runFolders([trees[i]])[0]).map(\.status)
            return statuses.contains(.ok) && statuses.contains(.error)
        })
        let folder = try RunMerge.runFolders([trees[shard]])[0]
        let copy = root + "/copy"
        try FileManager.default.copyItem(atPath: folder, toPath: copy)

        // A different seed: the error names the key and both files.
        var manifest = try JSONDecoder().decode(RunManifest.self, from: Data(contentsOf: URL(fileURLWithPath: copy + "/run.json")))
        manifest.suite.seed = 6
        try manifest.write(to: copy)
        var error = try #require(throws: FathomError.self) { try RunMerge.merge([trees[shard], copy], into: root + "/m1") }
        #expect(error.message.contains("suite.seed differs") && error.message.contains("copy/run.json has 6"))
        manifest.suite.seed = 5
        try manifest.write(to: copy)

        // Two different answers to one sample.
        let journal = copy + "/samples.\(shard)-of-4.jsonl"
        var records = try Journal.read(journal)
        let answered = try #require(records.firstIndex { $0.status == .ok })
        records[answered].response += " and more"
        records[answered].score = 0.5
        try write(records, to: journal)
        error = try #require(throws: FathomError.self) { try RunMerge.merge([trees[shard], copy], into: root + "/m2") }
        #expect(error.message.contains("two different answers") && error.message.contains(records[answered].id))

        // A failed request in one journal, an answer in the other: the answer counts, the rest once.
        records = try Journal.read(folder + "/samples.\(shard)-of-4.jsonl")
        let failed = try #require(records.firstIndex { $0.status == .error })
        records[failed].status = .ok
        records[failed].score = 1
        records[failed].errorClass = nil
        try write(records, to: journal)
        let merged = try RunMerge.merge([trees[shard], copy], into: root + "/m3")
        #expect(merged.replacedFailures == 1 && merged.duplicates == records.count - 1 && merged.samples == records.count)
        #expect(try RunFolder.records(in: root + "/m3").first { $0.id == records[failed].id }?.status == .ok)
        let others = (0..<4).filter { $0 != shard }
        #expect(merged.missingShards == [4: others] && merged.manifest.status == "partial")
        #expect(merged.text.contains("missing shards: " + others.map { "\($0)/4" }.joined(separator: ", ")))
        #expect(throws: FathomError.self) { try RunMerge.merge([trees[shard]], into: root + "/m4", requireComplete: true) }
        #expect(!FileManager.default.fileExists(atPath: root + "/m4"))

        // A record that is not a sample of the plan.
        records[failed].index = 99
        try write(records, to: journal)
        error = try #require(throws: FathomError.self) { try RunMerge.merge([copy], into: root + "/m5") }
        #expect(error.message.contains("not a sample of this run's plan"))
        // The destination must be fresh.
        error = try #require(throws: FathomError.self) { try RunMerge.merge([trees[(shard + 1) % 4]], into: root + "/m3") }
        #expect(error.message.contains("new or empty folder"))
    }

    func write(_ records: [SampleRecord], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for record in records {
            data.append(try encoder.encode(record))
            data.append(0x0a)
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
