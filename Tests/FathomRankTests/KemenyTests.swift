import FathomCore
import Testing
@testable import FathomRank

/// Kemeny–Young beyond the exact limit, and SCC decomposition.
@Suite struct KemenyTests {
    static func randomMajority(n: Int, voters: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed)
        var profile = VoterProfile(modelCount: n)
        for _ in 0..<voters {
            let values: [Double] = (0..<n).map { i in Double(i) / 3 + rng.gaussian() * 2 }
            profile.addVoter(models: (0..<n).map(Int32.init), values: values)
        }
        return profile.majorityCounts()
    }

    @Test func heuristicReportsGapAndIsNeverBelowTheBound() {
        let n = 30
        let N = Self.randomMajority(n: n, voters: 15, seed: 11)
        let heuristic = SocialChoice.kemeny(N, n: n, exactLimit: 5)
        #expect(heuristic.order.sorted() == Array(0..<n))
        #expect(heuristic.lowerBound <= heuristic.cost)
        #expect(heuristic.optimalOrders == nil && heuristic.winners == nil)
        if heuristic.componentSizes.contains(where: { $0 > 5 }) { #expect(heuristic.exact == false) }
        #expect(heuristic.cost == SocialChoice.kemenyCost(heuristic.order, N, n: n))
    }

    @Test func heuristicFindsTheOptimumOnSmallInstances() {
        for seed in 0..<20 {
            let n = 9
            let N = Self.randomMajority(n: n, voters: 7, seed: UInt64(seed))
            let exact = SocialChoice.kemeny(N, n: n)
            let heuristic = SocialChoice.kemeny(N, n: n, exactLimit: 1)
            #expect(exact.exact)
            #expect(heuristic.cost >= exact.cost)
            #expect(heuristic.lowerBound <= exact.cost)
            #expect(heuristic.cost <= exact.cost * 1.1 + 1, "seed \(seed): \(heuristic.cost) vs \(exact.cost)")
        }
    }

    @Test func condorcetOrderSplitsIntoSingletons() {
        // Every voter agrees: n singleton components, one optimum, cost 0.
        var profile = VoterProfile(modelCount: 25)
        profile.addVoter(models: (0..<25).map(Int32.init), values: (0..<25).map { Double(-$0) })
        let r = SocialChoice.kemeny(profile.majorityCounts(), n: 25)
        #expect(r.order == Array(0..<25))
        #expect(r.cost == 0 && r.optimalOrders == 1 && r.exact)
        #expect(r.componentSizes == Array(repeating: 1, count: 25))
    }

    @Test func allTiedCountsEveryOrder() {
        // No voter: every pair tied → one component, n! optima, canonical = name order.
        let r = SocialChoice.kemeny([Double](repeating: 0, count: 36), n: 6)
        #expect(r.optimalOrders == 720)
        #expect(r.order == Array(0..<6))
        #expect(r.winners == Array(0..<6))
    }

    @Test func exactDPHandlesLargeComponents() {
        // Few noisy voters give one large majority cycle; the DP must still be exact
        // (local search cannot improve its order).
        let n = 14
        var rng = SeededRandom(seed: 99)
        var profile = VoterProfile(modelCount: n)
        for _ in 0..<5 { profile.addVoter(models: (0..<n).map(Int32.init), values: (0..<n).map { _ in rng.unit() }) }
        let N = profile.majorityCounts()
        let r = SocialChoice.kemeny(N, n: n)
        #expect(r.exact)
        #expect((r.componentSizes.max() ?? 0) >= 10, "\(r.componentSizes)")
        let local = SocialChoice.localSearch(r.order, N, n: n)
        #expect(SocialChoice.kemenyCost(local, N, n: n) == r.cost)
    }
}
