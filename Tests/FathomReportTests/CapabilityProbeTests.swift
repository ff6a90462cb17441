import FathomBoard
import FathomCore
import FathomModels
import FathomRank
import FathomReport
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// `fathom rank --where/--query` end to end on real run folders: a NIAH specialist and a database specialist, a fake
/// embeddings endpoint (bag of words), and the samples' recorded question text.
@Suite(.serialized) struct CapabilityProbeTests {
    /// Answers the tasks whose name starts with one of `solves` with the oracle answer, the others with nothing.
    struct Specialist: ModelBackend {
        let name: String
        let solves: [String]
        var info: ModelInfo { ModelInfo(name: name, kind: "reference") }
        func generate(_ request: GenerationRequest) async -> GenerationResult {
            let task = request.sample.task
            let right = solves.contains { task.hasPrefix($0) }
            let text = right ? ReportTests.registry.tasks[task]!.oracleAnswer(sample: request.sample) : ""
            return GenerationResult(text: text, finishReason: "stop", latencyMs: 0)
        }
        func prepare(requiredContext: Int, runDirectory: String) async throws {}
        func report() async -> BackendReport? { nil }
        var inFlightLimit: Int? { get async { nil } }
        func shutdown() async {}
    }

    static func run(_ backend: Specialist, out: String) async throws -> String {
        let plan = try RunPlan.resolve(names: ["ruler.niah_single_1", "holo.amount"], registry: ReportTests.registry, lengths: [1024],
                                       samples: 3, seed: 3)
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: backend,
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        try await runner.run()
        return runner.directory
    }

    /// A bag-of-words embedding over a few words, plus a constant (never all zeros).
    static let vocabulary = ["database", "table", "rows", "magic", "number", "special"]
    static func embed(_ text: String) -> [Double] {
        let words = text.lowercased().split { !$0.isLetter }
        return vocabulary.map { w in Double(words.filter { $0.hasPrefix(w) }.count) } + [0.1]
    }

    @Test("a text probe finds the database samples, where another model wins; structured probes select on axes; missing question text is an error")
    func textAndStructuredProbes() async throws {
        let out = RepoPaths.temporaryDirectory("probes")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let recall = try await Self.run(Specialist(name: "recall-model", solves: ["ruler."]), out: out)
        let tables = try await Self.run(Specialist(name: "table-model", solves: ["holo."]), out: out)
        let server = TestOpenAIServer { request, _ in
            let inputs = request.json?["input"] as? [String] ?? []
            let items = inputs.enumerated().map { i, t in #"{"index":\#(i),"embedding":[\#(Self.embed(t).map { String($0) }.joined(separator: ","))]}"# }
            return .status(200, body: #"{"data":["# + items.joined(separator: ",") + "]}")
        }
        let url = try server.start()
        defer { server.stop() }
        var text = CapabilityProbes.TextRequest(query: "rows of a database table", endpoint: url, topK: 3)
        text.client.cacheDirectory = nil
        let input = RankRunner.Input.runs([recall, tables])
        let options = RankOptions(alpha: 0.01)
        // Both answer 3 of 6 samples: the global mean ties them; the database question favours the table model.
        let report = try await CapabilityProbes.run(input, method: .mean, options: options, allowPartial: false, where: [], text: text)
        #expect(report.text?.candidates == 6 && report.text?.hits.count == 3)
        #expect(report.text?.hits.allSatisfy { $0.task.hasPrefix("holo.amount@") } == true, "\(String(describing: report.text?.hits))")
        #expect(report.probe.ranking.order == ["table-model", "recall-model"] && report.probe.ranking.ranking.map(\.rank) == [1, 2])
        #expect(report.global.ranking.map(\.rank) == [1, 1])
        #expect(report.probe.samplesPerModel == ["recall-model": 3, "table-model": 3])
        #expect(RankRunner.table(report).contains("text probe: \"rows of a database table\""))

        // Structured: the declared axes of holo are fields; a NIAH sample has none, so it never matches them.
        let pool = try RankRunner.pool(input)
        #expect(Set(["task", "family", "diffusion", "scope", "length", "amount", "position", "query_type", "depth"]).isSubset(of: Set(pool.knownFields)))
        let structured = try await CapabilityProbes.run(input, method: .bradleyTerry, options: options, allowPartial: false,
                                                        where: ["amount >= 1", "family = holistic-db"], text: nil)
        #expect(structured.probe.selectedSamples == 3 && structured.probe.ranking.order.first == "table-model")
        let both = try await CapabilityProbes.run(input, method: .mean, options: options, allowPartial: false, where: ["task contains niah"], text: text)
        #expect(both.text?.candidates == 3 && both.probe.ranking.order.first == "recall-model")
        await #expect(throws: RankError.self) {
            try await CapabilityProbes.run(input, method: .mean, options: options, allowPartial: false, where: ["qtype=join"], text: nil)
        }

        // A run recorded without question text (an older run) cannot take part in a text probe: an error, not a smaller pool.
        for folder in [recall, tables] {
        let journal = folder + "/samples.jsonl"
        let stripped = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n").map { line -> String in
            var object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            object.removeValue(forKey: "query")
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        try (stripped.joined(separator: "\n") + "\n").write(toFile: journal, atomically: true, encoding: .utf8)
        }
        do {
            _ = try await CapabilityProbes.run(input, method: .mean, options: options, allowPartial: false, where: [], text: text)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("6 of 6 samples have no question text"), "\(error)")
        }
    }
}
