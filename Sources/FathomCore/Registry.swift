import Foundation

/// Every problem found while loading manifests; its description lists each on its own line.
public struct ManifestErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [FathomError]
    public init(errors: [FathomError]) { self.errors = errors }
    public var description: String { errors.map { $0.description }.joined(separator: "\n") }
}

/// Maps plugin kinds (Swift types, or outside kinds such as `exec`) to implementations and manifests (YAML) to task
/// instances and suites.
public struct Registry: Sendable {
    /// Plugin kinds by name.
    public let kinds: [String: any TaskPlugin.Type]
    /// Kinds described per manifest by something outside the binary (`exec`), by name.
    public let externalKinds: [String: any ExternalPluginKind.Type]
    /// Task instances by name.
    public private(set) var tasks: [String: any TaskPlugin] = [:]
    /// Suites by name.
    public private(set) var suites: [String: SuiteManifest] = [:]
    /// Where each task and suite was defined, for messages: `Tasks/ruler/vt.yaml (built in)` or `mine/x.yaml`.
    public private(set) var origins: [String: String] = [:]
    /// The set each task and suite came from: `built-in`, or the folder as it was added.
    public private(set) var sourceLabels: [String: String] = [:]
    /// The folder on disk the built-in manifests were read from ("" when they are the copy embedded in the binary).
    public let directory: String

    /// An empty registry knowing `kinds`; fails if two kinds share a name.
    public init(kinds: [any TaskPlugin.Type], external: [any ExternalPluginKind.Type] = [], directory: String = "") throws(FathomError) {
        var byName: [String: any TaskPlugin.Type] = [:]
        for kind in kinds {
            let name = kind.kind
            guard byName[name] == nil else { throw FathomError(.duplicateName, "two plugin kinds are named '\(name)'") }
            byName[name] = kind
        }
        var externalByName: [String: any ExternalPluginKind.Type] = [:]
        for kind in external {
            let name = kind.kind
            guard byName[name] == nil, externalByName[name] == nil else {
                throw FathomError(.duplicateName, "two plugin kinds are named '\(name)'")
            }
            externalByName[name] = kind
        }
        self.kinds = byName
        self.externalKinds = externalByName
        self.directory = directory
    }

    /// Loads every `*.yaml` under `directory` (suites from its `suites/` folder), strictly, naming files relative to
    /// it. Collects every error.
    public static func load(directory: String, kinds: [any TaskPlugin.Type], external: [any ExternalPluginKind.Type] = []) throws -> Registry {
        try load(sources: [try ManifestSource.folder(directory, relativeNames: true)], kinds: kinds, external: external)
    }

    /// Loads the manifests of every source in order (tasks first, then suites, which may name tasks of any source).
    /// A name defined twice, in one source or across two, is an error naming both files. Collects every error.
    public static func load(
        sources: [ManifestSource], kinds: [any TaskPlugin.Type], external: [any ExternalPluginKind.Type] = []
    ) throws -> Registry {
        var registry = try Registry(
            kinds: kinds, external: external, directory: sources.first(where: { $0.isBuiltin })?.root ?? sources.first?.root ?? "")
        var errors: [FathomError] = []
        var suiteManifests: [(suite: SuiteManifest, origin: String, source: String)] = []
        for source in sources {
            for file in source.files {
                let display = source.displayName(file)
                if file.isSuite {
                    do { suiteManifests.append((try SuiteManifest.parse(file.text, file: display), source.origin(file), source.label)) } catch { errors.append(error) }
                    continue
                }
                let (manifest, shapeErrors) = TaskManifest.check(file.text, file: display, directory: source.directory(of: file))
                guard shapeErrors.isEmpty, let manifest else {
                    errors += shapeErrors
                    continue
                }
                errors += registry.adding(manifest, origin: source.origin(file), source: source.label)
            }
        }
        for entry in suiteManifests {
            do { try registry.add(entry.suite, origin: entry.origin, source: entry.source) } catch { errors.append(error) }
        }
        if !errors.isEmpty { throw ManifestErrors(errors: errors) }
        return registry
    }

    /// Adds a task instance built from `manifest`; `origin` names its file in messages (default: `manifest.file`).
    /// Throws the first problem; `load` and `check` report every one.
    public mutating func add(_ manifest: TaskManifest, origin: String? = nil, source: String = "") throws(FathomError) {
        if let first = adding(manifest, origin: origin, source: source).first { throw first }
    }

    /// Adds a task instance built from `manifest`, or returns every problem of the manifest (nothing is added).
    mutating func adding(_ manifest: TaskManifest, origin: String? = nil, source: String = "") -> [FathomError] {
        let origin = origin ?? manifest.file
        if tasks[manifest.name] != nil || suites[manifest.name] != nil {
            let existing = origins[manifest.name] ?? "another file"
            return [
                FathomError(
                    .duplicateName, "task '\(manifest.name)' is already defined in \(existing); rename one of them", file: manifest.file,
                    line: manifest.line(of: "name"), key: "name")
            ]
        }
        let (task, errors) = check(manifest)
        guard let task, errors.isEmpty else { return errors }
        tasks[manifest.name] = task
        origins[manifest.name] = origin
        sourceLabels[manifest.name] = source
        return []
    }

