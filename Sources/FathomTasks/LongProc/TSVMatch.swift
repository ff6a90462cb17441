import FathomCore

/// Scores a TSV answer against the gold table, fixing LongProc's metric: columns are aligned by normalised header
/// name (by position only when no name matches and the counts agree), rows are matched as a multiset (a duplicated
/// row is credited once per gold copy), and besides row precision/recall/F1 there is a cell F1 (matched rows count
/// all their cells; the rows left over are paired in order and compared cell by cell) and `exact` (the same rows in
/// the same order). Cells are compared lowercased with whitespace collapsed; blank, "n/a", "na", "none" and "-" are
/// all N/A.
struct TSVMatch: Sendable, Hashable {
    var rowPrecision: Double
    var rowRecall: Double
    var rowF1: Double
    var cellF1: Double
    var exact: Bool
    var predictedRows: Int
    var matchedRows: Int
    var alignedColumns: Int

    /// Rows parsed beyond this are counted as unmatched predicted rows without being compared.
    static let maxRows = 200_000

    /// A header name in comparable form: lowercase letters and digits only.
    static func headerKey(_ s: Substring) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.flatMap { String($0).lowercased().unicodeScalars }))
    }

    /// A cell in comparable form, as Unicode scalars (lowercased, whitespace collapsed, quotes around it removed).
    static func cellKey(_ s: Substring) -> [UInt32] {
        var out: [UInt32] = []
        var pending = false
        for scalar in s.unicodeScalars {
            if scalar.properties.isWhitespace {
                pending = !out.isEmpty
                continue
            }
            if pending { out.append(0x20) }
            pending = false
            if scalar.isASCII {
                let v = scalar.value
                out.append((0x41...0x5A).contains(v) ? v + 32 : v)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars.map(\.value))
            }
        }
        if out.count >= 2, out.first == 0x22, out.last == 0x22 { out = Array(out.dropFirst().dropLast()) }
        switch out {
        case [], [0x6E, 0x2F, 0x61], [0x6E, 0x61], [0x6E, 0x6F, 0x6E, 0x65], [0x2D]: return [0x6E, 0x2F, 0x61]
        default: return out
        }
    }

    /// The table text of an answer: the last complete ```tsv block; the rest after ```tsv when it never closes (an
    /// output cut at max_tokens); else the whole answer.
    static func block(_ text: String) -> (body: Substring, fenced: Bool) {
        let bytes = Array(text.utf8)
        let fence = Array("```".utf8), open = Array("```tsv".utf8)
        guard let lastOpen = ProcText.lastIndex(of: open, in: bytes) else { return (text[...], false) }
        // The last fence that does not open a tsv block closes one.
        var limit = bytes.count
        var close: Int? = nil
        while let at = ProcText.lastIndex(of: fence, in: bytes, before: limit) {
            if !bytes[at...].starts(with: open) {
                close = at
                break
            }
            limit = at + fence.count - 1
        }
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        if let close, let start = ProcText.lastIndex(of: open, in: bytes, before: close) {
            return (text[index(start + open.count)..<index(close)], true)
        }
        return (text[index(lastOpen + open.count)...], true)
    }

    static func compare(answer: String, header: [String], rows: [[String]]) -> TSVMatch {
        let (body, _) = block(answer)
        var lines = ProcText.Lines(body).lazy.filter { line in
            let t = line.trimmingWhitespace()
            return !t.isEmpty && !t.hasPrefix("```")
        }.makeIterator()
        let goldHeader = header.map { headerKey(Substring($0)) }
        let gold = rows.map { $0.map { cellKey(Substring($0)) } }
        let columns = header.count
        guard let first = lines.next() else {
            return TSVMatch(rowPrecision: 0, rowRecall: gold.isEmpty ? 1 : 0, rowF1: gold.isEmpty ? 1 : 0, cellF1: gold.isEmpty ? 1 : 0,
                            exact: gold.isEmpty, predictedRows: 0, matchedRows: 0, alignedColumns: 0)
        }
        // Column alignment: for each gold column, the predicted column with the same header name.
        let predicted = first.split(separator: "\t", omittingEmptySubsequences: false).prefix(1000).map { headerKey($0.trimmingWhitespace()) }
        var mapping: [Int?] = goldHeader.map { name in predicted.firstIndex(of: name) }
        var dataStart: Substring? = nil
        if mapping.allSatisfy({ $0 == nil }) {
            mapping = predicted.count == columns ? (0..<columns).map { $0 } : mapping
            // No header line at all: the first line is data when its cells do not name columns.
            if predicted.count == columns { dataStart = first }
            if predicted.count == columns, predicted.contains(where: { goldHeader.contains($0) }) { dataStart = nil }
        }
        let aligned = mapping.compactMap { $0 }.count
        var counts: [[[UInt32]]: Int] = [:]
        for row in gold { counts[row, default: 0] += 1 }
        var predictedRows = 0, matched = 0, cellMatches = 0
        var leftoverPredicted: [[[UInt32]]] = []
        var allInOrder = true
        func take(_ line: Substring) {
            predictedRows += 1
            guard predictedRows <= maxRows else { return }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).prefix(1000)
            let row = mapping.map { index in index.map { $0 < cells.count ? cellKey(cells[cells.startIndex + $0]) : cellKey("") } ?? cellKey("") }
            if predictedRows <= gold.count, gold[predictedRows - 1] != row { allInOrder = false }
            if let c = counts[row], c > 0 {
                counts[row] = c - 1
                matched += 1
                cellMatches += columns
            } else {
                leftoverPredicted.append(row)
            }
        }
        if let dataStart { take(dataStart) }
        while let line = lines.next() { take(line) }
        // Leftover gold rows, in order, paired with leftover predicted rows in order.
        var remaining = counts
        let leftoverGold = gold.filter { row in
            if let c = remaining[row], c > 0 {
                remaining[row] = c - 1
                return true
            }
            return false
        }
        for (p, g) in zip(leftoverPredicted, leftoverGold) { cellMatches += zip(p, g).filter { $0 == $1 }.count }
        let precision = predictedRows > 0 ? Double(matched) / Double(predictedRows) : 0
        let recall = gold.isEmpty ? (predictedRows == 0 ? 1 : 0) : Double(matched) / Double(gold.count)
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        let cellP = predictedRows > 0 ? Double(cellMatches) / Double(predictedRows * columns) : 0
        let cellR = gold.isEmpty ? 0 : Double(cellMatches) / Double(gold.count * columns)
        let cellF1 = cellP + cellR > 0 ? 2 * cellP * cellR / (cellP + cellR) : 0
        return TSVMatch(
            rowPrecision: precision, rowRecall: recall, rowF1: f1, cellF1: cellF1,
            exact: allInOrder && predictedRows == gold.count && matched == gold.count, predictedRows: predictedRows, matchedRows: matched,
            alignedColumns: aligned)
    }
}
