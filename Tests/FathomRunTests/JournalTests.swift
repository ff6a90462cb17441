import FathomCore
import FathomModels
import FathomRun
import FathomTestSupport
import Foundation
import Testing

@Suite struct JournalTests {
    func record(_ id: String, status: SampleStatus = .ok) -> SampleRecord {
        let sample = Sample(
            id: id, task: "t", index: 0, length: 4096, messages: [], answerPrefix: "", promptText: "p", reference: Reference(answers: ["a"]),
            generation: GenerationSettings(maxTokens: 8), metadata: SampleMetadata(targetLength: 4096, promptTokens: 1, contextTokens: 0, tokenizer: "x"))
        return SampleRecord(sample: sample, result: GenerationResult(text: "a", latencyMs: 1, status: status), outcome: status == .ok ? .scored(Score(value: 1, metrics: [:])) : nil)
    }

    @Test func appendsAreReadBack() async throws {
        let dir = RepoPaths.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (journal, existing) = try Journal.open(dir + "/samples.jsonl")
        #expect(existing.isEmpty)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<50 { group.addTask { try await journal.append(record("id\(i)")) } }
            try await group.waitForAll()
        }
        let records = try Journal.recover(dir + "/samples.jsonl")
        #expect(Set(records.map { $0.id }) == Set((0..<50).map { "id\($0)" }) && records.count == 50)
    }

    @Test func aPartialLastLineIsDropped() throws {
        let dir = RepoPaths.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/samples.jsonl"
        let encoder = JSONEncoder()
        let good = String(decoding: try encoder.encode(record("a")), as: UTF8.self) + "\n"
        try (good + String(good.prefix(40))).write(toFile: path, atomically: true, encoding: .utf8)
        let records = try Journal.recover(path)
        #expect(records.map { $0.id } == ["a"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == good)  // truncated in place
    }

    @Test func corruptionInTheMiddleIsAnError() throws {
        let dir = RepoPaths.temporaryDirectory("journal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/samples.jsonl"
        let good = String(decoding: try JSONEncoder().encode(record("a")), as: UTF8.self)
        try (good + "\n{not json}\n" + good + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Journal.recover(path)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .journal && error.message.contains("line 2") && error.file == path)
        }
    }
}
