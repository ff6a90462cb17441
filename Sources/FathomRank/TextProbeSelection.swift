/// Selects the samples whose question embedding is nearest to a query embedding, as ONEBench's capability query:
/// cosine similarity (its `IndexFlatIP` over normalised vectors), then the `topK` most similar, then of those the ones
/// with similarity strictly above `threshold`. Either may be nil (`topK` nil: every sample above the threshold).
/// Ties in similarity are broken by key, so the selection is deterministic.
public enum TextProbeSelection {
    public struct Hit: Sendable, Equatable, Codable {
        public var key: String
        public var similarity: Double
    }

    public static func select(query: [Float], candidates: [(key: String, vector: [Float])], topK: Int?, threshold: Double?) throws -> [Hit] {
        if let k = topK, k < 1 { throw RankError.invalidOption("top-k must be >= 1 (got \(k))") }
        if let t = threshold, !(t >= -1 && t <= 1) { throw RankError.invalidOption("threshold must be in [-1, 1] (got \(t))") }
        let q = try normalised(query, what: "the query")
        var hits: [Hit] = []
        hits.reserveCapacity(candidates.count)
        for c in candidates {
            guard c.vector.count == q.count else {
                throw RankError.invalidOption("the embedding of sample \(c.key) has \(c.vector.count) dimensions, the query's \(q.count)")
            }
            let v = try normalised(c.vector, what: "sample \(c.key)")
            var dot = 0.0
            for i in 0..<q.count { dot += q[i] * v[i] }
            hits.append(Hit(key: c.key, similarity: min(1, max(-1, dot))))
        }
        hits.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.key < $1.key }
        if let k = topK, hits.count > k { hits.removeSubrange(k...) }
        if let t = threshold { hits.removeAll { !($0.similarity > t) } }
        return hits
    }

    /// The unit vector of `v` in double precision; an error for a zero or non-finite vector (no direction to compare).
    static func normalised(_ v: [Float], what: String) throws -> [Double] {
        var norm = 0.0
        for x in v {
            guard x.isFinite else { throw RankError.invalidOption("the embedding of \(what) has a non-finite component") }
            norm += Double(x) * Double(x)
        }
        guard norm > 0 else { throw RankError.invalidOption("the embedding of \(what) is all zeros") }
        let scale = 1 / norm.squareRoot()
        return v.map { Double($0) * scale }
    }
}
