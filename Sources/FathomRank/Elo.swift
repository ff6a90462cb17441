import Foundation

/// Online Elo baseline (Chatbot Arena): E_a = 1/(1+10^((R_b−R_a)/400)), R_a += K(S_a − E_a),
/// initial rating 1000. The result depends on the order of games.
public enum Elo {
    /// One game: `a` vs `b` with outcome S_a ∈ {1, ½, 0}.
    public struct Game: Sendable { public var a: Int; public var b: Int; public var scoreA: Double
        public init(a: Int, b: Int, scoreA: Double) { self.a = a; self.b = b; self.scoreA = scoreA } }

    /// Plays games in order.
    public static func ratings(modelCount: Int, games: [Game], k: Double = 4, initial: Double = 1000) -> [Double] {
        var r = [Double](repeating: initial, count: modelCount)
        for g in games { play(&r, g.a, g.b, g.scoreA, k) }
        return r
    }

    @inline(__always) static func play(_ r: inout [Double], _ a: Int, _ b: Int, _ sa: Double, _ k: Double) {
        let ea = 1 / (1 + pow10((r[b] - r[a]) / 400))
        r[a] += k * (sa - ea)
        r[b] -= k * (sa - ea)
    }

    /// Plays every sample's broken pairs in table order (samples sorted by task, sample;
    /// pairs by model index). Ties are draws (½) unless `tiePolicy == .drop`. A sample
    /// weight w plays that sample w times (bootstrap).
    static func ratings(table: MeasurementTable, tiePolicy: TiePolicy, k: Double, sampleWeights: [Double]? = nil) -> [Double] {
        var r = [Double](repeating: 1000, count: table.modelCount)
        for s in 0..<table.sampleCount {
            let repeats = Int(sampleWeights?[s] ?? 1)
            let lo = table.sampleOffsets[s], hi = table.sampleOffsets[s + 1]
            if hi - lo < 2 { continue }
            for _ in 0..<repeats {
                for i in lo..<(hi - 1) {
                    for j in (i + 1)..<hi {
                        let sa = table.entryScore[i], sb = table.entryScore[j]
                        let outcome: Double = sa > sb ? 1 : (sa < sb ? 0 : 0.5)
                        if outcome == 0.5 && tiePolicy == .drop { continue }
                        play(&r, Int(table.entryModel[i]), Int(table.entryModel[j]), outcome, k)
                    }
                }
            }
        }
        return r
    }
}

@inline(__always) func pow10(_ x: Double) -> Double { pow(10, x) }
