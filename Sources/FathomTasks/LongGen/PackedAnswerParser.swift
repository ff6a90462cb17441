import FathomCore

/// Reads a packed answer (`Answer_<id>: … The answer is X.` blocks, LongGenBench's format) by id, on UTF-8 bytes,
/// in time linear in the output (at most `byteLimit` bytes are read; the plugin allows 16 bytes per token of the
/// sample's budget, at least 1 MB, which no real answer reaches).
///
/// **Blocks.** A header is `Answer_` (any case) and 1–9 digits, not preceded by a letter or digit, then optional
/// markdown (`*`, `_`, `` ` ``, spaces) and a colon (`:` or `：`): `Answer_9:`, `**Answer_9:**`, `### Answer_9 :`,
/// `Answer_9: 18` on one line. Without a colon it is a header only alone on its line (`**Answer_9**`). A block
/// runs from its header to the next header, so answers may come in any order. Ids the prompt did not ask (the
/// examples' ids) end the previous block and are otherwise ignored.
///
/// **Per asked id.** No block: `missing`. Two or more blocks: `duplicated` (wrong, whatever they say). One block:
/// its answer is read as below; none readable: `unparseable`. When the prompt asks one question and the output
/// has no header for it at all, the whole output is its block (a single question needs no label).
///
/// **The answer in a block.** After the block's last "answer is" (any case: "The answer is", "the final answer
/// is"), on the rest of that line: for numbers, the first number (`-`, digits, `1,200`, `15.0`; a non-zero
/// fraction is kept and can only be wrong); for choices, the first option letter standing alone (`(B)`, `B.`,
/// `**B**`; lowercase only in parentheses; `A` before a lowercase word is the article), else an option's text
/// (`The answer is Calmouth.`). Without "answer
/// is": for numbers, the block's last number (GSM8K's usual rule); for choices, the last `(X)`, else a letter
/// that opens the block and stands alone (`Answer_9: B`, `B) Calmouth`), else a block that is exactly an option's
/// text. **Truncation:** when the output stopped at max_tokens, the block being written when it was cut counts
/// only through a complete "answer is" answer (followed by at least one more character); everything after the cut
/// is missing.
public struct PackedAnswerParser: Sendable {
    /// What an answer is: an integer, or the letter of one of the item's options (A, B, C…).
    public enum Kind: Sendable, Hashable {
        case number, choice
    }

    /// An asked item: its id, gold answer (canonical digits, or the option letter) and options (choices only).
    public struct Item: Sendable, Hashable {
        public var id: Int
        public var gold: String
        public var options: [String]
        public init(id: Int, gold: String, options: [String] = []) {
            self.id = id
            self.gold = gold
            self.options = options
        }
    }

    public var kind: Kind
    /// Outputs longer than this are read up to it, as if cut there (a K=70 answer is about 20 KB).
    public var byteLimit: Int

    /// A parser for `kind` that reads at most `byteLimit` bytes (default 1 MB).
    public init(kind: Kind, byteLimit: Int = 1 << 20) {
        self.kind = kind
        self.byteLimit = byteLimit
    }

    /// The outcome of every item (in the given order) and the id of the last answer in output order. `truncated`:
    /// the output stopped at max_tokens (an output longer than `byteLimit` is read as if cut there).
    public func score(_ text: String, items: [Item], truncated: Bool) -> (outcomes: [ItemScores.Outcome], lastID: Int?) {
        let bytes = Array(text.utf8.prefix(byteLimit))
        let truncatedOutput = truncated || text.utf8.count > byteLimit
        let asked = Dictionary(items.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
        var headers = Self.headers(bytes)
        var lastID: Int?
        var blocksByItem = [[Range<Int>]](repeating: [], count: items.count)
        if items.count == 1, !headers.contains(where: { asked[$0.id] != nil }) {
            // One question asked and never labelled: the whole output answers it.
            headers = []
            if !bytes.isEmpty { blocksByItem[0] = [0..<bytes.count] }
        }
        for (h, header) in headers.enumerated() {
            guard let position = asked[header.id] else { continue }
            let end = h + 1 < headers.count ? headers[h + 1].start : bytes.count
            blocksByItem[position].append(header.bodyStart..<end)
            lastID = header.id
        }
        if lastID == nil, items.count == 1, !blocksByItem[0].isEmpty { lastID = items[0].id }
        var outcomes: [ItemScores.Outcome] = []
        outcomes.reserveCapacity(items.count)
        for (position, item) in items.enumerated() {
            let blocks = blocksByItem[position]
            guard !blocks.isEmpty else {
                outcomes.append(.missing)
                continue
            }
            guard blocks.count == 1 else {
                outcomes.append(.duplicated)
                continue
            }
            let block = blocks[0]
            let cut = truncatedOutput && block.upperBound == bytes.count
            guard let answer = read(bytes, block, cut: cut, options: item.options) else {
                outcomes.append(cut ? .missing : .unparseable)
                continue
            }
            outcomes.append(answer == item.gold ? .correct : .wrong)
        }
        return (outcomes, lastID)
    }

    // MARK: Headers

    struct Header {
        var id: Int
        /// Offset of the header's first byte (`A` of `Answer_`).
        var start: Int
        /// Offset of the block's text after the header.
        var bodyStart: Int
    }

    static func isLetterOrDigit(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) }
    static func isMarkdown(_ b: UInt8) -> Bool { b == 0x2A || b == 0x5F || b == 0x60 || b == 0x20 || b == 0x09 }
    static let answerWord: [UInt8] = Array("answer_".utf8)

