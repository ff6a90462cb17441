import FathomCore
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct CorpusTests {
    @Test func essayCorpusIsDeterministicAndVaried() {
        let tokenizer = ApproxTokenizer()
        let a = Haystacks.essay.units(from: 1000, count: 300, tokenizer: tokenizer)
        let b = Haystacks.essay.units(from: 1000, count: 300, tokenizer: tokenizer)
        #expect(a.texts == b.texts && a.tokens == b.tokens)
        #expect(Set(a.texts).count > 290)  // sentences rarely repeat
        #expect(a.texts.allSatisfy { $0.hasPrefix(" ") || $0.hasPrefix("\n\n") })
        #expect(a.tokens == a.texts.map { tokenizer.count($0) })
        // Generated chunk by chunk: a later chunk never changes an earlier unit.
        let early = Haystacks.essay.units(from: 10, count: 5, tokenizer: tokenizer).texts
        _ = Haystacks.essay.units(from: 50_000, count: 5, tokenizer: tokenizer)
        #expect(Haystacks.essay.units(from: 10, count: 5, tokenizer: tokenizer).texts == early)
    }

    /// The essay corpus is pinned: a change to the grammar or lexicon must bump its fingerprint.
    @Test func essayCorpusIsPinned() {
        let texts = Haystacks.essay.units(from: 0, count: 2000, tokenizer: ApproxTokenizer()).texts
        #expect(Haystacks.essay.fingerprint == "essay-v2")
        // SHA-256 of the first 2,000 units: a change to the grammar or the vocabulary must bump the fingerprint too.
        #expect(SHA256.hex(texts.joined()) == "87f04a0d0547a88874a2d73cadd9ae0cc3cd7075abf2eeaa288697b7dd0a8c30")
    }

    /// Issue 16 item 10: the essay haystack reads like varied prose (essay-v1 had about 545 word types in 7,300 words)
    /// and never contains a word of an "adjective-noun" needle key or value.
    @Test func essayHasALargeVocabularyWithoutKeyWords() {
        var words: [Substring] = []
        var unit = 0
        while words.count < 7_300 {
            for text in Haystacks.essay.units(from: unit, count: 200, tokenizer: ApproxTokenizer()).texts {
                words += text.split(whereSeparator: { !$0.isLetter }).map { Substring($0.lowercased()) }
            }
            unit += 200
        }
        let types = Set(words.prefix(7_300))
        #expect(types.count >= 2_000, "\(types.count) distinct words in 7,300")
        let keyWords = Set((Lexicon.adjectives + Lexicon.nouns).map { Substring($0) })
        let shared = types.intersection(keyWords).sorted()
        #expect(shared.isEmpty, "key words in the essay: \(shared.prefix(20))")
        // Further in, too: a needle key drawn at any depth of a 128K haystack has no twin in the prose.
        let far = Haystacks.essay.units(from: 40_000, count: 2_000, tokenizer: ApproxTokenizer()).texts.joined()
        let farWords = Set(far.split(whereSeparator: { !$0.isLetter }).map { Substring($0.lowercased()) })
        let sharedFar = farWords.intersection(keyWords).sorted()
        #expect(sharedFar.isEmpty, "key words in the essay: \(sharedFar.prefix(20))")
    }

    @Test func folderCorpusReadsSortedFilesAndHashesThem() throws {
        let dir = RepoPaths.temporaryDirectory("corpus")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "Second file. It has two sentences.".write(toFile: dir + "/b.txt", atomically: true, encoding: .utf8)
        try "First file here! Another one?\n\nNew paragraph.".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try "ignored".write(toFile: dir + "/notes.md", atomically: true, encoding: .utf8)
        let corpus = try Haystacks.folder(dir)
        let units = corpus.units(from: 0, count: 6, tokenizer: ApproxTokenizer()).texts
        #expect(units == ["\n\nFirst file here!", " Another one?", "\n\nNew paragraph.", "\n\nSecond file.", " It has two sentences.", "\n\nFirst file here!"])
        #expect(corpus.distinctUnits == 5)
        #expect(corpus.fingerprint.hasPrefix("folder-"))
        #expect(throws: FathomError.self) { _ = try Haystacks.folder(dir + "/missing") }
    }
}
