import FathomBoard
import FathomCore
import FathomModels
import FathomRank
import Foundation

/// What `fathom rank --where … --query …` does: selects samples by structured conditions and/or by the similarity of
/// their question text to a query (embedded by an OpenAI-compatible endpoint), ranks the models on them alone and
/// compares that ranking with the global one.
public enum CapabilityProbes {
    /// A text probe: the query and where its embeddings come from.
    public struct TextRequest: Sendable {
        public var query: String
        public var endpoint: String
        public var model: String?
        public var apiKey: String?
        /// ONEBench's defaults are top-k 10 and threshold 0.7 (for MiniLM); nil leaves either out.
        public var topK: Int?
        public var threshold: Double?
        public var client = EmbeddingsClient.Options()
        public init(query: String, endpoint: String, model: String? = nil, apiKey: String? = nil, topK: Int? = 10, threshold: Double? = nil) {
            self.query = query; self.endpoint = endpoint; self.model = model; self.apiKey = apiKey; self.topK = topK; self.threshold = threshold
        }
    }

    public static func run(_ input: RankRunner.Input, method: RankMethod, options: RankOptions, allowPartial: Bool,
                           where expressions: [String], text: TextRequest?) async throws -> CapabilityProbeReport {
        if case .runs(let folders) = input { try FreshRuns.refresh(folders) }
        let pool = try RankRunner.pool(input, allowPartial: allowPartial)
        let filter = expressions.isEmpty ? nil : try pool.filter(expressions)
        var selection: CapabilityProbeReport.TextSelection? = nil
        if let text { selection = try await select(text, in: pool, filter: filter) }
        return try RankRunner.probe(pool, method: method, options: options, filter: filter, text: selection)
    }

    /// The samples (among those `filter` keeps) whose question text is nearest to the query.
    static func select(_ request: TextRequest, in pool: ProbePool, filter: ProbeFilter?) async throws -> CapabilityProbeReport.TextSelection {
        guard !request.query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw FathomError(.usage, "--query is empty")
        }
        let keep = filter.map { pool.selects($0) }
        var samples: [String: (task: String, sample: String)] = [:]
        for m in pool.measurements where keep?(m) ?? true { samples[ProbePool.key(m)] = (m.task, m.sample) }
        let keys = samples.keys.sorted()
        let missing = keys.filter { pool.queries[$0] == nil }
        guard missing.isEmpty else {
            let example = "\(samples[missing[0]]!.task) sample \(samples[missing[0]]!.sample)"
            throw FathomError(.usage, "\(missing.count) of \(keys.count) samples have no question text (samples.jsonl `query`; e.g. \(example)): "
                + "runs made before Fathom recorded it, a scores file, or exec plugins. Re-run those runs or leave them out; no sample is dropped silently")
        }
        guard !keys.isEmpty else { throw RankError.noData("the probe selects no sample") }
        let client = EmbeddingsClient(endpoint: request.endpoint, model: request.model, apiKey: request.apiKey, options: request.client)
        do {
            let model = try await client.model()
            var unique: [String] = []
            var position: [String: Int] = [:]
            for key in keys {
                let text = pool.queries[key]!
                if position[text] == nil { position[text] = unique.count; unique.append(text) }
            }
            let vectors = try await client.embed([request.query] + unique, model: model)
            let candidates = keys.map { (key: $0, vector: vectors[1 + position[pool.queries[$0]!]!]) }
            let hits = try TextProbeSelection.select(query: vectors[0], candidates: candidates, topK: request.topK, threshold: request.threshold)
            await client.shutdown()
            return CapabilityProbeReport.TextSelection(query: request.query, endpoint: client.base, model: model, topK: request.topK,
                                                       threshold: request.threshold, candidates: keys.count,
                                                       hits: hits.map { .init(task: samples[$0.key]!.task, sample: samples[$0.key]!.sample, similarity: $0.similarity) })
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
