import FathomCore
import Foundation
import Testing

@testable import FathomText

/// Exact parity with tiktoken on every golden text, for the Llama-3-style ranks with the cl100k and o200k
/// patterns, with special tokens (`allowed_special="all"`) and without (`disallowed_special=()`).
@Suite struct TiktokenGoldenTests {
    @Test(arguments: ["cl100k", "o200k"])
    func matchesTiktokenWithSpecials(_ pattern: String) throws {
        let golden = try TokenizerFixtures.tiktokenGolden(pattern)
        let tok = try TiktokenTokenizer(path: TokenizerFixtures.path(golden.tokenizer),
                                        pattern: try #require(TiktokenTokenizer.Pattern(rawValue: pattern)),
                                        specialTokens: golden.special_tokens)
        TokenizerFixtures.expectGolden("tiktoken-\(pattern)", golden.ids) { tok.encode($0) }
    }

    @Test(arguments: ["cl100k", "o200k"])
    func matchesTiktokenWithoutSpecials(_ pattern: String) throws {
        let golden = try TokenizerFixtures.tiktokenGolden(pattern)
        let tok = try TokenizerLoader.load(TokenizerFixtures.path(golden.tokenizer) + ":" + pattern)
        TokenizerFixtures.expectGolden("tiktoken-\(pattern)-plain", golden.ids_no_special) { tok.encode($0) }
        for text in TokenizerFixtures.texts { #expect(tok.count(text) == tok.encode(text).count) }
    }

    @Test func loaderDefaultsToCl100k() throws {
        let tok = try TokenizerLoader.load(TokenizerFixtures.path("llama3.tiktoken"))
        #expect(tok.name == "tiktoken:llama3.tiktoken:cl100k")
        #expect(tok.fingerprint.hasSuffix("/cl100k"))
        #expect(tok.bosTokenID == nil)
        let o = try TokenizerLoader.load(TokenizerFixtures.path("llama3.tiktoken") + ":o200k")
        #expect(o.fingerprint.hasSuffix("/o200k"))
        #expect(o.fingerprint.dropLast(6) == tok.fingerprint.dropLast(7))
    }

    @Test func fingerprintIsSHA256OfTheFile() throws {
        let path = TokenizerFixtures.path("llama3.tiktoken")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let tok = try TokenizerLoader.load(path)
        #expect(tok.fingerprint == "sha256:" + SHA256.hex(bytes) + "/cl100k")
    }
}
