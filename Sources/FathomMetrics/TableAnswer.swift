import FathomCore

// A model's answer table (TSV, Markdown, or columns aligned by spaces) against a typed gold table: columns aligned
// by header name, numbers compared with tolerance, rows matched as a multiset, in order only when the gold is
// ordered (HoloBench-style database answers; usable by any task whose answer is a table).

/// How a gold column's cells compare.
public enum TableColumnKind: String, Codable, Sendable, Hashable {
    /// Normalised text: case, surrounding quotes and emphasis, a leading "the", a final "." and runs of
    /// whitespace do not matter.
    case text
    /// Whole numbers: the predicted cell must hold exactly one number, equal to the gold.
    case integer
    /// Real numbers: the predicted cell must hold exactly one number within the tolerance.
    case real
}

/// A gold table: header, the kind of each column, the rows (cells as canonical text: integers in decimal, reals
/// in their shortest round-trip form), and whether row order counts.
public struct ExpectedTable: Codable, Sendable, Hashable {
    public var header: [String]
    public var kinds: [TableColumnKind]
    public var rows: [[String]]
    public var ordered: Bool

    public init(header: [String], kinds: [TableColumnKind], rows: [[String]], ordered: Bool) {
        self.header = header
        self.kinds = kinds
        self.rows = rows
        self.ordered = ordered
    }

    /// What the model is asked to write for an empty result.
    public static let noRows = "no rows"

