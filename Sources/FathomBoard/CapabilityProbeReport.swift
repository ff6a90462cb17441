import FathomRank
import Foundation

/// What `fathom rank` prints for a probe: the ranking on the selected samples (`probe`) beside the ranking on the
/// whole pool (`global`), and how the samples were selected.
public struct CapabilityProbeReport: Codable, Sendable, Equatable {
    /// A sample a text probe selected.
    public struct Hit: Codable, Sendable, Equatable {
        /// The measurement's task (`task@length` for run folders) and sample id.
        public var task: String
        public var sample: String
        /// Cosine similarity of its question to the query.
        public var similarity: Double
        public init(task: String, sample: String, similarity: Double) { self.task = task; self.sample = sample; self.similarity = similarity }
    }

    /// How a text probe selected its samples.
    public struct TextSelection: Codable, Sendable, Equatable {
        public var query: String
        public var endpoint: String
        public var model: String
        public var topK: Int?
        public var threshold: Double?
        /// Distinct samples with question text that were compared with the query.
        public var candidates: Int
        /// The selected samples, most similar first.
        public var hits: [Hit]
        public init(query: String, endpoint: String, model: String, topK: Int?, threshold: Double?, candidates: Int, hits: [Hit]) {
            self.query = query; self.endpoint = endpoint; self.model = model; self.topK = topK; self.threshold = threshold
            self.candidates = candidates; self.hits = hits
        }
        enum CodingKeys: String, CodingKey { case query, endpoint, model, topK = "top_k", threshold, candidates, hits }
    }

    /// The structured conditions, AND-ed (nil: none).
    public var filter: String?
    public var text: TextSelection?
    public var global: RankingResult
    public var probe: ProbeResult

    /// Sorted-keys JSON with a final newline.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
