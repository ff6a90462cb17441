import FathomCore
import FathomModels
import FathomReport
import FathomRun
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// HoloBench's headline comparison in `fathom report`: score against amount at a fixed length beside score against
/// length at a fixed amount.
@Suite struct AmountLengthSectionTests {
    @Test func aSystemThatFailsLargeAmountsShowsTheAmountSlopeAndNoLengthSlope() async throws {
        var registry = try Registry(kinds: BuiltinPlugins.all)
        try registry.add(TaskManifest.parse(
            "name: holo.mini\nplugin: holo\nversion: 1\nparams: {query_types: [aggregate], amounts: [2, 8], near_miss: 2}\n", file: "holo.mini.yaml"))
        let task = try registry.task(named: "holo.mini")
        let plan = try RunPlan.resolve(names: ["holo.mini"], registry: registry, lengths: [2048, 4096], samples: 4, seed: 5)
        let out = RepoPaths.temporaryDirectory("amount-length")
        defer { try? FileManager.default.removeItem(atPath: out) }
        // Right with 2 answer-bearing rows, silent with 8, at every length.
        let runner = Runner(
            factory: SampleFactory(plan: plan, tokenizer: ApproxTokenizer()),
            backend: OracleSystem { $0.metadata.axes["amount"] == .number(2) ? task.oracleAnswer(sample: $0) : "" },
            options: RunOptions(outRoot: out, concurrency: 2, showProgress: false, framework: .init(name: "fathom", version: "test", gitCommit: "test")))
        try await runner.run()
        let report = try RunReport.load(runner.directory)
        let text = try report.text()
        #expect(text.contains("amount against length: holo.mini"), "\(text)")
        let rows = text.components(separatedBy: "\n")
        #expect(rows.contains { $0.hasPrefix("2 ") && $0.hasSuffix("100.0    100.0") }, "\(text)")
        #expect(rows.contains { $0.hasPrefix("8 ") && $0.hasSuffix("0.0      0.0") }, "\(text)")
        #expect(text.contains("per doubling: of the amount at a fixed length -50.0 points; of the length at a fixed amount +0.0 points"), "\(text)")
        #expect(try report.text(by: "amount").contains("holo.mini"))
        #expect(report.manifest.tasks[0].provenance["sqlite"] != nil)
    }
}
