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

/// Outcome of a sample: `ok` answers are scored; `overflow` (prompt too long for the server) and `error` are
/// counted apart and never scored as 0.
public enum SampleStatus: String, Codable, Sendable, CaseIterable {
    case ok, overflow, error, skipped
}

/// Token usage as the server reported it.
public struct Usage: Codable, Sendable, Hashable {
    public var promptTokens: Int?
    public var completionTokens: Int?
    public init(promptTokens: Int?, completionTokens: Int?) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }
    enum CodingKeys: String, CodingKey { case promptTokens = "prompt_tokens", completionTokens = "completion_tokens" }
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

    /// A failed request.
    public static func failure(_ status: SampleStatus, _ errorClass: String, _ message: String, latencyMs: Double, attempts: Int) -> GenerationResult {
        GenerationResult(text: "", latencyMs: latencyMs, status: status, errorClass: errorClass, errorMessage: message, attempts: attempts)
    }
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

/// A system that answers prompts.
public protocol ModelBackend: Sendable {
    var info: ModelInfo { get }
    func generate(_ request: GenerationRequest) async -> GenerationResult
    /// Releases connections or processes; called once when the run ends.
    func shutdown() async
}

extension ModelBackend {
    public func shutdown() async {}
}
