import FathomCore

/// Answers every sample with the task plugin's oracle answer: every task must score exactly 1.0 with it.
public struct OracleSystem: ModelBackend {
    private let answer: @Sendable (Sample) -> String
    /// `answer` returns the plugin's oracle answer for a sample.
    public init(answer: @escaping @Sendable (Sample) -> String) { self.answer = answer }
    public var info: ModelInfo { ModelInfo(name: "oracle", kind: "reference") }
    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        GenerationResult(text: answer(request.sample), finishReason: "stop", latencyMs: 0)
    }
}

/// Answers every sample with an empty string: every task must score near 0 with it.
public struct NullSystem: ModelBackend {
    public init() {}
    public var info: ModelInfo { ModelInfo(name: "null", kind: "reference") }
    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        GenerationResult(text: "", finishReason: "stop", latencyMs: 0)
    }
}

/// The names of the built-in reference systems usable without an endpoint.
public enum ReferenceSystems {
    public static let names = ["oracle", "null", "retrieval"]
}
