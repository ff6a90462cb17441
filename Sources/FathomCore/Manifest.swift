/// A task manifest (`Tasks/**/*.yaml`, or a folder added with `--tasks-dir`): one task instance of a plugin kind.
public struct TaskManifest: Sendable, Hashable {
    public var name: String
    public var plugin: String
    public var version: Int
    public var description: String?
    public var params: [String: ParameterValue]
    public var maxTokens: Int?
    public var stop: [String]?
    public var prefixMode: AnswerPrefixMode?
    public var metrics: [String]?
    public var tags: [String: String]
    /// `plugin: exec` only: the command to start (an argv list, run in the manifest's folder).
    public var command: [String]?
    /// `plugin: exec` only: seconds one request to the process may take.
    public var timeout: Double?
    /// The file it was read from (as given to the loader).
    public var file: String
    /// The folder holding the file on disk (relative paths in parameters and commands start there); nil for
    /// manifests embedded in the binary.
    public var directory: String?
    /// The line of each key (`version`, `params.depth`, `metrics#1` for the second metric), for error messages.
    public var lines: [String: Int] = [:]

    static let keys = ["name", "plugin", "version", "description", "params", "generation", "metrics", "tags", "command", "timeout"]
    static let generationKeys = ["max_tokens", "stop", "prefix_mode"]
    static let tagKeys = ["family", "diffusion", "scope"]
    /// The plugin kind whose manifests name a process to run.
    public static let execKind = "exec"

    /// Parses and strictly checks the manifest's shape (types and keys); plugin-specific checks come later. Throws
    /// the first problem; `check` reports all of them.
    public static func parse(_ text: String, file: String, directory: String? = nil) throws(FathomError) -> TaskManifest {
        let (manifest, errors) = check(text, file: file, directory: directory)
        if let first = errors.first { throw first }
        return manifest!
    }

    /// Parses and checks every key, collecting every problem (in line order, as a compiler reports them) instead of
    /// stopping at the first. The manifest is nil only when the text is not a YAML mapping or lacks a name or plugin.
    public static func check(_ text: String, file: String, directory: String? = nil) -> (TaskManifest?, [FathomError]) {
        let root: YAMLFields
        do { root = try YAMLFields.root(text, file: file) } catch { return (nil, [error]) }
        var errors = root.unknownKeys(keys)
        func read<T>(_ body: () throws -> T?) -> T? {
            do { return try body() } catch {
                errors.append((error as? FathomError) ?? FathomError(.parse, "\(error)", file: file))
                return nil
            }
        }
        // A required key that is missing because it is misspelt is one mistake: the unknown key's error (which
        // suggests the required one) says it all.
        let misspelt = Set(root.pairs.filter { !keys.contains($0.key) }.compactMap { Suggestions.nearest(to: $0.key, among: keys).first })
        for key in ["name", "plugin", "version"] where root.node(key) == nil && !misspelt.contains(key) {
            errors.append(root.error(.missingKey, "required key is missing", key: key))
        }
        let name = read { try root.string("name") }
        if let name, !isValidTaskName(name) {
            errors.append(root.error(.invalidValue, "'\(name)' is not a valid task name (letters, digits, '.', '_' and '-')", key: "name"))
        }
        let plugin = read { try root.string("plugin") }
        let version = read { try root.int("version") }
        if let version, version < 1 { errors.append(root.error(.invalidValue, "version must be 1 or more", key: "version")) }
        var manifest = TaskManifest(
            name: name ?? "", plugin: plugin ?? "", version: version ?? 1, description: read { try root.string("description") },
            params: read { try root.parameters("params") } ?? [:], maxTokens: nil, stop: nil, prefixMode: nil,
            metrics: read { try root.strings("metrics") }, tags: [:], command: nil, timeout: nil, file: file, directory: directory)
        manifest.lines = root.lines()
        if let generation = read({ try root.child("generation") }) {
            errors += generation.unknownKeys(generationKeys)
            manifest.maxTokens = read { try generation.int("max_tokens") }
            if let maxTokens = manifest.maxTokens, maxTokens < 1 {
                errors.append(generation.error(.invalidValue, "max_tokens must be at least 1, not \(maxTokens)", key: "max_tokens"))
            }
            manifest.stop = read { try generation.strings("stop") }
            if let mode = read({ try generation.string("prefix_mode") }) {
                if let parsed = AnswerPrefixMode(rawValue: mode) {
                    manifest.prefixMode = parsed
                } else {
                    let allowed = AnswerPrefixMode.allCases.map { $0.rawValue }
                    errors.append(
                        generation.error(
                            .invalidValue, "'\(mode)' is not one of: \(allowed.joined(separator: ", "))\(Suggestions.hint(for: mode, among: allowed))",
                            key: "prefix_mode"))
                }
            }
        }
        if let tags = read({ try root.child("tags") }) {
            errors += tags.unknownKeys(tagKeys)
            for key in tagKeys { if let value = read({ try tags.string(key) }) { manifest.tags[key] = value } }
            for (key, allowed) in [("diffusion", TaskTags.allowedDiffusion), ("scope", TaskTags.allowedScope)] {
                if let value = manifest.tags[key], !allowed.contains(value) {
                    errors.append(tags.error(.invalidValue, "'\(value)' is not one of: \(allowed.joined(separator: ", "))", key: key))
                    manifest.tags[key] = nil
                }
            }
        }
        manifest.command = read { try root.strings("command") }
        manifest.timeout = read { try root.double("timeout") }
        if plugin == execKind {
            if root.node("command") != nil, manifest.command?.isEmpty ?? false {
                errors.append(root.error(.invalidValue, "command needs at least the program to run, e.g. [python3, task.py]", key: "command"))
            } else if root.node("command") == nil {
                errors.append(root.error(.missingKey, "plugin: exec needs command: the program to run and its arguments, e.g. [python3, task.py]", key: "command"))
            }
            if let timeout = manifest.timeout, !(timeout > 0) {
                errors.append(root.error(.invalidValue, "timeout must be a positive number of seconds", key: "timeout"))
            }
        } else if plugin != nil {
            for key in ["command", "timeout"] where root.node(key) != nil {
                errors.append(root.error(.unknownKey, "'\(key)' is only for plugin: exec", key: key))
            }
        }
        errors = errors.sortedByLine()
        return (name == nil || plugin == nil ? nil : manifest, errors)
    }

