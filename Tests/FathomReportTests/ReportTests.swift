import FathomCore
import FathomModels
import FathomReport
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `fathom report`: the results table, the by-axis table, the comparison sections, and SVG charts that parse as XML.
@Suite(.serialized) struct ReportTests {
    final class RootCollector: NSObject, XMLParserDelegate {
        var root: String?
        var elements = 0
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            elements += 1
        }
    }

    static let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    /// Runs `names` with `answer` (the oracle's by default) and returns the run folder.
    func run(_ names: [String], lengths: [Int], samples: Int, out: String, answer: (@Sendable (Sample) -> String)? = nil) async throws -> String {
        let plan = try RunPlan.resolve(names: names, registry: Self.registry, lengths: lengths, samples: samples, seed: 3)
        let tasks = Self.registry.tasks
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()),
            backend: OracleSystem(answer: answer ?? { tasks[$0.task]!.oracleAnswer(sample: $0) }),
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        try await runner.run()
        return runner.directory
    }

    func parsesAsSVG(_ path: String) throws -> Bool {
        let data = try #require(FileManager.default.contents(atPath: path))
        let parser = XMLParser(data: data)
        let collector = RootCollector()
        parser.delegate = collector
        return parser.parse() && collector.root == "svg" && collector.elements > 10
    }

    @Test func reportWritesValidSVGCharts() async throws {
        let out = RepoPaths.temporaryDirectory("report")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let directory = try await run(["niah.classic", "ruler.niah_single_2"], lengths: [2048, 4096], samples: 12, out: out)
        let report = try RunReport.load(directory)
        let charts = try report.writeCharts().map { String($0.split(separator: "/").last!) }.sorted()
        #expect(charts == ["curves.svg", "heatmap-niah.classic.svg", "heatmap-ruler.niah_single_2.svg"])
        for file in charts { #expect(try parsesAsSVG(directory + "/report/" + file), "\(file) is not well-formed SVG") }
        // The classic grid is exact (35 depths, 12 samples: cells 0…11); RULER-mode depths fall in 10-point buckets.
        let classic = String(decoding: FileManager.default.contents(atPath: directory + "/report/heatmap-niah.classic.svg")!, as: UTF8.self)
        for label in ["0.0", "2.9", "32.4", "2k", "4k"] { #expect(classic.contains(">\(label)<"), "classic heatmap lacks \(label)") }
        let ruler = String(decoding: FileManager.default.contents(atPath: directory + "/report/heatmap-ruler.niah_single_2.svg")!, as: UTF8.self)
        #expect(!ruler.contains(">5.0<") && (ruler.contains(">0.0<") || ruler.contains(">10.0<")))
    }

    @Test func reportByAxisTabulatesAndCharts() async throws {
        let out = RepoPaths.temporaryDirectory("report-axis")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let directory = try await run(["ruler.qa_1"], lengths: [2048], samples: 6, out: out)
        let report = try RunReport.load(directory + "/run.json")
        let text = try report.text(by: "question")
        #expect(text.contains("by question") && text.contains("ruler.qa_1"))
        let cells = report.manifest.byAxis.filter { $0.axis == "question" && $0.length == nil }
        #expect(cells.map(\.n).reduce(0, +) == 6 && cells.allSatisfy { $0.score == 1 })
        for cell in cells { #expect(text.contains(cell.value.description)) }
        let charts = try report.writeCharts(by: "question")
        #expect(charts.contains { $0.hasSuffix("/by-question.svg") })
        #expect(try parsesAsSVG(directory + "/report/by-question.svg"))
        #expect(throws: FathomError.self) { try report.text(by: "colour") }
        do { _ = try report.text(by: "colour") } catch { #expect(error.description.contains("depth, question")) }
    }

    /// A system that is right on the plain task and silent on its confusing twin shows a 100-point drop.
    @Test func reportStatesTheConfusingFactsDrop() async throws {
        let out = RepoPaths.temporaryDirectory("confusing")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let tasks = Self.registry.tasks
        let directory = try await run(
            ["niah.confusing_facts", "ruler.niah_single_2"], lengths: [2048], samples: 3, out: out,
            answer: { $0.task == "ruler.niah_single_2" ? tasks[$0.task]!.oracleAnswer(sample: $0) : "" })
        let output = try RunReport.load(directory).text()
        #expect(output.contains("confusing facts: niah.confusing_facts 0.0 vs ruler.niah_single_2 100.0: drop 100.0 points"), "\(output)")
    }

    /// HELMET's table: the per-category means and their overall mean, per length.
    @Test func reportPrintsHelmetCategoryMeans() async throws {
        let out = RepoPaths.temporaryDirectory("helmet")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let tasks = Self.registry.tasks
        // Right on recall and RAG single-hop, silent on two-hop RAG and on ICL.
        let directory = try await run(
            ["helmet.json_kv", "helmet.rag_single", "helmet.rag_multihop", "helmet.icl_coarse"], lengths: [2048, 4096], samples: 2, out: out,
            answer: { ["helmet.json_kv", "helmet.rag_single"].contains($0.task) ? tasks[$0.task]!.oracleAnswer(sample: $0) : "" })
        let report = try RunReport.load(directory)
        let means = HelmetCategoriesSection.means(report.manifest)
        #expect(means.map(\.name) == ["Recall", "RAG", "ICL"])
        #expect(means.allSatisfy { $0.byLength.count == 2 })
        #expect(means[0].byLength[2048] == 1 && means[1].byLength[2048] == 0.5 && means[2].byLength[4096] == 0)
        let text = try report.text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("RAG") && $0.hasSuffix("50.0     50.0") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("overall") && $0.hasSuffix("50.0     50.0") }, "\(text)")
        // A run without HELMET tasks prints no such section.
        #expect(HelmetCategoriesSection.lines(for: try RunReport.load(await run(["ruler.qa_1"], lengths: [2048], samples: 1, out: out)).manifest).isEmpty)
    }

    @Test func missingRunFolderIsAClearError() {
        do {
            _ = try RunReport.load("/nonexistent/run")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("/nonexistent/run/run.json") && error.description.contains("no run.json"))
        }
    }
}
