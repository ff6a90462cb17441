/// Validated, indexed measurements in flat arrays.
///
/// * `models` are sorted by name; a model's index is its deterministic tie-break rank.
/// * Samples are keyed by (task, sample) and sorted by task name, then sample name.
/// * Entries of sample `s` live in `sampleOffsets[s] ..< sampleOffsets[s+1]`, sorted by
///   model index; `entryScore` is oriented so that higher is always better
///   (lower-is-better tasks are negated).
/// Building the table rejects duplicates, non-finite scores and tasks with mixed directions.
public struct MeasurementTable: Sendable {
    public let models: [String]
    public let tasks: [String]
    public let taskHigherIsBetter: [Bool]
    public let sampleNames: [String]
    public let sampleTask: [Int32]
    public let sampleOffsets: [Int]
    public let entryModel: [Int32]
    public let entryScore: [Double]

    public var modelCount: Int { models.count }
    public var sampleCount: Int { sampleNames.count }
    public var entryCount: Int { entryModel.count }

    private struct SampleKey: Hashable { let task: Int32; let name: String }

    public init(_ measurements: [Measurement]) throws {
        var modelIds: [String: Int32] = [:]
        var taskIds: [String: Int32] = [:]
        var taskDirection: [Bool] = []
        var sampleIds: [SampleKey: Int32] = [:]
        var rawModels: [String] = [], rawTasks: [String] = []
        var rawSampleTask: [Int32] = [], rawSampleName: [String] = []
        let count = measurements.count
        var rowModel = [Int32](repeating: 0, count: count)
        var rowSample = [Int32](repeating: 0, count: count)
        var rowScore = [Double](repeating: 0, count: count)
        // Rows usually come grouped by task and sample: reuse the previous row's ids
        // when the strings repeat, and hash only on change.
        var previousTask: String? = nil, previousTaskId: Int32 = -1
        var previousSample: String? = nil, previousSampleId: Int32 = -1
        for (i, m) in measurements.enumerated() {
            guard m.score.isFinite else {
                throw RankError.nonFiniteScore(model: m.model, task: m.task, sample: m.sample, where: "measurement #\(i + 1)")
            }
            let mid: Int32
            if let id = modelIds[m.model] { mid = id } else {
                mid = Int32(rawModels.count); modelIds[m.model] = mid; rawModels.append(m.model)
            }
            let tid: Int32
            let sameTask = m.task == previousTask
            if sameTask {
                tid = previousTaskId
            } else if let id = taskIds[m.task] {
                tid = id
            } else {
                tid = Int32(rawTasks.count); taskIds[m.task] = tid; rawTasks.append(m.task); taskDirection.append(m.higherIsBetter)
            }
            if taskDirection[Int(tid)] != m.higherIsBetter { throw RankError.inconsistentDirection(task: m.task) }
            previousTask = m.task; previousTaskId = tid
            let sid: Int32
            if sameTask && m.sample == previousSample {
                sid = previousSampleId
            } else {
                let key = SampleKey(task: tid, name: m.sample)
                if let id = sampleIds[key] { sid = id } else {
                    sid = Int32(rawSampleName.count); sampleIds[key] = sid
                    rawSampleName.append(m.sample); rawSampleTask.append(tid)
                }
            }
            previousSample = m.sample; previousSampleId = sid
            rowModel[i] = mid
            rowSample[i] = sid
            rowScore[i] = m.higherIsBetter ? m.score : -m.score
        }
        // Canonical orders.
        let modelOrder = rawModels.indices.sorted { rawModels[$0] < rawModels[$1] }
        var modelRemap = [Int32](repeating: 0, count: rawModels.count)
        for (newIndex, old) in modelOrder.enumerated() { modelRemap[old] = Int32(newIndex) }
        let taskOrder = rawTasks.indices.sorted { rawTasks[$0] < rawTasks[$1] }
        var taskRemap = [Int32](repeating: 0, count: rawTasks.count)
        for (newIndex, old) in taskOrder.enumerated() { taskRemap[old] = Int32(newIndex) }
        let sampleOrder = rawSampleName.indices.sorted {
            let ta = taskRemap[Int(rawSampleTask[$0])], tb = taskRemap[Int(rawSampleTask[$1])]
            return ta != tb ? ta < tb : rawSampleName[$0] < rawSampleName[$1]
        }
        var sampleRemap = [Int32](repeating: 0, count: rawSampleName.count)
        for (newIndex, old) in sampleOrder.enumerated() { sampleRemap[old] = Int32(newIndex) }

        let sampleCount = rawSampleName.count
        var offsets = [Int](repeating: 0, count: sampleCount + 1)
        for i in 0..<count { offsets[Int(sampleRemap[Int(rowSample[i])]) + 1] += 1 }
        for s in 0..<sampleCount { offsets[s + 1] += offsets[s] }
        var fill = offsets
        var entryModel = [Int32](repeating: 0, count: count)
        var entryScore = [Double](repeating: 0, count: count)
        var entryRow = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let s = Int(sampleRemap[Int(rowSample[i])])
            let p = fill[s]; fill[s] += 1
            entryModel[p] = modelRemap[Int(rowModel[i])]
            entryScore[p] = rowScore[i]
            entryRow[p] = i
        }
        // Sort each sample's entries by model; detect duplicates.
        for s in 0..<sampleCount {
            let lo = offsets[s], hi = offsets[s + 1]
            if hi - lo > 1 && hi - lo <= 32 {
                // Small samples: in-place insertion sort of the parallel arrays.
                for k in (lo + 1)..<hi {
                    let m = entryModel[k], sc = entryScore[k], rw = entryRow[k]
                    var p = k - 1
                    while p >= lo && entryModel[p] > m {
                        entryModel[p + 1] = entryModel[p]; entryScore[p + 1] = entryScore[p]; entryRow[p + 1] = entryRow[p]
                        p -= 1
                    }
                    entryModel[p + 1] = m; entryScore[p + 1] = sc; entryRow[p + 1] = rw
                }
            } else if hi - lo > 1 {
                var idx = Array(lo..<hi)
                idx.sort { entryModel[$0] < entryModel[$1] }
                let m = idx.map { entryModel[$0] }, sc = idx.map { entryScore[$0] }, rw = idx.map { entryRow[$0] }
                for k in 0..<(hi - lo) {
                    entryModel[lo + k] = m[k]; entryScore[lo + k] = sc[k]; entryRow[lo + k] = rw[k]
                }
            }
            if hi - lo > 1 {
                for k in (lo + 1)..<hi where entryModel[k] == entryModel[k - 1] {
                    let a = measurements[entryRow[k - 1]], b = entryRow[k]
                    let (first, second) = entryRow[k - 1] < b ? (entryRow[k - 1], b) : (b, entryRow[k - 1])
                    throw RankError.duplicate(model: a.model, task: a.task, sample: a.sample,
                                              where: "measurements #\(first + 1) and #\(second + 1)")
                }
            }
        }
        self.models = modelOrder.map { rawModels[$0] }
        self.tasks = taskOrder.map { rawTasks[$0] }
        self.taskHigherIsBetter = taskOrder.map { taskDirection[$0] }
        self.sampleNames = sampleOrder.map { rawSampleName[$0] }
        self.sampleTask = sampleOrder.map { taskRemap[Int(rawSampleTask[$0])] }
        self.sampleOffsets = offsets
        self.entryModel = entryModel
        self.entryScore = entryScore
    }

    /// Per-task mean oriented score of each model: `means[t * modelCount + m]`, NaN-free;
    /// `present[t * modelCount + m]` tells whether the model has any sample of task t.
    public func taskMeans() -> (means: [Double], present: [Bool]) {
        let n = modelCount, t = tasks.count
        var sums = [Double](repeating: 0, count: n * t)
        var counts = [Int](repeating: 0, count: n * t)
        for s in 0..<sampleCount {
            let base = Int(sampleTask[s]) * n
            for e in sampleOffsets[s]..<sampleOffsets[s + 1] {
                let k = base + Int(entryModel[e])
                sums[k] += entryScore[e]; counts[k] += 1
            }
        }
        var means = [Double](repeating: 0, count: n * t)
        var present = [Bool](repeating: false, count: n * t)
        for k in 0..<(n * t) where counts[k] > 0 {
            means[k] = sums[k] / Double(counts[k]); present[k] = true
        }
        return (means, present)
    }
}
