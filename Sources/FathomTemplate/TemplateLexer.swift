import FathomCore

enum TokenKind: Equatable {
    case data(String)
    case variableBegin, variableEnd, blockBegin, blockEnd
    case name(String)
    case string(String)
    case integer(Int)
    case float(Double)
    case op(String)
    case eof
}

struct Token {
    let kind: TokenKind
    let line: Int
    let column: Int
}

/// Splits a template into tokens as jinja2's lexer does with `trim_blocks=True, lstrip_blocks=True`:
/// newlines normalized and one trailing newline dropped, `-`/`+` whitespace control, raw blocks, comments,
/// and delimiter balancing inside tags.
struct TemplateLexer {
    let src: [UInt8]
    private var lineStarts: [Int] = [0]
    private var tokens: [Token] = []
    var pos = 0
    private var lineStarting = true
    /// The last located offset, so columns are counted incrementally along long lines.
    private var lastLocation = (offset: 0, line: 1, column: 1)

    init(source: String) {
        // Normalize \r\n and \r to \n, then drop one trailing newline (keep_trailing_newline=False).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.utf8.count)
        var prevCR = false
        for b in source.utf8 {
            if b == 0x0D {
                bytes.append(0x0A)
                prevCR = true
                continue
            }
            if b == 0x0A && prevCR {
                prevCR = false
                continue
            }
            prevCR = false
            bytes.append(b)
        }
        if bytes.last == 0x0A { bytes.removeLast() }
        src = bytes
        for (i, b) in src.enumerated() where b == 0x0A { lineStarts.append(i + 1) }
    }

    /// The normalized source as a string.
    var normalizedSource: String { String(decoding: src, as: UTF8.self) }

