import FathomCore
import FathomText
import Testing

@Suite struct ApproxTokenizerTests {
    let tokenizer = ApproxTokenizer()

    @Test func countsFollowTheDocumentedRules() {
        #expect(tokenizer.count("hello") == 1)
        #expect(tokenizer.count(" hello") == 1)  // a leading space joins the word
        #expect(tokenizer.count("extraordinary") == 3)  // 13 letters: 1 + 12/6
        #expect(tokenizer.count("1234567") == 3)  // digits in groups of 3
        #expect(tokenizer.count("a, b.") == 4)
        #expect(tokenizer.count("  x") == 2)  // a lone space, then " x"
        #expect(tokenizer.count("日本語") == 5)  // 9 bytes, 2 per token
        #expect(tokenizer.count("") == 0)
    }

    @Test func encodeAgreesWithCountAndIsDeterministic() {
        let texts = ["The grass is green. The sky is blue.", "uuid 3f2a-11 \t\n\n end", "émigré naïve café", "x" + String(repeating: "ab ", count: 500)]
        for text in texts {
            #expect(tokenizer.encode(text).count == tokenizer.count(text))
            #expect(tokenizer.encode(text) == tokenizer.encode(text))
            #expect(tokenizer.encode(text).allSatisfy { $0 >= 0 && $0 < 1 << 20 })
        }
    }

    @Test func countsAddUpAcrossSeparatorLedUnits() {
        var rng = SeededRandom(seed: 11)
        let generator = EssayGenerator()
        var units: [String] = []
        for _ in 0..<200 { units.append(" " + generator.sentence(&rng)) }
        units.append("\nOne of the special magic numbers for calm-river is: 1234567.")
        let joined = units.joined()
        #expect(tokenizer.count(joined) == units.map { tokenizer.count($0) }.reduce(0, +))
    }
}
