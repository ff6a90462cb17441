import Foundation

/// Every problem found while loading manifests; its description lists each on its own line.
public struct ManifestErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [FathomError]
    public var description: String { errors.map { $0.description }.joined(separator: "\n") }
}

/// Maps plugin kinds (Swift types) to implementations and manifests (YAML) to task instances and suites.
public struct Registry: Sendable {
    /// Plugin kinds by name.
    public let kinds: [String: any TaskPlugin.Type]
    /// Task instances by name.
    public private(set) var tasks: [String: any TaskPlugin] = [:]
    /// Suites by name.
    public private(set) var suites: [String: SuiteManifest] = [:]
    /// The folder manifests were read from.
    public let directory: String

    /// An empty registry knowing `kinds`; fails if two kinds share a name.
    public init(kinds: [any TaskPlugin.Type], directory: String = "") throws(FathomError) {
        var byName: [String: any TaskPlugin.Type] = [:]
        for kind in kinds {
            let name = kind.kind
            guard byName[name] == nil else { throw FathomError(.duplicateName, "two plugin kinds are named '\(name)'") }
            byName[name] = kind
        }
        self.kinds = byName
        self.directory = directory
    }

    /// Loads every `*.yaml` under `directory` (suites from its `suites/` folder), strictly. Collects every error.
    public static func load(directory: String, kinds: [any TaskPlugin.Type]) throws -> Registry {
        var registry = try Registry(kinds: kinds, directory: directory)
        var errors: [FathomError] = []
        let files = try manifestFiles(in: directory)
        var suiteManifests: [SuiteManifest] = []
        for file in files {
            let relative = String(file.dropFirst(directory.count)).trimmingPrefix("/")
            do {
                let text = try readManifest(file, display: relative)
                if relative.hasPrefix("suites/") {
                    suiteManifests.append(try SuiteManifest.parse(text, file: relative))
                } else {
                    try registry.add(TaskManifest.parse(text, file: relative))
                }
            } catch {
                errors.append(error)
            }
        }
        for suite in suiteManifests {
            do { try registry.add(suite) } catch { errors.append(error) }
        }
        if !errors.isEmpty { throw ManifestErrors(errors: errors) }
        return registry
    }

    /// Adds a task instance built from `manifest`.
    public mutating func add(_ manifest: TaskManifest) throws(FathomError) {
        if let existing = tasks[manifest.name] {
            throw FathomError(
                .duplicateName, "task '\(manifest.name)' is already defined in \(existing.descriptor.file)", file: manifest.file,
                key: "name")
        }
        tasks[manifest.name] = try instantiate(manifest)
    }

    /// Adds a suite; every task it names must already be registered.
    public mutating func add(_ suite: SuiteManifest) throws(FathomError) {
        if let existing = suites[suite.name] {
            throw FathomError(.duplicateName, "suite '\(suite.name)' is already defined in \(existing.file)", file: suite.file, key: "name")
        }
        if tasks[suite.name] != nil {
            throw FathomError(.duplicateName, "'\(suite.name)' is already the name of a task", file: suite.file, key: "name")
        }
        for task in suite.tasks where tasks[task] == nil {
            throw FathomError(.missingTask, "no task named '\(task)'\(suggestion(for: task))", file: suite.file, key: "tasks")
        }
        suites[suite.name] = suite
    }

