import Foundation

/// Decides what a failed HTTP exchange means: retry, overflow (prompt too long) or a plain error.
public enum ErrorClassifier {
    public enum Verdict: Equatable, Sendable {
        /// Try again after the given delay in seconds (nil: use backoff).
        case retry(after: Double?)
        /// The prompt does not fit the server's context: never retried.
        case overflow
        /// A request error that retrying will not fix.
        case fail
    }

    /// Phrases servers use for context-length errors (llama.cpp, vLLM, OpenAI, SGLang).
    static let contextPhrases = [
        "exceed_context_size_error", "maximum context length", "context_length_exceeded", "exceeds the available context size",
        "context length", "too many tokens", "longer than the maximum",
    ]

    public static func classify(status: Int, body: String, retryAfter: String?) -> Verdict {
        switch status {
        case 429: return .retry(after: retryAfter.flatMap(parseRetryAfter))
        case 500...599: return .retry(after: retryAfter.flatMap(parseRetryAfter))
        case 400, 413, 422:
            let lower = body.lowercased()
            return contextPhrases.contains { lower.contains($0) } ? .overflow : .fail
        case 408: return .retry(after: nil)
        default: return .fail
        }
    }

    /// Retry-After as delta-seconds (HTTP dates are treated as "use backoff").
    static func parseRetryAfter(_ value: String) -> Double? {
        Double(value.trimmingCharacters(in: .whitespaces)).map { max(0, min($0, 300)) }
    }
}
