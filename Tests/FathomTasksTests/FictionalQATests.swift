import FathomCore
import FathomMetrics
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

@Suite struct FictionalQATests {
    let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let instruction = "Answer the question based on the given documents. Only give me the answer and do not output any other words."

    func sample(
        _ name: String, length: Int = 8192, index: Int = 0, seed: UInt64 = 42, tokenizer: any Tokenizer = ApproxTokenizer()
    ) throws -> Sample {
        let task = try registry.task(named: name)
        return try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: tokenizer, renderer: PlainPromptRenderer()))
    }

    /// The documents in prompt order (number, lowercased body) and the question, read back from the prompt.
    func parse(_ s: Sample) throws -> (docs: [(number: Int, body: String)], question: String) {
        let user = s.messages[0].content
        let head = Self.instruction + "\n\nThe following are given documents.\n\n"
        #expect(user.hasPrefix(head))
        let tail = try #require(user.range(of: "\n\n" + Self.instruction + "\n\nQuestion: ", options: .backwards))
        let context = String(user[user.index(user.startIndex, offsetBy: head.count)..<tail.lowerBound])
        #expect(context.hasPrefix("Document 1:\n"))
        var docs: [(Int, String)] = []
        for block in ("\n\n" + context).components(separatedBy: "\n\nDocument ").dropFirst() {
            let colon = try #require(block.range(of: ":\n"))
            let number = try #require(Int(block[..<colon.lowerBound]))
            docs.append((number, String(block[colon.upperBound...]).lowercased()))
        }
        return (docs, String(user[tail.upperBound...]))
    }

    func goldNumbers(_ s: Sample) throws -> [Int] {
        guard case .list(let items)? = s.metadata.knobs["gold_documents"] else { throw TestFailure("no gold_documents knob") }
        return items.compactMap { if case .int(let n) = $0 { n } else { nil } }
    }

    func occurrences(of needle: String, in text: String) -> Int {
        text.lowercased().components(separatedBy: needle.lowercased()).count - 1
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test(arguments: ["ruler.qa_1", "ruler.qa_2"])
    func promptFollowsRulerTemplate(name: String) throws {
        let s = try sample(name)
        #expect(s.answerPrefix == " Answer:" && s.generation.maxTokens == 32 && s.messages.count == 1)
        let task = try registry.task(named: name)
        #expect(task.descriptor.metrics == ["string_match_part"])
        let (docs, question) = try parse(s)
        #expect(question.hasSuffix("?") && !question.contains("\n"))
        #expect(docs.count > 20)
        for doc in docs {
            let lines = doc.body.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && !lines[0].isEmpty && lines[1].hasSuffix("."), "document \(doc.number) is not a title and sentences")
        }
        #expect(s.promptText.hasSuffix("Question: " + question + " Answer:"))
    }

    @Test(arguments: ["ruler.qa_1", "ruler.qa_2"])
    func documentsAreNumberedConsecutively(name: String) throws {
        let gpt2 = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/gpt2.tokenizer.json")
        for (length, tokenizer) in [(2048, ApproxTokenizer() as any Tokenizer), (8192, ApproxTokenizer()), (32_768, ApproxTokenizer()), (8192, gpt2)] {
            for index in 0..<3 {
                let s = try sample(name, length: length, index: index, tokenizer: tokenizer)
                let (docs, _) = try parse(s)
                #expect(docs.map(\.number) == Array(1...docs.count), "\(name) @\(length) #\(index): numbering")
                #expect(s.metadata.knobs["documents"] == .int(docs.count))
                let gold = try goldNumbers(s)
                #expect(gold.count == (name == "ruler.qa_1" ? 1 : 2) && gold.allSatisfy { (1...docs.count).contains($0) })
                #expect(Set(gold).count == gold.count)
            }
        }
    }

    @Test func singleHopAnswerIsOnlyInTheGoldDocument() throws {
        var subjectInDistractors = 0
        for index in 0..<10 {
            let s = try sample("ruler.qa_1", index: index)
            let (docs, question) = try parse(s)
            let answer = s.reference.answers[0]
            let gold = try #require(try goldNumbers(s).first)
            #expect(answer.count >= 5)
            #expect(occurrences(of: answer, in: s.promptText) == 1, "the answer \(answer) occurs more than once")
            for doc in docs {
                #expect(doc.body.contains(answer.lowercased()) == (doc.number == gold), "document \(doc.number) (gold \(gold))")
            }
            #expect(!question.lowercased().contains(answer.lowercased()))
            // The question's subject is the gold document's title, and distractors talk about it too.
            let subject = s.metadata.needles[0].key
            #expect(docs[gold - 1].body.hasPrefix(subject.lowercased() + "\n"))
            #expect(question.contains(subject))
            if docs.contains(where: { $0.number != gold && $0.body.contains(subject.lowercased()) }) { subjectInDistractors += 1 }
        }
        #expect(subjectInDistractors == 10)
    }

    @Test func twoHopNeedsBothDocuments() throws {
        var kinds: Set<ParameterValue> = []
        for index in 0..<12 {
            let s = try sample("ruler.qa_2", index: index)
            let (docs, question) = try parse(s)
            let answer = s.reference.answers[0].lowercased()
            let gold = try goldNumbers(s)
            let (first, second) = (docs[gold[0] - 1].body, docs[gold[1] - 1].body)
            let subject = s.metadata.needles[0].key.lowercased(), bridge = s.metadata.needles[1].key.lowercased()
            kinds.insert(s.metadata.knobs["question"]!)
            // The question names the subject only; the first document links it to the bridge, the second the
            // bridge to the answer, which occurs nowhere else.
            #expect(question.lowercased().contains(subject) && !question.lowercased().contains(bridge) && !question.lowercased().contains(answer))
            #expect(first.hasPrefix(subject + "\n") && first.contains(bridge) && !first.contains(answer))
            #expect(second.hasPrefix(bridge + "\n") && second.contains(answer) && !second.contains(subject))
            #expect(occurrences(of: answer, in: s.promptText) == 1)
            for doc in docs where !gold.contains(doc.number) { #expect(!doc.body.contains(answer)) }
            // Retrieval by entity name is not enough: distractors mention the subject and the bridge too.
            let distractors = docs.filter { !gold.contains($0.number) }
            #expect(distractors.contains { $0.body.contains(bridge) }, "bridge \(bridge) absent from distractors")
            #expect(distractors.contains { $0.body.contains(subject) }, "subject \(subject) absent from distractors")
        }
        #expect(kinds.count >= 4, "question shapes: \(kinds)")
    }

    @Test(arguments: ["ruler.qa_1", "ruler.qa_2"])
    func goldDepthVariesAndIsRecorded(name: String) throws {
        var positions: Set<Int> = []
        var requested: Set<Double> = []
        for index in 0..<12 {
            let s = try sample(name, index: index)
            let (docs, _) = try parse(s)
            let gold = try goldNumbers(s)
            #expect(s.metadata.needles.count == gold.count)
            for (needle, number) in zip(s.metadata.needles, gold) {
                let depth = try #require(needle.requestedDepth)
                requested.insert(depth)
                positions.insert(number)
                // The document sits where its depth says, and the measured depth agrees.
                #expect(abs(Double(number - 1) / Double(docs.count) - depth / 100) < 0.06, "doc \(number)/\(docs.count) for depth \(depth)")
                #expect(abs(needle.depth - depth) < 10, "measured \(needle.depth) for requested \(depth)")
                #expect(needle.tokenOffset > 0 && needle.tokenOffset < s.metadata.promptTokens)
            }
            if gold.count == 2 {
                #expect((gold[0] < gold[1]) == (s.metadata.needles[0].tokenOffset < s.metadata.needles[1].tokenOffset))
            }
        }
        #expect(positions.count >= 8 && requested.count >= 10, "gold positions \(positions.sorted())")
    }

    @Test(arguments: ["ruler.qa_1", "ruler.qa_2"])
    func samplesAreDeterministic(name: String) throws {
        let a = try sample(name, index: 3), b = try sample(name, index: 3)
        #expect(a == b)
        let c = try sample(name, index: 4), d = try sample(name, index: 3, seed: 7)
        #expect(a.promptText != c.promptText && a.promptText != d.promptText)
        #expect(a.reference != c.reference || a.metadata.needles != c.metadata.needles)
    }

    @Test(arguments: ["ruler.qa_1", "ruler.qa_2"])
    func oracleScoresOneAndAWrongEntityZero(name: String) throws {
        let task = try registry.task(named: name)
        for index in 0..<8 {
            let s = try sample(name, length: 4096, index: index)
            let answer = s.reference.answers[0]
            #expect(try task.score(text: task.oracleAnswer(sample: s), sample: s).value == 1)
            #expect(try task.score(text: " It is " + answer.uppercased() + ".", sample: s).value == 1)
            #expect(try task.score(text: "", sample: s).value == 0)
            // Entities from the prompt that are not the answer: the subject, the bridge, and another entity of
            // the answer's kind.
            for needle in s.metadata.needles { #expect(try task.score(text: " " + needle.key, sample: s).value == 0) }
            guard case .string(let shape)? = s.metadata.knobs["question"],
                let relation = FictionalWorld.Relation(rawValue: String(shape.split(separator: ">").last!))
            else { throw TestFailure("no question knob") }
            let world = FictionalWorld(seed: UInt64(index))
            let wrong = try #require(world.core[relation.objectKind]?.first { !$0.name.lowercased().contains(answer.lowercased()) })
            #expect(try task.score(text: " " + wrong.name, sample: s).value == 0)
        }
    }

    @Test func worldIsDeterministicWithUniqueNames() {
        var a = FictionalWorld(seed: 9), b = FictionalWorld(seed: 9)
        var ra = SeededRandom(seed: 1), rb = SeededRandom(seed: 1)
        let docsA = (0..<50).map { _ in a.peripheralDocument(&ra) }, docsB = (0..<50).map { _ in b.peripheralDocument(&rb) }
        #expect(docsA == docsB)
        #expect(a.coreNames == b.coreNames && Set(a.coreNames.map { $0.lowercased() }).count == a.coreNames.count)
        #expect(FictionalWorld(seed: 10).coreNames != a.coreNames)
        for doc in docsA {
            #expect((3...8).contains(doc.sentences.count))
            #expect(!doc.text().contains { $0.isNumber } || doc.sentences.contains { $0.contains("founded in") || $0.contains("year") })
        }
    }
}