    /// Resolves a manifest against its plugin kind: parameters, metrics, tags, generation settings.
    public func instantiate(_ manifest: TaskManifest) throws(FathomError) -> any TaskPlugin {
        guard let kind = kinds[manifest.plugin] else {
            throw FathomError(
                .unknownPlugin,
                "unknown plugin kind '\(manifest.plugin)' (registered: \(kinds.keys.sorted().joined(separator: ", ")))",
                file: manifest.file, key: "plugin")
        }
        let parameters: ParameterSet
        switch ParameterSet.resolve(manifest.params, specs: kind.parameterSpecs) {
        case .success(let resolved): parameters = resolved
        case .failure(var error):
            error.file = manifest.file
            throw error
        }
        let metrics = manifest.metrics ?? [kind.metrics[0]]
        if metrics.isEmpty { throw FathomError(.invalidValue, "at least one metric is needed", file: manifest.file, key: "metrics") }
        for metric in metrics where !kind.metrics.contains(metric) {
            throw FathomError(
                .invalidValue, "plugin '\(kind.kind)' cannot report '\(metric)' (it reports: \(kind.metrics.joined(separator: ", ")))",
                file: manifest.file, key: "metrics")
        }
        let defaults = kind.defaultTags
        let tags = TaskTags(
            family: manifest.tags["family"] ?? defaults.family, diffusion: manifest.tags["diffusion"] ?? defaults.diffusion,
            scope: manifest.tags["scope"] ?? defaults.scope)
        let descriptor = TaskDescriptor(
            name: manifest.name, kind: kind.kind, version: manifest.version, summary: manifest.description ?? kind.summary,
            parameters: parameters, metrics: metrics, tags: tags,
            generation: GenerationSettings(
                maxTokens: manifest.maxTokens ?? kind.defaultMaxTokens, stop: manifest.stop ?? [], prefixMode: manifest.prefixMode ?? .chatUser),
            file: manifest.file)
        do {
            return try kind.make(descriptor: descriptor)
        } catch var error as FathomError {
            if error.file == nil { error.file = manifest.file }
            throw error
        } catch {
            throw FathomError(.invalidValue, "\(error)", file: manifest.file, key: "params")
        }
    }

    /// Task names sorted.
    public var taskNames: [String] { tasks.keys.sorted() }

    /// Expands names of suites and tasks into (suite, tasks); a name that is neither is an error.
    public func task(named name: String) throws(FathomError) -> any TaskPlugin {
        guard let task = tasks[name] else {
            throw FathomError(.missingTask, "no task named '\(name)'\(suggestion(for: name))")
        }
        return task
    }

    private func suggestion(for name: String) -> String {
        let candidates = (Array(tasks.keys) + Array(suites.keys)).filter {
            $0.hasSuffix(name) || name.hasSuffix($0) || $0.hasPrefix(name)
        }
        return candidates.isEmpty ? "" : " (did you mean \(candidates.sorted().prefix(3).joined(separator: ", "))?)"
    }

    static func manifestFiles(in directory: String) throws(FathomError) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FathomError(.io, "no tasks folder at \(directory)")
        }
        guard let enumerator = manager.enumerator(atPath: directory) else { throw FathomError(.io, "cannot list \(directory)") }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { files.append(directory + "/" + path) }
        }
        return files.sorted()
    }

    /// Reads a manifest file as UTF-8.
    public static func readManifest(_ path: String, display: String? = nil) throws(FathomError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FathomError(.io, "cannot read the file", file: display ?? path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw FathomError(.parse, "not UTF-8 text", file: display ?? path) }
        return text
    }

    /// Finds the tasks folder: an explicit path, `$FATHOM_TASKS`, a `Tasks/` folder in the working directory or
    /// one of its parents, or one next to the executable's package.
    public static func locateTasksDirectory(explicit: String?) throws(FathomError) -> String {
        let manager = FileManager.default
        func isTasks(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path + "/suites", isDirectory: &isDirectory) && isDirectory.boolValue
        }
        if let explicit {
            guard isTasks(explicit) else { throw FathomError(.io, "\(explicit) is not a tasks folder (it has no suites/ folder)") }
            return explicit
        }
        if let env = ProcessInfo.processInfo.environment["FATHOM_TASKS"], !env.isEmpty {
            guard isTasks(env) else { throw FathomError(.io, "FATHOM_TASKS=\(env) is not a tasks folder (it has no suites/ folder)") }
            return env
        }
        var candidates: [URL] = []
        var url = URL(fileURLWithPath: manager.currentDirectoryPath)
        for _ in 0..<6 {
            candidates.append(url.appendingPathComponent("Tasks"))
            url.deleteLastPathComponent()
        }
        var exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for _ in 0..<6 {
            exe.deleteLastPathComponent()
            candidates.append(exe.appendingPathComponent("Tasks"))
        }
        for candidate in candidates where isTasks(candidate.path) { return candidate.path }
        throw FathomError(.io, "cannot find the Tasks/ folder: run from the repository, pass --tasks DIR or set FATHOM_TASKS")
    }
}

extension String {
    fileprivate func trimmingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
