import Foundation
import Testing
@testable import FathomRank

/// Tie-aware partial Borda (HELM mean win rate) on HELM's published accuracy table with
/// 18% missing cells: each scenario is a task voter, "-" is not measured. HELM's
/// published column must be reproduced within 0.02 absolute and with τ-b ≥ 0.99
/// (it was computed from more decimals than the table shows).
@Suite struct HelmMeanWinRateTests {
    @Test func reproducesPublishedMeanWinRate() throws {
        let text = try String(contentsOf: Fixtures.directory.appendingPathComponent("helm_accuracy.tsv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        #expect(header[1] == "Mean win rate")
        var rows: [Measurement] = []
        var published: [String: Double] = [:]
        for line in lines.dropFirst() {
            published[line[0]] = Double(line[1])!
            for c in 2..<header.count where line[c] != "-" {
                rows.append(Measurement(model: line[0], task: header[c], sample: "0", score: Double(line[c])!))
            }
        }
        #expect(published.count == 67)
        let result = try rank(rows, method: .borda, options: RankOptions(voterLevel: .task))
        #expect(result.ranking.count == 67)
        var worst = 0.0
        for row in result.ranking { worst = max(worst, abs(row.score - published[row.model]!)) }
        #expect(worst <= 0.02, "max |MWR - published| = \(worst)")
        let tau = try #require(Kendall.tauB(Dictionary(uniqueKeysWithValues: result.ranking.map { ($0.model, $0.score) }), published))
        #expect(tau >= 0.99, "tau = \(tau)")
    }
}
