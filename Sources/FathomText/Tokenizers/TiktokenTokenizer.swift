import FathomCore
import Foundation

/// A tiktoken encoding: a `.tiktoken` rank file (`base64(token) rank` per line), a named split pattern and
/// optional special tokens. Encodes exactly as tiktoken's `encode(text, allowed_special="all")` (special tokens
/// written in the text are recognised; with none given, as `encode(text, disallowed_special=())`).
public struct TiktokenTokenizer: Tokenizer {
    /// The split regex of the encoding.
    public enum Pattern: String, Sendable, CaseIterable {
        /// cl100k_base (GPT-4, GPT-3.5), as in current tiktoken.
        case cl100k
        /// o200k_base (GPT-4o).
        case o200k

        var split: SplitPattern {
            switch self {
            case .cl100k: return .cl100k
            case .o200k: return .o200k
            }
        }
    }

    public let name: String
    public let fingerprint: String
    public let bosTokenID: Int?
    public let pattern: Pattern
    let pipeline: BPEPipeline
    let idBytes: [[UInt8]?]

    /// Loads a rank file from `path`.
    /// - Parameters:
    ///   - pattern: the split regex (the rank file does not contain it).
    ///   - specialTokens: special token text -> id, matched literally in the text.
    ///   - bosTokenID: the BOS the model's prompt format puts in front, if any (never added by `encode`).
    public init(path: String, pattern: Pattern = .cl100k, specialTokens: [String: Int] = [:], bosTokenID: Int? = nil) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerLoadError(file: path, component: "file", message: "cannot read the file")
        }
        try self.init(ranks: [UInt8](data), file: path, pattern: pattern, specialTokens: specialTokens, bosTokenID: bosTokenID)
    }

    /// Builds an encoding from the bytes of a rank file; `file` names it in `name` and in errors.
    public init(ranks data: [UInt8], file: String, pattern: Pattern = .cl100k, specialTokens: [String: Int] = [:],
                bosTokenID: Int? = nil) throws {
        func fail(_ message: String) -> TokenizerLoadError {
            TokenizerLoadError(file: file, component: "tiktoken ranks", message: message)
        }
        self.pattern = pattern
        self.bosTokenID = bosTokenID
        name = "tiktoken:" + (file as NSString).lastPathComponent + ":" + pattern.rawValue
        fingerprint = "sha256:" + SHA256.hex(data) + "/" + pattern.rawValue

        let vocab = ByteVocabulary()
        var tokens: [(bytes: [UInt8], rank: Int32)] = []
        var lineNumber = 0
        var maxRank = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            lineNumber += 1
            var l = line
            if l.last == 0x0D { l = l.dropLast() }
            if l.isEmpty { continue }
            guard let space = l.firstIndex(of: 0x20),
                  let bytes = Self.base64Decode(l[l.startIndex..<space]),
                  let rank = Int(String(decoding: l[(space + 1)...], as: UTF8.self)), rank >= 0, rank < Int(Int32.max)
            else { throw fail("line \(lineNumber) is not 'base64 rank'") }
            guard !bytes.isEmpty else { throw fail("line \(lineNumber) has an empty token") }
            if vocab.lookup(bytes) != nil { throw fail("line \(lineNumber): duplicate token") }
            vocab.insert(bytes, Int32(rank))
            tokens.append((bytes, Int32(rank)))
            maxRank = max(maxRank, rank)
        }
        var byteIDs = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            guard let id = vocab.lookup([UInt8(b)]) else { throw fail("no token for the single byte \(b)") }
            byteIDs[b] = id
        }
        // A pair of adjacent tokens merges into their concatenation when that is a token, with its rank as
        // priority: all ways of splitting each token into two tokens.
        let pairs = PackedMap(expected: tokens.count * 4)
        for (bytes, rank) in tokens where bytes.count >= 2 {
            bytes.withUnsafeBufferPointer { b in
                let p = b.baseAddress!
                for k in 1..<b.count {
                    let left = vocab.lookup(p, k)
                    if left < 0 { continue }
                    let right = vocab.lookup(p + k, b.count - k)
                    if right < 0 { continue }
                    pairs.set(UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right)),
                              UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: rank)))
                }
            }
        }
        let model = BPEModel(pairs: pairs, vocab: vocab, mode: .bytes, byteIDs: byteIDs, wholePieceFirst: true,
                             byteFallback: false, unkID: -1, fuseUnk: false)
        let specials = specialTokens.map {
            AddedTokenMatcher.Entry(bytes: Array($0.key.utf8), id: Int32($0.value), lstrip: false, rstrip: false, singleWord: false)
        }
        pipeline = BPEPipeline(model: model, rawAdded: AddedTokenMatcher(specials), normalizedAdded: nil, normalizer: nil,
                               steps: [.split(pattern.split)], metaspace: nil) { _ in }
        var table = [[UInt8]?](repeating: nil, count: max(maxRank, specialTokens.values.max() ?? 0) + 1)
        for (bytes, rank) in tokens { table[Int(rank)] = bytes }
        for (text, id) in specialTokens { table[id] = Array(text.utf8) }
        idBytes = table
    }

    public func encode(_ text: String) -> [Int] { pipeline.ids(text) }

    public func count(_ text: String) -> Int { pipeline.tokenCount(text) }

    public func counts(_ texts: [String]) -> [Int] { pipeline.tokenCounts(texts) }

    /// Text of `ids`, or nil for an unknown id.
    public func decode(_ ids: [Int]) -> String? {
        return BPEPipeline.decode(ids, table: idBytes)
    }

    static func base64Decode<C: Collection>(_ s: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for c in s {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }
}
