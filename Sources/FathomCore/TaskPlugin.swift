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
    /// The manifest file this task came from: relative to the tasks folder for built-in tasks, else by the added
    /// folder's path.
    public var file: String
    /// The folder holding the manifest on disk; nil for built-in manifests embedded in the binary. Relative paths
    /// in parameters (a haystack folder) start here: see `resolvePath`.
    public var directory: String?

    public init(
        name: String, kind: String, version: Int, summary: String, parameters: ParameterSet, metrics: [String],
        tags: TaskTags, generation: GenerationSettings, file: String, directory: String? = nil
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
        self.directory = directory
    }

    /// A path a manifest gives (a haystack folder): absolute paths stay, relative ones start at the manifest's folder
    /// (so a task folder works from any working directory), or at the working directory when the manifest has none.
    public func resolvePath(_ path: String) -> String {
        guard !path.hasPrefix("/"), let directory else { return path }
        return directory + "/" + path
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

/// Everything a plugin needs to synthesize one sample: which sample (identity: id, seed, index, length), the
/// tokenizer that counts, the renderer of the final prompt text, and the generation settings the manifest (and the
/// run's overrides) give. A plugin may choose the sample's `max_tokens` itself (an output level, K answers): it
/// passes its budget to the context builder, which counts it in the length rule, and sets it on the sample.
public struct SampleRequest: Sendable {
    public var identity: SampleIdentity
    public var tokenizer: any Tokenizer
    public var renderer: any PromptRenderer
    public var generation: GenerationSettings

    public init(identity: SampleIdentity, tokenizer: any Tokenizer, renderer: any PromptRenderer, generation: GenerationSettings) {
        self.identity = identity
        self.tokenizer = tokenizer
        self.renderer = renderer
        self.generation = generation
    }

    /// The sample's index within its task × length cell.
    public var index: Int { identity.index }
    /// Target length L in tokens of `tokenizer`.
    public var length: Int { identity.length }
    /// The sample's seed (derived from its identity).
    public var seed: UInt64 { identity.seed }
}

extension TaskDescriptor {
    /// The request for sample `index` at `length` with the manifest's generation settings.
    public func request(
        length: Int, index: Int, suiteSeed: UInt64, tokenizer: any Tokenizer, renderer: any PromptRenderer
    ) -> SampleRequest {
        SampleRequest(
            identity: identity(length: length, index: index, suiteSeed: suiteSeed), tokenizer: tokenizer, renderer: renderer,
            generation: generation)
    }
}

/// A task plugin kind: synthesizes samples deterministically and scores answers with rule-based metrics.
///
/// Kinds are Swift types listed in a registry; task instances are YAML manifests naming a kind. The contract:
/// - **Parameters** are a `TaskParameters` type: the schema, defaults and validation come from it, and the plugin
///   is built from a decoded value (`init(descriptor:parameters:)`).
/// - **Samples** (`makeSample`) are pure functions of the request: same request, byte-identical sample. A sample
///   carries a typed reference (`Reference.structured`), its own generation settings (`max_tokens` per sample,
///   counted by the length rule), its value on each declared axis, and optional further turns.
/// - **Scoring** (`score`) sees the whole response (text, reasoning, finish_reason, usage) and may throw: a
///   `ScoringFailure` (or any error) records the sample as `score_error`, a `ScoringSkipped` as `skipped`, never
///   as 0. Scorers run on their own threads, off the cooperative pool, so they may block (SQLite, libxml2, a
///   sandboxed process).
/// - **Oracle** (`oracleAnswer`) renders the reference exactly as the prompt asks; it must score 1.0.
/// Defaults (protocol extensions) cover what most plugins write the same way: no parameters, no axes, the mean
/// over turns, and (in FathomMetrics) scoring the text with the manifest's metrics against `reference.answers`.
public protocol TaskPlugin: Sendable {
    /// The parameters manifests may set.
    associatedtype Parameters: TaskParameters = NoParameters

    /// The name manifests use in `plugin:`.
    static var kind: String { get }
    /// One line about what the kind measures.
    static var summary: String { get }
    /// Metrics the kind can report; the first is the default headline.
    static var metrics: [String] { get }
    /// Default decoding budget when a manifest gives none.
    static var defaultMaxTokens: Int { get }
    /// Default tags when a manifest gives none.
    static var defaultTags: TaskTags { get }
    /// The parameter schema (default: derived from `Parameters`).
    static var parameterSpecs: [ParameterSpec] { get }
    /// Builds a task instance from a validated descriptor (default: decodes `Parameters`, then `init`).
    static func make(descriptor: TaskDescriptor) throws -> Self

    /// Builds the plugin; throws for parameter combinations that cannot work.
    init(descriptor: TaskDescriptor, parameters: Parameters) throws

    var descriptor: TaskDescriptor { get }

    /// Axes, besides length, that this task's results are aggregated by; each sample records its value on each.
    var axes: [AxisSpec] { get }

    /// Synthesizes sample `request.index` at length `request.length`: same request, byte-identical sample.
    func makeSample(_ request: SampleRequest) throws -> Sample

    /// Versions of outside parts the task's gold answers or scores rely on (e.g. `sqlite: 3.40.1`,
    /// `libxml2: 2.9.14`), recorded in run.json.
    var provenance: [String: String] { get }

    /// Scores one answer. Throw `ScoringFailure` when the answer cannot be scored, `ScoringSkipped` to decline.
    /// `context` carries what the run allows (running model-written code in the sandbox).
    func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score

    /// The reference answer rendered exactly in the format the prompt asks for.
    func oracleAnswer(sample: Sample) -> String

    /// The sample's score from the scores of its turns (first question, then each further turn); default: the mean
    /// of every value and metric.
    func combine(turns: [Score]) -> Score
}

extension TaskPlugin {
    public static var parameterSpecs: [ParameterSpec] { Parameters.specs }

    public static func make(descriptor: TaskDescriptor) throws -> Self {
        try Self(descriptor: descriptor, parameters: try Parameters.decode(descriptor.parameters))
    }

    public var axes: [AxisSpec] { [] }

    public var provenance: [String: String] { [:] }

    public func combine(turns: [Score]) -> Score { Score.mean(turns) }

    /// Scores a bare answer text that stopped normally (tests, baselines), with the default context.
    public func score(text: String, sample: Sample, context: ScoringContext = ScoringContext()) throws -> Score {
        try score(ModelResponse(text: text), sample: sample, context: context)
    }
}
