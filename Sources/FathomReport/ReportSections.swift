import FathomRun

/// A comparison a report prints after its table when the run holds what it compares (the confusing-facts drop;
/// a family's own contrasts, e.g. packed against single-item accuracy). Returns no lines when it does not apply.
public protocol ReportSection {
    static func lines(for manifest: RunManifest) -> [String]
}

/// Every section, in the order printed.
public enum ReportSections {
    public static let all: [any ReportSection.Type] = [ConfusingFactsSection.self, AmountLengthSection.self, EfficiencySection.self]
}

/// For each task with confusing facts (`confusers` > 0) whose twin without them is in the same run: the drop in
/// mean score over the lengths both have.
public enum ConfusingFactsSection: ReportSection {
    public static func lines(for manifest: RunManifest) -> [String] {
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
                "confusing facts: \(task.name) \(Format.score(with)) vs \(twin.name) \(Format.score(without)): drop \(Format.score(without - with)) points")
        }
        return lines
    }
}