    func location(_ offset: Int) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var col = 1
        var i = lineStarts[lo]
        while i < offset && i < src.count {
            if src[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        if i < offset { col += offset - i }
        return (lo + 1, col)
    }

    func error(_ message: String, at offset: Int) -> FathomError {
        let (l, c) = location(offset)
        return FathomError(.parse, "line \(l), column \(c): \(message)", line: l)
    }

    mutating func emit(_ kind: TokenKind, at offset: Int) {
        var (line, column) = (0, 0)
        if offset >= lastLocation.offset, !src[lastLocation.offset..<offset].contains(0x0A) {
            line = lastLocation.line
            column = lastLocation.column
            for i in lastLocation.offset..<offset where src[i] & 0xC0 != 0x80 { column += 1 }
        } else {
            (line, column) = location(offset)
        }
        lastLocation = (offset, line, column)
        tokens.append(Token(kind: kind, line: line, column: column))
    }

    mutating func tokenize() throws(FathomError) -> [Token] {
        while pos < src.count {
            guard let open = findOpen(from: pos) else {
                emit(.data(text(pos, src.count)), at: pos)
                pos = src.count
                break
            }
            try lexTag(at: open)
        }
        emit(.eof, at: src.count)
        return tokens
    }

    /// The next `{{`, `{%` or `{#` at or after `from`.
    private func findOpen(from: Int) -> Int? {
        var i = from
        while i + 1 < src.count {
            if src[i] == 0x7B {
                let n = src[i + 1]
                if n == 0x7B || n == 0x25 || n == 0x23 { return i }
            }
            i += 1
        }
        return nil
    }

    func text(_ a: Int, _ b: Int) -> String { String(decoding: src[a..<b], as: UTF8.self) }

    /// Emits the data before a tag, applying `-` (rstrip) or lstrip_blocks.
    private mutating func emitData(_ start: Int, _ end: Int, sign: UInt8?, isVariable: Bool) {
        var stop = end
        if sign == 0x2D {
            while stop > start, let (u, len) = scalarBefore(stop, floor: start), PythonText.isSpace(u) { stop -= len }
        } else if sign != 0x2B && !isVariable {
            var lineStart = start
            var i = end
            while i > start {
                if src[i - 1] == 0x0A { lineStart = i; break }
                i -= 1
            }
            if (lineStart > start || lineStarting) && lineStart < end && allSpace(lineStart, end) { stop = lineStart }
        }
        if stop > start { emit(.data(text(start, stop)), at: start) }
    }

    private func allSpace(_ a: Int, _ b: Int) -> Bool {
        var i = a
        while i < b {
            guard let (u, len) = scalar(at: i), PythonText.isSpace(u) else { return false }
            i += len
        }
        return true
    }

    private mutating func lexTag(at open: Int) throws(FathomError) {
        let kind = src[open + 1]
        var i = open + 2
        var sign: UInt8?
        if i < src.count, src[i] == 0x2D || src[i] == 0x2B {
            sign = src[i]
            i += 1
        }
        if kind == 0x25, let rawEnd = matchRawBegin(at: i) {
            emitData(pos, open, sign: sign, isVariable: false)
            pos = rawEnd
            lineStarting = src[pos - 1] == 0x0A
            try lexRawBody()
            return
        }
        emitData(pos, open, sign: sign, isVariable: kind == 0x7B)
        pos = i
        switch kind {
        case 0x23: try lexComment(open: open)
        case 0x7B:
            emit(.variableBegin, at: open)
            try lexInside(block: false, open: open)
        default:
            emit(.blockBegin, at: open)
            try lexInside(block: true, open: open)
        }
        lineStarting = src[pos - 1] == 0x0A
    }

    /// `\s*raw\s*(-%}\s*|%})` after `{%[-+]?`; returns the end offset.
    private func matchRawBegin(at start: Int) -> Int? {
        var i = skipSpace(start)
        guard i + 3 <= src.count, src[i] == 0x72, src[i + 1] == 0x61, src[i + 2] == 0x77 else { return nil }
        i = skipSpace(i + 3)
        if i + 3 <= src.count, src[i] == 0x2D, src[i + 1] == 0x25, src[i + 2] == 0x7D { return skipSpace(i + 3) }
        if i + 2 <= src.count, src[i] == 0x25, src[i + 1] == 0x7D { return i + 2 }
        return nil
    }

    private mutating func lexRawBody() throws(FathomError) {
        var search = pos
        while let open = findOpen(from: search) {
            search = open + 1
            guard src[open + 1] == 0x25 else { continue }
            var i = open + 2
            var sign: UInt8?
            if i < src.count, src[i] == 0x2D || src[i] == 0x2B {
                sign = src[i]
                i += 1
            }
            i = skipSpace(i)
            guard i + 6 <= src.count, Array(src[i..<(i + 6)]) == Array("endraw".utf8) else { continue }
            i = skipSpace(i + 6)
            var end: Int
            if i + 3 <= src.count, src[i] == 0x2B, src[i + 1] == 0x25, src[i + 2] == 0x7D {
                end = i + 3
            } else if i + 3 <= src.count, src[i] == 0x2D, src[i + 1] == 0x25, src[i + 2] == 0x7D {
                end = skipSpace(i + 3)
            } else if i + 2 <= src.count, src[i] == 0x25, src[i + 1] == 0x7D {
                end = i + 2
                if end < src.count, src[end] == 0x0A { end += 1 }
            } else {
                continue
            }
            emitData(pos, open, sign: sign, isVariable: false)
            pos = end
            lineStarting = src[pos - 1] == 0x0A
            return
        }
        throw error("Missing end of raw directive", at: pos)
    }

    private mutating func lexComment(open: Int) throws(FathomError) {
        var i = pos
        while i + 1 < src.count {
            if src[i] == 0x23 && src[i + 1] == 0x7D {
                let signed = i > pos && (src[i - 1] == 0x2D || src[i - 1] == 0x2B)
                var end = i + 2
                if signed && src[i - 1] == 0x2D {
                    end = skipSpace(end)
                } else if !signed, end < src.count, src[end] == 0x0A {
                    end += 1
                }
                pos = end
                return
            }
            i += 1
        }
        throw error("Missing end of comment tag", at: open)
    }

    /// Tokens inside `{{ }}` or `{% %}` up to the matching end delimiter.
    private mutating func lexInside(block: Bool, open: Int) throws(FathomError) {
        var balance: [UInt8] = []
        let close: UInt8 = block ? 0x25 : 0x7D
        while true {
            if pos >= src.count {
                throw error("unexpected end of template, expected '\(block ? "end of statement block" : "end of print statement")'.", at: open)
            }
            let c = src[pos]
            if balance.isEmpty {
                if block, c == 0x2B, pos + 2 < src.count, src[pos + 1] == close, src[pos + 2] == 0x7D {
                    emit(.blockEnd, at: pos)
                    pos += 3
                    return
                }
                if c == 0x2D, pos + 2 < src.count, src[pos + 1] == close, src[pos + 2] == 0x7D {
                    emit(block ? .blockEnd : .variableEnd, at: pos)
                    pos = skipSpace(pos + 3)
                    return
                }
                if c == close, pos + 1 < src.count, src[pos + 1] == 0x7D {
                    emit(block ? .blockEnd : .variableEnd, at: pos)
                    pos += 2
                    if block, pos < src.count, src[pos] == 0x0A { pos += 1 }
                    return
                }
            }
            if c == 0x20 || c == 0x0A {
                pos += 1
                continue
            }
            if let (u, len) = scalar(at: pos), PythonText.isSpace(u) {
                pos += len
                continue
            }
            if isDigit(c) {
                try lexNumber()
                continue
            }
            if isNameStart(at: pos) {
                let start = pos
                pos += 1
                while pos < src.count {
                    let b = src[pos]
                    if b < 0x80 {
                        guard b == 0x5F || isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) else { break }
                        pos += 1
                    } else if let (v, len) = scalar(at: pos), v.properties.isXIDContinue {
                        pos += len
                    } else {
                        break
                    }
                }
                emit(.name(text(start, pos)), at: start)
                continue
            }
            if c == 0x27 || c == 0x22 {
                try lexString()
                continue
            }
            try lexOperator(&balance)
        }
    }

