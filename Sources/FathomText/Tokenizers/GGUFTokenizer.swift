import FathomCore
import Foundation

/// The tokenizer inside a GGUF model file (`tokenizer.*` keys), encoding text as llama.cpp does: `llama_tokenize`
/// with `parse_special` on, which is what llama-server's `/tokenize` and its prompt processing use.
///
/// Supported `tokenizer.ggml.model` values:
/// - `gpt2`: byte-level BPE with `tokenizer.ggml.merges` and a llama.cpp pre-tokenizer (`tokenizer.ggml.pre`, see
///   `LlamaPreTokenizer`);
/// - `llama`: SentencePiece-style, merges by `tokenizer.ggml.scores`, spaces written `▁`, `<0xNN>` byte fallback,
///   `tokenizer.ggml.add_space_prefix`.
///
/// Control, user-defined and unknown tokens (`tokenizer.ggml.token_type` 3, 4, 2; plus the end-of-generation
/// names llama.cpp promotes to control) are matched literally in the text, longest first, as llama.cpp does.
/// `encode` adds no BOS/EOS; `bosTokenID` is the BOS llama.cpp adds (`tokenizer.ggml.add_bos_token`, or its
/// default for the model), and `eosTokenID` the EOS it appends (`add_eos_token`), when it adds them.
public struct GGUFTokenizer: Tokenizer {
    public let name: String
    public let fingerprint: String
    public let bosTokenID: Int?
    public let bosToken: String?
    /// The EOS llama.cpp appends with `add_special` (only when `tokenizer.ggml.add_eos_token` is true).
    public let eosTokenID: Int?
    /// `gpt2` or `llama`.
    public let model: String
    /// Number of tokens in the vocabulary.
    public let vocabularySize: Int
    let pipeline: BPEPipeline

    /// Token types in `tokenizer.ggml.token_type` (llama.cpp's `llama_token_type`).
    enum TokenType: Int32 {
        case undefined = 0, normal, unknown, control, userDefined, unused, byte
    }