    static func isValidTaskName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// Whether `name` can name a task: letters, digits, `.`, `_` and `-`.
    public static func isValidName(_ name: String) -> Bool { isValidTaskName(name) }

    /// The line of `key` in the file (`params.depth`, `metrics#1`), else of its parent, when known.
    public func line(of key: String) -> Int? {
        if let line = lines[key] { return line }
        if let dot = key.lastIndex(where: { $0 == "." || $0 == "#" }) { return line(of: String(key[..<dot])) }
        return nil
    }
}

extension [FathomError] {
    /// Stable order by line (errors without a line last), as a compiler lists them.
    public func sortedByLine() -> [FathomError] {
        enumerated().sorted { ($0.element.line ?? Int.max, $0.offset) < ($1.element.line ?? Int.max, $1.offset) }.map(\.element)
    }
}

/// How a suite turns per-task scores into headline numbers.
public struct SuiteAggregation: Codable, Sendable, Hashable {
    /// `mean`: per-length mean over tasks.
    public var byLength: String
    /// `mean` (mean over lengths) or `effective_length` (largest length scoring above `threshold`).
    public var headline: String
    /// Threshold for `effective_length`, on the 0–100 scale RULER reports.
    public var threshold: Double

    public init(byLength: String = "mean", headline: String = "mean", threshold: Double = 85.6) {
        self.byLength = byLength
        self.headline = headline
        self.threshold = threshold
    }

    enum CodingKeys: String, CodingKey { case byLength = "by_length", headline, threshold }
}

/// A suite manifest (`Tasks/suites/*.yaml`): named tasks at named lengths.
public struct SuiteManifest: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    public var tasks: [String]
    public var lengths: [Int]
    public var samples: Int
    public var seed: UInt64
    public var aggregate: SuiteAggregation
    public var file: String

    static let keys = ["name", "description", "tasks", "lengths", "samples", "seed", "aggregate"]
    static let aggregateKeys = ["by_length", "headline", "threshold"]

    public static func parse(_ text: String, file: String) throws(FathomError) -> SuiteManifest {
        let root = try YAMLFields.root(text, file: file)
        try root.requireOnly(keys)
        for key in ["name", "tasks", "lengths"] { _ = try root.required(key) }
        let tasks = try root.strings("tasks")!
        if tasks.isEmpty { throw root.error(.invalidValue, "a suite needs at least one task", key: "tasks") }
        var seen: Set<String> = []
        for task in tasks where !seen.insert(task).inserted {
            throw root.error(.duplicateName, "task '\(task)' is listed twice", key: "tasks")
        }
        let samples = try root.int("samples") ?? 100
        guard samples >= 1 else { throw root.error(.invalidValue, "samples must be at least 1", key: "samples") }
        let seed = try root.int("seed") ?? 42
        guard seed >= 0 else { throw root.error(.invalidValue, "seed must not be negative", key: "seed") }
        var aggregate = SuiteAggregation()
        if let fields = try root.child("aggregate") {
            try fields.requireOnly(aggregateKeys)
            aggregate.byLength = try fields.string("by_length") ?? aggregate.byLength
            guard aggregate.byLength == "mean" else {
                throw fields.error(.invalidValue, "'\(aggregate.byLength)' is not one of: mean", key: "by_length")
            }
            aggregate.headline = try fields.string("headline") ?? aggregate.headline
            guard ["mean", "effective_length"].contains(aggregate.headline) else {
                throw fields.error(.invalidValue, "'\(aggregate.headline)' is not one of: mean, effective_length", key: "headline")
            }
            aggregate.threshold = try fields.double("threshold") ?? aggregate.threshold
        }
        return SuiteManifest(
            name: try root.string("name")!, description: try root.string("description"), tasks: tasks,
            lengths: try root.lengths("lengths")!, samples: samples, seed: UInt64(seed), aggregate: aggregate, file: file)
    }
}
