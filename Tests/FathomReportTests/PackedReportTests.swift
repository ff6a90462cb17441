import FathomCore
import FathomModels
import FathomReport
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// The LongGenBench sections of `fathom report`: packed against single-item accuracy on the same items per K, and
/// accuracy by position (`--by position`) from the samples' details.
@Suite struct PackedReportTests {
    /// A run of a small packed task (K = 4 and 8 at 4K) whose packed answers get the even positions right and the
    /// odd ones wrong, and whose single-item answers are all right.
    func run(out: String) async throws -> String {
        var registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        try registry.add(TaskManifest.parse(
            "name: lg.small\nplugin: packed_qa\nversion: 1\nparams: {style: gsm, k: [4, 8], answer_tokens: 40}\nmetrics: [accuracy, single_accuracy, drop]\n",
            file: "lg.yaml"))
        let task = try registry.task(named: "lg.small")
        let plan = try RunPlan.resolve(names: ["lg.small", "ruler.niah_single_1"], registry: registry, lengths: [4096], samples: 4, seed: 5)
        let answer: @Sendable (Sample) -> String = { sample in
            guard sample.task == "lg.small" else { return "" }
            let blocks = task.oracleAnswer(sample: sample).components(separatedBy: "\n\n")
            guard !sample.turns.isEmpty else { return blocks.joined(separator: "\n\n") }  // alone: right
            return blocks.enumerated().map { $0.offset % 2 == 0 ? $0.element : String($0.element.prefix { $0 != ":" }) + ": The answer is -1." }
                .joined(separator: "\n\n")
        }
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()), backend: OracleSystem(answer: answer),
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        try await runner.run()
        return runner.directory
    }

    @Test func reportStatesTheDropAndAccuracyByPosition() async throws {
        let out = RepoPaths.temporaryDirectory("longgen-report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let report = try RunReport.load(try await run(out: out))
        let cells = report.manifest.results.filter { $0.task == "lg.small" }
        #expect(cells.count == 1 && cells[0].score == 0.5 && cells[0].metrics["single_accuracy"] == 1 && cells[0].metrics["drop"] == 0.5)

        let text = try report.text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("packed vs single-item accuracy on the same items") }, "\(text)")
        let rows = lines.filter { $0.hasPrefix("lg.small ") }.map { $0.split(separator: " ").map(String.init) }
        // task, style, K, length, single, packed, drop, items, truncated
        #expect(rows.count == 3, "the results row and one drop row per K: \(text)")
        #expect(rows.contains(["lg.small", "gsm", "4", "all", "100.0", "50.0", "50.0", "8", "0/2"]))
        #expect(rows.contains(["lg.small", "gsm", "8", "all", "100.0", "50.0", "50.0", "16", "0/2"]))

        let byPosition = try report.text(by: "position")
        let packed = try #require(byPosition.split(separator: "\n").first { $0.hasPrefix("lg.small ") }).split(separator: " ").map(String.init)
        let single = try #require(byPosition.split(separator: "\n").first { $0.hasPrefix("lg.small (single)") }).split(separator: " ").map(String.init)
        // Deciles 0 and 1: position 0 (always right) and K=8's position 1 (always wrong); 4 samples, none truncated.
        #expect(Array(packed[1...2]) == ["100.0", "0.0"] && packed.suffix(2) == ["4", "0"], "\(byPosition)")
        #expect(single.dropFirst(2).prefix(10).allSatisfy { $0 == "100.0" || $0 == "-" }, "\(byPosition)")
        #expect(!byPosition.split(separator: "\n").contains { $0.hasPrefix("ruler.") }, "tasks without item scores have no position row")

        let byK = try report.text(by: "k")
        #expect(byK.contains("by k") && byK.contains("50.0 (2)"))
        let charts = try report.writeCharts(by: "position").map { String($0.split(separator: "/").last!) }
        #expect(charts.contains("details-by-position.svg") && !charts.contains("by-position.svg"))
        let svg = String(decoding: try #require(FileManager.default.contents(atPath: report.directory + "/report/details-by-position.svg")), as: UTF8.self)
        #expect(svg.hasPrefix("<svg") && svg.contains("lg.small (single)"))
        #expect(throws: FathomError.self) { try report.text(by: "colour") }
        // Without item scores the sections print nothing.
        #expect(PackedDropSection.lines(for: report.manifest, records: []).isEmpty)
        #expect(PositionSection.view("position", manifest: report.manifest, records: []) == nil)
        #expect(PositionSection.view("depth", manifest: report.manifest, records: try report.records()) == nil)
        // Reading a run that is still being written never cuts its journal's last line.
        let journal = report.directory + "/samples.jsonl"
        let handle = try #require(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data("{\"id\": \"partial".utf8))
        try handle.close()
        let size = try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int
        #expect(try RunReport.load(report.directory).records().count == report.records().count)
        #expect(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int == size)
    }
}