    /// Token texts llama.cpp marks as control (end of generation) whatever their type in the file.
    static let endOfGenerationNames: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    ]

    /// Loads the tokenizer of the GGUF file at `path` (the header only; tensors are never read).
    public init(path: String) throws {
        func fail(_ key: String, _ message: String) -> TokenizerLoadError {
            TokenizerLoadError(file: path, component: key, message: message)
        }
        func wrap<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let error as FathomError { throw fail(error.key ?? "header", error.message) }
        }
        let meta = try wrap { try GGUFMetadata(path: path) }
        guard let model = meta.string("tokenizer.ggml.model") else {
            throw fail("tokenizer.ggml.model", meta.values["tokenizer.ggml.model"] == nil ? "missing" : "not a string")
        }
        guard model == "gpt2" || model == "llama" else {
            throw fail("tokenizer.ggml.model", "unsupported tokenizer model '\(model)' (supported: gpt2, llama)")
        }
        self.model = model
        let tokens = try wrap { try meta.stringArray("tokenizer.ggml.tokens") }
        let n = tokens.count
        guard n > 0 else { throw fail("tokenizer.ggml.tokens", "empty vocabulary") }
        vocabularySize = n
        var types: [Int32]?
        if meta.values["tokenizer.ggml.token_type"] != nil {
            let t = try wrap { try meta.int32Array("tokenizer.ggml.token_type") }
            guard t.count >= n else { throw fail("tokenizer.ggml.token_type", "\(t.count) types for \(n) tokens") }
            types = t
        }
        var scores: [Float]?
        if meta.values["tokenizer.ggml.scores"] != nil {
            let s = try wrap { try meta.float32Array("tokenizer.ggml.scores") }
            guard s.count >= n else { throw fail("tokenizer.ggml.scores", "\(s.count) scores for \(n) tokens") }
            scores = s
        }

        // Model tables and pre-tokenizer.
        let bpe: BPEModel
        let steps: [PreTokenizerStep]
        var normalizer: TextNormalizer?
        var metaspace: [UInt8]?
        var addBOS: Bool
        var defaultBOS: Int
        var defaultEOS: Int
        let pre = meta.string("tokenizer.ggml.pre")
        if model == "gpt2" {
            guard let pre else {
                throw fail("tokenizer.ggml.pre", "missing (llama.cpp would fall back to its 'default' pre-tokenizer, which Fathom does not implement)")
            }
            guard let preTokenizer = LlamaPreTokenizer.named(pre) else {
                throw fail("tokenizer.ggml.pre", "unsupported llama.cpp pre-tokenizer '\(pre)'")
            }
            guard meta.values["tokenizer.ggml.merges"] != nil else {
                throw fail("tokenizer.ggml.merges", "missing (a byte-level BPE needs its merges)")
            }
            let merges = try wrap { try meta.stringArray("tokenizer.ggml.merges") }
            let vocab = GGUFVocabularyTables.byteLevelVocabulary(tokens)
            let pairs = try GGUFVocabularyTables.byteLevelMerges(merges, vocab: vocab) { fail("tokenizer.ggml.merges", $0) }
            var byteIDs = [Int32](repeating: -1, count: 256)
            for b in 0..<256 { byteIDs[b] = vocab.lookup([UInt8(b)]) ?? -1 }
            bpe = BPEModel(pairs: pairs, vocab: vocab, mode: .bytes, byteIDs: byteIDs, wholePieceFirst: preTokenizer.ignoreMerges,
                           byteFallback: false, unkID: -1, fuseUnk: false)
            steps = preTokenizer.steps
            addBOS = preTokenizer.defaultAddBOS
            (defaultBOS, defaultEOS) = (11, 11)  // llama.cpp's defaults for gpt2 vocabularies
        } else {
            let vocab = GGUFVocabularyTables.rawVocabulary(tokens)
            let pairs = GGUFVocabularyTables.sentencePiecePairs(tokens, scores: scores, vocab: vocab)
            bpe = BPEModel(pairs: pairs, vocab: vocab, mode: .chars, byteIDs: GGUFVocabularyTables.byteFallbackIDs(vocab),
                           wholePieceFirst: false, byteFallback: true, unkID: -1, fuseUnk: false)
            steps = []
            let space: [UInt8] = [0xE2, 0x96, 0x81]  // ▁
            metaspace = space
            let replace = TextNormalizer.replace([0x20], space)
            // llama.cpp puts a space before every text fragment that starts the text or follows a special token.
            normalizer = (meta.bool("tokenizer.ggml.add_space_prefix") ?? true) ? .sequence([.prepend(space), replace]) : replace
            addBOS = true
            (defaultBOS, defaultEOS) = (1, 2)
        }
        addBOS = meta.bool("tokenizer.ggml.add_bos_token") ?? addBOS
        let addEOS = meta.bool("tokenizer.ggml.add_eos_token") ?? false

        // Special tokens: matched in the raw text before anything else.
        var special: [AddedTokenMatcher.Entry] = []
        tokens.withItems { id, p, len in
            let type = types.map { $0[id] } ?? TokenType.normal.rawValue
            var isSpecial = type == TokenType.control.rawValue || type == TokenType.userDefined.rawValue
                || type == TokenType.unknown.rawValue
            if !isSpecial && len <= 32 && (p[0] == UInt8(ascii: "<") || p[0] == UInt8(ascii: "[") || p[0] == UInt8(ascii: "_")) {
                isSpecial = Self.endOfGenerationNames.contains(String(decoding: UnsafeBufferPointer(start: p, count: len), as: UTF8.self))
            }
            if isSpecial && len > 0 {
                special.append(AddedTokenMatcher.Entry(bytes: Array(UnsafeBufferPointer(start: p, count: len)), id: Int32(id),
                                                       lstrip: false, rstrip: false, singleWord: false))
            }
        }

        func specialID(_ key: String, _ fallback: Int) throws -> Int? {
            guard meta.values[key] != nil else { return fallback < n ? fallback : nil }
            guard let id = meta.integer(key) else { throw fail(key, "not an integer") }
            return id >= 0 && id < n ? id : (fallback < n ? fallback : nil)  // llama.cpp keeps its default for a bad id
        }
        let bos = try specialID("tokenizer.ggml.bos_token_id", defaultBOS)
        let eos = try specialID("tokenizer.ggml.eos_token_id", defaultEOS)
        if addBOS && bos == nil { throw fail("tokenizer.ggml.bos_token_id", "add_bos_token is set but there is no BOS token") }
        if addEOS && eos == nil { throw fail("tokenizer.ggml.eos_token_id", "add_eos_token is set but there is no EOS token") }
        bosTokenID = addBOS ? bos : nil
        eosTokenID = addEOS ? eos : nil
        bosToken = bos.map { String(decoding: tokens[$0], as: UTF8.self) }

        pipeline = BPEPipeline(model: bpe, rawAdded: AddedTokenMatcher(special, longestFirst: true), normalizedAdded: nil,
                               normalizer: normalizer, steps: steps, metaspace: metaspace) { body in
            tokens.withItems { _, p, len in body(p, len) }
        }
        name = "gguf:" + (path as NSString).lastPathComponent
        fingerprint = Self.fingerprint(meta: meta, tokens: tokens, types: types, scores: scores, addBOS: addBOS, addEOS: addEOS,
                                       bos: bos, eos: eos)
    }

    public func encode(_ text: String) -> [Int] { pipeline.ids(text) }

    public func count(_ text: String) -> Int { pipeline.tokenCount(text) }

    public func counts(_ texts: [String]) -> [Int] { pipeline.tokenCounts(texts) }

    /// Token ids as llama.cpp's `llama_tokenize(text, add_special, parse_special: true)` returns them.
    public func encode(_ text: String, addSpecial: Bool) -> [Int] {
        var ids = encode(text)
        if addSpecial {
            if let bosTokenID { ids.insert(bosTokenID, at: 0) }
            if let eosTokenID { ids.append(eosTokenID) }
        }
        return ids
    }

    /// SHA-256 over everything that decides the encoding: model, pre-tokenizer, flags, special ids, and 64-bit
    /// content hashes of the token, type, score and merge arrays (hashing the arrays themselves with SHA-256 would
    /// cost more than loading them). The same vocabulary gives the same fingerprint in a full model and in a
    /// tokenizer-only GGUF.
    static func fingerprint(meta: GGUFMetadata, tokens: GGUFStrings, types: [Int32]?, scores: [Float]?, addBOS: Bool,
                            addEOS: Bool, bos: Int?, eos: Int?) -> String {
        var sha = SHA256()
        let merges = try? meta.stringArray("tokenizer.ggml.merges")
        func arrayHash<T>(_ a: [T]?) -> UInt64 {
            guard let a else { return 0 }
            return a.withUnsafeBytes { b in b.baseAddress.map { hashBytes($0.assumingMemoryBound(to: UInt8.self), b.count) } ?? 0 }
        }
        let parts: [String] = [
            "gguf-tokenizer-v1", meta.string("tokenizer.ggml.model") ?? "", meta.string("tokenizer.ggml.pre") ?? "",
            "\(tokens.count)", String(arrayHash(tokens.storage), radix: 16), String(arrayHash(merges?.storage), radix: 16),
            String(arrayHash(types), radix: 16), String(arrayHash(scores), radix: 16),
            "\(meta.bool("tokenizer.ggml.add_space_prefix").map { "\($0)" } ?? "-")",
            "bos=\(bos ?? -1) eos=\(eos ?? -1) add_bos=\(addBOS) add_eos=\(addEOS)",
        ]
        sha.update(parts.joined(separator: "\n"))
        return "sha256:" + sha.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
