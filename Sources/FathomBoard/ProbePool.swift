import FathomCore
import FathomRank
import Foundation

/// The measurements of run folders (or a scores file) with what a capability probe selects on: each sample's fields
/// (task, family, diffusion, scope, length and every declared axis) and its question text (samples.jsonl `query`).
/// A sample is keyed by its measurement's task (`task@length`) and sample id.
public struct ProbePool: Sendable {
    public var measurements: [FathomRank.Measurement]
    /// Fields of each sample, by `key(task:sample:)`.
    public var fields: [String: [String: AxisValue]]
    /// Question text of each sample that recorded one, by `key(task:sample:)`.
    public var queries: [String: String]
    /// The fields a structured probe may name here, sorted.
    public var knownFields: [String]

    /// The fields every run folder gives; the declared axes come on top.
    public static let runFields = ["task", "family", "diffusion", "scope", "length"]

    public static func key(task: String, sample: String) -> String { task + "\u{1F}" + sample }
    public static func key(_ m: FathomRank.Measurement) -> String { key(task: m.task, sample: m.sample) }

    /// The pool of run folders (merged as the leaderboard merges them: a sample counts once per model).
    public init(runs: [RunResults]) {
        let sorted = runs.sorted { ($0.suite, $0.model, $0.runID, $0.folder) < ($1.suite, $1.model, $1.runID, $1.folder) }
        measurements = LeaderboardBuilder.mergedMeasurements(sorted)
        var fields: [String: [String: AxisValue]] = [:], queries: [String: String] = [:]
        var known = Set(Self.runFields)
        for run in sorted {
            let tasks = Dictionary(run.tasks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for t in run.tasks { known.formUnion(t.axes.map(\.name)) }
            for s in run.samples {
                let k = Self.key(task: RunResults.taskKey(s.task, s.length), sample: s.id)
                if let q = s.query, queries[k] == nil { queries[k] = q }
                guard fields[k] == nil else { continue }
                var f: [String: AxisValue] = ["task": .label(s.task), "length": .number(Double(s.length))]
                let info = tasks[s.task]
                if let v = info?.family { f["family"] = .label(v) }
                if let v = info?.diffusion { f["diffusion"] = .label(v) }
                if let v = info?.scope { f["scope"] = .label(v) }
                for (axis, value) in s.axes { f[axis] = value; known.insert(axis) }
                fields[k] = f
            }
        }
        self.fields = fields
        self.queries = queries
        knownFields = known.sorted()
    }

    /// The pool of a scores file: its only field is `task` (a scores file records no lengths, tags or axes).
    public init(measurements: [FathomRank.Measurement]) {
        self.measurements = measurements
        var fields: [String: [String: AxisValue]] = [:]
        for m in measurements { fields[Self.key(m)] = ["task": .label(m.task)] }
        self.fields = fields
        queries = [:]
        knownFields = ["task"]
    }

    /// Parses structured probe expressions against this pool's fields.
    public func filter(_ expressions: [String]) throws -> ProbeFilter {
        try ProbeFilter(parsing: expressions, knownFields: knownFields)
    }

    /// Whether a measurement's sample passes `filter`.
    public func selects(_ filter: ProbeFilter) -> @Sendable (FathomRank.Measurement) -> Bool {
        let fields = self.fields
        return { filter.matches(fields[ProbePool.key($0)] ?? [:]) }
    }
}
