import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct FrequentWordsTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let instruction =
        "Read the following coded text and track the frequency of each coded word. Find the three most frequently appeared coded words. "
    static let question =
        "\nQuestion: Do not provide any explanation. Please ignore the dots '....'. What are the three most frequently appeared words in the above coded text?"

    func sample(length: Int = 8192, index: Int = 0, seed: UInt64 = 42) throws -> Sample {
        let task = try registry.task(named: "ruler.fwe")
        return try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
    }

    func words(_ s: Sample) throws -> [Substring] {
        let user = s.messages[0].content
        #expect(user.hasPrefix(Self.instruction) && user.hasSuffix(Self.question))
        return user.dropFirst(Self.instruction.count).dropLast(Self.question.count).split(separator: " ", omittingEmptySubsequences: false)
    }

    @Test func promptFollowsRulerTemplate() throws {
        let s = try sample()
        #expect(s.answerPrefix == " Answer: According to the coded text above, the three most frequently appeared words are:")
        #expect(s.generation.maxTokens == 50)
        #expect(try words(s).allSatisfy { $0 == "..." || ($0.count == 6 && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7a }) })
    }

    @Test(arguments: [2048, 8192, 32_768])
    func topThreeCountedFromThePromptAreTheAnswer(length: Int) throws {
        for index in 0..<3 {
            let s = try sample(length: length, index: index)
            var c: [Substring: Int] = [:]
            for w in try words(s) { c[w, default: 0] += 1 }
            let ranked = c.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            #expect(ranked[0].key == "...")
            let real = ranked.dropFirst()
            #expect(Set(real.prefix(3).map { String($0.key) }) == Set(s.reference.answers))
            let third = real[real.startIndex + 2].value, fourth = real[real.startIndex + 3].value
            #expect(third > fourth, "the top three are ambiguous: \(third) vs \(fourth)")
            // Zipf with alpha 2: the noise token is about four times the first word.
            #expect(Double(ranked[0].value) / Double(real.first!.value) > 3.5)
            #expect(c.count <= length / 50)
        }
    }

    @Test func deterministicPerSampleOrderAndScored() throws {
        #expect(try sample(index: 1) == sample(index: 1))
        let a = try words(try sample(index: 0)), b = try words(try sample(index: 1))
        // Each sample its own permutation: the positions of the noise token differ.
        #expect(a.prefix(300).map { $0 == "..." } != b.prefix(300).map { $0 == "..." })
        let task = try registry.task(named: "ruler.fwe")
        let s = try sample()
        #expect(try task.score(text: task.oracleAnswer(sample: s), sample: s).value == 1)
        #expect(abs(try task.score(text: s.reference.answers[0] + " ...", sample: s).value - 1.0 / 3) < 1e-9)
    }
}
