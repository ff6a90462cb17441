import FathomCore
import FathomModels

/// How fast the model answered at each length (after "Cheaply evaluating inference efficiency metrics"): medians
/// over the samples answered by a server (not cached, not a built-in system) of the latency, the time to first
/// token, the wait for a free slot, and prefill and decode tokens per second. Prefill and decode come from the
/// server's own timings when it reports them (llama.cpp); otherwise from a streamed answer's time to first token.
public struct Efficiency: Codable, Sendable, Hashable {
    public var length: Int
    /// Samples with a measured latency.
    public var n: Int
    public var latencyMs: Double
    public var ttftMs: Double?
    public var queueMs: Double?
    public var prefillTokensPerSecond: Double?
    public var decodeTokensPerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case length, n, latencyMs = "latency_ms_median", ttftMs = "ttft_ms_median", queueMs = "queue_ms_median"
        case prefillTokensPerSecond = "prefill_tokens_per_s_median", decodeTokensPerSecond = "decode_tokens_per_s_median"
    }

    /// Prefill tokens per second of one answer: the server's timings, else prompt tokens over the time to first
    /// token less the queue wait.
    static func prefill(_ r: SampleRecord) -> Double? {
        if let t = r.timings, let n = t.promptTokens, let ms = t.promptMs, ms > 0, n > 0 { return Double(n) / ms * 1000 }
        guard let ttft = r.ttftMs else { return nil }
        let ms = ttft - (r.queueMs ?? 0)
        let tokens = r.serverPromptTokens ?? r.promptTokens
        return ms > 0 && tokens > 0 ? Double(tokens) / ms * 1000 : nil
    }

    /// Decode tokens per second of one answer: the server's timings, else the tokens after the first over the time
    /// after the first token.
    static func decode(_ r: SampleRecord) -> Double? {
        if let t = r.timings, let n = t.predictedTokens, let ms = t.predictedMs, ms > 0, n > 0 { return Double(n) / ms * 1000 }
        guard let ttft = r.ttftMs, let tokens = r.usage?.completionTokens, tokens > 1 else { return nil }
        let ms = r.latencyMs - ttft
        return ms > 0 ? Double(tokens - 1) / ms * 1000 : nil
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        let value = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        return (value * 1000).rounded() / 1000
    }

    /// One entry per length that has measured samples.
    static func perLength(lengths: [Int], records: [SampleRecord]) -> [Efficiency] {
        lengths.compactMap { length in
            let measured = records.filter { $0.length == length && !$0.cached && $0.latencyMs > 0 && $0.status != .overflow }
            guard let latency = median(measured.map(\.latencyMs)) else { return nil }
            return Efficiency(
                length: length, n: measured.count, latencyMs: latency, ttftMs: median(measured.compactMap(\.ttftMs)),
                queueMs: median(measured.compactMap(\.queueMs)), prefillTokensPerSecond: median(measured.compactMap(prefill)),
                decodeTokensPerSecond: median(measured.compactMap(decode)))
        }
    }
}
