import FathomCore
// Row-level precision / recall / F1 between a predicted and a gold table written as TSV or as a
// Markdown pipe table (LongProc HTML->TSV style outputs, HoloBench-style answers).

/// How the first row of each table is treated.
public enum TableHeaderMode: Sendable {
    /// The first row is data like any other.
    case none
    /// The first row is a header; it is not scored.
    case drop
    /// The first row is a header; when the two headers hold the same normalised names (as
    /// multisets, in any order), the predicted columns are reordered into the gold order before
    /// rows are compared; otherwise columns are compared by position. The header is not scored.
    case alignColumns
}

/// Options for `tableRowScores`.
public struct TableMatchOptions: Sendable {
    public var header: TableHeaderMode
    /// Python-lowercase cells.
    public var caseInsensitive: Bool
    /// Rewrite a cell that is a single number (see `extractNumbers`, the whole trimmed cell) to a
    /// canonical form, so "1,000", "1000.0" and "1e3" are equal.
    public var canonicalizeNumbers: Bool
    public init(header: TableHeaderMode = .drop, caseInsensitive: Bool = true, canonicalizeNumbers: Bool = true) {
        self.header = header
        self.caseInsensitive = caseInsensitive
        self.canonicalizeNumbers = canonicalizeNumbers
    }
}

/// Row-level scores and the counts behind them.
public struct TableScores: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public var matchedRows: Int
    public var predictedRows: Int
    public var goldRows: Int
}

/// Parses a TSV or Markdown table into rows of raw (trimmed) cells.
///
/// - Lines are split on "\n" (a trailing "\r" is removed); blank lines are skipped.
/// - A line containing "|" is a Markdown row: one leading and one trailing "|" are removed (after
///   trimming) and the rest is split on "|". A Markdown separator row (every cell made of `-`
///   with optional `:` at either end) is skipped. Any other line is split on "\t".
/// - Cells are trimmed of Python whitespace.
/// - A line starting with ``` (a code fence) is skipped, so fenced tables parse directly.
public func parseTable(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    let v = PythonText.scalars(text)
    var start = 0
    for i in 0...v.count where i == v.count || v[i] == 0x0A {
        var line = v[start..<i]
        start = i + 1
        if let last = line.last, last == 0x0D { line = line.dropLast() }
        let trimmed = PythonText.strip(line)
        if trimmed.isEmpty { continue }
        if trimmed.count >= 3 && trimmed.prefix(3).elementsEqual([0x60, 0x60, 0x60]) { continue }
        if trimmed.contains(0x7C) {
            var body = trimmed
            if body.first == 0x7C { body = body.dropFirst() }
            if body.last == 0x7C { body = body.dropLast() }
            let cells = body.split(separator: 0x7C, omittingEmptySubsequences: false).map { PythonText.strip($0) }
            if cells.allSatisfy(isMarkdownSeparatorCell) { continue }
            rows.append(cells.map { PythonText.string($0) })
        } else {
            let cells = line.split(separator: 0x09, omittingEmptySubsequences: false).map { PythonText.strip($0) }
            rows.append(cells.map { PythonText.string($0) })
        }
    }
    return rows
}

private func isMarkdownSeparatorCell(_ c: ArraySlice<UInt32>) -> Bool {
    var body = c
    if body.first == 0x3A { body = body.dropFirst() }
    if body.last == 0x3A { body = body.dropLast() }
    return !body.isEmpty && body.allSatisfy { $0 == 0x2D }
}

