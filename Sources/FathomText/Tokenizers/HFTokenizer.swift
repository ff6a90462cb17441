import FathomCore
import Foundation

/// A Hugging Face `tokenizer.json` with a BPE model, encoded exactly as `tokenizers` does with
/// `add_special_tokens=False`.
///
/// Supported: byte-level BPE (`ByteLevel` pre-tokenizer, or `Split` with the GPT-2, Llama-3/cl100k, Qwen2 or
/// o200k regex followed by `ByteLevel(use_regex: false)`), SentencePiece-style BPE (`Prepend`/`Replace`/`NFC`
/// normalizers or a `Metaspace` pre-tokenizer, a `Digits` pre-tokenizer before the others, `byte_fallback`, `unk_token`/`fuse_unk`), `ignore_merges`,
/// added/special tokens (`lstrip`, `rstrip`, `single_word`, `normalized`), merges as `"a b"` or `["a", "b"]`.
/// Anything else throws `TokenizerLoadError`. `truncation`, `padding` and `decoder` are ignored (they do not
/// change how text is split into tokens).
public struct HFTokenizer: Tokenizer {
    public let name: String
    public let fingerprint: String
    public let bosTokenID: Int?
    /// The BOS token's text (an added token's content), for rendering chat templates.
    public let bosToken: String?
    let pipeline: BPEPipeline
    /// Bytes of each id, for byte-level models (nil otherwise); used by `decode`.
    let idBytes: [[UInt8]?]?

