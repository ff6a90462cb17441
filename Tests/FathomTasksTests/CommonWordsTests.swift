import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct CommonWordsTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let instruction =
        "Below is a numbered list of words. In these words, some appear more often than others. Memorize the ones that appear most often."
    static let question = "Question: What are the 10 most common words in the above list?"

    func sample(length: Int = 8192, index: Int = 0, seed: UInt64 = 42) throws -> Sample {
        let task = try registry.task(named: "ruler.cwe")
        return try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
    }

    /// Parses "1. a 2. b …", checking the numbering runs 1…n.
    func items(_ list: Substring) -> [String] {
        let parts = list.split(separator: " ")
        var words: [String] = []
        var i = 0
        while i + 1 < parts.count {
            #expect(parts[i] == "\(words.count + 1).", "bad numbering at \(parts[i])")
            words.append(String(parts[i + 1]))
            i += 2
        }
        #expect(parts.count % 2 == 0)
        return words
    }

    /// (demo list, demo answer, main list) read back from the prompt text.
    func parse(_ s: Sample) throws -> (demo: [String], demoAnswer: [String], list: [String]) {
        let user = s.messages[0].content
        let last = try #require(user.range(of: Self.instruction + "\n", options: .backwards))
        let end = try #require(user.range(of: "\n" + Self.question, options: .backwards))
        let list = items(user[last.upperBound..<end.lowerBound])
        let demoPart = user[..<last.lowerBound]
        let demoStart = try #require(demoPart.range(of: Self.instruction + "\n"))
        let demoEnd = try #require(demoPart.range(of: "\n" + Self.question + s.answerPrefix + " "))
        let demo = items(demoPart[demoStart.upperBound..<demoEnd.lowerBound])
        let demoAnswer = items(demoPart[demoEnd.upperBound...].dropLast())  // drop the "\n" before the task
        return (demo, demoAnswer, list)
    }

    func counts(_ words: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for w in words { out[w, default: 0] += 1 }
        return out
    }

    @Test func promptFollowsRulerTemplate() throws {
        let s = try sample()
        let user = s.messages[0].content
        #expect(s.answerPrefix == " Answer: The top 10 words that appear most often in the list are:")
        #expect(user.hasPrefix(Self.instruction + "\n1. "))
        #expect(user.hasSuffix("\n" + Self.question))
        #expect(user.contains(" Answer: The top 10 words that appear most often in the list are: 1. "))
        #expect(s.generation.maxTokens == 120)
    }

    @Test(arguments: [8192, 32_768])
    func topWordsAreTheMostFrequentInTheRenderedList(length: Int) throws {
        for index in 0..<3 {
            let s = try sample(length: length, index: index)
            let (_, _, list) = try parse(s)
            let c = counts(list)
            let answers = Set(s.reference.answers)
            #expect(answers.count == 10)
            for word in answers { #expect(c[word] == 30, "\(word) occurs \(c[word] ?? 0) times") }
            for (word, n) in c where !answers.contains(word) { #expect(n == 3, "\(word) occurs \(n) times") }
            let top = c.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10).map { $0.key }
            #expect(Set(top) == answers)
            #expect(c.count > 100)
            // No answer hides inside another listed word, where a substring match would credit the wrong word.
            for word in answers {
                #expect(!c.keys.contains { $0 != word && $0.contains(word) }, "\(word) occurs inside another word")
            }
        }
    }

    @Test func smallLengthsUseRulersAdjustment() throws {
        let s = try sample(length: 2048)
        let (demo, demoAnswer, list) = try parse(s)
        let c = counts(list)
        for word in s.reference.answers { #expect(c[word] == 6) }
        #expect(c.filter { !s.reference.answers.contains($0.key) }.allSatisfy { $0.value == 1 })
        #expect(demo.count == 10 * 3 + 10 && Set(demo).count == 20 && demoAnswer.count == 10)
        let big = try parse(try sample(length: 4096))
        #expect(big.demo.count == 10 * 10 + 30 * 3 && Set(big.demo).count == 40)
    }

    @Test func demoHasItsOwnWordsAndDiffersPerSample() throws {
        let a = try parse(try sample(index: 0)), b = try parse(try sample(index: 1))
        #expect(Set(a.demo).isDisjoint(with: a.list))
        let demoCounts = counts(a.demo)
        #expect(Set(a.demoAnswer) == Set(demoCounts.filter { $0.value == 10 }.keys))
        #expect(a.demo != b.demo)
    }

    @Test func eachSampleHasItsOwnPermutation() throws {
        // RULER reuses one permutation for lists of equal size; here the pattern of common positions differs.
        let a = try sample(index: 0), b = try sample(index: 1)
        let pa = try parse(a).list.prefix(200).map { a.reference.answers.contains($0) }
        let pb = try parse(b).list.prefix(200).map { b.reference.answers.contains($0) }
        #expect(pa != pb)
    }

    @Test func deterministicAndScored() throws {
        #expect(try sample(index: 2) == sample(index: 2))
        #expect(try sample(index: 2).promptText != sample(index: 2, seed: 7).promptText)
        let task = try registry.task(named: "ruler.cwe")
        let s = try sample()
        #expect(task.oracleAnswer(sample: s).hasPrefix(" 1. \(s.reference.answers[0]) 2. "))
        #expect(try task.score(text: task.oracleAnswer(sample: s), sample: s).value == 1)
        #expect(try task.score(text: s.reference.answers.prefix(5).joined(separator: ", "), sample: s).value == 0.5)
    }
}
