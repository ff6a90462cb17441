import FathomRun

/// A comparison a report prints after its table when the run holds what it compares (the confusing-facts drop;
/// a family's own contrasts, e.g. packed against single-item accuracy). Returns no lines when it does not apply.
///
/// A section that needs per-sample details (`score_details` in samples.jsonl) says so with `readsRecords` and
/// implements `lines(for:records:)`; the records are read only when some section asks. A section may also answer
/// `fathom report --by NAME` for a NAME that is a per-sample detail rather than a declared axis (accuracy by
/// position in a packed answer), with `view`.
public protocol ReportSection {
    /// Lines from run.json alone (default: none).
    static func lines(for manifest: RunManifest) -> [String]
    /// Whether the section reads the sample records (default: false).
    static var readsRecords: Bool { get }
    /// Lines from run.json and the run's sample records (default: `lines(for: manifest)`).
    static func lines(for manifest: RunManifest, records: [SampleRecord]) -> [String]
    /// The table (and chart) for `--by name` when `name` is a per-sample detail this section tabulates and the run
    /// has it; nil otherwise (default: nil).
    static func view(_ name: String, manifest: RunManifest, records: [SampleRecord]) -> ReportView?
}

extension ReportSection {
    public static func lines(for manifest: RunManifest) -> [String] { [] }
    public static var readsRecords: Bool { false }
    public static func lines(for manifest: RunManifest, records: [SampleRecord]) -> [String] { lines(for: manifest) }
    public static func view(_ name: String, manifest: RunManifest, records: [SampleRecord]) -> ReportView? { nil }
}

/// What a section shows for `fathom report --by NAME`: a table, and the same numbers as a chart (one series per
/// task over `xLabels`), written as `RUN_DIR/report/details-by-NAME.svg`.
public struct ReportView: Sendable {
    public var text: String
    public var title: String
    public var xLabels: [String]
    public var series: [(name: String, values: [Double?])]

    public init(text: String, title: String, xLabels: [String], series: [(name: String, values: [Double?])]) {
        self.text = text
        self.title = title
        self.xLabels = xLabels
        self.series = series
    }
}

/// Every section, in the order printed.
public enum ReportSections {
    public static let all: [any ReportSection.Type] = [
        ConfusingFactsSection.self, AmountLengthSection.self, PackedDropSection.self, PositionSection.self, EfficiencySection.self,
    ]
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
