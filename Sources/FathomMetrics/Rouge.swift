import FathomCore
// ROUGE-L and ROUGE-Lsum exactly as Google's `rouge-score` 0.1.2 computes them with
// `RougeScorer([...], use_stemmer=True)` (no `split_summaries`).
//
// Tokenizer (`rouge_score.tokenize.tokenize`): Python-lowercase the text, turn every run of
// characters outside [a-z0-9] into a separator, stem tokens longer than 3 characters with the
// NLTK Porter stemmer, drop empty tokens. Because lowercasing is Python's full Unicode mapping,
// U+0130 contributes "i" and U+212A (Kelvin sign) contributes "k"; every other non-ASCII
// character separates tokens.
//
// ROUGE-L: LCS of the whole token sequences; precision = LCS / |prediction|, recall =
// LCS / |reference|, F = 2PR / (P + R) (0 when P + R = 0); all zero when either side has no token.
//
// ROUGE-Lsum: both texts are split on "\n" (empty pieces dropped), each piece tokenised; for each
// reference sentence the union of the LCS positions against every candidate sentence is taken
// (LCS read back with rouge-score's tie rule: move left only when the left cell is strictly
// larger), and each union token counts as a hit while both the reference and the candidate
// multisets still have that token left. P = hits / candidate tokens, R = hits / reference tokens.

/// Precision, recall and F-measure of a ROUGE variant.
public struct RougeScore: Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    public var f1: Double
    public init(precision: Double, recall: Double, f1: Double) {
        self.precision = precision
        self.recall = recall
        self.f1 = f1
    }
    public static let zero = RougeScore(precision: 0, recall: 0, f1: 0)

    /// rouge-score's `scoring.fmeasure`.
    @inline(__always)
    static func make(_ precision: Double, _ recall: Double) -> RougeScore {
        let f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0
        return RougeScore(precision: precision, recall: recall, f1: f)
    }
}

/// ROUGE-L (sentence-level LCS over the whole texts), stemmed, as `rouge_score`.
public func rougeL(prediction: String, reference: String) -> RougeScore {
    var ctx = RougeContext()
    let r = ctx.tokenize(reference)
    let c = ctx.tokenize(prediction)
    return RougeLCS.sentenceLevel(reference: r, candidate: c)
}

/// ROUGE-Lsum (summary-level union LCS, sentences separated by "\n"), stemmed, as `rouge_score`.
public func rougeLsum(prediction: String, reference: String) -> RougeScore {
    var ctx = RougeContext()
    let r = ctx.sentences(reference)
    let c = ctx.sentences(prediction)
    return RougeLCS.summaryLevel(reference: r, candidate: c, vocabularySize: ctx.count)
}

/// Both ROUGE-L and ROUGE-Lsum for one pair, sharing the tokenisation work.
public func rougeLAndLsum(prediction: String, reference: String) -> (rougeL: RougeScore, rougeLsum: RougeScore) {
    var ctx = RougeContext()
    let rs = ctx.sentences(reference)
    let cs = ctx.sentences(prediction)
    // Tokens never span "\n" (a separator), so the whole-text tokens are the sentences' tokens
    // concatenated.
    let l = RougeLCS.sentenceLevel(reference: Array(rs.joined()), candidate: Array(cs.joined()))
    let ls = RougeLCS.summaryLevel(reference: rs, candidate: cs, vocabularySize: ctx.count)
    return (l, ls)
}

/// rouge-score's default tokenizer with the Porter stemmer.
public enum RougeTokenizer {
    /// The stemmed tokens of `text`, as `rouge_score.tokenize.tokenize(text, PorterStemmer())`.
    public static func tokenize(_ text: String) -> [String] {
        var out: [String] = []
        RougeContext.forEachToken(text) { bytes in
            var w = bytes.map { UInt32($0) }
            if w.count > 3 { PorterStemmer.stemInPlace(&w, originalLength: w.count) }
            out.append(PythonText.string(w))
        }
        return out
    }
}

/// Token interning for one scoring call: raw token bytes -> id of the stemmed token.
struct RougeContext {
    private var rawToID: [PackedToken: Int32] = [:]
    private var longRawToID: [[UInt8]: Int32] = [:]
    private var stemToID: [PackedToken: Int32] = [:]
    private var longStemToID: [[UInt8]: Int32] = [:]
    private(set) var count = 0

    init() {}

