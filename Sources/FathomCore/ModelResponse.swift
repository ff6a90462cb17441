/// Outcome of one sample. `ok` answers are scored; every other status is counted apart and never scored as 0:
/// `overflow` (the prompt did not fit the server), `error` (the request failed), `score_error` (the answer came
/// back but the scorer could not score it), `skipped` (the task chose not to score it, e.g. code execution not
/// allowed).
public enum SampleStatus: String, Codable, Sendable, CaseIterable {
    case ok, overflow, error, skipped
    case scoreError = "score_error"
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

/// Everything a scorer may look at in a model's answer: the text (after the answer prefix, reasoning removed),
/// the reasoning kept apart, why generation stopped, and the server's token usage.
public struct ModelResponse: Sendable, Hashable {
    public var text: String
    public var reasoning: String?
    /// `stop`, `length` (cut at max_tokens), … as the server said; nil when unknown.
    public var finishReason: String?
    public var usage: Usage?

    public init(text: String, reasoning: String? = nil, finishReason: String? = "stop", usage: Usage? = nil) {
        self.text = text
        self.reasoning = reasoning
        self.finishReason = finishReason
        self.usage = usage
    }

    /// Generation stopped at max_tokens: the answer may be cut off (long generation's main failure mode).
    public var isTruncated: Bool { finishReason == "length" }
}

/// Thrown by a scorer that cannot score an answer (a crashed checker, a sandbox that failed to start): the sample
/// gets status `score_error`, never a 0.
public struct ScoringFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Thrown by a scorer that declines to score by design (running model code was not allowed): status `skipped`.
public struct ScoringSkipped: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// What a run allows its scorers: `fathom run --allow-exec` lets tasks run model-written code, and only inside the
/// sandbox (no network; CPU, memory, process and time limits; a throwaway directory). Off by default: such tasks
/// then record `skipped`, never a failure.
public struct ScoringContext: Codable, Sendable, Hashable {
    public var allowExec: Bool
    public init(allowExec: Bool = false) { self.allowExec = allowExec }
    enum CodingKeys: String, CodingKey { case allowExec = "allow_exec" }
}
