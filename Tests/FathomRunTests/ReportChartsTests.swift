import FathomCore
import FathomModels
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `fathom report` writes score-vs-length curves and depth × length heatmaps as SVG that parses as XML.
@Suite(.serialized) struct ReportChartsTests {
    final class RootCollector: NSObject, XMLParserDelegate {
        var root: String?
        var elements = 0
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            elements += 1
        }
    }

    @Test func reportWritesValidSVGCharts() async throws {
        let out = RepoPaths.temporaryDirectory("report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        let plan = try RunPlan.resolve(names: ["niah.classic", "ruler.niah_single_2"], registry: registry, lengths: [2048, 4096], samples: 12, seed: 3)
        let tasks = registry.tasks
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()),
            backend: OracleSystem { tasks[$0.task]!.oracleAnswer(sample: $0) },
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        try await runner.run()
        let records = try Journal.recover(runner.directory + "/samples.jsonl")
        #expect(records.allSatisfy { $0.answerDepth != nil })

        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepoPaths.fathomExecutable)
        process.arguments = ["report", runner.directory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let files = try FileManager.default.contentsOfDirectory(atPath: runner.directory + "/report").sorted()
        #expect(files == ["curves.svg", "heatmap-niah.classic.svg", "heatmap-ruler.niah_single_2.svg"])
        for file in files {
            let data = try #require(FileManager.default.contents(atPath: runner.directory + "/report/" + file))
            let parser = XMLParser(data: data)
            let collector = RootCollector()
            parser.delegate = collector
            #expect(parser.parse(), "\(file) is not well-formed XML")
            #expect(collector.root == "svg" && collector.elements > 10, "\(file)")
        }
        let heatmap = String(decoding: FileManager.default.contents(atPath: runner.directory + "/report/heatmap-niah.classic.svg")!, as: UTF8.self)
        for label in ["5.0", "45.0", "95.0", "2k", "4k"] { #expect(heatmap.contains(">\(label)<"), "heatmap lacks \(label)") }
    }

    /// A system that is right on the plain task and silent on its confusing twin shows a 100-point drop.
    @Test func reportStatesTheConfusingFactsDrop() async throws {
        let out = RepoPaths.temporaryDirectory("confusing")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let registry = try Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
        let plan = try RunPlan.resolve(names: ["niah.confusing_facts", "ruler.niah_single_2"], registry: registry, lengths: [2048], samples: 3, seed: 3)
        let tasks = registry.tasks
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()),
            backend: OracleSystem { $0.task == "ruler.niah_single_2" ? tasks[$0.task]!.oracleAnswer(sample: $0) : "" },
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        try await runner.run()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepoPaths.fathomExecutable)
        process.arguments = ["report", runner.directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        #expect(output.contains("confusing facts: niah.confusing_facts 0.0 vs ruler.niah_single_2 100.0: drop 100.0 points"), "\(output)")
    }
}
