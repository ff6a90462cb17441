import FathomCore
import FathomRun

/// The plain-text results table of `run` and `report`: tasks × lengths, the per-length mean, the suite headline,
/// and a note for every cell where not every sample was scored.
public enum ResultsTable {
    public static func render(_ manifest: RunManifest) -> String {
        let lengths = manifest.suite.lengths
        var lines: [String] = []
        let estimate = manifest.tokenizer.name == "approx" && manifest.model.kind != "reference" ? " (an estimate, not the model's tokens)" : ""
        lines.append("\(manifest.suite.name) × \(manifest.model.name) (\(manifest.status); tokenizer \(manifest.tokenizer.name)\(estimate); scores ×100)")
        let nameWidth = max(24, (manifest.tasks.map { $0.name.count }.max() ?? 0) + 2)
        lines.append(Format.pad("task", nameWidth) + Format.pad("diff/scope", 12) + lengths.map { Format.pad(ContextLength.format($0), 9, right: true) }.joined())
        var notes: [String] = []
        for task in manifest.tasks {
            var row = Format.pad(task.name, nameWidth) + Format.pad("\(task.tags.diffusion)/\(task.tags.scope)", 12)
            for length in lengths {
                guard let cell = manifest.results.first(where: { $0.task == task.name && $0.length == length }) else {
                    row += Format.pad("-", 9, right: true)
                    continue
                }
                var text = cell.score.map(Format.score) ?? "n/a"
                if let note = note(cell) {
                    text += "*"
                    notes.append("\(task.name) @\(ContextLength.format(length)): " + note)
                }
                row += Format.pad(text, 9, right: true)
            }
            lines.append(row)
        }
        var meanRow = Format.pad("mean", nameWidth) + Format.pad("", 12)
        for length in lengths {
            meanRow += Format.pad(manifest.summary.byLength[ContextLength.format(length)].map(Format.score) ?? "-", 9, right: true)
        }
        lines.append(meanRow)
        if !manifest.summary.complete, !manifest.summary.byLengthOk.isEmpty {
            var okRow = Format.pad("mean over ok samples", nameWidth) + Format.pad("", 12)
            for length in lengths {
                okRow += Format.pad(manifest.summary.byLengthOk[ContextLength.format(length)].map(Format.score) ?? "-", 9, right: true)
            }
            lines.append(okRow)
        }
        if let mean = manifest.summary.mean {
            var line = "overall mean: \(Format.score(mean))"
            if let inc = manifest.summary.weightedMeanIncreasing, let dec = manifest.summary.weightedMeanDecreasing, lengths.count > 1 {
                line += "  wAvg(inc) \(Format.score(inc))  wAvg(dec) \(Format.score(dec))"
            }
            if !manifest.summary.complete, let ok = manifest.summary.meanOk { line += "  (over ok samples only: \(Format.score(ok)))" }
            lines.append(line)
        }
        if manifest.summary.headline == "effective_length" {
            let effective = manifest.summary.effectiveLength.map(ContextLength.format) ?? "none"
            lines.append("effective length (> \(manifest.summary.threshold)): \(effective)")
        }
        if !notes.isEmpty {
            lines.append("* incomplete cell: failed samples count as 0 in every score and headline above (as RULER counts them):")
            lines += notes.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    /// What kept a cell from scoring every planned sample, or nil when nothing did.
    static func note(_ cell: RunManifest.Result) -> String? {
        let parts = [
            (cell.nError, "error"), (cell.nOverflow, "overflow"), (cell.nScoreError, "score_error"), (cell.nSkipped, "skipped"),
            (cell.nMissing, "missing"),
        ]
        guard parts.contains(where: { $0.0 > 0 }) else { return nil }
        return "\(cell.nOk)/\(cell.n) ok, " + parts.filter { $0.0 > 0 || ["error", "overflow", "missing"].contains($0.1) }
            .map { "\($0.0) \($0.1)" }.joined(separator: ", ") + (cell.scoreOk.map { "; over ok samples only \(Format.score($0))" } ?? "")
    }
}

/// `fathom report --by AXIS`: tasks × the axis's values (pooled over lengths), for the tasks that declare it.
public enum AxisTable {
    public static func render(_ manifest: RunManifest, axis: String) throws(FathomError) -> String {
        let declared = Set(manifest.tasks.flatMap { $0.axes.map(\.name) })
        guard declared.contains(axis) else {
            let known = declared.isEmpty ? "none (its tasks declare no axis besides length)" : declared.sorted().joined(separator: ", ")
            throw FathomError(.usage, "no task of this run has the axis '\(axis)'; axes here: \(known)")
        }
        let cells = manifest.byAxis.filter { $0.axis == axis && $0.length == nil }
        let values = Array(Set(cells.map(\.value))).sorted()
        let nameWidth = max(24, (manifest.tasks.map { $0.name.count }.max() ?? 0) + 2)
        let width = max(9, (values.map { $0.description.count }.max() ?? 0) + 2)
        var lines = ["\(manifest.suite.name) × \(manifest.model.name) by \(axis) (all lengths pooled; scores ×100, n ok in brackets)"]
        lines.append(Format.pad("task", nameWidth) + values.map { Format.pad($0.description, width + 5, right: true) }.joined())
        for task in manifest.tasks where task.axes.contains(where: { $0.name == axis }) {
            var row = Format.pad(task.name, nameWidth)
            for value in values {
                guard let cell = cells.first(where: { $0.task == task.name && $0.value == value }) else {
                    row += Format.pad("-", width + 5, right: true)
                    continue
                }
                let text = (cell.score.map(Format.score) ?? "n/a") + (cell.nFailed + cell.nSkipped > 0 ? "*" : "") + " (\(cell.nOk))"
                row += Format.pad(text, width + 5, right: true)
            }
            lines.append(row)
        }
        if cells.contains(where: { $0.nFailed + $0.nSkipped > 0 }) {
            lines.append("* some samples failed or were skipped in this cell (counted apart, never as 0)")
        }
        return lines.joined(separator: "\n")
    }
}