    /// Calls `body` with each raw (lowercased, unstemmed) token's bytes.
    static func forEachToken(_ text: String, _ body: ([UInt8]) -> Void) {
        var s = text
        s.withUTF8 { buf in forEachToken(buf[...], body) }
    }

    /// Same, on a slice of valid UTF-8. `body` must not keep the array it is given.
    static func forEachToken(_ buf: Slice<UnsafeBufferPointer<UInt8>>, _ body: ([UInt8]) -> Void) {
        var tok: [UInt8] = []
        tok.reserveCapacity(32)
        var i = buf.startIndex
        let n = buf.endIndex
        while i < n {
            let b = buf[i]
            if b < 0x80 {
                if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                    tok.append(b)
                } else if b >= 0x41 && b <= 0x5A {
                    tok.append(b | 0x20)
                } else if !tok.isEmpty {
                    body(tok)
                    tok.removeAll(keepingCapacity: true)
                }
                i += 1
                continue
            }
            // Decode one non-ASCII scalar (input is valid UTF-8).
            var v: UInt32
            var len: Int
            if b < 0xE0 { v = UInt32(b & 0x1F); len = 2 } else if b < 0xF0 { v = UInt32(b & 0x0F); len = 3 } else { v = UInt32(b & 0x07); len = 4 }
            var k = 1
            while k < len && i + k < n {
                v = (v << 6) | UInt32(buf[i + k] & 0x3F)
                k += 1
            }
            i += len
            if let u = Unicode.Scalar(v), u.properties.changesWhenLowercased {
                for m in u.properties.lowercaseMapping.unicodeScalars {
                    let c = m.value
                    if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) {
                        tok.append(UInt8(c))
                    } else if !tok.isEmpty {
                        body(tok)
                        tok.removeAll(keepingCapacity: true)
                    }
                }
            } else if !tok.isEmpty {
                body(tok)
                tok.removeAll(keepingCapacity: true)
            }
        }
        if !tok.isEmpty { body(tok) }
    }

    private mutating func id(forRaw raw: [UInt8]) -> Int32 {
        if raw.count <= 16 {
            let key = PackedToken(raw)
            if let id = rawToID[key] { return id }
            let id = stemID(raw)
            rawToID[key] = id
            return id
        }
        if let id = longRawToID[raw] { return id }
        let id = stemID(raw)
        longRawToID[raw] = id
        return id
    }

    private mutating func stemID(_ raw: [UInt8]) -> Int32 {
        var stem = raw
        if raw.count > 3 {
            var w = raw.map { UInt32($0) }
            PorterStemmer.stemInPlace(&w, originalLength: w.count)
            // the stem of an [a-z0-9] token is [a-z0-9]
            stem = w.map { UInt8(truncatingIfNeeded: $0) }
        }
        if stem.count <= 16 {
            let key = PackedToken(stem)
            if let id = stemToID[key] { return id }
            let id = Int32(count)
            count += 1
            stemToID[key] = id
            return id
        }
        if let id = longStemToID[stem] { return id }
        let id = Int32(count)
        count += 1
        longStemToID[stem] = id
        return id
    }

    /// Token ids of `text`.
    mutating func tokenize(_ text: String) -> [Int32] {
        var s = text
        return s.withUTF8 { buf in tokenize(buf[...]) }
    }

    mutating func tokenize(_ buf: Slice<UnsafeBufferPointer<UInt8>>) -> [Int32] {
        var ids: [Int32] = []
        Self.forEachToken(buf) { raw in ids.append(self.id(forRaw: raw)) }
        return ids
    }

    /// Token ids of each non-empty "\n"-separated piece of `text` (rougeLsum's `get_sents`;
    /// a piece of only spaces is kept and has no token).
    mutating func sentences(_ text: String) -> [[Int32]] {
        var s = text
        return s.withUTF8 { buf in
            var out: [[Int32]] = []
            var start = 0
            for i in 0...buf.count where i == buf.count || buf[i] == 0x0A {
                if i > start { out.append(tokenize(buf[start..<i])) }
                start = i + 1
            }
            return out
        }
    }
}

/// Up to 16 token bytes packed into two words (token bytes are never 0, so padding is unambiguous).
struct PackedToken: Hashable {
    var a: UInt64 = 0
    var b: UInt64 = 0
    init(_ bytes: [UInt8]) {
        for (i, byte) in bytes.enumerated() {
            if i < 8 { a |= UInt64(byte) << (UInt64(i) * 8) } else { b |= UInt64(byte) << (UInt64(i - 8) * 8) }
        }
    }
}

