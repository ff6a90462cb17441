import FathomRank
import Foundation
import Testing
@testable import FathomBoard

@Suite("Board run reader")
struct BoardReaderTests {
    @Test("reads results and measurements; an errored sample is measured as 0, a skipped one not at all")
    func readerCountsOnlyOkSamples() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        var samples = RunFixture.samples(quality: 2)
        samples[1] = .init(task: "t.a", length: 4096, index: 1, status: "error", score: nil)
        let shard = #"{"id": "t.a-8192-9", "task": "t.a", "length": 8192, "index": 9, "prompt_hash": "p", "prompt_tokens": 10, "response": "", "latency_ms": 1, "status": "ok", "attempts": 1, "score": 0.5, "truncated": false, "prompt_tokens_mismatch": false, "cached": false}"#
        let dir = try fx.writeRun(model: "m1", samples: samples, extraJournal: ("samples.1-of-2.jsonl", [shard]), tornLine: true)
        let run = try RunResults.read(folder: dir)
        #expect(run.model == "m1")
        #expect(run.suite == "mini")
        #expect(run.lengths == [4096, 8192])
        #expect(run.cells.count == 4)
        #expect(run.samples.count == 13)  // 12 + 1 from the shard journal; the torn last line is dropped
        let measurements = run.measurements()
        #expect(measurements.count == 13)  // the errored sample counts, as 0: a failure can never lift a model
        #expect(measurements.contains { $0.sample == "t.a-4096-1" && $0.score == 0 })
        #expect(measurements.contains { $0.sample == "t.a-8192-9" && $0.score == 0.5 && $0.task == "t.a@8k" })
        #expect(Set(measurements.map(\.task)) == ["t.a@4k", "t.a@8k", "t.grid@4k", "t.grid@8k"])
        let cell = try #require(run.cells.first { $0.task == "t.a" && $0.length == 4096 })
        #expect(cell.nError == 1 && cell.nOk == 2)
        #expect(run.tasks.first { $0.name == "t.grid" }?.axes.map(\.name) == ["depth"])
        #expect(run.tasks.first { $0.name == "t.a" }?.axes == [])
        let pooled = run.axisCells.filter { $0.length == nil }
        #expect(pooled.map(\.value) == [.number(0), .number(50), .number(100)] && pooled.allSatisfy { $0.n == 2 })
    }

    @Test("the last record of a sample id wins (retried errors)")
    func lastRecordWins() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        var samples = RunFixture.samples(quality: 1)
        samples.append(.init(task: "t.a", length: 4096, index: 0, status: "error", score: nil))
        let run = try RunResults.read(folder: try fx.writeRun(model: "m", samples: samples))
        #expect(run.samples.count == 12)
        #expect(run.samples.first { $0.id == "t.a-4096-0" }?.status == "error")
        #expect(run.measurements().count == 12 && run.measurements().contains { $0.sample == "t.a-4096-0" && $0.score == 0 })
    }

    @Test("a sample id counts once however many lines and journals hold it (two writers before the journal lock)")
    func duplicateLinesCountOnce() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let dir = try fx.writeRun(model: "m", samples: RunFixture.samples(quality: 2))
        let journal = URL(fileURLWithPath: dir + "/samples.jsonl")
        let lines = try Data(contentsOf: journal)
        try (lines + lines).write(to: journal)
        try lines.write(to: URL(fileURLWithPath: dir + "/samples.0-of-2.jsonl"))
        let run = try RunResults.read(folder: dir)
        #expect(run.samples.count == 12 && Set(run.samples.map(\.id)).count == 12)
        #expect(run.measurements().count == 12)
    }

    @Test("errors name the folder or file")
    func errors() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let empty = fx.root.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(throws: BoardError.notARunFolder(path: empty)) { try RunResults.read(folder: empty) }

        let future = try fx.writeRun(model: "future", schemaVersion: 7, samples: RunFixture.samples(quality: 1))
        #expect(throws: BoardError.unsupportedSchema(file: future + "/run.json", found: 7, supported: [1, 2])) {
            try RunResults.read(folder: future)
        }
        let message = BoardError.unsupportedSchema(file: future + "/run.json", found: 7, supported: [1, 2]).description
        #expect(message.contains(future + "/run.json") && message.contains("7"))

        let partial = try fx.writeRun(model: "half", status: "partial", samples: RunFixture.samples(quality: 1))
        #expect(throws: BoardError.incompleteRun(file: partial + "/run.json", status: "partial")) {
            try RunResults.read(folder: partial)
        }
        let run = try RunResults.read(folder: partial, allowPartial: true)
        #expect(run.isPartial)
        let board = try LeaderboardBuilder.build([run], options: PublishOptions(bootstrap: 0))
        #expect(board.runs.allSatisfy { $0.partial })
        #expect(board.results.allSatisfy { $0.partial })

        let broken = try fx.writeRun(model: "broken", samples: RunFixture.samples(quality: 1))
        try Data("{\"id\": 1}\n{}\n".utf8).write(to: URL(fileURLWithPath: broken + "/samples.jsonl"))
        #expect(throws: BoardError.self) { try RunResults.read(folder: broken) }
        do { _ = try RunResults.read(folder: broken) } catch {
            #expect(String(describing: error).hasPrefix(broken + "/samples.jsonl:1:"))
        }
    }

    @Test("two runs of one model on one suite are refused")
    func duplicateRuns() throws {
        let fx = try RunFixture()
        defer { fx.remove() }
        let a = try RunResults.read(folder: try fx.writeRun(model: "m", samples: RunFixture.samples(quality: 1)))
        var b = a
        b.folder = "/elsewhere"
        #expect(throws: BoardError.self) { try LeaderboardBuilder.build([a, b]) }
    }
}
