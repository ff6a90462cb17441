import ArgumentParser
import FathomCore
import FathomRun
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Show a run's results per task × length and write SVG charts (score vs length, depth × length heatmaps).")

    @Argument(help: "A run folder (holding run.json).") var runDirectory: String

    func run() throws {
        let path = runDirectory.hasSuffix("run.json") ? runDirectory : runDirectory + "/run.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FathomError(.io, "no run.json here: is this a run folder (OUT/<suite>/<model>/<run-id>)?", file: path)
        }
        let manifest: RunManifest
        do {
            manifest = try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            throw FathomError(.parse, "not a run.json of schema \(RunManifest.currentSchemaVersion): \(error)", file: path)
        }
        print(ReportTable.render(manifest))
        let folder = runDirectory.hasSuffix("run.json") ? String(runDirectory.dropLast("/run.json".count)) : runDirectory
        let charts = try ReportCharts.write(manifest: manifest, runDirectory: folder)
        print("charts: " + charts.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + " in \(folder)/report")
    }
}

/// The plain-text results table shared by `run` and `report`.
enum ReportTable {
    /// For each task with confusing facts (`confusers` > 0) whose twin without them is in the same run: the drop in
    /// mean score over the lengths both have.
    static func confusingFactsDrops(_ manifest: RunManifest) -> [String] {
        var lines: [String] = []
        for task in manifest.tasks {
            guard case .int(let confusers)? = task.params.values["confusers"], confusers > 0 else { continue }
            var base = task.params.values
            base["confusers"] = .int(0)
            guard let twin = manifest.tasks.first(where: { $0.kind == task.kind && $0.params.values == base }) else { continue }
            func mean(_ name: String) -> Double? {
                let scores = manifest.results.filter { $0.task == name }.compactMap { $0.score }
                return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
            }
            guard let with = mean(task.name), let without = mean(twin.name) else { continue }
            lines.append(
                "confusing facts: \(task.name) \(String(format: "%.1f", with * 100)) vs \(twin.name) \(String(format: "%.1f", without * 100)): drop \(String(format: "%.1f", (without - with) * 100)) points")
        }
        return lines
    }

    static func render(_ manifest: RunManifest) -> String {
        let lengths = manifest.suite.lengths
        var lines: [String] = []
        lines.append("\(manifest.suite.name) × \(manifest.model.name) (\(manifest.status); tokenizer \(manifest.tokenizer.name); scores ×100)")
        let nameWidth = max(24, (manifest.tasks.map { $0.name.count }.max() ?? 0) + 2)
        lines.append(pad("task", nameWidth) + pad("diff/scope", 12) + lengths.map { pad(ContextLength.format($0), 9, right: true) }.joined())
        var notes: [String] = []
        for task in manifest.tasks {
            var row = pad(task.name, nameWidth) + pad("\(task.tags.diffusion)/\(task.tags.scope)", 12)
            for length in lengths {
                guard let cell = manifest.results.first(where: { $0.task == task.name && $0.length == length }) else {
                    row += pad("-", 9, right: true)
                    continue
                }
                var text = cell.score.map { String(format: "%.1f", $0 * 100) } ?? "n/a"
                let failed = cell.nError + cell.nOverflow + cell.nMissing
                if failed > 0 {
                    text += "*"
                    notes.append("\(task.name) @\(ContextLength.format(length)): \(cell.nOk)/\(cell.n) ok, \(cell.nError) error, \(cell.nOverflow) overflow, \(cell.nMissing) missing")
                }
                row += pad(text, 9, right: true)
            }
            lines.append(row)
        }
        var meanRow = pad("mean", nameWidth) + pad("", 12)
        for length in lengths {
            meanRow += pad(manifest.summary.byLength[ContextLength.format(length)].map { String(format: "%.1f", $0 * 100) } ?? "-", 9, right: true)
        }
        lines.append(meanRow)
        if let mean = manifest.summary.mean {
            var line = "overall mean: \(String(format: "%.1f", mean * 100))"
            if let inc = manifest.summary.weightedMeanIncreasing, let dec = manifest.summary.weightedMeanDecreasing, lengths.count > 1 {
                line += "  wAvg(inc) \(String(format: "%.1f", inc * 100))  wAvg(dec) \(String(format: "%.1f", dec * 100))"
            }
            lines.append(line)
        }
        if manifest.summary.headline == "effective_length" {
            let effective = manifest.summary.effectiveLength.map(ContextLength.format) ?? "none"
            lines.append("effective length (> \(manifest.summary.threshold)): \(effective)")
        }
        lines += confusingFactsDrops(manifest)
        if !notes.isEmpty {
            lines.append("* not every sample was scored (failures are counted apart, never as 0):")
            lines += notes.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }
}
