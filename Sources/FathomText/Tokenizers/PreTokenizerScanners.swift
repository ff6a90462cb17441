/// Byte-level state machines equivalent to the split regexes of the known byte-level BPE tokenizers.
///
/// Each scanner returns the end of the regex match that starts at a position (the patterns match every
/// character, so consecutive matches tile the text, as in HF `Split(..., Isolated)` and tiktoken's `find_iter`).
/// They work on valid UTF-8 (Swift `String` guarantees it) and use a 64 K table of character classes for the
/// BMP; astral characters are classified on the fly.

/// Character class bits.
enum CharClass {
    static let letter: UInt8 = 1  // \p{L}
    static let number: UInt8 = 2  // \p{N}
    static let space: UInt8 = 4  // \s (White_Space)
    static let upperish: UInt8 = 8  // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    static let lowerish: UInt8 = 16  // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    static let alnum: UInt8 = letter | number

    static func compute(_ scalar: Unicode.Scalar) -> UInt8 {
        let props = scalar.properties
        var c: UInt8 = props.isWhitespace ? space : 0
        switch props.generalCategory {
        case .uppercaseLetter, .titlecaseLetter: c |= letter | upperish
        case .lowercaseLetter: c |= letter | lowerish
        case .modifierLetter, .otherLetter: c |= letter | upperish | lowerish
        case .nonspacingMark, .spacingMark, .enclosingMark: c |= upperish | lowerish
        case .decimalNumber, .letterNumber, .otherNumber: c |= number
        default: break
        }
        return c
    }
}

/// Process-wide table of character classes for U+0000...U+FFFF (built once, never freed).
final class CharClassTable: @unchecked Sendable {
    static let shared = CharClassTable()
    let bmp: UnsafeMutablePointer<UInt8>

    private init() {
        bmp = .allocate(capacity: 0x10000)
        for v in 0..<0x10000 {
            if let s = Unicode.Scalar(UInt32(v)) { bmp[v] = CharClass.compute(s) } else { bmp[v] = 0 }
        }
    }

    /// Class of the scalar `v` (any plane).
    @inline(__always) func classOf(_ v: UInt32) -> UInt8 {
        if v < 0x10000 { return bmp[Int(v)] }
        return CharClass.compute(Unicode.Scalar(v) ?? "\u{FFFD}")
    }
}

/// The split patterns we recognise, by their exact regex strings.
enum SplitPattern: String, Sendable, CaseIterable {
    /// GPT-2 (`ByteLevel(use_regex: true)`, tiktoken r50k/p50k).
    case gpt2
    /// cl100k as written by Llama-3 `tokenizer.json` (and older tiktoken).
    case llama3
    /// cl100k as written by current tiktoken (possessive; `\s++$` keeps trailing whitespace together).
    case cl100k
    /// Qwen2: the Llama-3 pattern with single digits.
    case qwen2
    /// o200k (GPT-4o).
    case o200k

    static let knownRegexes: [String: SplitPattern] = [
        #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#: .gpt2,
        #"'(?:[sdmt]|ll|ve|re)| ?\p{L}++| ?\p{N}++| ?[^\s\p{L}\p{N}]++|\s++$|\s+(?!\S)|\s"#: .gpt2,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: .llama3,
        #"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#: .cl100k,
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#: .qwen2,
        [
            #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
            #"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
            #"\p{N}{1,3}"#,
            #" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
            #"\s*[\r\n]+"#,
            #"\s+(?!\S)"#,
            #"\s+"#,
        ].joined(separator: "|"): .o200k,
    ]

    /// Splits `bytes` (valid UTF-8) into piece lengths; used by tests and the generic pipeline.
    func pieceLengths(_ bytes: [UInt8]) -> [Int] {
        var out: [Int] = []
        bytes.withUnsafeBufferPointer { buf in
            guard let p = buf.baseAddress else { return }
            let scanner = PieceScanner(pattern: self, p: p, n: buf.count)
            var i = 0
            while i < buf.count {
                let e = scanner.end(from: i)
                out.append(e - i)
                i = e
            }
        }
        return out
    }
}

/// Finds piece boundaries for one `SplitPattern` over a byte buffer `p[0..<n]`.
struct PieceScanner {
    let pattern: SplitPattern
    let p: UnsafePointer<UInt8>
    let n: Int
    let table: UnsafeMutablePointer<UInt8>

