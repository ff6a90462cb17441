/// Plain mean of oriented scores. `task`/`two-level`: mean over tasks of per-task means;
/// `sample`: mean over all of a model's measurements.
enum MeanAggregation {
    static func rank(_ table: MeasurementTable, _ options: RankOptions) -> RankingResult {
        let n = table.modelCount
        var sums = [Double](repeating: 0, count: n), counts = [Double](repeating: 0, count: n)
        if options.voterLevel == .sample {
            for e in 0..<table.entryCount { sums[Int(table.entryModel[e])] += table.entryScore[e]; counts[Int(table.entryModel[e])] += 1 }
        } else {
            let (means, present) = table.taskMeans()
            for t in 0..<table.tasks.count { for m in 0..<n where present[t * n + m] { sums[m] += means[t * n + m]; counts[m] += 1 } }
        }
        let scores = (0..<n).map { sums[$0] / counts[$0] }
        let levelName = options.voterLevel == .sample ? "sample" : "task"
        return RankingResult(method: RankMethod.mean.rawValue, ranking: rowsFromScores(models: table.models, scores: scores),
                             diagnostics: ["voterLevel": .string(levelName),
                                           "note": .string("scores are oriented (lower-is-better tasks negated); task level averages per-task means")])
    }
}
