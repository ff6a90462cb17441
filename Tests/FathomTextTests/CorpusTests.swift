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
        #expect(Haystacks.essay.fingerprint == "essay-v1")
        #expect(SHA256.hex(texts.joined()) == EssayPin.sha256OfFirst2000Units)
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
