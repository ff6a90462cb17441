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

extension Substring {
    /// Without leading and trailing ASCII whitespace.
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}
