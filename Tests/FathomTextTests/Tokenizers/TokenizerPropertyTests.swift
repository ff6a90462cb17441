import Foundation
import FathomCore
import Testing

@testable import FathomText

/// Properties that hold by construction (and only where they are guaranteed).
@Suite struct TokenizerPropertyTests {
    static let texts = TokenizerFixtures.texts

    /// Lossless except around added tokens with lstrip/rstrip (`<rs>` in the Llama-3-style fixture), which absorb
    /// the whitespace next to them.
    @Test(arguments: ["gpt2", "llama3", "o200k-split"])
    func byteLevelDecodeRoundTrips(_ name: String) throws {
        let tok = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
        for text in Self.texts where !text.contains("<rs>") { #expect(tok.decode(tok.encode(text)) == text) }
        #expect(tok.decode(tok.encode("x  <rs>  y")) == (name == "gpt2" ? "x  <rs>  y" : "x<rs>y"))
    }

    @Test(arguments: ["cl100k", "o200k"])
    func tiktokenDecodeRoundTrips(_ pattern: String) throws {
        let golden = try TokenizerFixtures.tiktokenGolden(pattern)
        let tok = try TiktokenTokenizer(path: TokenizerFixtures.path("llama3.tiktoken"),
                                        pattern: try #require(TiktokenTokenizer.Pattern(rawValue: pattern)),
                                        specialTokens: golden.special_tokens)
        for text in Self.texts { #expect(tok.decode(tok.encode(text)) == text) }
    }

    /// With the cl100k-family and o200k patterns no piece crosses a newline followed by a letter, and no
    /// lookahead reaches past it, so encoding splits there: encode(a + "\n" + "Z" + b) == encode(a + "\n") +
    /// encode("Z" + b). (Not true for GPT-2's pattern, where `\s+(?!\S)` splits "\n\n" differently before a letter.)
    @Test func encodingSplitsAtNewlineBeforeLetter() throws {
        let hf = try HFTokenizer(path: TokenizerFixtures.path("llama3.tokenizer.json"))
        let o200 = try HFTokenizer(path: TokenizerFixtures.path("o200k-split.tokenizer.json"))
        let tt = try TokenizerLoader.load(TokenizerFixtures.path("llama3.tiktoken"))
        var rng = SplitMix(seed: 42)
        let pool = Self.texts.filter { !$0.contains("<") && !$0.contains(">") }
        for _ in 0..<300 {
            let a = pool[Int(rng.next() % UInt64(pool.count))] + "\n"
            let b = "Z" + pool[Int(rng.next() % UInt64(pool.count))]
            for tok in [hf, o200, tt] as [any Tokenizer] {
                #expect(tok.encode(a + b) == tok.encode(a) + tok.encode(b), "\(tok.name): \(String(reflecting: a + b))")
            }
        }
    }

    /// Segments between special tokens are encoded independently.
    @Test func specialTokensSeparateSegments() throws {
        let hf = try HFTokenizer(path: TokenizerFixtures.path("llama3.tokenizer.json"))
        let golden = try TokenizerFixtures.tiktokenGolden("cl100k")
        let tt = try TiktokenTokenizer(path: TokenizerFixtures.path("llama3.tiktoken"), specialTokens: golden.special_tokens)
        let eot = try #require(golden.special_tokens["<|eot_id|>"])
        let pool = Self.texts.filter { !$0.contains("<") && !$0.contains(">") }
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let a = pool[Int(rng.next() % UInt64(pool.count))]
            let b = pool[Int(rng.next() % UInt64(pool.count))]
            for tok in [hf, tt] as [any Tokenizer] {
                #expect(tok.encode(a + "<|eot_id|>" + b) == tok.encode(a) + [eot] + tok.encode(b))
            }
        }
    }

    /// The heap merge (long words) and the scan merge (short pieces) agree.
    @Test(arguments: ["llama3", "sp", "sp-unk", "gpt2"])
    func heapAndScanMergesAgree(_ name: String) throws {
        let scan = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
        let heap = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
        scan.pipeline.model.heapThreshold = .max
        heap.pipeline.model.heapThreshold = 1
        for text in Self.texts { #expect(scan.encode(text) == heap.encode(text)) }
    }

    /// Cutting SentencePiece-style words before a metaspace never changes the result.
    @Test(arguments: ["sp", "sp-unk"])
    func metaspaceCutsAreExact(_ name: String) throws {
        let cut = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
        let whole = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
        #expect(cut.pipeline.chunkMetaspace != nil)
        #expect(!cut.pipeline.unsafeBeforeMetaspace.isEmpty)  // the fixture has "▁▁", ".▁", "e▁" merges
        whole.pipeline.chunkMetaspace = nil
        var rng = SplitMix(seed: 3)
        var inputs = Self.texts
        for _ in 0..<200 {
            inputs.append((0..<8).map { _ in Self.texts[Int(rng.next() % UInt64(Self.texts.count))] }.joined(separator: " "))
        }
        for text in inputs { #expect(cut.encode(text) == whole.encode(text)) }
    }

    /// The per-call cache is bounded and cleared when full; results do not depend on it.
    @Test func longInputMatchesPieceByPieceEncoding() throws {
        let tok = try HFTokenizer(path: TokenizerFixtures.path("llama3.tokenizer.json"))
        let paragraphs = Self.texts.filter { !$0.contains("<") && !$0.contains(">") && !$0.isEmpty }
        // Newline followed by a letter is a guaranteed cut point for the Llama-3 pattern.
        let parts = paragraphs.enumerated().map { ($0.offset == 0 ? "" : "Q") + $0.element + "\n" }
        let doc = parts.joined()
        var expected: [Int] = []
        for p in parts { expected += tok.encode(p) }
        #expect(tok.encode(doc) == expected)
        #expect(tok.count(doc) == expected.count)
    }

    /// Encoding keeps no shared mutable state: concurrent calls give the same ids.
    @Test func concurrentEncodingIsDeterministic() async throws {
        let hf = try HFTokenizer(path: TokenizerFixtures.path("sp.tokenizer.json"))
        let tt = try TokenizerLoader.load(TokenizerFixtures.path("llama3.tiktoken"))
        let texts = Array(Self.texts.suffix(300))
        let expectedHF = texts.map { hf.encode($0) }
        let expectedTT = texts.map { tt.encode($0) }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { texts.map { hf.encode($0) } == expectedHF && texts.map { tt.encode($0) } == expectedTT }
            }
            for await ok in group { #expect(ok) }
        }
    }

    @Test func emptyTextHasNoTokens() throws {
        for name in HFTokenizerGoldenTests.fixtures {
            let tok = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
            #expect(tok.encode("").isEmpty)
            #expect(tok.count("") == 0)
        }
    }
}

/// A small deterministic PRNG for property tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
