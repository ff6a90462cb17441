import Foundation
import Testing

@testable import FathomText

/// Exact parity with Hugging Face `tokenizers` (`encode(text, add_special_tokens=False).ids`) on every golden
/// text, for each `tokenizer.json` fixture made by scripts/tokenizers/make_fixtures.py.
@Suite struct HFTokenizerGoldenTests {
    static let fixtures = ["gpt2", "roberta", "llama3", "qwen2", "o200k-split", "sp", "sp-metaspace", "sp-unk", "digits"]

    @Test(arguments: fixtures)
    func matchesHuggingFace(_ name: String) throws {
        let golden = try TokenizerFixtures.hfGolden(name)
        let tok = try HFTokenizer(path: TokenizerFixtures.path(golden.tokenizer))
        #expect(tok.bosTokenID == golden.bos)
        TokenizerFixtures.expectGolden(name, golden.ids) { tok.encode($0) }
    }

    @Test(arguments: fixtures)
    func countEqualsEncodeCount(_ name: String) throws {
        let tok = try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json"))
        for text in TokenizerFixtures.texts {
            #expect(tok.count(text) == tok.encode(text).count)
        }
    }

    @Test func expectedPlans() throws {
        func plan(_ name: String) throws -> String {
            "\(try HFTokenizer(path: TokenizerFixtures.path("\(name).tokenizer.json")).pipeline.plan)"
        }
        #expect(try plan("llama3") == "scan(FathomText.SplitPattern.llama3)")
        #expect(try plan("qwen2") == "scan(FathomText.SplitPattern.qwen2)")
        #expect(try plan("o200k-split") == "scan(FathomText.SplitPattern.o200k)")
        #expect(try plan("gpt2") == "scan(FathomText.SplitPattern.gpt2)")
        #expect(try plan("roberta") == "general")
        #expect(try plan("sp") == "wholeSegment")
        #expect(try plan("sp-metaspace") == "general")
        #expect(try plan("digits") == "scanDigits(FathomText.SplitPattern.gpt2)")
    }

    @Test func loaderDispatchesOnSpec() throws {
        let tok = try TokenizerLoader.load(TokenizerFixtures.path("llama3.tokenizer.json"))
        #expect(tok.name == "hf:llama3.tokenizer.json")
        #expect(tok.fingerprint.hasPrefix("sha256:"))
        #expect(tok.fingerprint.count == "sha256:".count + 64)
        #expect(tok.bosTokenID == 0)
        #expect(tok.promptTokenCount("Hello world") == tok.encode("Hello world").count + 1)
    }
}
