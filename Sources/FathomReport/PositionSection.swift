import FathomCore
import FathomRun

/// `fathom report --by position`: accuracy by the position of a question in its prompt, in deciles of K, for
/// every task whose samples record `ItemScores`; with a baseline, a second row gives the same items asked one at a
/// time (the control: their position in the packed prompt should not matter when asked alone). A packed sample has
/// no single position, so position is not an axis: this pools each decile's items and right answers over the
/// task's scored samples (all lengths), from samples.jsonl.
public enum PositionSection: ReportSection {
    public static var readsRecords: Bool { true }

    public static func view(_ name: String, manifest: RunManifest, records: [SampleRecord]) -> ReportView? {
        guard name == "position" else { return nil }
        var items: [String: [Int]] = [:]
        var right: [String: [Int]] = [:]
        var samples: [String: Int] = [:]
        var truncated: [String: Int] = [:]
        let zero = [Int](repeating: 0, count: 10)
        for record in records where record.status == .ok {
            guard let details = record.scoreDetails, details["decile_items"] != nil, details["outcomes"] != nil,
                let scores = ItemScores(json: details), scores.decileItems.count == 10, scores.decileCorrect.count == 10
            else { continue }
            items[record.task] = zip(items[record.task] ?? zero, scores.decileItems).map { $0 + $1 }
            right[record.task] = zip(right[record.task] ?? zero, scores.decileCorrect).map { $0 + $1 }
            samples[record.task, default: 0] += 1
            if scores.truncated { truncated[record.task, default: 0] += 1 }
            if let baseline = scores.baselineList, baseline.count == scores.outcomes.count {
                let row = record.task + " (single)"
                var n = items[row] ?? zero, r = right[row] ?? zero
                for (offset, outcome) in baseline.enumerated() {
                    let d = ItemScores.decile(position: scores.first + offset, of: scores.positions)
                    n[d] += 1
                    if outcome == .correct { r[d] += 1 }
                }
                items[row] = n
                right[row] = r
                samples[row, default: 0] += 1
            }
        }
        let tasks = manifest.tasks.map(\.name).flatMap { [$0, $0 + " (single)"] }.filter { items[$0] != nil }
        guard !tasks.isEmpty else { return nil }
        let labels = (0..<10).map { "\($0 * 10)%" }
        let nameWidth = max(24, (tasks.map(\.count).max() ?? 0) + 2)
        var lines = ["\(manifest.suite.name) × \(manifest.model.name) by position (decile of the question among the K asked; all lengths pooled; accuracy ×100)"]
        lines.append(Format.pad("task", nameWidth) + labels.map { Format.pad($0, 7, right: true) }.joined() + Format.pad("samples", 9, right: true)
            + Format.pad("truncated", 11, right: true))
        var series: [(name: String, values: [Double?])] = []
        for task in tasks {
            let values = (0..<10).map { d in items[task]![d] == 0 ? nil : Double(right[task]![d]) / Double(items[task]![d]) }
            series.append((task, values))
            lines.append(
                Format.pad(task, nameWidth) + values.map { Format.pad($0.map(Format.score) ?? "-", 7, right: true) }.joined()
                    + Format.pad("\(samples[task] ?? 0)", 9, right: true)
                    + Format.pad(task.hasSuffix(" (single)") ? "" : "\(truncated[task] ?? 0)", 11, right: true))
        }
        return ReportView(
            text: lines.joined(separator: "\n"), title: "\(manifest.suite.name) × \(manifest.model.name): accuracy by position",
            xLabels: labels, series: series)
    }
}
