import FathomCore

/// What every LongProc score carries besides its own metrics: whether the output was cut at max_tokens (counted
/// apart from wrong answers, as the `truncated` metric and in the details) and whether the answer block was found.
enum ProcScore {
    static func make(
        value: Double, metrics: [String: Double], response: ModelResponse, extracted: Bool, details: [String: JSONValue]
    ) -> Score {
        var metrics = metrics
        metrics["truncated"] = response.isTruncated ? 1 : 0
        metrics["extraction_rate"] = extracted ? 1 : 0
        var details = details
        details["truncated"] = .bool(response.isTruncated)
        details["finish_reason"] = response.finishReason.map { .string($0) } ?? .null
        details["extracted"] = .bool(extracted)
        if response.text.utf8.count > ProcAnswer.maxBytes { details["answer_capped_at_bytes"] = .int(ProcAnswer.maxBytes) }
        return Score(value: value, metrics: metrics, details: .object(details))
    }
}
