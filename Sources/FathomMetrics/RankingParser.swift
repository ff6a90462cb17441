import FathomCore

/// A ranking read from a re-ranking answer, with what parsing it met.
public struct ParsedRanking: Sendable, Equatable {
    /// How the ranking was written.
    public enum Format: String, Sendable {
        /// IDs joined by `>` (the format the prompt asks for), however decorated: `[ID: 3] > **ID 1**`.
        case chain
        /// IDs one after another without `>` (a numbered list, a comma list, prose).
        case list
        /// No known ID at all.
        case none
    }

    /// Known IDs in rank order, each once.
    public var ids: [String]
    public var format: Format
    /// IDs that appeared again after their first mention (ignored).
    public var duplicates: Int
    /// Numbers of 5 or more digits that are not IDs of this prompt (ignored).
    public var unknown: Int
    /// Whether a number at the very end of a cut-off answer was dropped (it may be a cut ID).
    public var droppedCutOff: Bool

    /// trec_eval run scores: the i-th ID (0-based) of n scores n − i.
    public var run: [String: Int] {
        var out: [String: Int] = [:]
        for (i, id) in ids.enumerated() { out[id] = ids.count - i }
        return out
    }
}

/// Parses a re-ranking answer against the prompt's IDs, without `parse_rankings`' failure modes (HELMET
/// `utils.py`: the longest `\d+( > \d+)*` run after deleting `[`, `]`, `:` and "id"):
/// - decorations between IDs and `>` are allowed (`[ID: 3] > [ID: 1]`, `**3** > **1**`, `ID3 > ID1`, line breaks);
/// - a numbered or bulleted list, or IDs in prose, is read in order of mention (HELMET keeps one number of it), and
///   when a `Ranking` label appears, only what follows the last one that is followed by IDs counts;
/// - numbers that are not IDs of the prompt (list numbers, years, a mistyped ID) are skipped, never ranked;
/// - a repeated ID keeps its first rank;
/// - when the answer was cut at max_tokens (`truncated`), a number touching the very end is dropped: it may be
///   the first digits of a longer ID.
/// The longer of the `>`-chain and the list reading wins (the chain on ties). Linear in the answer's length; the
/// answer is read up to `maxCharacters` scalars.
public func parseRanking(_ output: String, ids valid: Set<String>, truncated: Bool, maxCharacters: Int = 200_000) -> ParsedRanking {
    struct Mention {
        var id: String?
        var start: Int
        var end: Int
    }
    var scalars: [UInt32] = []
    var cutByUs = false
    for s in output.unicodeScalars {
        if scalars.count == maxCharacters {
            cutByUs = true
            break
        }
        scalars.append(s.value)
    }
    let n = scalars.count
    // Digit runs (ASCII), "ranking" labels and '>' positions.
    var numbers: [Mention] = []
    var arrows: [Int] = []
    var labels: [Int] = []
    var i = 0
    let label: [UInt32] = Array("ranking".unicodeScalars.map(\.value))
    while i < n {
        let c = scalars[i]
        if c >= 0x30 && c <= 0x39 {
            var j = i
            var digits = ""
            while j < n, scalars[j] >= 0x30, scalars[j] <= 0x39 {
                if digits.utf8.count < 32 { digits.unicodeScalars.append(Unicode.Scalar(scalars[j])!) }
                j += 1
            }
            numbers.append(Mention(id: valid.contains(digits) ? digits : (j - i >= 5 ? "" : nil), start: i, end: j))
            i = j
            continue
        }
        if c == 0x3E { arrows.append(i) }
        if c == 0x52 || c == 0x72, i + label.count <= n {
            var k = 0
            while k < label.count, PythonText.caseInsensitiveEqual(label[k], scalars[i + k]) { k += 1 }
            if k == label.count { labels.append(i) }
        }
        i += 1
    }
    var droppedCutOff = false
    if (truncated || cutByUs), let last = numbers.last, last.end == n {
        numbers.removeLast()
        droppedCutOff = true
    }
    let unknown = numbers.filter { $0.id == "" }.count
    let known = numbers.filter { $0.id != nil && $0.id != "" }

    // Chains: consecutive known IDs with exactly one '>' between them and no other number in between.
    var arrowIndex = 0
    func arrowsBetween(_ a: Int, _ b: Int) -> Int {
        while arrowIndex < arrows.count, arrows[arrowIndex] < a { arrowIndex += 1 }
        var k = arrowIndex
        var count = 0
        while k < arrows.count, arrows[k] < b {
            count += 1
            k += 1
        }
        return count
    }
    var numberIndex = 0
    func numbersBetween(_ a: Int, _ b: Int) -> Bool {
        while numberIndex < numbers.count, numbers[numberIndex].start < a { numberIndex += 1 }
        return numberIndex < numbers.count && numbers[numberIndex].start < b
    }
    var bestChain: Range<Int> = 0..<0
    var start = 0
    for k in known.indices {
        if k > 0 {
            let (a, b) = (known[k - 1].end, known[k].start)
            let linked = arrowsBetween(a, b) == 1 && !numbersBetween(a, b)
            if !linked { start = k }
        }
        if k + 1 - start > bestChain.count { bestChain = start..<(k + 1) }
    }
    // The list reading: after the last label followed by an ID, else everything.
    var listStart = 0
    if let lastKnown = known.last, let position = labels.last(where: { $0 < lastKnown.start }) {
        listStart = known.firstIndex { $0.start > position }!
    }
    func dedupe(_ mentions: ArraySlice<Mention>) -> (ids: [String], duplicates: Int) {
        var seen: Set<String> = []
        var ids: [String] = []
        var duplicates = 0
        for m in mentions {
            if seen.insert(m.id!).inserted { ids.append(m.id!) } else { duplicates += 1 }
        }
        return (ids, duplicates)
    }
    let chain = dedupe(known[bestChain])
    let list = dedupe(known[listStart...])
    if known.isEmpty {
        return ParsedRanking(ids: [], format: .none, duplicates: 0, unknown: unknown, droppedCutOff: droppedCutOff)
    }
    if chain.ids.count >= 2 && chain.ids.count >= list.ids.count {
        return ParsedRanking(ids: chain.ids, format: .chain, duplicates: chain.duplicates, unknown: unknown, droppedCutOff: droppedCutOff)
    }
    return ParsedRanking(ids: list.ids, format: .list, duplicates: list.duplicates, unknown: unknown, droppedCutOff: droppedCutOff)
}
