/// Tags after "Is It Really Long Context if All You Need Is Retrieval?" (Goldman et al., 2024): how dispersed the
/// needed information is (`diffusion`) and how much of it there is (`scope`).
public struct TaskTags: Codable, Sendable, Hashable {
    public var family: String
    public var diffusion: String
    public var scope: String
    public init(family: String, diffusion: String, scope: String) {
        self.family = family
        self.diffusion = diffusion
        self.scope = scope
    }
    public static let allowedDiffusion = ["low", "high"]
    public static let allowedScope = ["small", "large"]
}

/// A task instance as the registry knows it: a manifest resolved against its plugin kind.
public struct TaskDescriptor: Codable, Sendable, Hashable {
    public var name: String
    public var kind: String
    public var version: Int
    public var summary: String
    public var parameters: ParameterSet
    public var metrics: [String]
    public var tags: TaskTags
    public var generation: GenerationSettings
    /// The manifest file this task came from, relative to the tasks folder.
    public var file: String

    public init(
        name: String, kind: String, version: Int, summary: String, parameters: ParameterSet, metrics: [String],
        tags: TaskTags, generation: GenerationSettings, file: String
    ) {
        self.name = name
        self.kind = kind
        self.version = version
        self.summary = summary
        self.parameters = parameters
        self.metrics = metrics
        self.tags = tags
        self.generation = generation
        self.file = file
    }

    /// The identity of one sample of this task.
    public func identity(length: Int, index: Int, suiteSeed: UInt64) -> SampleIdentity {
        SampleIdentity(task: name, version: version, parameters: parameters, length: length, index: index, suiteSeed: suiteSeed)
    }

    /// Content hash of everything that defines this task's samples.
    public var hash: String {
        SHA256.hex("\(name)|\(kind)|\(version)|\(parameters.canonicalJSON)|\(generation.maxTokens)|\(generation.stop)|\(generation.prefixMode.rawValue)")
    }
}

/// Everything a plugin needs to synthesize one sample.
public struct SampleRequest: Sendable {
    public var index: Int
    /// Target length L in tokens of `tokenizer`.
    public var length: Int
    public var identity: SampleIdentity
    public var tokenizer: any Tokenizer
    public var renderer: any PromptRenderer

    public init(index: Int, length: Int, identity: SampleIdentity, tokenizer: any Tokenizer, renderer: any PromptRenderer) {
        self.index = index
        self.length = length
        self.identity = identity
        self.tokenizer = tokenizer
        self.renderer = renderer
    }
}

/// A task plugin kind: synthesizes samples deterministically and scores answers with rule-based metrics.
///
/// Kinds are Swift types listed in a static registry; task instances are YAML manifests naming a kind.
public protocol TaskPlugin: Sendable {
    /// The name manifests use in `plugin:`.
    static var kind: String { get }
    /// One line about what the kind measures.
    static var summary: String { get }
    /// Parameters the kind accepts, with defaults.
    static var parameters: [ParameterSpec] { get }
    /// Metrics the kind can report; the first is the default headline.
    static var metrics: [String] { get }
    /// Default decoding budget when a manifest gives none.
    static var defaultMaxTokens: Int { get }
    /// Default tags when a manifest gives none.
    static var defaultTags: TaskTags { get }

    /// Builds the plugin from a validated descriptor; throws for parameter combinations that cannot work.
    init(descriptor: TaskDescriptor) throws

    var descriptor: TaskDescriptor { get }

    /// Synthesizes sample `request.index` at length `request.length`: same request, byte-identical sample.
    func makeSample(_ request: SampleRequest) throws -> Sample

    /// Scores an answer (the text generated after the answer prefix).
    func score(output: String, sample: Sample) -> Score

    /// The reference answer rendered exactly in the format the prompt asks for.
    func oracleAnswer(sample: Sample) -> String
}
