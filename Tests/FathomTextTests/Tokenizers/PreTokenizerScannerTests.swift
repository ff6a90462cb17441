import Foundation
import Testing

@testable import FathomText

/// The byte scanners split text exactly like the regexes (HF `Split(Regex, Isolated)` for the HF patterns,
/// Python `regex.findall` for tiktoken's possessive cl100k and o200k).
@Suite struct PreTokenizerScannerTests {
    static let cases: [(String, SplitPattern)] = [
        ("gpt2", .gpt2), ("llama3", .llama3), ("qwen2", .qwen2), ("o200k", .o200k), ("cl100k", .cl100k),
        ("o200k-tiktoken", .o200k),
    ]

    @Test(arguments: 0..<6)
    func splitsLikeTheRegex(_ index: Int) throws {
        let (key, pattern) = Self.cases[index]
        let all = try JSONDecoder().decode([String: [[Int]]].self, from: TokenizerFixtures.data("pretokenizer.golden.json"))
        let expected = try #require(all[key])
        var mismatches = 0
        for (i, want) in expected.enumerated() {
            let text = TokenizerFixtures.texts[i]
            let got = pattern.pieceLengths(Array(text.utf8))
            if got != want {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(key) #\(i) \(String(reflecting: text)): got \(got) want \(want)") }
            }
        }
        #expect(mismatches == 0)
    }

    /// HF `Digits` (both modes), through the general pre-tokenizer path.
    @Test(arguments: [("digits-individual", true), ("digits-contiguous", false)])
    func digitsSplitLikeHF(_ key: String, _ individual: Bool) throws {
        let all = try JSONDecoder().decode([String: [[Int]]].self, from: TokenizerFixtures.data("pretokenizer.golden.json"))
        let expected = try #require(all[key])
        let json = TokenizerErrorTests.json(pre: #"{"type":"Digits","individual_digits":\#(individual)}"#)
        let tok = try HFTokenizer(json: Array(json.utf8), file: "digits.json")
        var mismatches = 0
        for (i, want) in expected.enumerated() {
            let text = TokenizerFixtures.texts[i]
            let got = tok.pipeline.generalPieces(Array(text.utf8), atOrigin: true).map(\.count)
            if got != want {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(key) #\(i) \(String(reflecting: text)): got \(got) want \(want)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func everyKnownRegexMapsToAScanner() {
        #expect(Set(SplitPattern.knownRegexes.values) == Set(SplitPattern.allCases))
    }
}
