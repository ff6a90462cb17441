/// Voters as weak orders over subsets of models, in flat arrays.
///
/// Voter `v` ranks `members[offsets[v] ..< offsets[v+1]]` by `values` (higher = better,
/// equal = tied). Voters with fewer than two models carry no comparison and are
/// dropped (counted in `droppedVoters`).
public struct VoterProfile: Sendable {
    public let modelCount: Int
    public private(set) var offsets: [Int] = [0]
    public private(set) var members: [Int32] = []
    public private(set) var values: [Double] = []
    public private(set) var droppedVoters = 0

    public var voterCount: Int { offsets.count - 1 }

    public init(modelCount: Int) { self.modelCount = modelCount }

    /// Appends one voter; `models` must be distinct indices.
    public mutating func addVoter(models: [Int32], values: [Double]) {
        precondition(models.count == values.count)
        guard models.count >= 2 else { droppedVoters += 1; return }
        members.append(contentsOf: models)
        self.values.append(contentsOf: values)
        offsets.append(members.count)
    }

    /// Builds the profile for a voter level from a measurement table.
    public init(table: MeasurementTable, level: VoterLevel) {
        self.init(modelCount: table.modelCount)
        let n = table.modelCount
        switch level {
        case .sample:
            for s in 0..<table.sampleCount {
                let r = table.sampleOffsets[s]..<table.sampleOffsets[s + 1]
                addVoter(models: Array(table.entryModel[r]), values: Array(table.entryScore[r]))
            }
        case .task:
            let (means, present) = table.taskMeans()
            for t in 0..<table.tasks.count {
                var ms: [Int32] = [], vs: [Double] = []
                for m in 0..<n where present[t * n + m] { ms.append(Int32(m)); vs.append(means[t * n + m]) }
                addVoter(models: ms, values: vs)
            }
        case .twoLevel:
            // Borda (mean win rate) over each task's samples, then one voter per task.
            var s = 0
            for t in 0..<table.tasks.count {
                var perTask = VoterProfile(modelCount: n)
                while s < table.sampleCount && Int(table.sampleTask[s]) == t {
                    let r = table.sampleOffsets[s]..<table.sampleOffsets[s + 1]
                    perTask.addVoter(models: Array(table.entryModel[r]), values: Array(table.entryScore[r]))
                    s += 1
                }
                let (mwr, counted) = perTask.meanWinRates()
                var ms: [Int32] = [], vs: [Double] = []
                for m in 0..<n where counted[m] > 0 { ms.append(Int32(m)); vs.append(mwr[m]) }
                addVoter(models: ms, values: vs)
            }
        }
    }

    /// Weighted majority counts `N[a*n+b]` = number of voters ranking a strictly above b.
    public func majorityCounts() -> [Double] {
        let n = modelCount
        var counts = [Double](repeating: 0, count: n * n)
        for v in 0..<voterCount {
            let lo = offsets[v], hi = offsets[v + 1]
            for i in lo..<hi {
                let a = Int(members[i]), va = values[i]
                for j in lo..<hi where values[j] < va {
                    counts[a * n + Int(members[j])] += 1
                }
            }
        }
        return counts
    }

    /// HELM mean win rate: per voter, b(a) = (#strictly worse + ½·#tied others)/(|C|−1),
    /// averaged over the voters that rank a. Returns (rates, voters counted per model).
    public func meanWinRates() -> (rates: [Double], counted: [Int]) {
        var sums = [Double](repeating: 0, count: modelCount)
        var counted = [Int](repeating: 0, count: modelCount)
        var idx: [Int] = []
        for v in 0..<voterCount {
            let lo = offsets[v], hi = offsets[v + 1], k = hi - lo
            idx.removeAll(keepingCapacity: true)
            idx.append(contentsOf: lo..<hi)
            idx.sort { values[$0] < values[$1] }
            var start = 0
            while start < k {
                var end = start + 1
                while end < k && values[idx[end]] == values[idx[start]] { end += 1 }
                let worse = Double(start), tiedOthers = Double(end - start - 1)
                let rate = (worse + 0.5 * tiedOthers) / Double(k - 1)
                for p in start..<end {
                    let m = Int(members[idx[p]])
                    sums[m] += rate; counted[m] += 1
                }
                start = end
            }
        }
        var rates = [Double](repeating: 0, count: modelCount)
        for m in 0..<modelCount where counted[m] > 0 { rates[m] = sums[m] / Double(counted[m]) }
        return (rates, counted)
    }
}