    private static let operators1: Set<UInt8> = Set("+-/*%~[](){}><=.:|,;".utf8)

    private func isNameStart(at i: Int) -> Bool {
        let b = src[i]
        if b < 0x80 { return b == 0x5F || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) }
        guard let (u, _) = scalar(at: i) else { return false }
        return u.properties.isXIDStart
    }

    private mutating func lexOperator(_ balance: inout [UInt8]) throws(FathomError) {
        let start = pos
        if pos + 1 < src.count {
            let a = src[pos], b = src[pos + 1]
            let two = (a == 0x2F && b == 0x2F) || (a == 0x2A && b == 0x2A) || (b == 0x3D && (a == 0x3D || a == 0x21 || a == 0x3E || a == 0x3C))
            if two {
                emit(.op(text(pos, pos + 2)), at: start)
                pos += 2
                return
            }
        }
        let c = src[pos]
        guard Self.operators1.contains(c) else {
            let (u, _) = scalar(at: pos) ?? ("?", 1)
            throw error("unexpected char \(Py.stringRepr(String(u)))", at: start)
        }
        switch c {
        case 0x7B: balance.append(0x7D)
        case 0x28: balance.append(0x29)
        case 0x5B: balance.append(0x5D)
        case 0x7D, 0x29, 0x5D:
            guard let expected = balance.popLast() else { throw error("unexpected '\(Character(Unicode.Scalar(c)))'", at: start) }
            if expected != c {
                throw error("unexpected '\(Character(Unicode.Scalar(c)))', expected '\(Character(Unicode.Scalar(expected)))'", at: start)
            }
        default: break
        }
        emit(.op(String(Character(Unicode.Scalar(c)))), at: start)
        pos += 1
    }

    // MARK: UTF-8 helpers

    private func skipSpace(_ from: Int) -> Int {
        var i = from
        while let (u, len) = scalar(at: i), PythonText.isSpace(u) { i += len }
        return i
    }

    func scalar(at i: Int) -> (Unicode.Scalar, Int)? {
        guard i < src.count else { return nil }
        let b0 = src[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let len = b0 >= 0xF0 ? 4 : (b0 >= 0xE0 ? 3 : 2)
        guard i + len <= src.count else { return nil }
        var v = UInt32(b0) & (len == 2 ? 0x1F : (len == 3 ? 0x0F : 0x07))
        for k in 1..<len { v = (v << 6) | (UInt32(src[i + k]) & 0x3F) }
        return Unicode.Scalar(v).map { ($0, len) }
    }

    private func scalarBefore(_ end: Int, floor: Int) -> (Unicode.Scalar, Int)? {
        var i = end - 1
        while i > floor, src[i] & 0xC0 == 0x80 { i -= 1 }
        guard i >= floor, let (u, len) = scalar(at: i), i + len == end else { return nil }
        return (u, len)
    }
}