    /// The table as the prompt asks for it: the header, then one line per row, cells separated by tabs; reals with
    /// two decimals. An empty table is `no rows`.
    public func renderTSV() -> String {
        if rows.isEmpty { return Self.noRows }
        var lines = [header.joined(separator: "\t")]
        for row in rows {
            lines.append(row.indices.map { i in kinds[i] == .real ? Self.twoDecimals(row[i]) : row[i] }.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n")
    }

    /// `12.345` → `12.35` (half away from zero on the decimal value), without locale or Foundation formatting.
    static func twoDecimals(_ text: String) -> String {
        guard let x = Double(text), x.isFinite, abs(x) < 1e15 else { return text }
        let cents = Int64((x * 100).rounded())
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return sign + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}

/// Tolerances and what is known about the response.
public struct TableAnswerOptions: Sendable {
    /// Real cells match when |predicted − gold| ≤ absolute + relative · |gold|.
    public var relativeTolerance: Double
    public var absoluteTolerance: Double
    /// The answer hit max_tokens: its last line, unless it ends with a newline, is incomplete and is dropped.
    public var truncated: Bool

    public init(relativeTolerance: Double = 1e-4, absoluteTolerance: Double = 0.01, truncated: Bool = false) {
        self.relativeTolerance = relativeTolerance
        self.absoluteTolerance = absoluteTolerance
        self.truncated = truncated
    }
}

/// Row precision, recall and F1 of an answer table, and what the parser found.
public struct TableAnswerScore: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Rows matched (under `ordered`, the longest run of matches in gold order).
    public var matchedRows: Int
    public var predictedRows: Int
    public var goldRows: Int
    /// `tsv`, `markdown`, `spaces` or `none` (the separator of the predicted table).
    public var format: String
    public var headerFound: Bool
    /// Gold columns the predicted header lacks.
    public var missingColumns: [String]
    /// Predicted columns that are not in the gold header (ignored).
    public var extraColumns: [String]
    /// The answer says `no rows`.
    public var saysNoRows: Bool
    /// A cut-off last row was dropped (the answer hit max_tokens).
    public var droppedPartialRow: Bool

    /// The score's facts for `Score.details`.
    public var details: JSONValue {
        .object([
            "matched_rows": .int(matchedRows), "predicted_rows": .int(predictedRows), "gold_rows": .int(goldRows),
            "format": .string(format), "header_found": .bool(headerFound), "missing_columns": .array(missingColumns.map { .string($0) }),
            "extra_columns": .array(extraColumns.map { .string($0) }), "says_no_rows": .bool(saysNoRows),
            "dropped_partial_row": .bool(droppedPartialRow),
        ])
    }
}

/// Scores answer tables against typed gold tables.
///
/// Parsing, linear in the answer (only its last `maxBytes` are read, lines are cut at `maxLineBytes`, at most
/// the last max(`minLines`, 4 × gold rows + 200) non-blank lines and `maxCells` cells per line are kept):
/// - A line with a tab is split on tabs; else a line with `|` is a Markdown row (outer pipes removed; `---` rules
///   skipped); else, when the gold has several columns, runs of two or more spaces separate cells. Code fences and
///   blank lines are skipped.
/// - The header is the last line holding the most gold column names (names compare lowercased, with emphasis,
///   quotes and a `table.` prefix removed and spaces or hyphens read as `_`). Columns are aligned by name: extra
///   predicted columns are ignored, reordered ones are put back, missing ones never match. Rows are the lines after
///   the header (with several columns, lines of one cell are prose and are skipped). Without a header, lines with
///   exactly the gold's number of cells are rows, by position.
/// - A cell matches a text cell after normalisation; a number cell when it holds exactly one number (thousands
///   separators, signs and exponents read; units, currency signs and `%` ignored) equal to the gold (integers) or
///   within the tolerance (reals). `1e999` is infinite and matches nothing.
/// - Rows match as a multiset (a duplicated row counts once per gold copy). Under `ordered`, the matched rows count
///   only as far as they keep the gold order: the longest subsequence of matches in gold order.
/// - P = matched / predicted rows, R = matched / gold rows. An empty gold is right (1) when the answer says
///   `no rows` or gives a header with no rows, and wrong (0) otherwise; a non-empty gold answered `no rows` is 0.
public enum TableAnswer {
    public static let maxBytes = 1 << 20
    public static let maxLineBytes = 4096
    /// Lines read: the last max(`minLines`, 4 × gold rows + 200) with something on them.
    public static let minLines = 2_000
    public static let maxCells = 64

    enum Separator: String { case tab = "tsv", pipe = "markdown", spaces, none }

    struct Line {
        var cells: [[UInt32]]
        var separator: Separator
        /// The line is the last one of the answer and the answer was cut off there.
        var partial: Bool
    }

    public static func score(_ answer: String, expected: ExpectedTable, options: TableAnswerOptions = TableAnswerOptions()) -> TableAnswerScore {
        let columns = expected.header.count
        let (lines, noRows) = parse(answer, columns: columns, truncated: options.truncated, maxLines: max(minLines, 4 * expected.rows.count + 200))
        let goldNames = expected.header.map { headerName(PythonText.scalars($0)) }
        // A longer cell cannot be a column name, even wrapped in emphasis or behind a `table.` prefix.
        let longestName = (goldNames.map(\.count).max() ?? 0) + 40

        // The header: the last line with the most gold names.
        var headerIndex: Int?
        var best = 0
        for (i, line) in lines.enumerated() {
            var found = Set<[UInt32]>()
            for cell in line.cells where cell.count <= longestName {
                let name = headerName(cell)
                if goldNames.contains(name) { found.insert(name) }
            }
            if found.count >= best, found.count > 0 {
                best = found.count
                headerIndex = i
            }
        }
        var mapping: [Int?] = Array(0..<columns)
        var missing: [String] = []
        var extra: [String] = []
        var body: [Line]
        var format = Separator.none
        if let h = headerIndex {
            let names = lines[h].cells.map(headerName)
            var used = Set<Int>()
            mapping = goldNames.map { gold in
                guard let j = names.indices.first(where: { !used.contains($0) && names[$0] == gold }) else { return nil }
                used.insert(j)
                return j
            }
            missing = expected.header.indices.filter { mapping[$0] == nil }.map { expected.header[$0] }
            extra = names.indices.filter { !used.contains($0) }.map { PythonText.string(lines[h].cells[$0]) }
            format = lines[h].separator
            let wide = lines[h].cells.count > 1
            body = Array(lines[(h + 1)...]).filter { !wide || $0.cells.count > 1 }
        } else {
            body = lines.filter { columns > 1 ? $0.cells.count == columns : true }
            format = body.first?.separator ?? .none
        }
        var dropped = false
        if let last = body.last, last.partial {
            body.removeLast()
            dropped = true
        }

        let goldCount = expected.rows.count
        func result(_ p: Double, _ r: Double, matched: Int) -> TableAnswerScore {
            TableAnswerScore(
                precision: p, recall: r, f1: p + r > 0 ? 2 * p * r / (p + r) : 0, matchedRows: matched, predictedRows: body.count,
                goldRows: goldCount, format: format.rawValue, headerFound: headerIndex != nil, missingColumns: missing,
                extraColumns: extra, saysNoRows: noRows, droppedPartialRow: dropped)
        }
        if goldCount == 0 {
            let right = body.isEmpty && (noRows || headerIndex != nil)
            return result(right ? 1 : 0, right ? 1 : 0, matched: 0)
        }
        if body.isEmpty { return result(0, 0, matched: 0) }

        // Gold rows keyed by their text cells; numbers are checked against each candidate.
        let textColumns = expected.kinds.indices.filter { expected.kinds[$0] == .text }
        var candidates: [[[UInt32]]: [Int]] = [:]
        var goldNumbers: [[Double?]] = []
        for (g, row) in expected.rows.enumerated() {
            candidates[textColumns.map { normalizedText(PythonText.scalars(row[$0])) }, default: []].append(g)
            goldNumbers.append(row.indices.map { expected.kinds[$0] == .text ? nil : Double(row[$0]) })
        }
        var taken = [Bool](repeating: false, count: goldCount)
        var sequence: [Int] = []  // gold index of each matched predicted row, in predicted order
        for line in body {
            func cell(_ i: Int) -> [UInt32]? {
                guard let j = mapping[i], j < line.cells.count else { return nil }
                return line.cells[j]
            }
            var key: [[UInt32]] = []
            var complete = true
            for i in textColumns {
                guard let c = cell(i) else { complete = false; break }
                key.append(normalizedText(c))
            }
            guard complete, let pool = candidates[key] else { continue }
            let predictedNumbers: [Double?] = expected.kinds.indices.map { i in
                expected.kinds[i] == .text ? nil : cell(i).flatMap(singleNumber)
            }
            let hit = pool.first { g in
                !taken[g] && expected.kinds.indices.allSatisfy { i in
                    switch expected.kinds[i] {
                    case .text: return true
                    case .integer:
                        guard let p = predictedNumbers[i], let gold = goldNumbers[g][i] else { return false }
                        return p == gold
                    case .real:
                        guard let p = predictedNumbers[i], let gold = goldNumbers[g][i], p.isFinite else { return false }
                        return abs(p - gold) <= options.absoluteTolerance + options.relativeTolerance * abs(gold)
                    }
                }
            }
            if let hit {
                taken[hit] = true
                sequence.append(hit)
            }
        }
        let matched = expected.ordered ? longestIncreasing(sequence) : sequence.count
        return result(Double(matched) / Double(body.count), Double(matched) / Double(goldCount), matched: matched)
    }

    // MARK: Parsing

    /// The answer's lines split into cells (blank lines, fences and Markdown rules dropped), and whether a line
    /// says `no rows`.
    static func parse(_ answer: String, columns: Int, truncated: Bool, maxLines: Int) -> (lines: [Line], noRows: Bool) {
        var utf8 = Array(answer.utf8.suffix(maxBytes))
        // Start on a character boundary.
        var start = 0
        while start < utf8.count, utf8[start] & 0xC0 == 0x80 { start += 1 }
        if start > 0 { utf8.removeFirst(start) }
        let endsCut = truncated && utf8.last != 0x0A
        let text = PythonText.scalars(String(decoding: utf8, as: UTF8.self))
        // The last `maxLines` lines with something on them.
        var ranges: [Range<Int>] = []
        var end = text.count
        var i = text.count - 1
        while i >= -1, ranges.count < maxLines {
            if i == -1 || text[i] == 0x0A {
                if (i + 1..<end).contains(where: { !PythonText.isSpace(text[$0]) }) { ranges.append((i + 1)..<end) }
                end = i
            }
            i -= 1
        }
        var lines: [Line] = []
        var noRows = false
        for range in ranges.reversed() {
            var raw = text[range.lowerBound..<min(range.upperBound, range.lowerBound + maxLineBytes)]
            if raw.last == 0x0D { raw = raw.dropLast() }
            let trimmed = PythonText.strip(raw)
            if trimmed.isEmpty || trimmed.starts(with: [0x60, 0x60, 0x60]) { continue }
            if isNoRows(Array(trimmed)) {
                noRows = true
                continue
            }
            guard var line = split(trimmed, columns: columns) else { continue }
            line.partial = range.upperBound == text.count && endsCut
            lines.append(line)
        }
        return (lines, noRows)
    }

    /// Cells of one trimmed line, or nil for a Markdown rule.
    static func split(_ line: ArraySlice<UInt32>, columns: Int) -> Line? {
        func cut(_ pieces: [ArraySlice<UInt32>]) -> [[UInt32]] {
            var cells = pieces.prefix(maxCells).map { Array(PythonText.strip($0)) }
            while let last = cells.last, last.isEmpty, cells.count > 1 { cells.removeLast() }
            return cells
        }
        if line.contains(0x09) {
            return Line(cells: cut(line.split(separator: 0x09, omittingEmptySubsequences: false)), separator: .tab, partial: false)
        }
        if line.contains(0x7C) {
            var body = line
            if body.first == 0x7C { body = body.dropFirst() }
            if body.last == 0x7C { body = body.dropLast() }
            let pieces = body.split(separator: 0x7C, omittingEmptySubsequences: false)
            if pieces.allSatisfy({ isRule(PythonText.strip($0)) }) { return nil }
            return Line(cells: cut(pieces), separator: .pipe, partial: false)
        }
        if columns > 1 {
            var pieces: [ArraySlice<UInt32>] = []
            var start = line.startIndex
            var i = line.startIndex
            while i < line.endIndex {
                if line[i] == 0x20, i + 1 < line.endIndex, line[i + 1] == 0x20 {
                    pieces.append(line[start..<i])
                    while i < line.endIndex, line[i] == 0x20 { i += 1 }
                    start = i
                } else {
                    i += 1
                }
            }
            pieces.append(line[start..<line.endIndex])
            if pieces.count > 1 { return Line(cells: cut(pieces), separator: .spaces, partial: false) }
        }
        return Line(cells: [Array(line)], separator: .none, partial: false)
    }

    static func isRule(_ cell: ArraySlice<UInt32>) -> Bool {
        var body = cell
        if body.first == 0x3A { body = body.dropFirst() }
        if body.last == 0x3A { body = body.dropLast() }
        return !body.isEmpty && body.allSatisfy { $0 == 0x2D }
    }

    /// `no rows`, `No rows.`, `**no rows**`, `"no rows"`.
    static func isNoRows(_ cell: [UInt32]) -> Bool {
        guard cell.count <= 16 else { return false }
        let letters = PythonText.lower(cell).filter { ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x20 }
        return PythonText.strip(letters[...]).elementsEqual([0x6E, 0x6F, 0x20, 0x72, 0x6F, 0x77, 0x73])  // "no rows"
    }

    // MARK: Cells

    /// Emphasis, backticks and quotes around a cell.
    static func unwrap(_ cell: [UInt32]) -> ArraySlice<UInt32> {
        var v = PythonText.strip(cell[...])
        func wrapper(_ c: UInt32) -> Bool { c == 0x2A || c == 0x60 || c == 0x22 || c == 0x27 || c == 0x5F }  // * ` " ' _
        while let first = v.first, wrapper(first) { v = PythonText.strip(v.dropFirst()) }
        while let last = v.last, wrapper(last) { v = PythonText.strip(v.dropLast()) }
        return v
    }

    /// A header cell as a column name: lowercased, unwrapped, a `table.` prefix dropped, spaces and hyphens as `_`.
    static func headerName(_ cell: [UInt32]) -> [UInt32] {
        var v = Array(PythonText.lower(Array(unwrap(cell))))
        if let dot = v.lastIndex(of: 0x2E), dot + 1 < v.count { v = Array(v[(dot + 1)...]) }
        var out: [UInt32] = []
        for c in v {
            let mapped: UInt32 = (c == 0x20 || c == 0x2D || PythonText.isSpace(c)) ? 0x5F : c
            if mapped == 0x5F, out.last == 0x5F { continue }
            out.append(mapped)
        }
        return out
    }

    /// A text cell for comparison: unwrapped, lowercased, whitespace runs as one space, a leading "the " and a
    /// final "." dropped.
    static func normalizedText(_ cell: [UInt32]) -> [UInt32] {
        let lowered = PythonText.lower(Array(unwrap(cell)))
        var out: [UInt32] = []
        for piece in PythonText.split(lowered) {
            if !out.isEmpty { out.append(0x20) }
            out.append(contentsOf: piece)
        }
        if out.last == 0x2E { out.removeLast() }
        let the: [UInt32] = [0x74, 0x68, 0x65, 0x20]
        if out.count > 4, out.starts(with: the) { out.removeFirst(4) }
        return out
    }

    /// The one number a cell holds, or nil when it holds none or several.
    static func singleNumber(_ cell: [UInt32]) -> Double? {
        guard cell.count <= 256 else { return nil }
        let numbers = extractNumbers(PythonText.string(cell))
        return numbers.count == 1 ? numbers[0].value : nil
    }

    /// Length of the longest strictly increasing subsequence (patience sorting, n log n).
    static func longestIncreasing(_ values: [Int]) -> Int {
        var tails: [Int] = []
        for v in values {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if tails[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            if lo == tails.count { tails.append(v) } else { tails[lo] = v }
        }
        return tails.count
    }
}
