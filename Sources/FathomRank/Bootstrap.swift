import FathomCore

/// Seeded cluster bootstrap over samples and Chatbot Arena's CI rank rule.
public enum Bootstrap {
    /// Per-sample multiplicities for replicate `replicate`: `sampleCount` draws with
    /// replacement (xoshiro256** seeded from SplitMix64(seed) and the replicate number).
    public static func sampleCounts(sampleCount: Int, seed: UInt64, replicate: Int) -> [Double] {
        var rng = SeededRandom(seed: SeededRandom.splitMix(seed ^ (0xD1B5_4A32_D192_ED03 &* UInt64(replicate + 1))))
        var counts = [Double](repeating: 0, count: sampleCount)
        for _ in 0..<sampleCount { counts[rng.below(sampleCount)] += 1 }
        return counts
    }

    /// Linear-interpolation quantile (numpy's default), q in [0, 1]. `values` must be non-empty.
    public static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let frac = position - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
    }

    /// rank(a) = 1 + #{b : lower(b) > upper(a)} (Chatbot Arena).
    public static func ciRanks(lower: [Double], upper: [Double]) -> [Int] {
        (0..<lower.count).map { a in 1 + (0..<lower.count).filter { lower[$0] > upper[a] }.count }
    }

    /// Runs `replicates` fits on resampled sample weights; failed replicates (e.g. not
    /// identifiable) are counted, not silently used. Returns 2.5/97.5% intervals.
    static func intervals(sampleCount: Int, replicates: Int, seed: UInt64, modelCount: Int,
                          fit: ([Double]) throws -> [Double]) rethrows -> (ci: [(Double, Double)], used: Int, failed: Int) {
        var draws: [[Double]] = Array(repeating: [], count: modelCount)
        var failed = 0
        for r in 0..<replicates {
            let counts = sampleCounts(sampleCount: sampleCount, seed: seed, replicate: r)
            let scores: [Double]
            do { scores = try fit(counts) } catch { failed += 1; continue }
            for m in 0..<modelCount { draws[m].append(scores[m]) }
        }
        let used = replicates - failed
        guard used > 0 else { return ([], 0, failed) }
        let ci = draws.map { (quantile($0, 0.025), quantile($0, 0.975)) }
        return (ci, used, failed)
    }
}
