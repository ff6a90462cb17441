/// Dense pairwise win matrix from a full pairwise breaking of every sample:
/// `wins[i*n+j]` = (weighted) number of times model i beat model j.
/// A tie adds ½ each way (`half`), 1 each way (`bothWin`, ONEBench) or nothing (`drop`).
public struct PairwiseCounts: Sendable {
    public let modelCount: Int
    public var wins: [Double]
    /// Broken pairs per model (ties included, except under `drop`), sample weights applied.
    public var comparisons: [Double]
    public var pairs: Double = 0
    public var ties: Double = 0
    /// Samples with fewer than two models or only tied scores (no information).
    public var uninformativeSamples = 0

    public init(modelCount n: Int, wins: [Double]) {
        self.modelCount = n
        self.wins = wins
        self.comparisons = [Double](repeating: 0, count: n)
        for i in 0..<n { for j in 0..<n where i != j { comparisons[i] += wins[i * n + j] + wins[j * n + i] } }
    }

    /// Breaks every sample of `table`; `sampleWeights` (e.g. bootstrap counts) multiplies each sample.
    public init(table: MeasurementTable, tiePolicy: TiePolicy, sampleWeights: [Double]? = nil) {
        let n = table.modelCount
        modelCount = n
        var w = [Double](repeating: 0, count: n * n)
        var comps = [Double](repeating: 0, count: n)
        var pairs = 0.0, ties = 0.0
        var uninformative = 0
        let tieWeight: Double = tiePolicy == .half ? 0.5 : (tiePolicy == .bothWin ? 1 : 0)
        table.entryModel.withUnsafeBufferPointer { models in
        table.entryScore.withUnsafeBufferPointer { scores in
        w.withUnsafeMutableBufferPointer { W in
            for s in 0..<table.sampleCount {
                let lo = table.sampleOffsets[s], hi = table.sampleOffsets[s + 1]
                let weight = sampleWeights?[s] ?? 1
                if hi - lo < 2 { uninformative += 1; continue }
                if weight == 0 { continue }
                var informative = false
                var sampleTies = 0.0
                for i in lo..<(hi - 1) {
                    let a = Int(models[i]), sa = scores[i]
                    for j in (i + 1)..<hi {
                        let b = Int(models[j]), sb = scores[j]
                        if sa > sb { W[a * n + b] += weight; informative = true }
                        else if sb > sa { W[b * n + a] += weight; informative = true }
                        else {
                            sampleTies += 1
                            if tieWeight > 0 { W[a * n + b] += weight * tieWeight; W[b * n + a] += weight * tieWeight }
                            else { comps[a] -= weight; comps[b] -= weight }
                        }
                    }
                }
                let k = Double(hi - lo)
                pairs += weight * k * (k - 1) / 2
                ties += weight * sampleTies
                if !informative { uninformative += 1 }
                for i in lo..<hi { comps[Int(models[i])] += weight * (k - 1) }
            }
        }}}
        wins = w
        comparisons = comps
        self.pairs = pairs
        self.ties = ties
        self.uninformativeSamples = uninformative
    }

    /// Directed "beats" graph: i → j iff wins[i][j] > 0.
    func beats(_ i: Int, _ j: Int) -> Bool { wins[i * modelCount + j] > 0 }

    /// Sub-matrix for a subset of models (in the given order).
    func restricted(to subset: [Int]) -> PairwiseCounts {
        let k = subset.count, n = modelCount
        var w = [Double](repeating: 0, count: k * k)
        for (a, i) in subset.enumerated() { for (b, j) in subset.enumerated() { w[a * k + b] = wins[i * n + j] } }
        return PairwiseCounts(modelCount: k, wins: w)
    }
}

/// Plackett–Luce choice events: in event e, `items[offsets[e]]` is chosen from
/// `items[offsets[e] ..< offsets[e+1]]` (winner first), with weight `weights[e]`.
/// Samples become events by per-tier top-1 breaking: each model of a score tier is
/// chosen from itself plus all lower tiers (for a strict order this is exactly the
/// PL ranking likelihood; tied models never beat each other).
public struct ChoiceEvents: Sendable {
    public let modelCount: Int
    public private(set) var offsets: [Int] = [0]
    public private(set) var items: [Int32] = []
    public private(set) var weights: [Double] = []
    public var eventCount: Int { weights.count }

    public init(modelCount: Int) { self.modelCount = modelCount }

    /// Adds "winner chosen from {winner} ∪ losers".
    public mutating func add(winner: Int, losers: [Int], weight: Double = 1) {
        items.append(Int32(winner))
        for l in losers { items.append(Int32(l)) }
        offsets.append(items.count)
        weights.append(weight)
    }

    /// Adds a strict ranking (best first) as |r|−1 top-1 events.
    public mutating func add(ranking: [Int], weight: Double = 1) {
        guard ranking.count >= 2 else { return }
        for t in 0..<(ranking.count - 1) { add(winner: ranking[t], losers: Array(ranking[(t + 1)...]), weight: weight) }
    }

    public init(table: MeasurementTable, sampleWeights: [Double]? = nil) {
        self.init(modelCount: table.modelCount)
        var idx: [Int] = []
        for s in 0..<table.sampleCount {
            let lo = table.sampleOffsets[s], hi = table.sampleOffsets[s + 1]
            let weight = sampleWeights?[s] ?? 1
            if hi - lo < 2 || weight == 0 { continue }
            idx.removeAll(keepingCapacity: true)
            idx.append(contentsOf: lo..<hi)
            idx.sort { table.entryScore[$0] != table.entryScore[$1] ? table.entryScore[$0] > table.entryScore[$1] : table.entryModel[$0] < table.entryModel[$1] }
            var start = 0
            let k = idx.count
            while start < k {
                var end = start + 1
                while end < k && table.entryScore[idx[end]] == table.entryScore[idx[start]] { end += 1 }
                if end == k { break }
                let losers = idx[end...].map { Int(table.entryModel[$0]) }
                for p in start..<end { add(winner: Int(table.entryModel[idx[p]]), losers: losers, weight: weight) }
                start = end
            }
        }
    }

    func restricted(to subset: [Int]) -> ChoiceEvents {
        var map = [Int](repeating: -1, count: modelCount)
        for (k, m) in subset.enumerated() { map[m] = k }
        var out = ChoiceEvents(modelCount: subset.count)
        for e in 0..<eventCount {
            let members = items[offsets[e]..<offsets[e + 1]].map { map[Int($0)] }
            let kept = members.dropFirst().filter { $0 >= 0 }
            if members[0] >= 0 && !kept.isEmpty { out.add(winner: members[0], losers: Array(kept), weight: weights[e]) }
        }
        return out
    }
}
