import FathomCore
@testable import FathomTasks
import FathomTestSupport
import FathomText
import Testing

/// The task scorers see text as RULER's and HELMET's Python does, code point by code point: a combining mark after a
/// digit, a keycap or a ZWJ does not hide an answer, and canonically equivalent spellings stay different text.
@Suite struct CodePointScoringTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    func sample(_ name: String) throws -> (any TaskPlugin, Sample) {
        let task = try registry.task(named: name)
        return (task, try task.makeSample(
            task.descriptor.request(length: 4096, index: 0, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer())))
    }

    @Test(arguments: ["ruler.niah_multiquery", "ruler.niah_single_1", "ruler.vt", "ruler.cwe", "ruler.fwe", "ruler.qa_1", "helmet.json_kv"])
    func marksAfterEachAnswerDoNotHideIt(name: String) throws {
        let (task, sample) = try sample(name)
        for mark in ["\u{301}", "\u{20E3}", "\u{200D}\u{1F600}", "\u{FE0F}"] {
            let text = " " + sample.reference.answers.map { $0 + mark }.joined(separator: ", ")
            let score = try task.score(text: text, sample: sample)
            #expect(score.value == 1, "\(name) with \(Array(mark.unicodeScalars)): \(score.value)")
        }
    }

    @Test func niahKeysFoundDespiteMarks() throws {
        let (task, sample) = try sample("ruler.niah_multiquery")
        let asked = try sample.reference.decode(NeedleInHaystack.AskedNeedles.self).asked
        let text = asked[1].values.map { $0 + "\u{301}" }.joined(separator: " ")
        let score = try task.score(text: text, sample: sample)
        #expect(score.details?["keys_found"] == .array([.string(asked[1].key)]))
    }

    /// Manifest text replacements are Python's `str.replace`: by code point.
    @Test func replacementsAreByCodePoint() {
        #expect(Array("e\u{301}x e".replacingAll("e", with: "E").unicodeScalars) == ["E", "\u{301}", "x", " ", "E"])
        #expect("caf\u{E9}".replacingAll("e\u{301}", with: "!") == "caf\u{E9}")
        #expect("{v} and {v}".replacingAll("{v}", with: "x") == "x and x")
    }
}