    /// Every header, in output order.
    static func headers(_ bytes: [UInt8]) -> [Header] {
        var out: [Header] = []
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            // Find "answer_" case-insensitively, starting at a byte that is not preceded by a letter or digit.
            guard bytes[i] | 0x20 == 0x61, i == 0 || !isLetterOrDigit(bytes[i - 1]) else {
                i += 1
                continue
            }
            var j = 1
            while j < 7, i + j < n, (j == 6 ? bytes[i + j] : bytes[i + j] | 0x20) == answerWord[j] { j += 1 }
            guard j == 7 else {
                i += 1
                continue
            }
            var k = i + 7
            var id = 0
            var digits = 0
            while k < n, bytes[k] >= 0x30, bytes[k] <= 0x39, digits < 10 {
                id = id * 10 + Int(bytes[k] - 0x30)
                digits += 1
                k += 1
            }
            guard digits >= 1, digits <= 9, k == n || !isLetterOrDigit(bytes[k]) else {
                i = max(k, i + 1)
                continue
            }
            var m = k
            while m < n, isMarkdown(bytes[m]) { m += 1 }
            if m < n, bytes[m] == 0x3A {
                out.append(Header(id: id, start: i, bodyStart: m + 1))
                i = m + 1
            } else if m + 2 < n, bytes[m] == 0xEF, bytes[m + 1] == 0xBC, bytes[m + 2] == 0x9A {
                out.append(Header(id: id, start: i, bodyStart: m + 3))
                i = m + 3
            } else if (m == n || bytes[m] == 0x0A || bytes[m] == 0x0D), aloneOnLine(bytes, before: i) {
                out.append(Header(id: id, start: i, bodyStart: m))
                i = m
            } else {
                i = k
            }
        }
        return out
    }

    /// Whether only markdown (spaces, `#`, `*`, `_`, `>`, `-`) precedes offset `i` on its line (looking back at most
    /// 16 bytes).
    static func aloneOnLine(_ bytes: [UInt8], before i: Int) -> Bool {
        var p = i - 1
        while p >= 0, i - p <= 16 {
            switch bytes[p] {
            case 0x0A, 0x0D: return true
            case 0x20, 0x09, 0x23, 0x2A, 0x5F, 0x3E, 0x2D: p -= 1
            default: return false
            }
        }
        return p < 0
    }

    // MARK: Answers

    /// The answer a block gives: canonical digits (with `-` and a kept fraction) or an option letter; nil when none
    /// can be read. `cut`: the block was being written when the output stopped, so only a complete "answer is"
    /// answer counts.
    func read(_ bytes: [UInt8], _ block: Range<Int>, cut: Bool, options: [String]) -> String? {
        let after = Self.afterLastAnswerIs(bytes, block)
        switch kind {
        case .number:
            if let start = after {
                let line = start..<Self.lineEnd(bytes, from: start, limit: block.upperBound)
                if let number = Self.firstNumber(bytes, line), !cut || number.end < bytes.count { return number.value }
                return nil
            }
            return cut ? nil : Self.lastNumber(bytes, block)
        case .choice:
            if let start = after {
                let line = start..<Self.lineEnd(bytes, from: start, limit: block.upperBound)
                if let letter = Self.standaloneLetter(bytes, line, count: options.count), !cut || letter.end < bytes.count {
                    return letter.value
                }
                if let match = Self.optionText(bytes, line, options: options, whole: false), !cut || match.end < bytes.count {
                    return match.value
                }
                return nil
            }
            guard !cut else { return nil }
            if let letter = Self.lastParenthesizedLetter(bytes, block, count: options.count) { return letter }
            if let letter = Self.leadingLetter(bytes, block, count: options.count) { return letter }
            return Self.optionText(bytes, block, options: options, whole: true)?.value
        }
    }

    static let answerIs: [UInt8] = Array("answer is".utf8)

    /// Offset just after the last "answer is" (any case, not preceded by a letter) in the block.
    static func afterLastAnswerIs(_ bytes: [UInt8], _ block: Range<Int>) -> Int? {
        let m = answerIs.count
        guard block.count >= m else { return nil }
        var i = block.upperBound - m
        while i >= block.lowerBound {
            if bytes[i] | 0x20 == 0x61, i == 0 || !isLetterOrDigit(bytes[i - 1]) {
                var j = 1
                while j < m, (answerIs[j] == 0x20 ? bytes[i + j] == 0x20 : bytes[i + j] | 0x20 == answerIs[j]) { j += 1 }
                if j == m { return i + m }
            }
            i -= 1
        }
        return nil
    }

    /// The end of the line starting at `from` (a newline, `limit`, or 200 bytes on).
    static func lineEnd(_ bytes: [UInt8], from: Int, limit: Int) -> Int {
        var i = from
        let stop = min(limit, from + 200)
        while i < stop, bytes[i] != 0x0A { i += 1 }
        return i
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The number starting at `i` (a digit): canonical text (no commas or leading zeros; a zero fraction dropped)
    /// and the offset after it. Capped at 40 digits.
    static func number(_ bytes: [UInt8], at start: Int, limit: Int, negative: Bool) -> (value: String, end: Int) {
        var digits: [UInt8] = []
        var i = start
        while i < limit, digits.count < 40 {
            if isDigit(bytes[i]) {
                digits.append(bytes[i])
                i += 1
            } else if bytes[i] == 0x2C, !digits.isEmpty, i + 3 < limit, isDigit(bytes[i + 1]), isDigit(bytes[i + 2]), isDigit(bytes[i + 3]),
                i + 4 >= limit || !isDigit(bytes[i + 4])
            {
                i += 1  // a thousands separator: exactly three digits follow
            } else {
                break
            }
        }
        var fraction: [UInt8] = []
        if i + 1 < limit, bytes[i] == 0x2E, isDigit(bytes[i + 1]) {
            var k = i + 1
            while k < limit, isDigit(bytes[k]), fraction.count < 40 {
                fraction.append(bytes[k])
                k += 1
            }
            i = k
        }
        while digits.count > 1, digits[0] == 0x30 { digits.removeFirst() }
        while fraction.last == 0x30 { fraction.removeLast() }
        var text = String(decoding: digits, as: UTF8.self)
        if !fraction.isEmpty { text += "." + String(decoding: fraction, as: UTF8.self) }
        if negative && text != "0" { text = "-" + text }
        return (text, i)
    }

    /// Whether a minus sign (`-` or U+2212) ends at offset `i` (exclusive), right before a digit.
    static func minus(before i: Int, _ bytes: [UInt8], from lower: Int) -> Bool {
        if i - 1 >= lower, bytes[i - 1] == 0x2D { return i - 2 < lower || !isDigit(bytes[i - 2]) }
        if i - 3 >= lower, bytes[i - 3] == 0xE2, bytes[i - 2] == 0x88, bytes[i - 1] == 0x92 { return true }
        return false
    }

    /// The first number in `range`.
    static func firstNumber(_ bytes: [UInt8], _ range: Range<Int>) -> (value: String, end: Int)? {
        var i = range.lowerBound
        while i < range.upperBound {
            if isDigit(bytes[i]) {
                return number(bytes, at: i, limit: range.upperBound, negative: minus(before: i, bytes, from: range.lowerBound))
            }
            i += 1
        }
        return nil
    }

    /// The last number in `range`.
    static func lastNumber(_ bytes: [UInt8], _ range: Range<Int>) -> String? {
        var i = range.lowerBound
        var last: String?
        while i < range.upperBound {
            if isDigit(bytes[i]) {
                let found = number(bytes, at: i, limit: range.upperBound, negative: minus(before: i, bytes, from: range.lowerBound))
                last = found.value
                i = max(found.end, i + 1)
                while i < range.upperBound, isDigit(bytes[i]) { i += 1 }  // the rest of a number longer than the cap
            } else {
                i += 1
            }
        }
        return last
    }

    static func letter(_ b: UInt8, count: Int, lowercase: Bool) -> String? {
        if b >= 0x41, b < 0x41 + UInt8(min(count, 26)) { return String(UnicodeScalar(b)) }
        if lowercase, b >= 0x61, b < 0x61 + UInt8(min(count, 26)) { return String(UnicodeScalar(b - 0x20)) }
        return nil
    }

    /// The first option letter in `range` that stands alone (no letter or digit on either side; an `A` followed by a
    /// lowercase word is the article); lowercase only between parentheses.
    static func standaloneLetter(_ bytes: [UInt8], _ range: Range<Int>, count: Int) -> (value: String, end: Int)? {
        for i in range {
            let before = i > range.lowerBound ? bytes[i - 1] : 0x20
            let after = i + 1 < bytes.count ? bytes[i + 1] : 0x20
            guard !isLetterOrDigit(before), i + 1 >= bytes.count || !isLetterOrDigit(after) else { continue }
            // "A pair of scissors": the article, not option A.
            if bytes[i] == 0x41, after == 0x20, i + 2 < range.upperBound, bytes[i + 2] >= 0x61, bytes[i + 2] <= 0x7A { continue }
            if let value = letter(bytes[i], count: count, lowercase: before == 0x28 && after == 0x29) { return (value, i + 1) }
        }
        return nil
    }

    /// The last `(X)` in `range` with X an option letter (either case).
    static func lastParenthesizedLetter(_ bytes: [UInt8], _ range: Range<Int>, count: Int) -> String? {
        var i = range.upperBound - 3
        while i >= range.lowerBound {
            if bytes[i] == 0x28, bytes[i + 2] == 0x29, let value = letter(bytes[i + 1], count: count, lowercase: true) { return value }
            i -= 1
        }
        return nil
    }

    /// A letter that opens the block (after spaces and markdown) and is followed by the end, a newline, `)`, `.`,
    /// `:` or markdown: `Answer_9: B`, `B) Calmouth`, `**B**`.
    static func leadingLetter(_ bytes: [UInt8], _ range: Range<Int>, count: Int) -> String? {
        var i = range.lowerBound
        while i < range.upperBound, isMarkdown(bytes[i]) || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x28 || bytes[i] == 0x23 {
            i += 1
        }
        guard i < range.upperBound, let value = letter(bytes[i], count: count, lowercase: false) else { return nil }
        let next = i + 1 < range.upperBound ? bytes[i + 1] : 0x0A
        return [0x0A, 0x0D, 0x29, 0x2E, 0x3A, 0x2A, 0x5F, 0x60].contains(next) ? value : nil
    }

    /// Lowercased ASCII letters, other bytes as they are.
    static func folded(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// An option whose text opens `range` (after spaces, markdown, quotes and `(`), followed by a non-letter; with
    /// `whole`, the option text must be all of the range but trailing punctuation and markdown. The longest wins.
    static func optionText(_ bytes: [UInt8], _ range: Range<Int>, options: [String], whole: Bool) -> (value: String, end: Int)? {
        var i = range.lowerBound
        while i < range.upperBound, isMarkdown(bytes[i]) || [0x0A, 0x0D, 0x3A, 0x22, 0x27, 0x28].contains(bytes[i]) { i += 1 }
        var best: (value: String, end: Int, length: Int)?
        for (o, option) in options.enumerated() {
            let text = Array(option.utf8)
            guard !text.isEmpty, i + text.count <= range.upperBound else { continue }
            guard (0..<text.count).allSatisfy({ folded(bytes[i + $0]) == folded(text[$0]) }) else { continue }
            let end = i + text.count
            if end < range.upperBound, isLetterOrDigit(bytes[end]) { continue }
            if whole {
                var k = end
                while k < range.upperBound, isMarkdown(bytes[k]) || [0x0A, 0x0D, 0x2E, 0x21, 0x22, 0x27, 0x29].contains(bytes[k]) { k += 1 }
                guard k == range.upperBound else { continue }
            }
            if best == nil || text.count > best!.length { best = (String(UnicodeScalar(UInt8(0x41 + o))), end, text.count) }
        }
        return best.map { ($0.value, $0.end) }
    }
}
