import Foundation
import Testing
@testable import FathomRank

/// ≥1,000 random weak-order profiles (≤8 candidates, ties, partial ballots) against
/// pref_voting 1.18 (scripts/rank/make_goldens.py). Mapping:
/// * ballot v → task "v<k>", one sample; candidate c → model "m<c>" with score −rank;
///   unranked candidates have no measurement. Candidates ranked by no ballot are
///   added through a one-model task (a dropped voter), so the model set matches.
/// * Kemeny: winner set == `kemeny_young` (first of some optimal order), plus the
///   brute-force optimal cost and number of optimal orders.
/// * Schulze: winner set (unbeaten models) == `beat_path` (margins).
/// * Ranked pairs: our first model == `ranked_pairs_tb` with the sorted-candidates tie-breaker.
/// * Copeland: our score (win 1, tie ½) == (pref_voting score (1/0/−1) + n − 1) / 2, and the winner set.
@Suite struct SocialChoiceGoldenTests {
    struct Profile: Sendable {
        let n: Int
        let measurements: [Measurement]
        let kemenyWinners: Set<String>, kemenyCost: Double, kemenyOptima: Double
        let schulzeWinners: Set<String>, rankedPairsWinner: Set<String>
        let copelandWinners: Set<String>, copelandScores: [Double]
    }

    static let profiles: [Profile] = {
        let root = try! Fixtures.json("social_choice.json") as! [String: Any]
        return (root["profiles"] as! [[String: Any]]).map { p in
            let n = (p["n"] as! NSNumber).intValue
            var rows: [Measurement] = []
            var ranked = Set<Int>()
            for (k, ballot) in (p["ballots"] as! [[String: Any]]).enumerated() {
                for (cand, r) in ballot {
                    let c = Int(cand)!
                    ranked.insert(c)
                    rows.append(Measurement(model: "m\(c)", task: String(format: "v%02d", k), sample: "s", score: -(r as! NSNumber).doubleValue))
                }
            }
            for c in 0..<n where !ranked.contains(c) {
                rows.append(Measurement(model: "m\(c)", task: "z-unranked-\(c)", sample: "s", score: 0))
            }
            return Profile(n: n, measurements: rows,
                           kemenyWinners: names(p["kemeny_winners"]), kemenyCost: (p["kemeny_cost"] as! NSNumber).doubleValue,
                           kemenyOptima: (p["kemeny_optima"] as! NSNumber).doubleValue,
                           schulzeWinners: names(p["schulze_winners"]), rankedPairsWinner: names(p["ranked_pairs_winner"]),
                           copelandWinners: names(p["copeland_winners"]), copelandScores: (p["copeland_scores"] as! [Any]).doubles)
        }
    }()

    static func names(_ v: Any?) -> Set<String> { Set(((v as? [Any]) ?? []).ints.map { "m\($0)" }) }

    static func winners(_ r: RankingResult) -> Set<String> {
        guard case .array(let values)? = r.diagnostics["winners"] else { return [] }
        return Set(values.compactMap { if case .string(let s) = $0 { return s } else { return nil } })
    }

    @Test func atLeastAThousandProfiles() { #expect(Self.profiles.count >= 1000) }

    @Test func kemenyMatchesPrefVoting() throws {
        var failures = 0
        for (i, p) in Self.profiles.enumerated() {
            let r = try rank(p.measurements, method: .kemeny, options: RankOptions())
            let ok = Self.winners(r) == p.kemenyWinners
                && r.diagnostics["cost"] == .number(p.kemenyCost) && r.diagnostics["optimalOrders"] == .number(p.kemenyOptima)
                && r.diagnostics["exact"] == .bool(true)
            if !ok { failures += 1; if failures < 5 { Issue.record("profile \(i): \(r.diagnostics) vs \(p.kemenyWinners) \(p.kemenyCost) \(p.kemenyOptima)") } }
        }
        #expect(failures == 0)
    }

    @Test func schulzeMatchesPrefVoting() throws {
        var failures = 0
        for (i, p) in Self.profiles.enumerated() {
            let r = try rank(p.measurements, method: .schulze, options: RankOptions())
            if Self.winners(r) != p.schulzeWinners {
                failures += 1; if failures < 5 { Issue.record("profile \(i): \(Self.winners(r)) vs \(p.schulzeWinners)") }
            }
        }
        #expect(failures == 0)
    }

    @Test func rankedPairsMatchesPrefVoting() throws {
        var failures = 0
        for (i, p) in Self.profiles.enumerated() {
            let r = try rank(p.measurements, method: .rankedPairs, options: RankOptions())
            if Set([r.ranking[0].model]) != p.rankedPairsWinner {
                failures += 1; if failures < 5 { Issue.record("profile \(i): \(r.order) vs \(p.rankedPairsWinner)") }
            }
            // The locked relation is a linear order: ranks 1...n.
            #expect(r.ranking.map(\.rank) == Array(1...p.n))
        }
        #expect(failures == 0)
    }

    @Test func copelandMatchesPrefVoting() throws {
        var failures = 0
        for (i, p) in Self.profiles.enumerated() {
            let r = try rank(p.measurements, method: .copeland, options: RankOptions())
            let pv = p.copelandScores
            let ours = (0..<p.n).map { r.score(of: "m\($0)")! }
            let expected = pv.map { ($0 + Double(p.n - 1)) / 2 }
            if ours != expected || Self.winners(r) != p.copelandWinners {
                failures += 1; if failures < 5 { Issue.record("profile \(i): \(ours) vs \(expected)") }
            }
        }
        #expect(failures == 0)
    }

    /// The canonical Kemeny order is optimal: its cost equals the reported optimum, and
    /// no order in the brute-force search is lexicographically smaller with the same cost
    /// (checked on the small profiles).
    @Test func kemenyCanonicalOrderIsLexicographicallySmallestOptimum() throws {
        for p in Self.profiles.prefix(300) where p.n <= 6 {
            let table = try MeasurementTable(p.measurements)
            let N = VoterProfile(table: table, level: .task).majorityCounts()
            let result = SocialChoice.kemeny(N, n: p.n)
            var best: [Int]? = nil
            func permute(_ prefix: [Int], _ rest: [Int]) {
                if best != nil { return }
                if rest.isEmpty {
                    if SocialChoice.kemenyCost(prefix, N, n: p.n) == result.cost { best = prefix }
                    return
                }
                for x in rest { permute(prefix + [x], rest.filter { $0 != x }) }
            }
            permute([], Array(0..<p.n))
            #expect(best == result.order)
        }
    }
}
