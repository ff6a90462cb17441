import FathomCore

/// Bounded text handling for LongProc scorers. Model output is hostile: these work on UTF-8 bytes in one pass,
/// never build more than they compare, and never evaluate anything.
enum ProcText {
    /// Lines of `text` (split on "\n", a trailing "\r" dropped), lazily.
    struct Lines: Sequence, IteratorProtocol {
        let text: Substring
        var index: Substring.UTF8View.Index
        var done = false

        init(_ text: Substring) {
            self.text = text
            index = text.utf8.startIndex
        }

        mutating func next() -> Substring? {
            guard !done else { return nil }
            let utf8 = text.utf8
            let start = index
            var i = start
            while i < utf8.endIndex && utf8[i] != 0x0A { i = utf8.index(after: i) }
            var end = i
            if i == utf8.endIndex { done = true } else { index = utf8.index(after: i) }
            if end > start, utf8[utf8.index(before: end)] == 0x0D { end = utf8.index(before: end) }
            return text[start..<end]
        }
    }

    /// A line with ASCII whitespace trimmed and inner runs collapsed to one space, as bytes.
    static func squeezed(_ line: Substring) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.utf8.count)
        var pendingSpace = false
        for byte in line.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return out
    }

    /// Byte offset of the last occurrence of `needle` in `haystack[from...]`, or nil.
    static func lastIndex(of needle: [UInt8], in haystack: [UInt8], before limit: Int? = nil) -> Int? {
        let end = min(limit ?? haystack.count, haystack.count)
        guard !needle.isEmpty, end >= needle.count else { return nil }
        var i = end - needle.count
        while i >= 0 {
            if haystack[i] == needle[0] {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i -= 1
        }
        return nil
    }

    /// Byte offset of the first occurrence of `needle` in `haystack`, or nil.
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0] {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The text between the last complete `open`…`close` pair; when the last `open` has no `close` after it (an
    /// output cut at max_tokens), the text after it to the end. Nil when `open` never appears.
    static func lastBlock(_ text: String, open: String, close: String) -> (body: Substring, complete: Bool)? {
        let bytes = Array(text.utf8)
        let openBytes = Array(open.utf8), closeBytes = Array(close.utf8)
        guard let lastOpen = lastIndex(of: openBytes, in: bytes) else { return nil }
        let utf8 = text.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        if let closeAt = lastIndex(of: closeBytes, in: bytes), let start = lastIndex(of: openBytes, in: bytes, before: closeAt) {
            // The last complete block (an unclosed opening tag after it is ignored).
            return (text[index(start + openBytes.count)..<index(closeAt)], true)
        }
        return (text[index(lastOpen + openBytes.count)...], false)
    }
}

/// How an output's trace compares with the reference trace, line by line.
///
/// Partial credit is the number of lines before the first divergence over the reference's lines: 0 when line 1 is
/// wrong, 1 only for an identical trace. Lines after a complete correct trace are not rewarded: any output that is
/// not identical scores at most (n − 1)/n, so a right trace followed by junk, or one that never stops, is never a 1.
struct TraceMatch: Sendable, Hashable {
    var referenceLines: Int
    /// Output lines compared (at most one past the reference).
    var outputLines: Int
    /// Lines equal to the reference before the first divergence.
    var matchedLines: Int
    /// 0-based line of the first divergence (a missing or extra line counts), nil when identical.
    var firstDivergence: Int?

    var identical: Bool { firstDivergence == nil }

    var partial: Double {
        guard referenceLines > 0 else { return identical ? 1 : 0 }
        if identical { return 1 }
        return Double(min(matchedLines, referenceLines - 1)) / Double(referenceLines)
    }

    /// Compares `output` lines (in order, already in the compared form) with `reference` lines. Only the first
    /// `reference.count + 1` output lines are looked at.
    static func compare<S: Sequence>(output: S, reference: [[UInt8]]) -> TraceMatch where S.Element == [UInt8] {
        var iterator = output.makeIterator()
        var matched = 0
        for (i, expected) in reference.enumerated() {
            guard let line = iterator.next() else {
                return TraceMatch(referenceLines: reference.count, outputLines: i, matchedLines: matched, firstDivergence: i)
            }
            if line != expected {
                return TraceMatch(referenceLines: reference.count, outputLines: i + 1, matchedLines: matched, firstDivergence: i)
            }
            matched += 1
        }
        if iterator.next() != nil {
            return TraceMatch(
                referenceLines: reference.count, outputLines: reference.count + 1, matchedLines: matched, firstDivergence: reference.count)
        }
        return TraceMatch(referenceLines: reference.count, outputLines: reference.count, matchedLines: matched, firstDivergence: nil)
    }

    /// The non-blank lines of `text`, whitespace-squeezed, lazily.
    static func squeezedLines(_ text: Substring) -> LazyFilterSequence<LazyMapSequence<ProcText.Lines, [UInt8]>> {
        ProcText.Lines(text).lazy.map(ProcText.squeezed).filter { !$0.isEmpty }
    }

    /// The record for `Score.details`.
    var details: [String: JSONValue] {
        [
            "reference_lines": .int(referenceLines), "matched_lines": .int(matchedLines),
            "first_divergence_line": firstDivergence.map { .int($0) } ?? .null,
            "first_divergence_fraction": firstDivergence.map { .double(Double($0) / Double(max(1, referenceLines))) } ?? .null,
        ]
    }
}

/// The most of an answer a LongProc scorer reads: 1 MiB of UTF-8, twenty times a 10,000-token answer. A server
/// that ignores max_tokens can send more; the rest is not parsed, and the score's details say so.
enum ProcAnswer {
    static let maxBytes = 1 << 20

    /// The answer's text, cut at `maxBytes` (on a scalar boundary), and whether it was cut.
    static func text(_ response: ModelResponse) -> (text: String, capped: Bool) {
        let utf8 = response.text.utf8
        guard utf8.count > maxBytes else { return (response.text, false) }
        var end = utf8.index(utf8.startIndex, offsetBy: maxBytes)
        while end > utf8.startIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        return (String(response.text[..<end]), true)
    }
}

/// What every LongProc score carries besides its own metrics: whether the output was cut at max_tokens (counted
/// apart from wrong answers, as the `truncated` metric and in the details) and whether the answer block was found.
enum ProcScore {
    static func make(
        value: Double, metrics: [String: Double], response: ModelResponse, extracted: Bool, details: [String: JSONValue]
    ) -> Score {
        var metrics = metrics
        metrics["truncated"] = response.isTruncated ? 1 : 0
        metrics["extraction_rate"] = extracted ? 1 : 0
        var details = details
        details["truncated"] = .bool(response.isTruncated)
        details["finish_reason"] = response.finishReason.map { .string($0) } ?? .null
        details["extracted"] = .bool(extracted)
        if response.text.utf8.count > ProcAnswer.maxBytes { details["answer_capped_at_bytes"] = .int(ProcAnswer.maxBytes) }
        return Score(value: value, metrics: metrics, details: .object(details))
    }
}
