import FathomCore
// HELMET (princeton-nlp/HELMET, `utils.py` and `data.py::default_post_process`) output parsing
// and the per-sample QA metric bundle.

/// HELMET `parse_output(output, prefix)`: the text after the first case-insensitive occurrence of
/// `prefix` up to the end of that line; when `prefix` does not occur, the first line. The piece is
/// then Python-`strip()`ped, one leading repetition of `prefix` (case-insensitive) is removed, and
/// it is stripped again.
///
/// HELMET interpolates the prefix into a regular expression unescaped; every prefix HELMET uses
/// ("Answer:", "Corresponding value:", "Ranking:", "label:", "Summary:") is literal there, and
/// here the prefix is always matched literally. Case-insensitivity follows Python `re.IGNORECASE`
/// (exact for ASCII prefixes). Never returns nil in HELMET either: the first-line fallback always
/// matches.
public func parseOutput(_ output: String, prefix: String = "Answer:") -> String {
    let text = PythonText.scalars(output)
    let pre = PythonText.scalars(prefix)
    var start = 0
    if let at = findCaseInsensitive(text, pre, from: 0) {
        start = at + pre.count
    }
    var end = start
    while end < text.count && text[end] != 0x0A { end += 1 }
    var piece = PythonText.strip(text[start..<end])
    if hasCaseInsensitivePrefix(piece, pre) {
        piece = piece[(piece.startIndex + pre.count)...]
    }
    return PythonText.string(PythonText.strip(piece))
}

func findCaseInsensitive(_ text: [UInt32], _ pattern: [UInt32], from: Int) -> Int? {
    let m = pattern.count, n = text.count
    if m == 0 { return from <= n ? from : nil }
    if m > n { return nil }
    var i = from
    while i <= n - m {
        var k = 0
        while k < m && PythonText.caseInsensitiveEqual(pattern[k], text[i + k]) { k += 1 }
        if k == m { return i }
        i += 1
    }
    return nil
}

func hasCaseInsensitivePrefix(_ text: ArraySlice<UInt32>, _ pattern: [UInt32]) -> Bool {
    if pattern.count > text.count { return false }
    var k = 0
    var i = text.startIndex
    while k < pattern.count {
        if !PythonText.caseInsensitiveEqual(pattern[k], text[i]) { return false }
        k += 1
        i += 1
    }
    return true
}

/// HELMET `parse_rankings` for re-rank outputs such as "[ID: 3] > [ID: 1] > 2".
///
/// Steps, as in HELMET: delete every `[`, `]` and `:`; Python-lowercase; delete every "id"; find
/// all non-overlapping matches of `(\d+)(?:\s*>\s*(\d+))*` (Unicode `\d`/`\s`, leftmost, greedy)
/// and keep the longest (the first one on ties, length in code points); split it on `>` and keep
/// the stripped pieces. When there is no digit at all, the single "ID" is the whole preprocessed
/// text. The result maps each ID to `count - position` (first occurrence wins; `count` includes
/// duplicates), i.e. the run scores pytrec_eval receives.
public func parseRankings(_ output: String) -> [String: Int] {
    // 1. remove [ ] :
    var v: [UInt32] = []
    for c in output.unicodeScalars where c.value != 0x5B && c.value != 0x5D && c.value != 0x3A {
        v.append(c.value)
    }
    // 2. lower, then replace "id" with ""
    let lowered = PythonText.lower(v)
    var s: [UInt32] = []
    s.reserveCapacity(lowered.count)
    var i = 0
    while i < lowered.count {
        if lowered[i] == 0x69, i + 1 < lowered.count, lowered[i + 1] == 0x64 {
            i += 2
            continue
        }
        s.append(lowered[i])
        i += 1
    }
    // 3. finditer, keep the longest match
    var bestStart = 0, bestLen = 0
    let n = s.count
    i = 0
    while i < n {
        guard PythonText.isDecimalDigit(s[i]) else { i += 1; continue }
        let start = i
        while i < n && PythonText.isDecimalDigit(s[i]) { i += 1 }
        var end = i
        // (?:\s*>\s*\d+)* — each repetition either completes or the match ends before it.
        while true {
            var j = end
            while j < n && PythonText.isSpace(s[j]) { j += 1 }
            guard j < n, s[j] == 0x3E else { break }
            j += 1
            while j < n && PythonText.isSpace(s[j]) { j += 1 }
            guard j < n, PythonText.isDecimalDigit(s[j]) else { break }
            while j < n && PythonText.isDecimalDigit(s[j]) { j += 1 }
            end = j
        }
        if end - start > bestLen {
            bestStart = start
            bestLen = end - start
        }
        i = end
    }
    var rankings: [String] = []
    if bestLen > 0 {
        var pieceStart = bestStart
        let stop = bestStart + bestLen
        var k = bestStart
        while k <= stop {
            if k == stop || s[k] == 0x3E {
                let piece = PythonText.strip(s[pieceStart..<k])
                // every piece is \d+ after strip, so Python's isdigit() holds
                if !piece.isEmpty { rankings.append(PythonText.string(piece)) }
                pieceStart = k + 1
            }
            k += 1
        }
    } else {
        rankings = [PythonText.string(s)]
    }
    var results: [String: Int] = [:]
    // Keys are compared as code point sequences, as Python dict keys are; Swift String uses
    // canonical equivalence, which differs only for non-digit text that cannot occur here
    // except in the no-digit fallback (a single key).
    for (idx, r) in rankings.enumerated() where results[r] == nil {
        results[r] = rankings.count - idx
    }
    return results
}

