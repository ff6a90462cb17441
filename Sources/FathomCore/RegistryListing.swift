import Foundation

/// What `fathom list` shows: one row per task (or suite), as JSON or as an aligned table.
extension Registry {
    public struct TaskRow: Codable, Sendable {
        public var name, plugin, family, diffusion, scope, summary, file: String
        public var metrics: [String]
        public var maxTokens: Int
        public var parameters: [String]
        enum CodingKeys: String, CodingKey {
            case name, plugin, family, diffusion, scope, summary, file, metrics, maxTokens = "max_tokens", parameters
        }
    }

    public struct SuiteRow: Codable, Sendable {
        public var name: String
        public var description: String?
        public var tasks: [String]
        public var lengths: [String]
        public var samples: Int
        public var seed: UInt64
        public var file: String
    }

    public var taskRows: [TaskRow] {
        taskNames.map { name in
            let d = tasks[name]!.descriptor
            return TaskRow(
                name: d.name, plugin: d.kind, family: d.tags.family, diffusion: d.tags.diffusion, scope: d.tags.scope, summary: d.summary,
                file: d.file, metrics: d.metrics, maxTokens: d.generation.maxTokens, parameters: d.parameters.values.keys.sorted())
        }
    }

    public var suiteRows: [SuiteRow] {
        suites.keys.sorted().map { name in
            let s = suites[name]!
            return SuiteRow(
                name: s.name, description: s.description, tasks: s.tasks, lengths: s.lengths.map(ContextLength.format), samples: s.samples,
                seed: s.seed, file: s.file)
        }
    }

    /// The task table (or the suite table) as `fathom list` prints it.
    public func listing(suites showSuites: Bool) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        if showSuites {
            let width = max(14, (suiteRows.map { $0.name.count }.max() ?? 0) + 1)
            return suiteRows.map {
                "\(pad($0.name, width)) \($0.tasks.count) tasks × \($0.lengths.joined(separator: ",")) × \($0.samples) samples  \($0.description ?? "")"
            }.joined(separator: "\n")
        }
        let rows = taskRows
        let w = (
            max(24, (rows.map { $0.name.count }.max() ?? 0) + 1), max(8, (rows.map { $0.plugin.count }.max() ?? 0) + 1),
            max(18, (rows.map { $0.family.count }.max() ?? 0) + 1)
        )
        var lines = ["\(pad("TASK", w.0)) \(pad("PLUGIN", w.1)) \(pad("FAMILY", w.2)) \(pad("DIFFUSION", 9)) \(pad("SCOPE", 6)) METRICS"]
        for r in rows {
            lines.append("\(pad(r.name, w.0)) \(pad(r.plugin, w.1)) \(pad(r.family, w.2)) \(pad(r.diffusion, 9)) \(pad(r.scope, 6)) \(r.metrics.joined(separator: ","))")
        }
        return lines.joined(separator: "\n")
    }

    /// Checks a manifest file on its own against this registry: a suite if it has `tasks:`, else a task.
    public func validateFile(_ path: String) throws {
        let text = try Registry.readManifest(path)
        if text.split(separator: "\n").contains(where: { $0.hasPrefix("tasks:") }) {
            var copy = self
            let suite = try SuiteManifest.parse(text, file: path)
            if let existing = copy.suites[suite.name], existing.file.hasSuffix(path) || path.hasSuffix(existing.file) { return }
            try copy.add(suite)
        } else {
            _ = try instantiate(try TaskManifest.parse(text, file: path))
        }
    }
}
