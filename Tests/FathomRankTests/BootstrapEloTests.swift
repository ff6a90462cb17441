import FathomCore
import Foundation
import Testing
@testable import FathomRank

/// Seeded bootstrap CIs, the Chatbot Arena CI-rank rule, Elo order dependence.
@Suite struct BootstrapEloTests {
    static let data = SyntheticONEBench.generate(models: 12, samples: 150, dispersion: 0.1, seed: 5)

    @Test func bootstrapIsDeterministicAndBracketsTheEstimate() throws {
        var options = RankOptions(tiePolicy: .half, bootstrap: 40, seed: 7)
        options.tolerance = 1e-10
        let a = try rank(Self.data.measurements, method: .bradleyTerry, options: options)
        let b = try rank(Self.data.measurements.reversed(), method: .bradleyTerry, options: options)
        #expect(try a.jsonData() == b.jsonData())
        for row in a.ranking {
            let ci = try #require(row.ci95)
            #expect(ci[0] <= ci[1])
        }
        options.seed = 8
        let c = try rank(Self.data.measurements, method: .bradleyTerry, options: options)
        #expect(c.ranking.map(\.ci95) != a.ranking.map(\.ci95))
    }

    @Test func ciRankRule() {
        // a: [5, 6], b: [4, 5.5], c: [1, 2]
        #expect(Bootstrap.ciRanks(lower: [5, 4, 1], upper: [6, 5.5, 2]) == [1, 1, 3])
        #expect(Bootstrap.quantile([1, 2, 3, 4], 0.5) == 2.5)
        #expect(Bootstrap.quantile([0, 10], 0.975) == 9.75)
    }

    @Test func xoshiroIsStable() {
        var a = SeededRandom(seed: 1), b = SeededRandom(seed: 1)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(SeededRandom.splitMix(0) == 0xE220_A839_7B1D_CDAF)   // reference SplitMix64 output for seed 0
    }

    @Test func eloDependsOnOrder() {
        let games = [Elo.Game(a: 0, b: 1, scoreA: 1), Elo.Game(a: 0, b: 1, scoreA: 1), Elo.Game(a: 0, b: 1, scoreA: 0)]
        let forward = Elo.ratings(modelCount: 2, games: games)
        let backward = Elo.ratings(modelCount: 2, games: games.reversed())
        #expect(forward != backward)
        #expect(abs(forward.reduce(0, +) - 2000) < 1e-9)
        // First game from equal ratings moves K·½.
        #expect(Elo.ratings(modelCount: 2, games: [games[0]]) == [1002, 998])
    }

    @Test func eloThroughRankWithBootstrap() throws {
        let r = try rank(Self.data.measurements, method: .elo, options: RankOptions(bootstrap: 20, seed: 1))
        #expect(r.ranking.count == 12)
        #expect(r.ranking.allSatisfy { $0.ci95 != nil })
        let truth = Self.data.trueMeans
        let tau = Kendall.tauB(Dictionary(uniqueKeysWithValues: r.ranking.map { ($0.model, $0.score) }), truth)!
        #expect(tau > 0.6)
    }
}
