import FathomCore
import FathomModels

/// Turns sample records into per task × length results and suite aggregates.
public enum Aggregator {
    /// Results for every task × length of `plan`; for each id only the last record counts.
    public static func results(plan: RunPlan, records: [SampleRecord]) -> [RunManifest.Result] {
        var latest: [String: SampleRecord] = [:]
        for record in records { latest[record.id] = record }
        var out: [RunManifest.Result] = []
        for task in plan.tasks {
            for length in plan.lengths {
                var cell: [SampleRecord] = []
                for index in 0..<plan.samples {
                    if let record = latest[task.descriptor.identity(length: length, index: index, suiteSeed: plan.seed).id] {
                        cell.append(record)
                    }
                }
                out.append(result(task: task.descriptor, length: length, planned: plan.samples, records: cell))
            }
        }
        return out
    }

    static func result(task: TaskDescriptor, length: Int, planned: Int, records: [SampleRecord]) -> RunManifest.Result {
        let ok = records.filter { $0.status == .ok }
        let scores = ok.compactMap { $0.score }
        var metrics: [String: Double] = [:]
        for name in task.metrics {
            let values = ok.compactMap { $0.scores?[name] }
            if !values.isEmpty { metrics[name] = values.reduce(0, +) / Double(values.count) }
        }
        let mean = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
        var ci: [Double]? = nil
        if let mean, scores.count >= 2 {
            let variance = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count - 1)
            let half = 1.96 * (variance / Double(scores.count)).squareRoot()
            ci = [max(0, mean - half), min(1, mean + half)]
        }
        return RunManifest.Result(
            task: task.name, length: length, n: planned, nOk: ok.count, nError: records.filter { $0.status == .error }.count,
            nOverflow: records.filter { $0.status == .overflow }.count, nMissing: planned - records.count,
            nTruncatedOutput: records.filter { $0.truncated }.count, nPromptMismatch: records.filter { $0.promptTokensMismatch }.count, score: mean, ci95: ci, metrics: metrics)
    }

    /// Per-length means over tasks, their mean, and the effective length.
    public static func summary(plan: RunPlan, results: [RunManifest.Result]) -> RunManifest.Summary {
        var byLength: [String: Double] = [:]
        var ordered: [(Int, Double)] = []
        for length in plan.lengths {
            let cells = results.filter { $0.length == length }
            let scores = cells.compactMap { $0.score }
            guard !cells.isEmpty, scores.count == cells.count else { continue }
            let mean = scores.reduce(0, +) / Double(scores.count)
            byLength[ContextLength.format(length)] = mean
            ordered.append((length, mean))
        }
        let mean = ordered.count == plan.lengths.count && !ordered.isEmpty ? ordered.map { $0.1 }.reduce(0, +) / Double(ordered.count) : nil
        var effective: Int? = nil
        if ordered.count == plan.lengths.count {
            for (length, score) in ordered.sorted(by: { $0.0 < $1.0 }) {
                guard score * 100 > plan.aggregation.threshold else { break }
                effective = length
            }
        }
        let weighted = ordered.count == plan.lengths.count ? weightedMeans(ordered.sorted { $0.0 < $1.0 }.map { $0.1 }) : nil
        return RunManifest.Summary(
            byLength: byLength, mean: mean, weightedMeanIncreasing: weighted?.increasing, weightedMeanDecreasing: weighted?.decreasing,
            effectiveLength: effective, headline: plan.aggregation.headline, threshold: plan.aggregation.threshold)
    }

    /// RULER's weighted averages over lengths sorted ascending: weights 1…n (`increasing`, favouring long contexts)
    /// and n…1 (`decreasing`), each divided by n(n+1)/2.
    public static func weightedMeans(_ scores: [Double]) -> (increasing: Double, decreasing: Double)? {
        guard !scores.isEmpty else { return nil }
        let n = Double(scores.count)
        let total = n * (n + 1) / 2
        var increasing = 0.0
        var decreasing = 0.0
        for (i, score) in scores.enumerated() {
            increasing += Double(i + 1) * score
            decreasing += (n - Double(i)) * score
        }
        return (increasing / total, decreasing / total)
    }
}