    /// Loads `tokenizer.json` from `path`.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerLoadError(file: path, component: "file", message: "cannot read the file")
        }
        try self.init(json: [UInt8](data), file: path)
    }

    /// Builds a tokenizer from the bytes of a `tokenizer.json`; `file` names it in `name` and in errors.
    /// Token ids must be below this (the largest real vocabularies have about 260K entries): the id → bytes table is
    /// as long as the largest id, so a hostile file claiming id 2^31 would otherwise allocate gigabytes (found by fuzzing).
    static let idLimit = 1 << 24

    public init(json bytes: [UInt8], file: String) throws {
        let fileName = (file as NSString).lastPathComponent
        func fail(_ component: String, _ message: String) -> TokenizerLoadError {
            TokenizerLoadError(file: file, component: component, message: message)
        }
        let root: TokenizerJSON
        do { root = try TokenizerJSON.parse(bytes) } catch { throw fail("json", "\(error)") }
        name = "hf:" + fileName
        fingerprint = "sha256:" + SHA256.hex(bytes)

        // Model.
        guard let model = root["model"], case .object = model else { throw fail("model", "missing") }
        let modelType = model.typeName ?? "BPE"
        guard modelType == "BPE" else { throw fail("model", "unsupported model type '\(modelType)' (only BPE is implemented)") }
        if let d = model["dropout"], !d.isNull, case .number(let v) = d, v != 0 {
            throw fail("model", "unsupported BPE dropout \(v)")
        }
        for option in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = model[option], !v.isNull, v.bytesValue != [] {
                throw fail("model", "unsupported BPE option \(option)=\(v.brief)")
            }
        }

        // Pre-tokenizer.
        var steps: [PreTokenizerStep] = []
        if let pre = root["pre_tokenizer"], !pre.isNull { try Self.parsePreTokenizer(pre, into: &steps, fail) }
        let byteLevel = steps.contains { if case .byteLevel = $0 { return true } else { return false } }
        if byteLevel {
            var seen = false
            for s in steps {
                if case .byteLevel = s { seen = true; continue }
                if seen { throw fail("pre_tokenizer", "a Split or Metaspace after ByteLevel is not supported") }
                if case .metaspace = s { throw fail("pre_tokenizer", "Metaspace together with ByteLevel is not supported") }
            }
        }

        // Normalizer.
        var normalizer: TextNormalizer?
        if let n = root["normalizer"], !n.isNull { normalizer = try Self.parseNormalizer(n, fail) }

        // Vocabulary, in the byte space the model sees.
        guard case .object(let vocabMembers)? = model["vocab"] else { throw fail("model", "missing vocab") }
        let unicodeToByte = Self.byteLevelDecoder()
        func modelBytes(_ token: [UInt8]) -> [UInt8]? {
            guard byteLevel else { return token }
            var out: [UInt8] = []
            out.reserveCapacity(token.count)
            for u in String(decoding: token, as: UTF8.self).unicodeScalars {
                guard let b = unicodeToByte[u.value] else { return nil }
                out.append(b)
            }
            return out
        }
        let vocab = ByteVocabulary()
        let tokenToID = ByteVocabulary()  // token strings as written in the file
        var maxID = 0
        var vocabBytes: [[UInt8]] = []
        var bytesOfID: [Int: [UInt8]] = [:]
        for (key, value) in vocabMembers {
            guard let id = value.intValue, id >= 0, id < Self.idLimit else { throw fail("model", "bad vocab id \(value.brief)") }
            tokenToID.insert(key, Int32(id))
            maxID = max(maxID, id)
            if let b = modelBytes(key) {
                vocab.insert(b, Int32(id), replace: false)
                vocabBytes.append(b)
                bytesOfID[id] = b
            }
        }

        // Merges.
        guard let mergesJSON = model["merges"]?.arrayValue else { throw fail("model", "missing merges") }
        let pairs = PackedMap(expected: mergesJSON.count)
        var joined: [UInt8] = []
        for (rank, m) in mergesJSON.enumerated() {
            let a: [UInt8], b: [UInt8]
            if let s = m.bytesValue {
                let parts = s.split(separator: 0x20, omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw fail("model", "bad merge \(m.brief)") }
                a = Array(parts[0])
                b = Array(parts[1])
            } else if let arr = m.arrayValue, arr.count == 2, let x = arr[0].bytesValue, let y = arr[1].bytesValue {
                a = x
                b = y
            } else {
                throw fail("model", "bad merge \(m.brief)")
            }
            guard let ia = tokenToID.lookup(a), let ib = tokenToID.lookup(b) else {
                throw fail("model", "merge \(m.brief) uses a token missing from the vocab")
            }
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: a)
            joined.append(contentsOf: b)
            guard let merged = tokenToID.lookup(joined) else { throw fail("model", "merge \(m.brief) result is missing from the vocab") }
            pairs.set(UInt64(UInt32(bitPattern: ia)) << 32 | UInt64(UInt32(bitPattern: ib)),
                      UInt64(rank) << 32 | UInt64(UInt32(bitPattern: merged)))
        }

        var unkID: Int32 = -1
        if let unk = model["unk_token"], !unk.isNull {
            guard let u = unk.bytesValue, let id = tokenToID.lookup(u) else { throw fail("model", "unk_token \(unk.brief) is not in the vocab") }
            unkID = id
        }
        let byteFallback = model["byte_fallback"]?.boolValue ?? false
        var byteIDs = [Int32](repeating: -1, count: 256)
        if byteLevel {
            for b in 0..<256 { byteIDs[b] = vocab.lookup([UInt8(b)]) ?? -1 }
        } else if byteFallback {
            let hex = Array("0123456789ABCDEF".utf8)
            for b in 0..<256 {
                let token: [UInt8] = Array("<0x".utf8) + [hex[b >> 4], hex[b & 15], UInt8(ascii: ">")]
                byteIDs[b] = tokenToID.lookup(token) ?? -1
            }
        }
        let bpe = BPEModel(pairs: pairs, vocab: vocab, mode: byteLevel ? .bytes : .chars, byteIDs: byteIDs,
                           wholePieceFirst: model["ignore_merges"]?.boolValue ?? false, byteFallback: byteFallback,
                           unkID: unkID, fuseUnk: model["fuse_unk"]?.boolValue ?? false)

        // Added tokens.
        var raw: [AddedTokenMatcher.Entry] = []
        var normalizedEntries: [AddedTokenMatcher.Entry] = []
        var addedByContent: [[UInt8]: Int] = [:]
        for t in root["added_tokens"]?.arrayValue ?? [] {
            guard let content = t["content"]?.bytesValue, let id = t["id"]?.intValue, id >= 0, id < Self.idLimit else {
                throw fail("added_tokens", "bad entry \(t.brief)")
            }
            addedByContent[content] = id
            maxID = max(maxID, id)
            bytesOfID[id] = content
            let isNormalized = t["normalized"]?.boolValue ?? !(t["special"]?.boolValue ?? false)
            var pattern = content
            if isNormalized, let normalizer { pattern = normalizer.apply(content) }
            let entry = AddedTokenMatcher.Entry(bytes: pattern, id: Int32(id), lstrip: t["lstrip"]?.boolValue ?? false,
                                                rstrip: t["rstrip"]?.boolValue ?? false,
                                                singleWord: t["single_word"]?.boolValue ?? false)
            if isNormalized { normalizedEntries.append(entry) } else { raw.append(entry) }
        }

        // BOS from the post-processor.
        var bos: Int?
        if let post = root["post_processor"], !post.isNull {
            bos = try Self.parsePostProcessor(post, addedByContent: addedByContent, tokenToID: tokenToID, fail)
        }
        bosTokenID = bos
        bosToken = bos.flatMap { id in addedByContent.first { $0.value == id }.map { String(decoding: $0.key, as: UTF8.self) } }

        var metaspace: [UInt8]?
        for s in steps { if case .metaspace(let r, _, _) = s { metaspace = r } }
        if metaspace == nil, case .sequence(let list)? = normalizer {
            for n in list { if case .replace([0x20], let r) = n { metaspace = r } }
        } else if metaspace == nil, case .replace([0x20], let r)? = normalizer {
            metaspace = r
        }
        pipeline = BPEPipeline(model: bpe, rawAdded: AddedTokenMatcher(raw), normalizedAdded: AddedTokenMatcher(normalizedEntries),
                               normalizer: normalizer, steps: steps, metaspace: metaspace) { body in
            for t in vocabBytes { t.withUnsafeBufferPointer { if let b = $0.baseAddress { body(b, $0.count) } } }
        }
        if byteLevel {
            var table = [[UInt8]?](repeating: nil, count: maxID + 1)
            for (id, b) in bytesOfID { table[id] = b }
            idBytes = table
        } else {
            idBytes = nil
        }
    }

    public func encode(_ text: String) -> [Int] { pipeline.ids(text) }

    public func count(_ text: String) -> Int { pipeline.tokenCount(text) }

    public func counts(_ texts: [String]) -> [Int] { pipeline.tokenCounts(texts) }

    /// Text of `ids` for byte-level models (added tokens as their content); nil for other models or unknown ids.
    public func decode(_ ids: [Int]) -> String? {
        guard let idBytes else { return nil }
        return BPEPipeline.decode(ids, table: idBytes)
    }

    // MARK: - Component parsing

    /// GPT-2's byte-to-unicode table, inverted: scalar -> byte.
    static func byteLevelDecoder() -> [UInt32: UInt8] {
        var bs: [Int] = Array(33...126) + Array(161...172) + Array(174...255)
        var cs = bs
        var n = 0
        for b in 0..<256 where !bs.contains(b) {
            bs.append(b)
            cs.append(256 + n)
            n += 1
        }
        var table: [UInt32: UInt8] = [:]
        for (b, c) in zip(bs, cs) { table[UInt32(c)] = UInt8(b) }
        return table
    }

    static func parsePreTokenizer(_ j: TokenizerJSON, into steps: inout [PreTokenizerStep],
                                  _ fail: (String, String) -> TokenizerLoadError) throws {
        let type = j.typeName ?? "?"
        switch type {
        case "Sequence":
            for p in j["pretokenizers"]?.arrayValue ?? [] { try parsePreTokenizer(p, into: &steps, fail) }
        case "ByteLevel":
            steps.append(.byteLevel(addPrefixSpace: j["add_prefix_space"]?.boolValue ?? true,
                                    useRegex: j["use_regex"]?.boolValue ?? true))
        case "Split":
            guard let pattern = j["pattern"] else { throw fail("pre_tokenizer", "Split without pattern") }
            guard let regex = pattern["Regex"]?.stringValue else {
                throw fail("pre_tokenizer", "Split with a non-regex pattern \(pattern.brief) is not supported")
            }
            guard let known = SplitPattern.knownRegexes[regex] else {
                throw fail("pre_tokenizer", "Split regex not recognised (no byte-level scanner for it): \(regex)")
            }
            let behavior = j["behavior"]?.stringValue ?? "Isolated"
            guard behavior == "Isolated" else { throw fail("pre_tokenizer", "Split behavior '\(behavior)' is not supported") }
            guard j["invert"]?.boolValue != true else { throw fail("pre_tokenizer", "Split with invert=true is not supported") }
            steps.append(.split(known))
        case "Digits":
            steps.append(.digits(individual: j["individual_digits"]?.boolValue ?? false))
        case "Metaspace":
            guard let r = j["replacement"]?.bytesValue, String(decoding: r, as: UTF8.self).unicodeScalars.count == 1 else {
                throw fail("pre_tokenizer", "Metaspace replacement must be one character")
            }
            var prepend: MetaspacePrepend
            if let s = j["prepend_scheme"]?.stringValue {
                guard let p = MetaspacePrepend(rawValue: s) else { throw fail("pre_tokenizer", "Metaspace prepend_scheme '\(s)'") }
                prepend = p
            } else {
                prepend = (j["add_prefix_space"]?.boolValue ?? true) ? .always : .never
            }
            steps.append(.metaspace(replacement: r, prepend: prepend, split: j["split"]?.boolValue ?? true))
        default:
            throw fail("pre_tokenizer", "unsupported pre-tokenizer type '\(type)'")
        }
    }

    static func parseNormalizer(_ j: TokenizerJSON, _ fail: (String, String) -> TokenizerLoadError) throws -> TextNormalizer {
        let type = j.typeName ?? "?"
        switch type {
        case "Sequence":
            return .sequence(try (j["normalizers"]?.arrayValue ?? []).map { try parseNormalizer($0, fail) })
        case "Prepend":
            guard let s = j["prepend"]?.bytesValue else { throw fail("normalizer", "Prepend without string") }
            return .prepend(s)
        case "Replace":
            guard let content = j["content"]?.bytesValue else { throw fail("normalizer", "Replace without content") }
            guard let s = j["pattern"]?["String"]?.bytesValue else {
                throw fail("normalizer", "Replace with a regex pattern is not supported")
            }
            return .replace(s, content)
        case "NFC":
            return .nfc
        default:
            throw fail("normalizer", "unsupported normalizer type '\(type)'")
        }
    }

    static func parsePostProcessor(_ j: TokenizerJSON, addedByContent: [[UInt8]: Int], tokenToID: ByteVocabulary,
                                   _ fail: (String, String) -> TokenizerLoadError) throws -> Int? {
        let type = j.typeName ?? "?"
        switch type {
        case "ByteLevel":
            return nil
        case "Sequence":
            var bos: Int?
            for p in j["processors"]?.arrayValue ?? [] {
                if let b = try parsePostProcessor(p, addedByContent: addedByContent, tokenToID: tokenToID, fail) {
                    if bos != nil { throw fail("post_processor", "more than one processor adds a prefix token") }
                    bos = b
                }
            }
            return bos
        case "RobertaProcessing", "BertProcessing":
            guard let cls = j["cls"]?.arrayValue, cls.count == 2, let id = cls[1].intValue else {
                throw fail("post_processor", "\(type) without cls")
            }
            return id
        case "TemplateProcessing":
            guard let single = j["single"]?.arrayValue else { throw fail("post_processor", "TemplateProcessing without single") }
            var prefix: [Int] = []
            for item in single {
                if item["Sequence"] != nil { break }
                guard let sid = item["SpecialToken"]?["id"]?.stringValue else {
                    throw fail("post_processor", "TemplateProcessing item \(item.brief)")
                }
                guard let ids = j["special_tokens"]?[sid]?["ids"]?.arrayValue else {
                    throw fail("post_processor", "TemplateProcessing special token '\(sid)' has no ids")
                }
                prefix += ids.compactMap(\.intValue)
            }
            if prefix.count > 1 {
                throw fail("post_processor", "TemplateProcessing adds \(prefix.count) prefix tokens; only a single BOS is supported")
            }
            return prefix.first
        default:
            throw fail("post_processor", "unsupported post-processor type '\(type)'")
        }
    }
}
