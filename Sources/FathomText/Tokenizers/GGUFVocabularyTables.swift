/// Builds the BPE tables (`ByteVocabulary`, pair map, byte ids) from a GGUF vocabulary, straight from the token
/// bytes, with no per-token `String` and tables sized once.
///
/// - Byte-level BPE (`gpt2`): token texts are GPT-2's printable stand-ins for bytes; they are decoded to the bytes
///   the model sees, and `tokenizer.ggml.merges` ranks pairs, as in a `tokenizer.json`.
/// - SentencePiece-style (`llama`): llama.cpp's SPM merges any two adjacent symbols whose concatenation is a
///   token, the highest score first (leftmost on equal scores). The same rule as a pair table: every way of
///   cutting a token into two tokens is a pair, ranked by the whole token's score.
enum GGUFVocabularyTables {
    /// GPT-2's byte-to-unicode table inverted, over the scalars it uses (U+0021...U+0143): scalar -> byte, or -1.
    static let byteLevelDecode: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (scalar, byte) in HFTokenizer.byteLevelDecoder() where scalar < 0x144 { table[Int(scalar)] = Int16(byte) }
        return table
    }()

    /// Decodes a byte-level token text into `out`; false when it holds a character outside GPT-2's table.
    @inline(__always)
    static func decodeByteLevel(_ p: UnsafePointer<UInt8>, _ n: Int, into out: inout [UInt8]) -> Bool {
        out.removeAll(keepingCapacity: true)
        var i = 0
        while i < n {
            let b0 = p[i]
            var v: Int
            if b0 < 0x80 {
                v = Int(b0)
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < n {
                v = (Int(b0 & 0x1F) << 6) | Int(p[i + 1] & 0x3F)
                i += 2
            } else {
                return false
            }
            guard v < byteLevelDecode.count, byteLevelDecode[v] >= 0 else { return false }
            out.append(UInt8(byteLevelDecode[v]))
        }
        return true
    }

    /// Byte-level vocabulary: decoded token bytes -> id (a later duplicate wins, as llama.cpp's `token_to_id`).
    /// Tokens that are not byte-level text (say, a user-defined token with a raw space) are left out: the model
    /// can never produce them, only the special-token partition can.
    static func byteLevelVocabulary(_ tokens: GGUFStrings) -> ByteVocabulary {
        let vocab = ByteVocabulary(expected: tokens.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        tokens.withItems { id, p, n in
            if decodeByteLevel(p, n, into: &buffer) {
                buffer.withUnsafeBufferPointer { vocab.insert($0.baseAddress!, $0.count, Int32(id)) }
            }
        }
        return vocab
    }

    /// Raw vocabulary: token bytes as stored -> id (a later duplicate wins).
    static func rawVocabulary(_ tokens: GGUFStrings) -> ByteVocabulary {
        let vocab = ByteVocabulary(expected: tokens.count)
        tokens.withItems { id, p, n in vocab.insert(p, n, Int32(id)) }
        return vocab
    }

    /// The merge table of a byte-level BPE: `"left right"` strings, rank = position. Throws (with the merge's index
    /// and text) when a side or the result is not a token.
    static func byteLevelMerges(_ merges: GGUFStrings, vocab: ByteVocabulary,
                                fail: (String) -> TokenizerLoadError) throws -> PackedMap {
        let pairs = PackedMap(expected: merges.count)
        var left: [UInt8] = [], right: [UInt8] = []
        left.reserveCapacity(128)
        right.reserveCapacity(128)
        var failure: TokenizerLoadError?
        merges.withItems { rank, p, n in
            guard failure == nil else { return }
            // llama.cpp splits at the first space after the first byte.
            var cut = 1
            while cut < n && p[cut] != 0x20 { cut += 1 }
            let text = { String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
            guard cut < n, decodeByteLevel(p, cut, into: &left), decodeByteLevel(p + cut + 1, n - cut - 1, into: &right) else {
                failure = fail("merge #\(rank) '\(text())' is not two byte-level tokens separated by a space")
                return
            }
            let a = left.withUnsafeBufferPointer { vocab.lookup($0.baseAddress!, $0.count) }
            let b = right.withUnsafeBufferPointer { vocab.lookup($0.baseAddress!, $0.count) }
            left.append(contentsOf: right)
            let merged = left.withUnsafeBufferPointer { vocab.lookup($0.baseAddress!, $0.count) }
            guard a >= 0, b >= 0, merged >= 0 else {
                failure = fail("merge #\(rank) '\(text())' uses or makes a token missing from tokenizer.ggml.tokens")
                return
            }
            let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
            // llama.cpp's `bpe_ranks.emplace` keeps the first rank of a repeated pair.
            if pairs.get(key) == PackedMap.absent {
                pairs.set(key, UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged)))
            }
        }
        if let failure { throw failure }
        return pairs
    }

    /// Rank of a SentencePiece score: order-preserving (a higher score is a lower rank), equal for equal scores.
    @inline(__always) static func scoreRank(_ score: Float) -> UInt64 {
        let s = score == 0 ? Float(0) : score  // -0.0 ties with 0.0, as the float comparison in llama.cpp does
        let bits = s.bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ascending)
    }

    /// The SentencePiece pair table: for each token `t` and each cut of `t` into two tokens `a` + `b` at a character
    /// boundary, `(a, b) -> (rank of t's score, t)`.
    static func sentencePiecePairs(_ tokens: GGUFStrings, scores: [Float]?, vocab: ByteVocabulary) -> PackedMap {
        let pairs = PackedMap(expected: tokens.count * 2)
        tokens.withItems { id, p, n in
            guard n >= 2, vocab.lookup(p, n) == Int32(id) else { return }  // a duplicate text: the last id owns it
            let score = scores?[id] ?? 0
            if score.isNaN { return }
            let value = scoreRank(score) << 32 | UInt64(UInt32(id))
            var k = 1
            while k < n {
                if p[k] & 0xC0 != 0x80 {
                    let a = vocab.lookup(p, k)
                    if a >= 0 {
                        let b = vocab.lookup(p + k, n - k)
                        if b >= 0 { pairs.set(UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)), value) }
                    }
                }
                k += 1
            }
        }
        return pairs
    }

    /// Ids of the `<0xNN>` byte tokens, or -1 for a missing one.
    static func byteFallbackIDs(_ vocab: ByteVocabulary) -> [Int32] {
        let hex = Array("0123456789ABCDEF".utf8)
        return (0..<256).map { b in
            vocab.lookup([0x3C, 0x30, 0x78, hex[b >> 4], hex[b & 15], 0x3E]) ?? -1
        }
    }
}