    init(pattern: SplitPattern, p: UnsafePointer<UInt8>, n: Int) {
        self.pattern = pattern
        self.p = p
        self.n = n
        self.table = CharClassTable.shared.bmp
    }

    /// Class and byte length of the character at `i`.
    @inline(__always) func char(_ i: Int) -> (cls: UInt8, len: Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (table[Int(b0)], 1) }
        if b0 < 0xE0 {
            let v = (UInt32(b0 & 0x1F) << 6) | UInt32(p[i + 1] & 0x3F)
            return (table[Int(v)], 2)
        }
        if b0 < 0xF0 {
            let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(p[i + 1] & 0x3F) << 6) | UInt32(p[i + 2] & 0x3F)
            return (table[Int(v)], 3)
        }
        let v = (UInt32(b0 & 0x07) << 18) | (UInt32(p[i + 1] & 0x3F) << 12) | (UInt32(p[i + 2] & 0x3F) << 6)
            | UInt32(p[i + 3] & 0x3F)
        return (CharClassTable.shared.classOf(v), 4)
    }

    @inline(__always) func end(from i: Int) -> Int {
        switch pattern {
        case .gpt2: return gpt2(i)
        case .llama3: return cl100k(i, maxDigits: 3, endRun: false)
        case .cl100k: return cl100k(i, maxDigits: 3, endRun: true)
        case .qwen2: return cl100k(i, maxDigits: 1, endRun: false)
        case .o200k: return o200k(i)
        }
    }

    /// Run of characters whose class has any bit of `mask` set (`want == true`) or none (`want == false`).
    @inline(__always) func run(_ i: Int, _ mask: UInt8, _ want: Bool) -> Int {
        var j = i
        while j < n {
            let b = p[j]
            if b < 0x80 {
                if ((table[Int(b)] & mask) != 0) != want { break }
                j += 1
            } else {
                let c = char(j)
                if ((c.cls & mask) != 0) != want { break }
                j += c.len
            }
        }
        return j
    }

    /// Contraction at `i` (`'s 't 're 've 'm 'll 'd`), returning its end or nil.
    @inline(__always) func contraction(_ i: Int, caseInsensitive: Bool) -> Int? {
        guard i + 1 < n, p[i] == UInt8(ascii: "'") else { return nil }
        let fold: UInt8 = caseInsensitive ? 0x20 : 0
        let c = p[i + 1] | fold
        if c == UInt8(ascii: "s") || c == UInt8(ascii: "t") || c == UInt8(ascii: "m") || c == UInt8(ascii: "d") {
            return i + 2
        }
        if caseInsensitive, i + 2 < n, p[i + 1] == 0xC5, p[i + 2] == 0xBF { return i + 3 }  // ſ folds to s
        guard i + 2 < n else { return nil }
        let d = p[i + 2] | fold
        if (c == UInt8(ascii: "r") && d == UInt8(ascii: "e")) || (c == UInt8(ascii: "v") && d == UInt8(ascii: "e"))
            || (c == UInt8(ascii: "l") && d == UInt8(ascii: "l")) {
            return i + 3
        }
        return nil
    }

    /// Whitespace alternatives starting at `i` (a whitespace character).
    /// `newline`: whether `\s*[\r\n]+` comes first; `endRun`: whether `\s++$` comes first.
    @inline(__always) func whitespace(_ i: Int, newline: Bool, endRun: Bool) -> Int {
        var j = i
        var lastStart = i
        var afterNewline = -1
        while j < n {
            let b = p[j]
            if b < 0x80 {
                if table[Int(b)] & CharClass.space == 0 { break }
                lastStart = j
                j += 1
                if b == 0x0A || b == 0x0D { afterNewline = j }
            } else {
                let c = char(j)
                if c.cls & CharClass.space == 0 { break }
                lastStart = j
                j += c.len
            }
        }
        if endRun && j == n { return j }
        if newline && afterNewline > 0 { return afterNewline }
        if j == n { return j }  // \s+(?!\S) at the end
        if lastStart > i { return lastStart }  // \s+(?!\S): all but the last whitespace character
        return j  // \s+ (a single character)
    }

    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    @inline(__always) func gpt2(_ i: Int) -> Int {
        if let e = contraction(i, caseInsensitive: false) { return e }
        var k = i
        var c = char(i)
        if p[i] == 0x20, i + 1 < n {
            let c2 = char(i + 1)
            if c2.cls & CharClass.space == 0 { k = i + 1; c = c2 }
        }
        if c.cls & CharClass.letter != 0 { return run(k + c.len, CharClass.letter, true) }
        if c.cls & CharClass.number != 0 { return run(k + c.len, CharClass.number, true) }
        if c.cls & CharClass.space == 0 {
            return run(k + c.len, CharClass.letter | CharClass.number | CharClass.space, false)
        }
        return whitespace(i, newline: false, endRun: false)
    }

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    @inline(__always) func cl100k(_ i: Int, maxDigits: Int, endRun: Bool) -> Int {
        if let e = contraction(i, caseInsensitive: true) { return e }
        let b = p[i]
        let c = char(i)
        if c.cls & CharClass.letter != 0 { return run(i + c.len, CharClass.letter, true) }
        if c.cls & CharClass.number == 0, b != 0x0A, b != 0x0D, i + c.len < n {
            let c2 = char(i + c.len)
            if c2.cls & CharClass.letter != 0 { return run(i + c.len + c2.len, CharClass.letter, true) }
        }
        if c.cls & CharClass.number != 0 {
            var j = i + c.len
            var count = 1
            while count < maxDigits, j < n {
                let d = char(j)
                if d.cls & CharClass.number == 0 { break }
                j += d.len
                count += 1
            }
            return j
        }
        let other = CharClass.letter | CharClass.number | CharClass.space
        var k = -1
        if c.cls & other == 0 {
            k = i + c.len
        } else if b == 0x20, i + 1 < n {
            let c2 = char(i + 1)
            if c2.cls & other == 0 { k = i + 1 + c2.len }
        }
        if k >= 0 {
            var j = run(k, other, false)
            while j < n, p[j] == 0x0A || p[j] == 0x0D { j += 1 }
            return j
        }
        return whitespace(i, newline: true, endRun: endRun)
    }

    // U* W+ (with backtracking of U* into W+) starting at `q`; nil when it cannot match.
    @inline(__always) func upperThenLower(_ q: Int) -> Int? {
        var k = q
        var lastBothEnd = -1
        while k < n {
            let c = char(k)
            if c.cls & CharClass.upperish == 0 { break }
            k += c.len
            if c.cls & CharClass.lowerish != 0 { lastBothEnd = k }
        }
        let e = run(k, CharClass.lowerish, true)
        if e > k { return e }
        return lastBothEnd > 0 ? lastBothEnd : nil
    }

    // U+ W* starting at `q`; nil when it cannot match.
    @inline(__always) func upperPlusLower(_ q: Int) -> Int? {
        let k = run(q, CharClass.upperish, true)
        if k == q { return nil }
        return run(k, CharClass.lowerish, true)
    }

    // See `SplitPattern.knownRegexes[.o200k]`.
    @inline(__always) func o200k(_ i: Int) -> Int {
        let b = p[i]
        let c = char(i)
        let prefixable = b != 0x0A && b != 0x0D && c.cls & CharClass.alnum == 0
        let q = i + c.len
        if prefixable, q < n, let e = upperThenLower(q) { return contraction(e, caseInsensitive: true) ?? e }
        if let e = upperThenLower(i) { return contraction(e, caseInsensitive: true) ?? e }
        if prefixable, q < n, let e = upperPlusLower(q) { return contraction(e, caseInsensitive: true) ?? e }
        if let e = upperPlusLower(i) { return contraction(e, caseInsensitive: true) ?? e }
        if c.cls & CharClass.number != 0 {
            var j = q
            var count = 1
            while count < 3, j < n {
                let d = char(j)
                if d.cls & CharClass.number == 0 { break }
                j += d.len
                count += 1
            }
            return j
        }
        let other = CharClass.letter | CharClass.number | CharClass.space
        var k = -1
        if c.cls & other == 0 {
            k = q
        } else if b == 0x20, i + 1 < n {
            let c2 = char(i + 1)
            if c2.cls & other == 0 { k = i + 1 + c2.len }
        }
        if k >= 0 {
            var j = run(k, other, false)
            while j < n, p[j] == 0x0A || p[j] == 0x0D || p[j] == 0x2F { j += 1 }
            return j
        }
        return whitespace(i, newline: true, endRun: false)
    }
}
