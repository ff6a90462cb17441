/// A task manifest (`Tasks/**/*.yaml`): one task instance of a plugin kind.
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
    /// The file it was read from (as given to the loader).
    public var file: String

    static let keys = ["name", "plugin", "version", "description", "params", "generation", "metrics", "tags"]
    static let generationKeys = ["max_tokens", "stop", "prefix_mode"]
    static let tagKeys = ["family", "diffusion", "scope"]

    /// Parses and strictly checks the manifest's shape (types and keys); plugin-specific checks come later.
    public static func parse(_ text: String, file: String) throws(FathomError) -> TaskManifest {
        let root = try YAMLFields.root(text, file: file)
        try root.requireOnly(keys)
        _ = try root.required("name")
        _ = try root.required("plugin")
        _ = try root.required("version")
        let name = try root.string("name")!
        guard isValidTaskName(name) else {
            throw root.error(.invalidValue, "'\(name)' is not a valid task name (letters, digits, '.', '_' and '-')", key: "name")
        }
        let version = try root.int("version")!
        guard version >= 1 else { throw root.error(.invalidValue, "version must be 1 or more", key: "version") }
        var manifest = TaskManifest(
            name: name, plugin: try root.string("plugin")!, version: version, description: try root.string("description"),
            params: try root.parameters("params"), maxTokens: nil, stop: nil, prefixMode: nil, metrics: try root.strings("metrics"),
            tags: [:], file: file)
        if let generation = try root.child("generation") {
            try generation.requireOnly(generationKeys)
            manifest.maxTokens = try generation.int("max_tokens")
            if let maxTokens = manifest.maxTokens, maxTokens < 1 {
                throw generation.error(.invalidValue, "max_tokens must be at least 1", key: "max_tokens")
            }
            manifest.stop = try generation.strings("stop")
            if let mode = try generation.string("prefix_mode") {
                guard let parsed = AnswerPrefixMode(rawValue: mode) else {
                    let allowed = AnswerPrefixMode.allCases.map { $0.rawValue }.joined(separator: ", ")
                    throw generation.error(.invalidValue, "'\(mode)' is not one of: \(allowed)", key: "prefix_mode")
                }
                manifest.prefixMode = parsed
            }
        }
        if let tags = try root.child("tags") {
            try tags.requireOnly(tagKeys)
            for key in tagKeys { if let value = try tags.string(key) { manifest.tags[key] = value } }
            if let value = manifest.tags["diffusion"], !TaskTags.allowedDiffusion.contains(value) {
                throw tags.error(.invalidValue, "'\(value)' is not one of: \(TaskTags.allowedDiffusion.joined(separator: ", "))", key: "diffusion")
            }
            if let value = manifest.tags["scope"], !TaskTags.allowedScope.contains(value) {
                throw tags.error(.invalidValue, "'\(value)' is not one of: \(TaskTags.allowedScope.joined(separator: ", "))", key: "scope")
            }
        }
        return manifest
    }

    static func isValidTaskName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "_" || $0 == "-" }
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
