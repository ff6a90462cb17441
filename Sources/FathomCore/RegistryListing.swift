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

    /// Checks a manifest file on its own against this registry: a suite if it has `tasks:`, else a task. Throws
    /// `ManifestErrors` with every problem in the file.
    public func validateFile(_ path: String) throws {
        let errors = check(file: path)
        if !errors.isEmpty { throw ManifestErrors(errors: errors) }
    }

    /// Every problem in a manifest file, in line order (empty when it is valid): its shape, then (for a task) its
    /// parameters and metrics against its plugin kind, or (for a suite) the tasks it names.
    public func check(file path: String) -> [FathomError] {
        let text: String
        do { text = try Registry.readManifest(path) } catch { return [error] }
        if text.split(separator: "\n").contains(where: { $0.hasPrefix("tasks:") }) {
            var copy = self
            do {
                let suite = try SuiteManifest.parse(text, file: path)
                if let existing = copy.suites[suite.name], existing.file.hasSuffix(path) || path.hasSuffix(existing.file) { return [] }
                try copy.add(suite)
                return []
            } catch {
                return [error]
            }
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        let (manifest, shapeErrors) = TaskManifest.check(text, file: path, directory: folder)
        guard let manifest else { return shapeErrors }
        // Parameters and metrics can be checked only against a known kind; report them together with the shape.
        let kindErrors = shapeErrors.contains(where: { $0.key == "plugin" }) ? [] : check(manifest, instantiate: shapeErrors.isEmpty).errors
        var seen = Set<String>()
        return (shapeErrors + kindErrors).sortedByLine().filter { seen.insert($0.description).inserted }
    }
}

extension Registry {
    /// One plugin kind as `fathom list --kinds` shows it: what manifests can use in `plugin:` and `params:`.
    public struct KindRow: Codable, Sendable {
        public var kind: String
        public var summary: String
        public var metrics: [String]
        public var maxTokens: Int?
        public var parameters: [ParameterSpec]
        enum CodingKeys: String, CodingKey { case kind, summary, metrics, maxTokens = "max_tokens", parameters }
    }

    public var kindRows: [KindRow] {
        let described = kinds.keys.sorted().map { name -> KindRow in
            let d = PluginDescription(kinds[name]!)
            return KindRow(kind: d.kind, summary: d.summary, metrics: d.metrics, maxTokens: d.defaultMaxTokens, parameters: d.parameterSpecs)
        }
        let external = externalKinds.keys.sorted().map { name in
            KindRow(
                kind: name, summary: "\(externalKinds[name]!.kind == TaskManifest.execKind ? "a task plugin in any language: `command: [program, args…]` runs a process speaking the exec protocol (`fathom schema exec-plugin`); it declares its own parameters and metrics" : "described by its manifest")",
                metrics: [], maxTokens: nil, parameters: [])
        }
        return described + external
    }

    /// The kinds, their metrics and their parameters (type, default, allowed values, minimum, doc).
    public var kindListing: String {
        var lines: [String] = []
        for row in kindRows {
            lines.append("\(row.kind): \(row.summary)")
            if !row.metrics.isEmpty { lines.append("  metrics: \(row.metrics.joined(separator: ", ")) (default max_tokens \(row.maxTokens ?? 0))") }
            for p in row.parameters {
                var type = p.type.rawValue
                if let allowed = p.allowed { type = allowed.joined(separator: "|") }
                if let minimum = p.minimum { type += ", >= \(minimum)" }
                lines.append("  \(p.name) (\(type); default \(p.defaultValue.canonicalJSON)): \(p.doc)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
