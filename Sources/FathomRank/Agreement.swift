import Foundation

/// Kendall τ-b between two tasks over the models measured in both.
public struct TaskPairAgreement: Codable, Sendable, Equatable {
    public var taskA: String
    public var taskB: String
    public var models: Int
    public var tau: Double?
}

/// Agreement of one task with an aggregate ranking (BenchBench "BAT" style).
public struct TaskAggregateAgreement: Codable, Sendable, Equatable {
    public var task: String
    public var models: Int
    public var tau: Double?
    /// (τ(task, agg) − mean of the other tasks' τ) / population sd of the other tasks' τ.
    public var zScore: Double?
}

/// Benchmark-agreement measures: task vs task, task vs aggregate, suite vs suite.
public enum Agreement {
    /// τ-b of per-task mean scores for every task pair with at least `minModels` common models
    /// (BenchBench's `min_n_models_intersect`, default 5). Pairs below the threshold are omitted.
    public static func taskPairs(_ table: MeasurementTable, minModels: Int = 5) -> [TaskPairAgreement] {
        let n = table.modelCount, t = table.tasks.count
        let (means, present) = table.taskMeans()
        var out: [TaskPairAgreement] = []
        for a in 0..<t {
            for b in (a + 1)..<max(a + 1, t) {
                let common = (0..<n).filter { present[a * n + $0] && present[b * n + $0] }
                guard common.count >= minModels else { continue }
                out.append(TaskPairAgreement(taskA: table.tasks[a], taskB: table.tasks[b], models: common.count,
                                             tau: Kendall.tauB(common.map { means[a * n + $0] }, common.map { means[b * n + $0] })))
            }
        }
        return out
    }

    /// τ-b of each task's per-task means against the scores of `reference` (e.g. the
    /// Borda/mean-win-rate aggregate), with BenchBench's z-score.
    public static func withAggregate(_ table: MeasurementTable, reference: RankingResult, minModels: Int = 5) -> [TaskAggregateAgreement] {
        let n = table.modelCount
        let (means, present) = table.taskMeans()
        var refScore = [Double?](repeating: nil, count: n)
        let index = Dictionary(uniqueKeysWithValues: table.models.enumerated().map { ($1, $0) })
        for row in reference.ranking { if let i = index[row.model] { refScore[i] = row.score } }
        var rows: [TaskAggregateAgreement] = []
        for t in 0..<table.tasks.count {
            let common = (0..<n).filter { present[t * n + $0] && refScore[$0] != nil }
            let tau = common.count >= minModels ? Kendall.tauB(common.map { means[t * n + $0] }, common.map { refScore[$0]! }) : nil
            rows.append(TaskAggregateAgreement(task: table.tasks[t], models: common.count, tau: tau, zScore: nil))
        }
        for i in rows.indices {
            guard let tau = rows[i].tau else { continue }
            let others = rows.indices.filter { $0 != i }.compactMap { rows[$0].tau }
            guard others.count >= 2 else { continue }
            let mean = others.reduce(0, +) / Double(others.count)
            let sd = (others.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(others.count)).squareRoot()
            rows[i].zScore = sd > 0 ? (tau - mean) / sd : nil
        }
        return rows
    }

    /// τ-b between two rankings (e.g. two suites or two methods) over their common models.
    public static func between(_ a: RankingResult, _ b: RankingResult) -> (models: Int, tau: Double?) {
        let sa = Dictionary(uniqueKeysWithValues: a.ranking.map { ($0.model, $0.score) })
        let sb = Dictionary(uniqueKeysWithValues: b.ranking.map { ($0.model, $0.score) })
        let common = sa.keys.filter { sb[$0] != nil }.count
        return (common, Kendall.tauB(sa, sb))
    }
}
