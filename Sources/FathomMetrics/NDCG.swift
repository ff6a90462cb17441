// NDCG@k as trec_eval's `ndcg_cut.k` (the trec_eval bundled with pytrec_eval), used by
// HELMET's re-rank task through `pytrec_eval.RelevanceEvaluator(qrels, {"ndcg_cut.10"})`.

/// trec_eval `ndcg_cut_k` for one query.
///
/// - Ranking: documents sorted by score descending; equal scores are ordered by document id
///   descending (C `strcmp` on the UTF-8 bytes), as trec_eval does — the order of the input does
///   not matter.
/// - Gain: the qrels relevance value itself (linear, not 2^rel - 1); relevance <= 0 and
///   unjudged documents gain 0. Discount: `log2(rank + 1)` for 1-based rank.
/// - Ideal: the positive relevance values of all judged documents, descending, cut at k.
/// - Result: DCG@k / IDCG@k, or 0 when the query has no positive judgment.
/// Document ids are compared by their UTF-8 bytes (exact, no Unicode normalisation). Scores must
/// not be NaN (trec_eval's order is then unspecified).
public func ndcgAtK(qrels: [String: Int], run: [String: Double], k: Int) -> Double {
    precondition(k > 0, "k must be positive")
    var rel: [[UInt8]: Int] = [:]
    rel.reserveCapacity(qrels.count)
    var positives: [Int] = []
    for (doc, r) in qrels {
        rel[Array(doc.utf8)] = r
        if r > 0 { positives.append(r) }
    }
    var ranked: [(id: [UInt8], score: Double)] = run.map { (Array($0.key.utf8), $0.value) }
    ranked.sort { a, b in
        if a.score != b.score { return a.score > b.score }
        return b.id.lexicographicallyPrecedes(a.id)
    }
    var dcg = 0.0
    for (i, entry) in ranked.prefix(k).enumerated() {
        let gain = Double(rel[entry.id] ?? 0)
        if gain > 0 { dcg += gain / log2Double(Double(i + 2)) }
    }
    positives.sort(by: >)
    var idcg = 0.0
    for (i, r) in positives.prefix(k).enumerated() {
        idcg += Double(r) / log2Double(Double(i + 2))
    }
    return idcg > 0 ? dcg / idcg : dcg
}

/// Convenience for HELMET: `run` as produced by `parseRankings` (integer scores).
public func ndcgAtK(qrels: [String: Int], run: [String: Int], k: Int) -> Double {
    ndcgAtK(qrels: qrels, run: run.mapValues { Double($0) }, k: k)
}

/// Mean of `ndcgAtK` over the queries of `runs` that have qrels (pytrec_eval evaluates only
/// those); nil when no query qualifies. HELMET then rounds the mean to 5 decimals.
public func meanNDCGAtK(qrels: [String: [String: Int]], runs: [String: [String: Double]], k: Int) -> Double? {
    var sum = 0.0
    var count = 0
    for qid in runs.keys.sorted() {
        guard let q = qrels[qid], let run = runs[qid] else { continue }
        sum += ndcgAtK(qrels: q, run: run, k: k)
        count += 1
    }
    return count > 0 ? sum / Double(count) : nil
}

#if canImport(Glibc)
import Glibc
@inline(__always) func log2Double(_ x: Double) -> Double { Glibc.log2(x) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func log2Double(_ x: Double) -> Double { Darwin.log2(x) }
#else
import Foundation
@inline(__always) func log2Double(_ x: Double) -> Double { Foundation.log2(x) }
#endif