/// LCS computations of rouge-score over interned tokens.
enum RougeLCS {
    /// rouge-score `_score_lcs`.
    static func sentenceLevel(reference r: [Int32], candidate c: [Int32]) -> RougeScore {
        if r.isEmpty || c.isEmpty { return .zero }
        let lcs = lcsLength(r, c)
        return RougeScore.make(Double(lcs) / Double(c.count), Double(lcs) / Double(r.count))
    }

    static func lcsLength(_ a: [Int32], _ b: [Int32]) -> Int {
        // Iterate over the longer sequence, keep a row as long as the shorter one.
        let (outer, inner) = a.count >= b.count ? (a, b) : (b, a)
        let m = inner.count
        var row = [Int32](repeating: 0, count: m + 1)
        row.withUnsafeMutableBufferPointer { row in
            inner.withUnsafeBufferPointer { inner in
                for x in outer {
                    var diag: Int32 = 0  // row[j-1] of the previous outer step
                    for j in 1...m {
                        let up = row[j]
                        if inner[j - 1] == x {
                            row[j] = diag + 1
                        } else if row[j - 1] > up {
                            row[j] = row[j - 1]
                        }
                        diag = up
                    }
                }
            }
        }
        return Int(row[m])
    }

    /// rouge-score `_summary_level_lcs`.
    static func summaryLevel(reference rs: [[Int32]], candidate cs: [[Int32]], vocabularySize: Int) -> RougeScore {
        if rs.isEmpty || cs.isEmpty { return .zero }
        var m = 0, n = 0
        for s in rs { m += s.count }
        for s in cs { n += s.count }
        if m == 0 || n == 0 { return .zero }
        var countR = [Int32](repeating: 0, count: vocabularySize)
        var countC = [Int32](repeating: 0, count: vocabularySize)
        for s in rs { for t in s { countR[Int(t)] += 1 } }
        for s in cs { for t in s { countC[Int(t)] += 1 } }
        var hits = 0
        var table: [Int32] = []
        var inUnion: [Bool] = []
        for r in rs {
            inUnion.removeAll(keepingCapacity: true)
            inUnion.append(contentsOf: repeatElement(false, count: r.count))
            for c in cs {
                markLCS(r, c, &table, &inUnion)
            }
            for i in 0..<r.count where inUnion[i] {
                let t = Int(r[i])
                if countC[t] > 0 && countR[t] > 0 {
                    hits += 1
                    countC[t] -= 1
                    countR[t] -= 1
                }
            }
        }
        return RougeScore.make(Double(hits) / Double(n), Double(hits) / Double(m))
    }

    /// Fills the LCS table of (ref, can) and marks the reference positions of rouge-score's
    /// `_backtrack_norec` read-out.
    static func markLCS(_ ref: [Int32], _ can: [Int32], _ table: inout [Int32], _ mark: inout [Bool]) {
        let rows = ref.count, cols = can.count
        if rows == 0 || cols == 0 { return }
        let w = cols + 1
        let size = (rows + 1) * w
        if table.count < size { table = [Int32](repeating: 0, count: size) }
        table.withUnsafeMutableBufferPointer { tb in
            ref.withUnsafeBufferPointer { rp in
                can.withUnsafeBufferPointer { cp in
                    mark.withUnsafeMutableBufferPointer { mk in
                        let t = tb.baseAddress!, r = rp.baseAddress!, c = cp.baseAddress!
                        for j in 0...cols { t[j] = 0 }
                        for i in 1...rows {
                            let cur = t + i * w, prev = cur - w
                            cur[0] = 0
                            let x = r[i - 1]
                            var left: Int32 = 0
                            for j in 1...cols {
                                let v: Int32
                                if x == c[j - 1] {
                                    v = prev[j - 1] + 1
                                } else {
                                    let up = prev[j]
                                    v = up > left ? up : left
                                }
                                cur[j] = v
                                left = v
                            }
                        }
                        // rouge-score `_backtrack_norec`
                        var i = rows, j = cols
                        while i > 0 && j > 0 {
                            if r[i - 1] == c[j - 1] {
                                mk[i - 1] = true
                                i -= 1
                                j -= 1
                            } else if t[i * w + j - 1] > t[(i - 1) * w + j] {
                                j -= 1
                            } else {
                                i -= 1
                            }
                        }
                    }
                }
            }
        }
    }
}
