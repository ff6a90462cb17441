import FathomCore
import FathomTestSupport
import Foundation
import Testing

@testable import FathomText

/// `--tokenizer model.gguf`: exact parity with llama.cpp's llama-server on real vocabularies, without the models.
///
/// `Tests/Fixtures/tokenizers/gguf/` holds tokenizer-only GGUFs (the `tokenizer.*` keys of SmolLM2-135M-Instruct,
/// 49K byte-level BPE, and Gemma 3 270M, 262K SentencePiece-style; gzipped) and the ids llama-server returned
/// for every text, with `add_special` false and true. All made by scripts/real_models/ (tokenizer_parity.py,
/// make_tokenizer_gguf.py).
@Suite struct GGUFTokenizerTests {
    static let models = ["smollm2", "gemma3"]

    struct Golden: Decodable {
        let model: String
        let gguf: String
        let ids: [[Int]]
        let ids_add_special: [[Int]]
    }

    static let texts: [String] = {
        (try? JSONDecoder().decode([String].self, from: TokenizerFixtures.data("gguf/texts.json"))) ?? []
    }()

    static func golden(_ name: String) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: TokenizerFixtures.data("gguf/\(name).golden.json"))
    }

    /// The tokenizer-only GGUF of `name`, unpacked once into a temporary folder.
    static func path(_ name: String) throws -> String {
        let out = RepoPaths.temporaryDirectory("gguf-tokenizers") + "/\(name).tokenizer.gguf"
        if !FileManager.default.fileExists(atPath: out) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", TokenizerFixtures.path("gguf/\(name).tokenizer.gguf.gz")]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            try data.write(to: URL(fileURLWithPath: out + ".part"))
            _ = try? FileManager.default.removeItem(atPath: out)
            try FileManager.default.moveItem(atPath: out + ".part", toPath: out)
        }
        return out
    }

    static func load(_ name: String) throws -> GGUFTokenizer { try GGUFTokenizer(path: path(name)) }

    static func expectIDs(_ label: String, _ want: [[Int]], _ encode: (String) -> [Int]) {
        #expect(want.count == texts.count && texts.count >= 400, "\(label): \(want.count) goldens for \(texts.count) texts")
        var mismatches = 0
        for (i, text) in texts.enumerated() where i < want.count {
            let got = encode(text)
            if got != want[i] {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(label) #\(i) \(String(reflecting: text.prefix(80))): got \(got.prefix(30)) want \(want[i].prefix(30))")
                }
            }
        }
        #expect(mismatches == 0, "\(label): \(mismatches) of \(texts.count) texts differ from llama-server")
    }

    @Test(arguments: models)
    func matchesLlamaServer(_ name: String) throws {
        let golden = try Self.golden(name)
        let tok = try Self.load(name)
        Self.expectIDs("\(name) add_special=false", golden.ids) { tok.encode($0) }
        Self.expectIDs("\(name) add_special=true", golden.ids_add_special) { tok.encode($0, addSpecial: true) }
    }

    @Test(arguments: models)
    func countsAgreeWithEncode(_ name: String) throws {
        let tok = try Self.load(name)
        let counts = tok.counts(Self.texts)
        for (i, text) in Self.texts.enumerated() {
            let n = tok.encode(text).count
            #expect(tok.count(text) == n && counts[i] == n)
        }
    }

    @Test func readsTheVocabularyAndFlags() throws {
        let smol = try Self.load("smollm2")
        #expect(smol.model == "gpt2" && smol.vocabularySize == 49152)
        #expect(smol.bosTokenID == nil && smol.eosTokenID == nil)  // add_bos_token is false in the file
        #expect(smol.bosToken == "<|im_start|>")
        #expect("\(smol.pipeline.plan)" == "scanDigits(FathomText.SplitPattern.gpt2)")
        #expect(smol.encode("<|im_start|>user") == [1, 4093])  // a control token in the text is one token

        let gemma = try Self.load("gemma3")
        #expect(gemma.model == "llama" && gemma.vocabularySize == 262_144)
        #expect(gemma.bosTokenID == 2 && gemma.eosTokenID == nil && gemma.bosToken == "<bos>")
        #expect("\(gemma.pipeline.plan)" == "wholeSegment")
        #expect(gemma.promptTokenCount("Hello world") == 3)
        // User-defined tokens (newline and space runs) and control tokens are matched in the raw text.
        #expect(gemma.encode("<start_of_turn>user\n  hi") == [105, 2364, 107, 138, 2202])

        let loaded = try TokenizerLoader.load(try Self.path("gemma3"))
        #expect(loaded.name == "gguf:gemma3.tokenizer.gguf")
        #expect(loaded.fingerprint == gemma.fingerprint && gemma.fingerprint != smol.fingerprint)
        #expect(gemma.fingerprint.hasPrefix("sha256:") && gemma.fingerprint.count == 71)
    }

    // MARK: - Synthetic vocabularies (expected ids checked against llama.cpp when written)

    /// A GGUF array payload of strings.
    static func strings(_ items: [String]) -> [UInt8] {
        var out = le(UInt32(8)) + le(UInt64(items.count))
        for s in items { out += le(UInt64(s.utf8.count)) + Array(s.utf8) }
        return out
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    static func write(_ entries: [(String, UInt32, [UInt8])], _ name: String) throws -> String {
        let path = RepoPaths.temporaryDirectory("gguf-synthetic") + "/\(name).gguf"
        try ChatTemplateRenderingTests.gguf(entries).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// SentencePiece-style: `<unk> <s> </s>`, 256 byte tokens, `▁ a b c ab bc ▁a` (ab and bc tie on score),
    /// user-defined `xy` and `yzz`, add_space_prefix on.
    static func sentencePiece(extra: [(String, UInt32, [UInt8])] = []) throws -> String {
        let tokens = ["<unk>", "<s>", "</s>"] + (0..<256).map { String(format: "<0x%02X>", $0) }
            + ["▁", "a", "b", "c", "ab", "bc", "▁a", "xy", "yzz"]
        let types: [Int32] = [2, 3, 3] + [Int32](repeating: 6, count: 256) + [1, 1, 1, 1, 1, 1, 1, 4, 4]
        let scores: [Float] = [0, 0, 0] + [Float](repeating: 0, count: 256) + [-1, -2, -3, -4, -5, -5, -6, 0, 0]
        return try write([
            ("general.architecture", 8, ChatTemplateRenderingTests.string("llama")),
            ("tokenizer.ggml.model", 8, ChatTemplateRenderingTests.string("llama")),
            ("tokenizer.ggml.tokens", 9, strings(tokens)),
            ("tokenizer.ggml.scores", 9, le(UInt32(6)) + le(UInt64(scores.count)) + scores.flatMap { le($0.bitPattern) }),
            ("tokenizer.ggml.token_type", 9, le(UInt32(5)) + le(UInt64(types.count)) + types.flatMap { le($0) }),
            ("tokenizer.ggml.bos_token_id", 4, le(UInt32(1))),
            ("tokenizer.ggml.eos_token_id", 4, le(UInt32(2))),
            ("tokenizer.ggml.add_space_prefix", 7, [1]),
        ] + extra, "sp" + String(extra.count))
    }

    @Test func sentencePieceRulesMatchLlamaCpp() throws {
        let tok = try GGUFTokenizer(path: Self.sentencePiece())
        #expect(tok.encode("abc") == [259, 263, 262])  // ab and bc tie: the leftmost merges first
        #expect(tok.encode("xyzz") == [259, 123, 267])  // the longer yzz claims its text before xy (HF would take xy)
        #expect(tok.encode("é") == [259, 198, 172])  // a character outside the vocabulary: <0xC3> <0xA9>
        #expect(tok.encode("a</s>a") == [265, 2, 265])  // a space prefix after every special token
        #expect(tok.encode("ab c") == [259, 263, 259, 262])
        #expect(tok.encode("") == [] && tok.encode("", addSpecial: true) == [1])
        #expect(tok.encode("a", addSpecial: true) == [1, 265])
    }

    @Test func addBOSAndEOSFollowTheFile() throws {
        let path = try Self.sentencePiece(extra: [
            ("tokenizer.ggml.add_bos_token", 7, [0]), ("tokenizer.ggml.add_eos_token", 7, [1]),
        ])
        let tok = try GGUFTokenizer(path: path)
        #expect(tok.bosTokenID == nil && tok.eosTokenID == 2)
        #expect(tok.encode("a", addSpecial: true) == [265, 2])
    }

    // MARK: - Errors name the file and the key

    static func byteLevel(model: String = "gpt2", pre: String? = "smollm", merges: [String]? = ["a b"]) throws -> String {
        var entries: [(String, UInt32, [UInt8])] = [
            ("tokenizer.ggml.model", 8, ChatTemplateRenderingTests.string(model)),
            ("tokenizer.ggml.tokens", 9, strings(["a", "b", "ab"])),
        ]
        if let pre { entries.append(("tokenizer.ggml.pre", 8, ChatTemplateRenderingTests.string(pre))) }
        if let merges { entries.append(("tokenizer.ggml.merges", 9, strings(merges))) }
        return try write(entries, "bl-\(model)-\(pre ?? "none")-\(merges?.count ?? -1)-\(merges?.first ?? "")")
    }

    static func expectError(_ path: String, component: String, mentions: String) {
        do {
            _ = try GGUFTokenizer(path: path)
            Issue.record("expected an error for \(component)")
        } catch let error as TokenizerLoadError {
            #expect(error.file == path && error.component == component, "\(error)")
            #expect(error.message.contains(mentions), "\(error)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func aSmallByteLevelVocabularyLoads() throws {
        let tok = try GGUFTokenizer(path: Self.byteLevel())
        #expect(tok.encode("ab") == [2] && tok.encode("ba") == [1, 0])
    }

    @Test func loadErrorsNameTheFileAndTheKey() throws {
        Self.expectError(try Self.byteLevel(model: "t5"), component: "tokenizer.ggml.model", mentions: "'t5'")
        Self.expectError(try Self.byteLevel(pre: "no-such-pre"), component: "tokenizer.ggml.pre", mentions: "'no-such-pre'")
        Self.expectError(try Self.byteLevel(pre: nil), component: "tokenizer.ggml.pre", mentions: "missing")
        Self.expectError(try Self.byteLevel(merges: nil), component: "tokenizer.ggml.merges", mentions: "missing")
        Self.expectError(try Self.byteLevel(merges: ["a c"]), component: "tokenizer.ggml.merges", mentions: "merge #0 'a c'")
        let noTokens = try Self.write([("tokenizer.ggml.model", 8, ChatTemplateRenderingTests.string("llama"))], "no-tokens")
        Self.expectError(noTokens, component: "tokenizer.ggml.tokens", mentions: "missing")
        let badScores = try Self.write([
            ("tokenizer.ggml.model", 8, ChatTemplateRenderingTests.string("llama")),
            ("tokenizer.ggml.tokens", 9, Self.strings(["a"])),
            ("tokenizer.ggml.scores", 9, Self.strings(["x"])),
        ], "bad-scores")
        Self.expectError(badScores, component: "tokenizer.ggml.scores", mentions: "float32")

        // A truncated file: the error names the file, the key being read and the byte offset.
        let full = try Data(contentsOf: URL(fileURLWithPath: try Self.sentencePiece()))
        let cut = RepoPaths.temporaryDirectory("gguf-synthetic") + "/cut.gguf"
        try full.prefix(full.count - 1).write(to: URL(fileURLWithPath: cut))
        Self.expectError(cut, component: "tokenizer.ggml.add_space_prefix", mentions: "byte")
    }
}
