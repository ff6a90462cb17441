/// What a plugin kind offers a manifest: a summary, the metrics it can report, the default budget and tags, and the
/// parameters it accepts. A Swift kind gives it from its type; an outside kind (`exec`) from its process.
public struct PluginDescription: Sendable, Hashable {
    public var kind: String
    public var summary: String
    /// The metrics it can report; the first is the default headline.
    public var metrics: [String]
    public var defaultMaxTokens: Int
    public var defaultTags: TaskTags
    public var parameterSpecs: [ParameterSpec]

    public init(kind: String, summary: String, metrics: [String], defaultMaxTokens: Int, defaultTags: TaskTags, parameterSpecs: [ParameterSpec]) {
        self.kind = kind
        self.summary = summary
        self.metrics = metrics
        self.defaultMaxTokens = defaultMaxTokens
        self.defaultTags = defaultTags
        self.parameterSpecs = parameterSpecs
    }

    /// The description a Swift kind gives by its static members.
    public init(_ type: any TaskPlugin.Type) {
        self.init(
            kind: type.kind, summary: type.summary, metrics: type.metrics, defaultMaxTokens: type.defaultMaxTokens, defaultTags: type.defaultTags,
            parameterSpecs: type.parameterSpecs)
    }
}

/// A plugin kind described per manifest by something outside the binary rather than by a Swift type: `exec`, whose
/// manifests name a process that describes itself, makes samples and scores answers (FathomExec).
public protocol ExternalPluginKind: Sendable {
    /// The name manifests use in `plugin:`.
    static var kind: String { get }
    /// What this manifest's plugin offers (for exec: asked of the process).
    static func describe(_ manifest: TaskManifest) throws -> PluginDescription
    /// The task, from a descriptor the registry validated against `description`.
    static func make(descriptor: TaskDescriptor, manifest: TaskManifest, description: PluginDescription) throws -> any TaskPlugin
}