    /// Adds a suite; every task it names must already be registered.
    public mutating func add(_ suite: SuiteManifest, origin: String? = nil, source: String = "") throws(FathomError) {
        if let existing = suites[suite.name] {
            throw FathomError(
                .duplicateName, "suite '\(suite.name)' is already defined in \(origins["suite:" + suite.name] ?? existing.file); rename one of them",
                file: suite.file, key: "name")
        }
        if tasks[suite.name] != nil {
            throw FathomError(
                .duplicateName, "'\(suite.name)' is already the name of a task (in \(origins[suite.name] ?? "another file"))", file: suite.file,
                key: "name")
        }
        for task in suite.tasks where tasks[task] == nil {
            throw FathomError(.missingTask, "no task named '\(task)'\(suggestion(for: task))", file: suite.file, key: "tasks")
        }
        suites[suite.name] = suite
        origins["suite:" + suite.name] = origin ?? suite.file
        sourceLabels["suite:" + suite.name] = source
    }

    /// What the kind a manifest names offers it: from the Swift type, or asked of the outside kind.
    public func description(for manifest: TaskManifest) throws(FathomError) -> PluginDescription {
        if let kind = kinds[manifest.plugin] { return PluginDescription(kind) }
        if let external = externalKinds[manifest.plugin] {
            do {
                return try external.describe(manifest)
            } catch var error as FathomError {
                if error.file == nil { error.file = manifest.file }
                throw error
            } catch {
                throw FathomError(.invalidValue, "\(error)", file: manifest.file, key: "plugin")
            }
        }
        let names = Array(kinds.keys) + Array(externalKinds.keys)
        throw FathomError(
            .unknownPlugin,
            "unknown plugin kind '\(manifest.plugin)'\(Suggestions.hint(for: manifest.plugin, among: names)) (registered: \(names.sorted().joined(separator: ", ")))",
            file: manifest.file, line: manifest.line(of: "plugin"), key: "plugin")
    }

    /// Resolves a manifest against its plugin kind: parameters, metrics, tags, generation settings. Throws the first
    /// problem; `check` reports all of them.
    public func instantiate(_ manifest: TaskManifest) throws(FathomError) -> any TaskPlugin {
        let (task, errors) = check(manifest)
        if let first = errors.first { throw first }
        return task!
    }

    /// Resolves a manifest against its plugin kind, collecting every problem (unknown or invalid parameters, unknown
    /// metrics), each with its file and line; the plugin's own checks (`init`) run only when the rest is valid and
    /// `instantiate` is true.
    public func check(_ manifest: TaskManifest, instantiate: Bool = true) -> (task: (any TaskPlugin)?, errors: [FathomError]) {
        func located(_ error: FathomError) -> FathomError {
            var error = error
            if error.file == nil { error.file = manifest.file }
            if error.line == nil, let key = error.key { error.line = manifest.line(of: key) }
            return error
        }
        let kind: PluginDescription
        do { kind = try description(for: manifest) } catch { return (nil, [located(error)]) }
        var errors: [FathomError] = []
        var parameters = ParameterSet()
        switch ParameterSet.resolveAll(manifest.params, specs: kind.parameterSpecs) {
        case .success(let resolved): parameters = resolved
        case .failure(let found): errors += found.errors.map(located)
        }
        let metrics = manifest.metrics ?? Array(kind.metrics.prefix(1))
        if metrics.isEmpty { errors.append(located(FathomError(.invalidValue, "at least one metric is needed", key: "metrics"))) }
        for (index, metric) in metrics.enumerated() where !kind.metrics.contains(metric) {
            errors.append(
                FathomError(
                    .invalidValue,
                    "plugin '\(kind.kind)' cannot report '\(metric)'\(Suggestions.hint(for: metric, among: kind.metrics)) (it reports: \(kind.metrics.joined(separator: ", ")))",
                    file: manifest.file, line: manifest.line(of: "metrics#\(index)"), key: "metrics"))
        }
        guard errors.isEmpty, instantiate else { return (nil, errors.sortedByLine()) }
        let defaults = kind.defaultTags
        let tags = TaskTags(
            family: manifest.tags["family"] ?? defaults.family, diffusion: manifest.tags["diffusion"] ?? defaults.diffusion,
            scope: manifest.tags["scope"] ?? defaults.scope)
        let descriptor = TaskDescriptor(
            name: manifest.name, kind: kind.kind, version: manifest.version, summary: manifest.description ?? kind.summary,
            parameters: parameters, metrics: metrics, tags: tags,
            generation: GenerationSettings(
                maxTokens: manifest.maxTokens ?? kind.defaultMaxTokens, stop: manifest.stop ?? [], prefixMode: manifest.prefixMode ?? .chatUser),
            file: manifest.file, directory: manifest.directory)
        do {
            if let type = kinds[manifest.plugin] { return (try type.make(descriptor: descriptor), []) }
            return (try externalKinds[manifest.plugin]!.make(descriptor: descriptor, manifest: manifest, description: kind), [])
        } catch let error as FathomError {
            return (nil, [located(error)])
        } catch {
            return (nil, [located(FathomError(.invalidValue, "\(error)", key: "params"))])
        }
    }

    /// Task names sorted.
    public var taskNames: [String] { tasks.keys.sorted() }

    /// The task named `name`; an unknown name is an error suggesting the nearest known names.
    public func task(named name: String) throws(FathomError) -> any TaskPlugin {
        guard let task = tasks[name] else {
            throw FathomError(.missingTask, "no task\(suites.isEmpty ? "" : " or suite") named '\(name)'\(suggestion(for: name)) (see `fathom list`)")
        }
        return task
    }

    private func suggestion(for name: String) -> String {
        Suggestions.hint(for: name, among: Array(tasks.keys) + Array(suites.keys))
    }

    /// Reads a manifest file as UTF-8.
    public static func readManifest(_ path: String, display: String? = nil) throws(FathomError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FathomError(.io, "cannot read the file", file: display ?? path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw FathomError(.parse, "not UTF-8 text", file: display ?? path) }
        return text
    }
}
