import FathomCore
// SQuAD v1.1 answer normalisation, exact match, substring exact match and token F1, with the
// HELMET (`utils.py`) variants. All comparisons are on code points (Python semantics).

/// Token-level F1 with its precision and recall.
public struct TokenF1: Sendable, Equatable {
    public var f1: Double
    public var precision: Double
    public var recall: Double
    public init(f1: Double, precision: Double, recall: Double) {
        self.f1 = f1
        self.precision = precision
        self.recall = recall
    }
    public static let zero = TokenF1(f1: 0, precision: 0, recall: 0)
}

/// ASCII punctuation, Python's `string.punctuation`: !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
@inline(__always)
func isASCIIPunctuation(_ c: UInt32) -> Bool {
    (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
}

/// Normalised answer as code points (the result of SQuAD's `normalize_answer`).
func normalizedScalars(_ s: String) -> [UInt32] {
    // 1. lower (Python str.lower)
    let lowered = PythonText.lower(PythonText.scalars(s))
    // 2. remove string.punctuation
    var noPunct: [UInt32] = []
    noPunct.reserveCapacity(lowered.count)
    for c in lowered where !isASCIIPunctuation(c) { noPunct.append(c) }
    // 3. re.sub(r'\b(a|an|the)\b', ' ', text) with Python's Unicode word boundaries
    var noArticles: [UInt32] = []
    noArticles.reserveCapacity(noPunct.count)
    let n = noPunct.count
    var i = 0
    while i < n {
        let c = noPunct[i]
        if (c == 0x61 || c == 0x74), i == 0 || !PythonText.isWordChar(noPunct[i - 1]) {
            let len = articleLength(noPunct, i)
            if len > 0 {
                noArticles.append(0x20)
                i += len
                continue
            }
        }
        noArticles.append(c)
        i += 1
    }
    // 4. ' '.join(text.split())
    var out: [UInt32] = []
    out.reserveCapacity(noArticles.count)
    for piece in PythonText.split(noArticles) {
        if !out.isEmpty { out.append(0x20) }
        out.append(contentsOf: piece)
    }
    return out
}

/// Length of an article (a, an, the) at `i` followed by a word boundary, trying the alternatives
/// in regex order (`a|an|the`); 0 when none matches.
private func articleLength(_ v: [UInt32], _ i: Int) -> Int {
    let n = v.count
    func boundaryAfter(_ j: Int) -> Bool { j >= n || !PythonText.isWordChar(v[j]) }
    if v[i] == 0x61 {
        if boundaryAfter(i + 1) { return 1 }
        if i + 1 < n, v[i + 1] == 0x6E, boundaryAfter(i + 2) { return 2 }
        return 0
    }
    if i + 2 < n, v[i] == 0x74, v[i + 1] == 0x68, v[i + 2] == 0x65, boundaryAfter(i + 3) { return 3 }
    return 0
}

/// SQuAD v1.1 / HELMET `normalize_answer`: Python `str.lower()`, remove every character of
/// `string.punctuation` (ASCII only), replace the whole words `a`, `an`, `the` (Python Unicode
/// `\b`) by a space, then collapse whitespace (`' '.join(s.split())`).
public func normalizeAnswer(_ s: String) -> String {
    PythonText.string(normalizedScalars(s))
}

/// SQuAD exact match: the normalised strings are equal (code point by code point).
public func exactMatch(prediction: String, gold: String) -> Bool {
    normalizedScalars(prediction) == normalizedScalars(gold)
}

/// HELMET SubEM (`substring_exact_match_score`): the normalised gold occurs in the normalised
/// prediction. As in Python, an empty normalised gold matches every prediction.
public func substringExactMatch(prediction: String, gold: String) -> Bool {
    containsSubsequence(normalizedScalars(prediction), normalizedScalars(gold))
}

func containsSubsequence(_ hay: [UInt32], _ needle: [UInt32]) -> Bool {
    let m = needle.count, n = hay.count
    if m == 0 { return true }
    if m > n { return false }
    let first = needle[0]
    var i = 0
    outer: while i <= n - m {
        if hay[i] == first {
            var k = 1
            while k < m {
                if hay[i + k] != needle[k] { i += 1; continue outer }
                k += 1
            }
            return true
        }
        i += 1
    }
    return false
}

/// Token F1 between prediction and gold after `normalizeAnswer`, tokens split on spaces, common
/// tokens counted as a multiset intersection (SQuAD v1.1 `f1_score`).
///
/// With `yesNoSpecialCase` (HELMET's and HotpotQA's variant, the default), if either normalised
/// side is `yes`, `no` or `noanswer` and the two sides differ, the result is zero. When no token
/// is shared (including an empty side) the result is zero.
public func tokenF1(prediction: String, gold: String, yesNoSpecialCase: Bool = true) -> TokenF1 {
    let p = normalizedScalars(prediction)
    let g = normalizedScalars(gold)
    if yesNoSpecialCase {
        if p != g && (isYesNoNoAnswer(p) || isYesNoNoAnswer(g)) { return .zero }
    }
    let pt = PythonText.split(p)
    let gt = PythonText.split(g)
    var counts: [ArraySlice<UInt32>: Int] = [:]
    for t in gt { counts[t, default: 0] += 1 }
    var same = 0
    for t in pt {
        if let c = counts[t], c > 0 {
            counts[t] = c - 1
            same += 1
        }
    }
    if same == 0 { return .zero }
    let precision = 1.0 * Double(same) / Double(pt.count)
    let recall = 1.0 * Double(same) / Double(gt.count)
    let f1 = (2 * precision * recall) / (precision + recall)
    return TokenF1(f1: f1, precision: precision, recall: recall)
}

private func isYesNoNoAnswer(_ v: [UInt32]) -> Bool {
    switch v {
    case [0x79, 0x65, 0x73], [0x6E, 0x6F], [0x6E, 0x6F, 0x61, 0x6E, 0x73, 0x77, 0x65, 0x72]: return true
    default: return false
    }
}

/// Exact match maximised over several golds (false for an empty list).
public func exactMatch(prediction: String, golds: [String]) -> Bool {
    let p = normalizedScalars(prediction)
    return golds.contains { normalizedScalars($0) == p }
}

/// SubEM maximised over several golds (false for an empty list).
public func substringExactMatch(prediction: String, golds: [String]) -> Bool {
    let p = normalizedScalars(prediction)
    return golds.contains { containsSubsequence(p, normalizedScalars($0)) }
}

/// Token F1 (the `f1` field) maximised over several golds; 0 for an empty list.
public func tokenF1(prediction: String, golds: [String], yesNoSpecialCase: Bool = true) -> Double {
    var best = 0.0
    for g in golds { best = max(best, tokenF1(prediction: prediction, gold: g, yesNoSpecialCase: yesNoSpecialCase).f1) }
    return best
}
