import FathomCore

/// What a backend is asked to do for one sample.
public struct GenerationRequest: Sendable {
    public var sample: Sample
    /// Sampling seed sent with the request.
    public var seed: UInt64
    public init(sample: Sample, seed: UInt64) {
        self.sample = sample
        self.seed = seed
    }
}

/// What came back for one request.
public struct GenerationResult: Sendable {
    /// The answer text (continuation after the answer prefix), reasoning removed.
    public var text: String
    public var reasoning: String?
    public var finishReason: String?
    public var usage: Usage?
    public var latencyMs: Double
    public var ttftMs: Double?
    public var status: SampleStatus
    /// A short machine-readable class for failures (e.g. `http_500`, `timeout`, `context_length`).
    public var errorClass: String?
    public var errorMessage: String?
    public var attempts: Int
    /// The base URL that answered (several endpoints can share a run).
    public var endpoint: String?
    /// The answer came from the response cache.
    public var cached = false
    /// On overflow: the prompt tokens and context the server reported, when it did.
    public var overflowPromptTokens: Int?
    public var serverContext: Int?
    /// Time spent waiting in Fathom for a free request slot (the server's slots), apart from the server's time.
    public var queueMs: Double?
    /// The server's own timings of the request (llama.cpp), when it reports them.
    public var timings: ServerTimings?

    public init(
        text: String, reasoning: String? = nil, finishReason: String? = nil, usage: Usage? = nil, latencyMs: Double,
        ttftMs: Double? = nil, status: SampleStatus = .ok, errorClass: String? = nil, errorMessage: String? = nil, attempts: Int = 1
    ) {
        self.text = text
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
        self.latencyMs = latencyMs
        self.ttftMs = ttftMs
        self.status = status
        self.errorClass = errorClass
        self.errorMessage = errorMessage
        self.attempts = attempts
    }

    /// What a scorer sees of an answer.
    public var response: ModelResponse {
        ModelResponse(text: text, reasoning: reasoning, finishReason: finishReason, usage: usage)
    }

    /// A failed request.
    public static func failure(_ status: SampleStatus, _ errorClass: String, _ message: String, latencyMs: Double, attempts: Int) -> GenerationResult {
        GenerationResult(text: "", latencyMs: latencyMs, status: status, errorClass: errorClass, errorMessage: message, attempts: attempts)
    }
}

/// A server's own account of a request (llama.cpp's `timings`): prompt tokens evaluated and the time it took (the
/// prefill), tokens generated and the time they took (the decode).
public struct ServerTimings: Codable, Sendable, Hashable {
    public var promptTokens: Int?
    public var promptMs: Double?
    public var predictedTokens: Int?
    public var predictedMs: Double?

    public init(promptTokens: Int?, promptMs: Double?, predictedTokens: Int?, predictedMs: Double?) {
        self.promptTokens = promptTokens
        self.promptMs = promptMs
        self.predictedTokens = predictedTokens
        self.predictedMs = predictedMs
    }

    enum CodingKeys: String, CodingKey { case promptTokens = "prompt_n", promptMs = "prompt_ms", predictedTokens = "predicted_n", predictedMs = "predicted_ms" }
}

/// Identity of the system under test, recorded in run.json.
public struct ModelInfo: Codable, Sendable, Hashable {
    public var name: String
    /// `reference` for built-in systems, `openai-compatible` for HTTP endpoints.
    public var kind: String
    public var endpoint: String?
    public init(name: String, kind: String, endpoint: String? = nil) {
        self.name = name
        self.kind = kind
        self.endpoint = endpoint
    }
}

/// What a backend learned and did during a run, for run.json.
public struct BackendReport: Codable, Sendable {
    public var probes: [ProbeReport]
    public var effectiveContext: Int?
    public var effectiveContextReason: String?
    public var concurrency: String
    public var concurrencyHistory: [AdaptiveLimiter.Change]
    public var retries: Int
    public var rateLimited: Int
    public var streaming: Bool
    public var timeouts: Timeouts
    public var cacheDirectory: String?
    public var cacheHits: Int
    public var cacheMisses: Int
    public var engine: EngineReport?

    enum CodingKeys: String, CodingKey {
        case probes, effectiveContext = "effective_context", effectiveContextReason = "effective_context_reason", concurrency
        case concurrencyHistory = "concurrency_history", retries, rateLimited = "rate_limited", streaming, timeouts
        case cacheDirectory = "cache_dir", cacheHits = "cache_hits", cacheMisses = "cache_misses", engine
    }
}

/// A system that answers prompts.
public protocol ModelBackend: Sendable {
    var info: ModelInfo { get }
    /// Gets ready for a run needing `requiredContext` tokens per request (probe, start an engine, whose log goes to
    /// `runDirectory`); throws, before anything is sent, when that cannot work.
    func prepare(requiredContext: Int, runDirectory: String) async throws
    func generate(_ request: GenerationRequest) async -> GenerationResult
    /// What the backend learned and did, for run.json.
    func report() async -> BackendReport?
    /// How many requests the backend lets reach the server at once, once prepared (nil: no limit of its own).
    var inFlightLimit: Int? { get async }
    /// Releases connections or processes; called once when the run ends.
    func shutdown() async
}

extension ModelBackend {
    public func prepare(requiredContext: Int, runDirectory: String) async throws {}
    public func report() async -> BackendReport? { nil }
    public var inFlightLimit: Int? { get async { nil } }
    public func shutdown() async {}
}
