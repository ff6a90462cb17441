import FathomCore
import FathomText
import Foundation

/// `fathom bench tokenize`: single-threaded encode throughput of one tokenizer on one document (best of N runs).
public enum TokenizeBenchmark {
    public struct Figure: Codable, Sendable {
        public var tokenizer: String
        public var bytes: Int
        public var tokens: Int
        public var bestSeconds: Double
        public var mbPerSecond: Double
        /// Best time to load the tokenizer from its file (every run pays it once).
        public var loadSeconds: Double?
        enum CodingKeys: String, CodingKey {
            case tokenizer, bytes, tokens, bestSeconds = "best_seconds", mbPerSecond = "mb_per_s", loadSeconds = "load_seconds"
        }
    }

    /// Loads the tokenizer `spec` `repeats` times (best time kept), then encodes as `run(tokenizer:text:repeats:)`.
    public static func run(spec: String, text: String, repeats: Int) throws -> (Figure, [Int]) {
        var best = Double.infinity
        var loaded: (any Tokenizer)?
        let clock = ContinuousClock()
        for _ in 0..<max(1, repeats) {
            var tokenizer: (any Tokenizer)?
            best = min(best, Clock.seconds(try clock.measure { tokenizer = try TokenizerLoader.load(spec) }))
            loaded = tokenizer
        }
        var (figure, ids) = run(tokenizer: loaded!, text: text, repeats: repeats)
        figure.loadSeconds = (best * 1e4).rounded() / 1e4
        return (figure, ids)
    }

    /// Encodes `text` `repeats` times; returns the figure and the ids of the last run (for parity checks).
    public static func run(tokenizer: any Tokenizer, text: String, repeats: Int) -> (Figure, [Int]) {
        var best = Double.infinity
        var ids: [Int] = []
        let clock = ContinuousClock()
        for _ in 0..<max(1, repeats) {
            var out: [Int] = []
            best = min(best, Clock.seconds(clock.measure { out = tokenizer.encode(text) }))
            ids = out
        }
        let bytes = text.utf8.count
        return (
            Figure(
                tokenizer: tokenizer.name, bytes: bytes, tokens: ids.count, bestSeconds: (best * 1e6).rounded() / 1e6,
                mbPerSecond: (Double(bytes) / best / 1e6 * 1000).rounded() / 1000), ids
        )
    }
}