/// Row P/R/F1 of a predicted table against a gold table.
///
/// Semantics:
/// - Both tables are parsed with `parseTable`; the header row is handled per `options.header`.
/// - Each cell is normalised: internal whitespace runs collapse to one space, optional Python
///   lowercasing, optional numeric canonicalisation. A row is the tuple of its normalised cells;
///   trailing empty cells are removed, so "a\tb\t" equals "a\tb".
/// - Rows match as multisets, order ignored: matched = sum over distinct rows of
///   min(count in prediction, count in gold), so a duplicated predicted row is credited once per
///   gold copy.
/// - P = matched / predicted rows, R = matched / gold rows, F1 = 2PR / (P + R) (0 when P + R = 0).
///   With no predicted rows P = 0; with no gold rows R = 0; when both tables have no data rows all
///   three are 1.
public func tableRowScores(prediction: String, gold: String, options: TableMatchOptions = TableMatchOptions()) -> TableScores {
    var pred = parseTable(prediction)
    var ref = parseTable(gold)
    var permutation: [Int]? = nil
    if options.header != .none {
        let ph = pred.isEmpty ? nil : pred.removeFirst()
        let gh = ref.isEmpty ? nil : ref.removeFirst()
        if options.header == .alignColumns, let ph, let gh {
            permutation = columnPermutation(predHeader: ph.map { normalizeCell($0, options) },
                                            goldHeader: gh.map { normalizeCell($0, options) })
        }
    }
    func key(_ row: [String], _ perm: [Int]?) -> [String] {
        var cells = row.map { normalizeCell($0, options) }
        if let perm { cells = perm.map { $0 < cells.count ? cells[$0] : "" } }
        while let last = cells.last, last.isEmpty { cells.removeLast() }
        return cells
    }
    // Count with code-point-exact keys.
    var counts: [[CodePointKey]: Int] = [:]
    for r in ref { counts[key(r, nil).map(CodePointKey.init), default: 0] += 1 }
    var matched = 0
    for r in pred {
        let k = key(r, permutation).map(CodePointKey.init)
        if let c = counts[k], c > 0 {
            counts[k] = c - 1
            matched += 1
        }
    }
    let np = pred.count, ng = ref.count
    if np == 0 && ng == 0 {
        return TableScores(precision: 1, recall: 1, f1: 1, matchedRows: 0, predictedRows: 0, goldRows: 0)
    }
    let p = np > 0 ? Double(matched) / Double(np) : 0
    let r = ng > 0 ? Double(matched) / Double(ng) : 0
    let f = p + r > 0 ? 2 * p * r / (p + r) : 0
    return TableScores(precision: p, recall: r, f1: f, matchedRows: matched, predictedRows: np, goldRows: ng)
}

/// Cell text compared by code points (Swift `String` equality would use canonical equivalence).
private struct CodePointKey: Hashable {
    let s: String
    let scalars: [UInt32]
    init(_ s: String) {
        self.s = s
        self.scalars = s.unicodeScalars.map { $0.value }
    }
    static func == (a: CodePointKey, b: CodePointKey) -> Bool { a.scalars == b.scalars }
    func hash(into h: inout Hasher) { h.combine(scalars) }
}

/// For each gold column, the index of the predicted column with the same name (nil when the
/// headers are not the same multiset of names).
private func columnPermutation(predHeader: [String], goldHeader: [String]) -> [Int]? {
    let p = predHeader.map(CodePointKey.init), g = goldHeader.map(CodePointKey.init)
    guard p.count == g.count else { return nil }
    var used = [Bool](repeating: false, count: p.count)
    var perm: [Int] = []
    for name in g {
        guard let idx = p.indices.first(where: { !used[$0] && p[$0] == name }) else { return nil }
        used[idx] = true
        perm.append(idx)
    }
    return perm
}

func normalizeCell(_ cell: String, _ options: TableMatchOptions) -> String {
    var v = PythonText.scalars(cell)
    if options.caseInsensitive { v = PythonText.lower(v) }
    var out: [UInt32] = []
    for piece in PythonText.split(v) {
        if !out.isEmpty { out.append(0x20) }
        out.append(contentsOf: piece)
    }
    let s = PythonText.string(out)
    if options.canonicalizeNumbers {
        let nums = extractNumbers(s)
        if nums.count == 1, nums[0].utf8Range == 0..<s.utf8.count {
            return canonicalNumber(nums[0].value)
        }
    }
    return s
}

/// Shortest round-trip decimal form; integral values without a fractional part ("1000", "-3").
func canonicalNumber(_ x: Double) -> String {
    if x == 0 { return "0" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}
