import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct VariableTrackingTests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let instruction = "Memorize and track the chain(s) of variable assignment hidden in the following text."

    func sample(length: Int = 4096, index: Int = 0, seed: UInt64 = 42) throws -> Sample {
        let task = try registry.task(named: "ruler.vt")
        return try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
    }

    /// The demo (everything before the last instruction) and the task itself.
    func split(_ user: String) throws -> (demo: String, task: String) {
        let range = try #require(user.range(of: Self.instruction, options: .backwards))
        return (String(user[..<range.lowerBound]), String(user[range.lowerBound...]))
    }

    /// name -> right-hand side for every `VAR X = …` line of `text`.
    func assignments(_ text: String) -> [(name: String, rhs: String)] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("VAR "), let eq = line.range(of: " = ") else { return nil }
            return (String(line[line.index(line.startIndex, offsetBy: 4)..<eq.lowerBound]), String(line[eq.upperBound...]))
        }
    }

    /// Names whose value, following the chain, is `value`.
    func resolve(_ lines: [(name: String, rhs: String)], value: String) -> Set<String> {
        var known: [String: String] = [:]
        for (name, rhs) in lines {
            known[name] = rhs.hasPrefix("VAR ") ? known[String(rhs.dropFirst(4))] : rhs
        }
        return Set(known.filter { $0.value == value }.keys)
    }

    @Test func promptFollowsRulerTemplate() throws {
        let s = try sample()
        let value = try #require(s.answerPrefix.components(separatedBy: "the value ").last?.components(separatedBy: ",").first)
        #expect(value.count == 5 && Int(value) != nil)
        #expect(s.answerPrefix == " Answer: According to the chain(s) of variable assignment in the text above, 5 variables are assigned the value \(value), they are: ")
        let (_, task) = try split(s.messages[0].content)
        #expect(task.hasPrefix(Self.instruction + "\n\n"))
        #expect(task.hasSuffix("\nQuestion: Find all variables that are assigned the value \(value) in the text above."))
        #expect(task.contains("The grass is green. The sky is blue. The sun is yellow. Here we go. There and back again."))
        #expect(s.generation.maxTokens == 30 && s.messages.count == 1)
    }

    @Test func answersAreExactlyTheChainNames() throws {
        for (index, length) in [(0, 2048), (1, 2048), (2, 8192), (3, 8192), (4, 32_768), (5, 2048), (6, 4096)] {
            let s = try sample(length: length, index: index)
            let (_, task) = try split(s.messages[0].content)
            let lines = assignments(task)
            #expect(lines.count == 5)
            let value = try #require(lines.first { !$0.rhs.hasPrefix("VAR ") }?.rhs)
            #expect(value.count == 5 && Int(value) != nil)
            #expect(s.answerPrefix.contains("assigned the value \(value), they are: "))
            #expect(resolve(lines, value: value) == Set(s.reference.answers))
            #expect(s.reference.answers.count == 5 && Set(s.reference.answers).count == 5)
            for name in s.reference.answers {
                #expect(name.count == 5 && name.unicodeScalars.allSatisfy { $0.value >= 65 && $0.value <= 90 })
            }
            // Chain lines appear in order, each separated from the next by haystack (as RULER's distinct positions),
            // and their recorded offsets increase.
            #expect(lines.map { $0.name } == s.reference.answers)
            let taskLines = task.split(separator: "\n")
            for (a, b) in zip(taskLines, taskLines.dropFirst()) { #expect(!(a.hasPrefix("VAR ") && b.hasPrefix("VAR ")), "adjacent: \(a) / \(b)") }
            let offsets = s.metadata.needles.map { $0.tokenOffset }
            #expect(offsets.count == 5 && offsets == offsets.sorted())
        }
    }

    @Test func demoIsRegeneratedPerSampleAndCounted() throws {
        let a = try sample(index: 0), b = try sample(index: 1)
        let (demoA, taskA) = try split(a.messages[0].content)
        let (demoB, _) = try split(b.messages[0].content)
        #expect(demoA.hasPrefix(Self.instruction + "\n\n") && demoA.hasSuffix("\n\n"))
        #expect(demoA != demoB)
        // The demo answers its own question with 3-letter names that follow its own chain.
        let answerRange = try #require(demoA.range(of: ", they are: "))
        let demoNames = demoA[answerRange.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        #expect(demoNames.count == 5 && demoNames.allSatisfy { $0.count == 3 })
        let demoLines = assignments(String(demoA[..<answerRange.lowerBound]))
        let demoValue = try #require(demoLines.first { !$0.rhs.hasPrefix("VAR ") }?.rhs)
        #expect(resolve(demoLines, value: demoValue) == Set(demoNames))
        let demoTextLines = demoA.split(separator: "\n")
        for (x, y) in zip(demoTextLines, demoTextLines.dropFirst()) { #expect(!(x.hasPrefix("VAR ") && y.hasPrefix("VAR "))) }
        #expect(!taskA.contains(demoValue) && !a.reference.answers.contains(where: demoNames.contains))
        // The demo is inside the prompt the length rule counted, and within its own budget.
        #expect(a.promptText.hasPrefix(demoA))
        let demoTokens = ApproxTokenizer().count(demoA)
        #expect(demoTokens > 100 && demoTokens <= 500 - 30 + ApproxTokenizer().count("\n\n"))
        #expect(ContextBuilder.obeysLengthRule(promptTokens: a.metadata.promptTokens, maxTokens: 30, length: 4096))
    }

    @Test func deterministicAndSeedSensitive() throws {
        #expect(try sample(index: 3) == sample(index: 3))
        #expect(try sample(index: 3).promptText != sample(index: 3, seed: 7).promptText)
        let oracle = try registry.task(named: "ruler.vt")
        let s = try sample()
        #expect(try oracle.score(text: oracle.oracleAnswer(sample: s), sample: s).value == 1)
        #expect(try oracle.score(text: s.reference.answers.prefix(4).joined(separator: " "), sample: s).value == 0.8)
    }
}