/// HELMET's per-sample QA metrics (`calculate_metrics`), each maximised over the golds.
public struct HelmetQAMetrics: Sendable, Equatable {
    public var exactMatch: Double
    public var f1: Double
    public var substringExactMatch: Double
    public var rougeLF1: Double
    public var rougeLRecall: Double
    public var rougeLsumF1: Double
    public var rougeLsumRecall: Double

    /// Field-wise maximum (HELMET keeps the max of the raw and the parsed output).
    public func fieldwiseMax(_ o: HelmetQAMetrics) -> HelmetQAMetrics {
        HelmetQAMetrics(
            exactMatch: max(exactMatch, o.exactMatch), f1: max(f1, o.f1),
            substringExactMatch: max(substringExactMatch, o.substringExactMatch),
            rougeLF1: max(rougeLF1, o.rougeLF1), rougeLRecall: max(rougeLRecall, o.rougeLRecall),
            rougeLsumF1: max(rougeLsumF1, o.rougeLsumF1), rougeLsumRecall: max(rougeLsumRecall, o.rougeLsumRecall))
    }
}

/// HELMET `calculate_metrics(prediction, answers)`: EM, token F1 (yes/no/noanswer rule), SubEM
/// and ROUGE-L / ROUGE-Lsum F1 and recall (stemmed, reference = gold), each the max over golds.
/// `golds` must not be empty (Python raises on an empty list); an empty list yields zeros.
public func helmetCalculateMetrics(prediction: String, golds: [String]) -> HelmetQAMetrics {
    var m = HelmetQAMetrics(exactMatch: 0, f1: 0, substringExactMatch: 0, rougeLF1: 0, rougeLRecall: 0,
                            rougeLsumF1: 0, rougeLsumRecall: 0)
    if golds.isEmpty { return m }
    let p = normalizedScalars(prediction)
    var ctx = RougeContext()
    let pSents = ctx.sentences(prediction)
    let pTokens = Array(pSents.joined())
    for g in golds {
        let n = normalizedScalars(g)
        if n == p { m.exactMatch = 1 }
        if containsSubsequence(p, n) { m.substringExactMatch = 1 }
        m.f1 = max(m.f1, tokenF1(prediction: prediction, gold: g).f1)
        let gSents = ctx.sentences(g)
        let l = RougeLCS.sentenceLevel(reference: Array(gSents.joined()), candidate: pTokens)
        m.rougeLF1 = max(m.rougeLF1, l.f1)
        m.rougeLRecall = max(m.rougeLRecall, l.recall)
        let ls = RougeLCS.summaryLevel(reference: gSents, candidate: pSents, vocabularySize: ctx.count)
        m.rougeLsumF1 = max(m.rougeLsumF1, ls.f1)
        m.rougeLsumRecall = max(m.rougeLsumRecall, ls.recall)
    }
    return m
}

/// HELMET `default_post_process`: metrics of the raw output and of `parseOutput(output, prefix)`,
/// field-wise max. (`json_kv` uses prefix "Corresponding value:"; the default is "Answer:".)
public func helmetQAMetrics(output: String, golds: [String], prefix: String = "Answer:") -> HelmetQAMetrics {
    let raw = helmetCalculateMetrics(prediction: output, golds: golds)
    let parsed = helmetCalculateMetrics(prediction: parseOutput(output, prefix: prefix), golds: golds)
    return raw.fieldwiseMax(parsed)
}
