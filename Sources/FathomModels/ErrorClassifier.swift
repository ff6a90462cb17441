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

    /// The class recorded for an answer whose body ended early, once the retries ran out.
    public static let truncatedBodyClass = "truncated_body"

    /// True when a 2xx body that did not decode as a completion stopped short: it is empty, or a proper prefix of a JSON
    /// value (an object or array still open, a string or a literal cut). Such a body is retried like a reset. A body
    /// that is complete JSON of the wrong shape, or not JSON at all, is not: retrying would not change it.
    public static func isCutShort(json body: Data) -> Bool {
        var depth: [UInt8] = []
        var inString = false, escaped = false, seenValue = false
        var literal: [UInt8] = [], literalAt = 0
        for byte in body {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            if !literal.isEmpty {
                if literalAt < literal.count {
                    guard byte == literal[literalAt] else { return false }
                    literalAt += 1
                    continue
                }
                literal = []
            }
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x3A: continue  // whitespace , :
            case 0x7B, 0x5B: depth.append(byte)  // { [
            case 0x7D, 0x5D:  // } ]
                guard let open = depth.popLast(), open == (byte == 0x7D ? 0x7B : 0x5B) else { return false }
            case 0x22: inString = true
            case 0x74: (literal, literalAt) = (Array("true".utf8), 1)
            case 0x66: (literal, literalAt) = (Array("false".utf8), 1)
            case 0x6E: (literal, literalAt) = (Array("null".utf8), 1)
            case 0x2D, 0x2B, 0x2E, 0x30...0x39, 0x45, 0x65: break  // numbers
            default: return false
            }
            seenValue = true
        }
        if !seenValue { return true }  // an empty body: the server closed before sending one
        return inString || !depth.isEmpty || (!literal.isEmpty && literalAt < literal.count)
    }

    /// Retry-After as delta-seconds (HTTP dates are treated as "use backoff").
    static func parseRetryAfter(_ value: String) -> Double? {
        Double(value.trimmingCharacters(in: .whitespaces)).map { max(0, min($0, 300)) }
    }
}
