import FathomCore
import FathomModels

/// What aggregation needs to know of a run: its tasks (name, metrics, axes), lengths, samples per cell and suite
/// rules. Built from the plan while running, or from run.json when rebuilding the aggregates from the journals.
public struct RunLayout: Sendable {
    public struct Task: Sendable {
        public var name: String
        public var metrics: [String]
        public var axes: [AxisSpec]
    }

    public var tasks: [Task]
    public var lengths: [Int]
    public var samples: Int
    public var aggregation: SuiteAggregation

    public init(plan: RunPlan) {
        tasks = plan.tasks.map { Task(name: $0.descriptor.name, metrics: $0.descriptor.metrics, axes: $0.axes) }
        lengths = plan.lengths
        samples = plan.samples
        aggregation = plan.aggregation
    }

    public init(manifest: RunManifest) {
        tasks = manifest.tasks.map { Task(name: $0.name, metrics: $0.metrics, axes: $0.axes) }
        lengths = manifest.suite.lengths
        samples = manifest.suite.samples
        aggregation = manifest.suite.aggregate
    }

    /// The last record of each planned sample, by task × length × index (a run folder holds one plan's samples).
    func latest(_ records: [SampleRecord]) -> [String: [Int: [Int: SampleRecord]]] {
        var byID: [String: SampleRecord] = [:]
        for record in records { byID[record.id] = record }
        var out: [String: [Int: [Int: SampleRecord]]] = [:]
        for record in byID.values where record.index < samples {
            out[record.task, default: [:]][record.length, default: [:]][record.index] = record
        }
        return out
    }
}

/// Turns sample records into per task × length results, per-axis results and suite aggregates.
public enum Aggregator {
    /// Results, per-axis results and the summary of `records` (for each id only the last record counts).
    public static func aggregate(layout: RunLayout, records: [SampleRecord]) -> Aggregates {
        let results = results(layout: layout, records: records)
        let latest = layout.latest(records).values.flatMap { $0.values.flatMap(\.values) }
        return Aggregates(
            results: results, byAxis: axisResults(layout: layout, records: records), summary: summary(layout: layout, results: results),
            efficiency: Efficiency.perLength(lengths: layout.lengths, records: latest))
    }

    /// Everything run.json reports about a run's samples.
    public struct Aggregates: Sendable {
        public var results: [RunManifest.Result]
        public var byAxis: [RunManifest.AxisResult]
        public var summary: RunManifest.Summary
        public var efficiency: [Efficiency]
    }

    /// Results for every task × length of `plan`.
    public static func results(plan: RunPlan, records: [SampleRecord]) -> [RunManifest.Result] {
        results(layout: RunLayout(plan: plan), records: records)
    }

