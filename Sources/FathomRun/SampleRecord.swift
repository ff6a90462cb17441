import FathomCore
import FathomModels

/// One follow-up turn of a shared-context sample.
public struct TurnRecord: Codable, Sendable, Hashable {
    public var response: String
    public var status: SampleStatus
    public var errorClass: String?
    public var error: String?
    public var finishReason: String?
    public var usage: Usage?
    public var latencyMs: Double
    public var ttftMs: Double?
    public var score: Double?
    public var scores: [String: Double]?
    public var scoreDetails: JSONValue?
    /// The turn's score, kept for combining (not written: `score`, `scores` and `score_details` are).
    public var fullScore: Score?

    public init(result: GenerationResult, outcome: ScoringOutcome?) {
        response = result.text
        status = result.status
        errorClass = result.errorClass
        error = result.errorMessage
        finishReason = result.finishReason
        usage = result.usage
        latencyMs = (result.latencyMs * 1000).rounded() / 1000
        ttftMs = result.ttftMs
        switch outcome {
        case .scored(let score)?:
            fullScore = score
            self.score = score.value
            scores = score.metrics
            scoreDetails = score.details
        case .failed(let reason)?:
            status = .scoreError
            errorClass = "scorer"
            error = reason
        case .skipped(let reason)?:
            status = .skipped
            errorClass = "skipped"
            error = reason
        case nil: break
        }
    }

    enum CodingKeys: String, CodingKey {
        case response, status, errorClass = "error_class", error, finishReason = "finish_reason", usage, latencyMs = "latency_ms"
        case ttftMs = "ttft_ms", score, scores, scoreDetails = "score_details"
    }
}

/// One line of `samples.jsonl`: a finished sample, whatever its outcome.
public struct SampleRecord: Codable, Sendable, Hashable {
    public var id: String
    public var task: String
    public var length: Int
    public var index: Int
    /// SHA-256 of the exact prompt text that was counted.
    public var promptHash: String
    /// Prompt tokens counted locally with the run's tokenizer.
    public var promptTokens: Int
    /// Prompt tokens the server reported, when it did.
    public var serverPromptTokens: Int?
    /// The decoding budget the sample was sent with (its own when the task sets one per sample).
    public var maxTokens: Int?
    public var response: String
    public var reasoning: String?
    public var finishReason: String?
    public var usage: Usage?
    public var latencyMs: Double
    public var ttftMs: Double?
    /// Time spent waiting in Fathom for a free server slot (part of `latency_ms`, not the server's time).
    public var queueMs: Double?
    /// The server's own timings (llama.cpp): prompt tokens and prefill time, generated tokens and decode time.
    public var timings: ServerTimings?
    public var status: SampleStatus
    public var errorClass: String?
    public var error: String?
    public var attempts: Int
    /// Headline score in 0...1; only for `ok` samples.
    public var score: Double?
    public var scores: [String: Double]?
    /// What the scorer recorded besides scores (first divergence, accuracy by position, …).
    public var scoreDetails: JSONValue?
    /// The sample's value on each axis its task declares.
    public var axes: [String: AxisValue]?
    /// The prompt without its context (`SampleMetadata.query`), for capability probes.
    public var query: String?
    /// The answer stopped at max_tokens.
    public var truncated: Bool
    /// The server's prompt token count differs from the local count by more than 1%.
    public var promptTokensMismatch: Bool
    /// The base URL that answered.
    public var endpoint: String?
    /// The answer came from the response cache.
    public var cached: Bool
    /// On overflow: the prompt tokens and context the server reported.
    public var overflowPromptTokens: Int?
    public var serverContext: Int?
    /// Follow-up turns (shared-context samples); the sample's score is the mean over all turns.
    public var turns: [TurnRecord]?
    /// Actual depth (percent of the context) of the needle the question asks about, when the task records one.
    public var answerDepth: Double?

    enum CodingKeys: String, CodingKey {
        case id, task, length, index, promptHash = "prompt_hash", promptTokens = "prompt_tokens"
        case serverPromptTokens = "server_prompt_tokens", maxTokens = "max_tokens", response, reasoning, finishReason = "finish_reason", usage
        case latencyMs = "latency_ms", ttftMs = "ttft_ms", queueMs = "queue_ms", timings, status, errorClass = "error_class", error, attempts, score, scores
        case truncated, promptTokensMismatch = "prompt_tokens_mismatch", endpoint, cached
        case overflowPromptTokens = "overflow_prompt_tokens", serverContext = "server_context", turns
        case answerDepth = "answer_depth", scoreDetails = "score_details", axes, query
    }

    public init(sample: Sample, result: GenerationResult, outcome: ScoringOutcome?) {
        id = sample.id
        task = sample.task
        length = sample.length
        index = sample.index
        promptHash = SHA256.hex(sample.promptText)
        promptTokens = sample.metadata.promptTokens
        serverPromptTokens = result.usage?.promptTokens
        maxTokens = sample.generation.maxTokens
        response = result.text
        reasoning = result.reasoning
        finishReason = result.finishReason
        usage = result.usage
        latencyMs = (result.latencyMs * 1000).rounded() / 1000
        ttftMs = result.ttftMs
        queueMs = result.queueMs
        timings = result.timings
        status = result.status
        errorClass = result.errorClass
        error = result.errorMessage
        attempts = result.attempts
        truncated = result.finishReason == "length"
        if let server = result.usage?.promptTokens, sample.metadata.promptTokens > 0 {
            promptTokensMismatch = abs(Double(server - sample.metadata.promptTokens)) > 0.01 * Double(sample.metadata.promptTokens)
        } else {
            promptTokensMismatch = false
        }
        endpoint = result.endpoint
        cached = result.cached
        overflowPromptTokens = result.overflowPromptTokens
        serverContext = result.serverContext
        if case .double(let depth)? = sample.metadata.knobs["answer_depth"] { answerDepth = depth }
        axes = sample.metadata.axes.isEmpty ? nil : sample.metadata.axes
        query = sample.metadata.query
        if let outcome { apply(outcome) }
    }

    /// Records a scoring outcome of an answered sample: the scores, or `score_error` / `skipped` with the reason.
    public mutating func apply(_ outcome: ScoringOutcome) {
        switch outcome {
        case .scored(let score):
            self.score = score.value
            scores = score.metrics
            scoreDetails = score.details
        case .failed(let reason):
            status = .scoreError
            errorClass = "scorer"
            error = reason
            score = nil
            scores = nil
        case .skipped(let reason):
            status = .skipped
            errorClass = "skipped"
            error = reason
            score = nil
            scores = nil
        }
    }

    /// Adds the later turns of a several-turn sample: a failed turn (request or scorer) gives the sample its
    /// status; otherwise the sample's score is `combine` over the first answer's score and every turn's.
    public mutating func addTurns(_ turns: [TurnRecord], first: Score, combine: ([Score]) -> Score) {
        guard !turns.isEmpty else { return }
        self.turns = turns
        guard status == .ok else { return }
        if let failed = turns.first(where: { $0.status != .ok }) {
            status = failed.status
            errorClass = failed.errorClass
            error = "turn: " + (failed.error ?? "")
            score = nil
            scores = nil
            scoreDetails = nil
        } else {
            let combined = combine([first] + turns.compactMap { $0.fullScore })
            score = combined.value
            scores = combined.metrics
            scoreDetails = combined.details
        }
    }
}
