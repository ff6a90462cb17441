import Foundation

/// Token counts a server puts in its context-length error: llama.cpp's `n_prompt_tokens`/`n_ctx` fields, vLLM's
/// and OpenAI's "maximum context length is M tokens … requested N tokens" or "… has N input tokens".
public enum OverflowDetails {
    public static func parse(_ body: String) -> (promptTokens: Int?, context: Int?) {
        if let data = body.data(using: .utf8), let envelope = try? JSONDecoder().decode(OpenAIWire.ErrorEnvelope.self, from: data),
            let detail = envelope.error, detail.n_ctx != nil || detail.n_prompt_tokens != nil
        {
            return (detail.n_prompt_tokens, detail.n_ctx)
        }
        let context = number(after: "maximum context length is ", in: body) ?? number(after: "available context size (", in: body)
        let prompt = number(after: "you requested ", in: body) ?? number(after: "has ", in: body, before: " input tokens")
            ?? number(after: "request (", in: body)
        return (prompt, context)
    }

    private static func number(after marker: String, in text: String, before suffix: String? = nil) -> Int? {
        var searchRange = text.startIndex..<text.endIndex
        while let range = text.range(of: marker, range: searchRange) {
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            if let value = Int(digits) {
                if let suffix {
                    if text[range.upperBound...].dropFirst(digits.count).hasPrefix(suffix) { return value }
                } else {
                    return value
                }
            }
            searchRange = range.upperBound..<text.endIndex
        }
        return nil
    }
}