    static func results(layout: RunLayout, records: [SampleRecord]) -> [RunManifest.Result] {
        let latest = layout.latest(records)
        var out: [RunManifest.Result] = []
        for task in layout.tasks {
            for length in layout.lengths {
                let cell = (latest[task.name]?[length] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
                out.append(result(task: task.name, metrics: task.metrics, length: length, planned: layout.samples, records: cell))
            }
        }
        return out
    }

    /// A sample that was run and failed (the request, the server's context, or the scorer): it counts as 0 in
    /// headline scores, as RULER counts it, and never silently raises a mean. Skipped samples are not failures.
    static func isFailure(_ status: SampleStatus) -> Bool { status == .error || status == .overflow || status == .scoreError }

    /// The headline values of `records`: ok samples' scores, and 0 for each failed sample.
    static func headlineValues(_ records: [SampleRecord]) -> [Double] {
        records.compactMap { $0.status == .ok ? $0.score : (isFailure($0.status) ? 0 : nil) }
    }

    static func result(task: String, metrics names: [String], length: Int, planned: Int, records: [SampleRecord]) -> RunManifest.Result {
        let ok = records.filter { $0.status == .ok }
        var metrics: [String: Double] = [:]
        for name in names {
            let values = ok.compactMap { $0.scores?[name] }
            if !values.isEmpty { metrics[name] = values.reduce(0, +) / Double(values.count) }
        }
        let (score, ci) = meanAndInterval(headlineValues(records))
        let (scoreOk, _) = meanAndInterval(ok.compactMap { $0.score })
        func count(_ status: SampleStatus) -> Int { records.filter { $0.status == status }.count }
        return RunManifest.Result(
            task: task, length: length, n: planned, nOk: ok.count, nError: count(.error), nOverflow: count(.overflow),
            nMissing: planned - records.count, nScoreError: count(.scoreError), nSkipped: count(.skipped),
            nTruncatedOutput: records.filter { $0.truncated }.count, nPromptMismatch: records.filter { $0.promptTokensMismatch }.count,
            score: score, scoreOk: scoreOk, ci95: ci, metrics: metrics)
    }

    /// The mean and its 95% normal-approximation interval clipped to 0...1 (nil below 2 values).
    static func meanAndInterval(_ scores: [Double]) -> (Double?, [Double]?) {
        guard !scores.isEmpty else { return (nil, nil) }
        let mean = scores.reduce(0, +) / Double(scores.count)
        guard scores.count >= 2 else { return (mean, nil) }
        let variance = scores.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(scores.count - 1)
        let half = 1.96 * (variance / Double(scores.count)).squareRoot()
        return (mean, [max(0, mean - half), min(1, mean + half)])
    }

    /// Results along every axis the plan's tasks declare: per (task, axis, bucket, length) and pooled over
    /// lengths, from the last record of each planned sample.
    public static func axisResults(plan: RunPlan, records: [SampleRecord]) -> [RunManifest.AxisResult] {
        axisResults(layout: RunLayout(plan: plan), records: records)
    }

    static func axisResults(layout: RunLayout, records: [SampleRecord]) -> [RunManifest.AxisResult] {
        let latest = layout.latest(records)
        var out: [RunManifest.AxisResult] = []
        for task in layout.tasks where !task.axes.isEmpty {
            var cell: [SampleRecord] = []
            for length in layout.lengths {
                cell += (latest[task.name]?[length] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
            }
            for axis in task.axes {
                var groups: [AxisValue: [SampleRecord]] = [:]
                for record in cell { if let value = record.axes?[axis.name] { groups[axis.bucket(value), default: []].append(record) } }
                for value in groups.keys.sorted() {
                    let members = groups[value]!
                    for length in layout.lengths {
                        let atLength = members.filter { $0.length == length }
                        if !atLength.isEmpty { out.append(axisResult(task.name, axis.name, value, length, atLength)) }
                    }
                    out.append(axisResult(task.name, axis.name, value, nil, members))
                }
            }
        }
        return out
    }

    static func axisResult(_ task: String, _ axis: String, _ value: AxisValue, _ length: Int?, _ records: [SampleRecord]) -> RunManifest.AxisResult {
        let ok = records.filter { $0.status == .ok }
        let (score, ci) = meanAndInterval(headlineValues(records))
        return RunManifest.AxisResult(
            task: task, axis: axis, value: value, length: length, n: records.count, nOk: ok.count,
            nFailed: records.filter { isFailure($0.status) }.count,
            nSkipped: records.filter { $0.status == .skipped }.count, nTruncatedOutput: records.filter { $0.truncated }.count,
            score: score, scoreOk: meanAndInterval(ok.compactMap { $0.score }).0, ci95: ci)
    }

    /// Per-length means over tasks, their mean, the weighted means and the effective length, from cell scores that
    /// count failed samples as 0; the same means over ok samples only beside them; `complete` when every planned
    /// sample of every cell scored.
    public static func summary(plan: RunPlan, results: [RunManifest.Result]) -> RunManifest.Summary {
        summary(layout: RunLayout(plan: plan), results: results)
    }

    static func summary(layout: RunLayout, results: [RunManifest.Result]) -> RunManifest.Summary {
        var summary = summary(lengths: layout.lengths, aggregation: layout.aggregation, results: results, score: \.score)
        let ok = Self.summary(lengths: layout.lengths, aggregation: layout.aggregation, results: results, score: \.scoreOk)
        summary.byLengthOk = ok.byLength
        summary.meanOk = ok.mean
        summary.complete = !results.isEmpty && results.allSatisfy { $0.nOk == $0.n }
        return summary
    }

    static func summary(lengths: [Int], aggregation: SuiteAggregation, results: [RunManifest.Result], score: KeyPath<RunManifest.Result, Double?>)
        -> RunManifest.Summary
    {
        var byLength: [String: Double] = [:]
        var ordered: [(Int, Double)] = []
        for length in lengths {
            let cells = results.filter { $0.length == length }
            let scores = cells.compactMap { $0[keyPath: score] }
            guard !cells.isEmpty, scores.count == cells.count else { continue }
            let mean = scores.reduce(0, +) / Double(scores.count)
            byLength[ContextLength.format(length)] = mean
            ordered.append((length, mean))
        }
        let mean = ordered.count == lengths.count && !ordered.isEmpty ? ordered.map { $0.1 }.reduce(0, +) / Double(ordered.count) : nil
        var effective: Int? = nil
        if ordered.count == lengths.count {
            for (length, score) in ordered.sorted(by: { $0.0 < $1.0 }) {
                guard score * 100 > aggregation.threshold else { break }
                effective = length
            }
        }
        let weighted = ordered.count == lengths.count ? weightedMeans(ordered.sorted { $0.0 < $1.0 }.map { $0.1 }) : nil
        return RunManifest.Summary(
            byLength: byLength, mean: mean, weightedMeanIncreasing: weighted?.increasing, weightedMeanDecreasing: weighted?.decreasing,
            effectiveLength: effective, headline: aggregation.headline, threshold: aggregation.threshold)
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
