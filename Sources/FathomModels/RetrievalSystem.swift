import FathomCore
import Foundation

/// A built-in extractive baseline: BM25 over the prompt's sentences against its question, answering with the best
/// passages. A task it solves can be solved by retrieval alone ("Is It Really Long Context if All You Need Is
/// Retrieval?", Goldman et al., 2024), which is what its `diffusion`/`scope` tags predict.
///
/// The question is the last line of the last user message plus the answer prefix (where the task templates put
/// it); the passages are every other sentence or line of the prompt. The answer joins the `topK` best passages in
/// prompt order. Tokens are lowercase ASCII letter/digit runs; BM25 with k1 = 1.2, b = 0.75.
public struct RetrievalSystem: ModelBackend {
    public var topK: Int
    public init(topK: Int = 4) { self.topK = topK }
    public var info: ModelInfo { ModelInfo(name: "retrieval", kind: "reference") }

    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        let sample = request.sample
        let text = sample.messages.map { $0.content }.joined(separator: "\n")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard let questionLine = lines.popLast() else { return GenerationResult(text: "", finishReason: "stop", latencyMs: 0) }
        let query = Set(Self.terms(questionLine + " " + sample.answerPrefix))
        let passages = lines.flatMap(Self.sentences)
        let best = Self.bm25(query: query, passages: passages, topK: topK)
        return GenerationResult(text: " " + best.map { passages[$0] }.joined(separator: " "), finishReason: "stop", latencyMs: 0)
    }

    /// Sentences of a line: split after `.`, `!` or `?` followed by a space.
    static func sentences(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var previous: Character = " "
        for character in line {
            if character == " ", previous == "." || previous == "!" || previous == "?" {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Lowercase runs of ASCII letters and digits.
    static func terms(_ text: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            let lower = (byte >= 65 && byte <= 90) ? byte + 32 : byte
            if (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) {
                current.append(lower)
            } else if !current.isEmpty {
                out.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { out.append(String(decoding: current, as: UTF8.self)) }
        return out
    }

    /// Indices of the `topK` passages with the highest BM25 score (ties: earlier passage), in prompt order;
    /// passages that share no term with the query are never returned.
    static func bm25(query: Set<String>, passages: [String], topK: Int, k1: Double = 1.2, b: Double = 0.75) -> [Int] {
        let tokenized = passages.map(terms)
        let n = Double(tokenized.count)
        guard n > 0 else { return [] }
        let averageLength = Double(tokenized.reduce(0) { $0 + $1.count }) / n
        var documentFrequency: [String: Int] = [:]
        for terms in tokenized {
            for term in Set(terms) where query.contains(term) { documentFrequency[term, default: 0] += 1 }
        }
        var scored: [(score: Double, index: Int)] = []
        for (index, terms) in tokenized.enumerated() {
            var frequency: [String: Int] = [:]
            for term in terms where query.contains(term) { frequency[term, default: 0] += 1 }
            guard !frequency.isEmpty else { continue }
            let length = Double(terms.count)
            var score = 0.0
            for (term, count) in frequency {
                let df = Double(documentFrequency[term]!)
                let idf = log((n - df + 0.5) / (df + 0.5) + 1)
                let tf = Double(count)
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / max(averageLength, 1e-9)))
            }
            scored.append((score, index))
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        return scored.prefix(topK).map { $0.index }.sorted()
    }
}
