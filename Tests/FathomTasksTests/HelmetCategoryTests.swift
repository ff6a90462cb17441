import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// What each HELMET category task promises beyond the conformance kit: where answers are (and are not), graded
/// relevance, citation support, counts, budgets, balance, lengths down to 1K, and scores of realistic answers.
@Suite struct HelmetCategoryTests {
    static let registry: Registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let helmetTasks = registry.taskNames.filter {
        ["helmet.rag", "helmet.rerank", "helmet.cite", "helmet.longqa", "helmet.summ", "helmet.icl"].contains(where: $0.hasPrefix)
    }

    func sample(_ name: String, length: Int = 4096, index: Int = 0, seed: UInt64 = 42) throws -> (any TaskPlugin, Sample) {
        let task = try Self.registry.task(named: name)
        let s = try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
        return (task, s)
    }

    func score(_ task: any TaskPlugin, _ text: String, _ s: Sample, truncated: Bool = false) throws -> Score {
        try task.score(ModelResponse(text: text, finishReason: truncated ? "length" : "stop"), sample: s, context: ScoringContext())
    }

    func occurrences(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theHelmetSuiteHoldsEveryCategory() throws {
        let suite = try #require(Self.registry.suites["helmet"])
        #expect(suite.lengths == [8192, 16_384, 32_768, 65_536, 131_072] && suite.tasks.first == "helmet.json_kv")
        #expect(Set(suite.tasks) == Set(Self.helmetTasks + ["helmet.json_kv"]))
    }

    @Test func everyCategoryWorksAt1K() throws {
        #expect(Self.helmetTasks.count == 10)
        for name in Self.helmetTasks {
            let (task, s) = try sample(name, length: 1024)
            #expect(LengthRule.holds(promptTokens: s.metadata.promptTokens, maxTokens: s.generation.maxTokens, length: 1024), "\(name)")
            #expect(try score(task, task.oracleAnswer(sample: s), s).value == 1, "\(name)")
        }
    }

    @Test func ragAnswersAreWrittenOnlyInTheGoldPassage() throws {
        for index in 0..<4 {
            let (task, s) = try sample("helmet.rag_single", length: 8192, index: index)
            let answer = s.reference.answers[0]
            // A name is written once, in the gold passage (a year or number may also occur in a demo).
            if !answer.contains(where: { $0.isNumber }) { #expect(occurrences(answer, in: s.promptText) == 1, "\(answer)") }
            // A verbose answer that also names decoys still scores SubEM, and is flagged.
            let decoys = try #require(s.reference.structured?["decoys"]).arrayValue ?? []
            if let decoy = decoys.first?.stringValue {
                let many = try score(task, " It could be \(decoy) or \(answer).", s)
                #expect(many.value == 1 && many.details?["several_candidates"] == .bool(true))
            }
            #expect(try score(task, " Answer: \(answer)\nBecause the passage says so.", s).metrics["exact_match"] == 1)
            #expect(try score(task, " I don't know.", s).value == 0)
        }
        for index in 0..<3 {
            let (_, s) = try sample("helmet.rag_multihop", length: 8192, index: index)
            #expect(s.metadata.needles.count == 2)
            #expect(s.metadata.axes["question"].map { "\($0)" }?.contains(">") == true)
        }
    }

    @Test func rerankGradesFollowTheRubric() throws {
        let (task, s) = try sample("helmet.rerank", length: 8192, index: 1)
        let grades = try #require(s.reference.structured?["grades"]?.objectValue)
        #expect(grades.values.filter { $0 == .int(3) }.count == 1)
        #expect(grades.values.contains(.int(2)) && grades.values.contains(.int(1)) && grades.values.contains(.int(0)))
        // Every ID in the prompt is graded, and IDs are unique 5–7-digit numbers.
        let ids = s.promptText.components(separatedBy: "[ID: ").dropFirst().map { String($0.prefix { $0.isNumber }) }
        #expect(Set(ids).isSuperset(of: grades.keys) && grades.keys.allSatisfy { (5...7).contains($0.count) })
        let ideal = s.reference.answers
        #expect(try score(task, " " + ideal.joined(separator: " > "), s).value == 1)
        #expect(try score(task, " " + ideal.reversed().joined(separator: " > "), s).value < 1)
        // A numbered list, decorated, cut at max_tokens.
        let list = ideal.enumerated().map { "\($0.offset + 1). [ID: \($0.element)]" }.joined(separator: "\n") + "\n11. 12"
        let listed = try score(task, list, s, truncated: true)
        #expect(listed.value == 1 && listed.details?["format"] == .string("list") && listed.details?["dropped_cut_off_id"] == .bool(true))
        #expect(try score(task, "", s).value == 0)
    }

    @Test func citationsAreCheckedAgainstTheFactIndex() throws {
        let (task, s) = try sample("helmet.cite_asqa", length: 8192, index: 2)
        let oracle = task.oracleAnswer(sample: s)
        let perfect = try score(task, oracle, s)
        #expect(perfect.metrics["str_em"] == 1 && perfect.metrics["citation_rec"] == 1 && perfect.metrics["citation_prec"] == 1)
        // Right answers, citations out of range: answer metric 1, citations 0.
        let miscited = try score(task, oracle.replacingOccurrences(of: "]", with: "0]"), s)
        #expect(miscited.metrics["str_em"] == 1 && miscited.metrics["citation_rec"] == 0)
        // Every gold document states its answer: the prompt's document with that number contains the value.
        let support = try #require(s.reference.structured?["support"]?["answers"]?.arrayValue)
        for answer in support {
            let value = try #require(answer["value"]?.stringValue)
            let doc = try #require(answer["documents"]?.arrayValue?.first?.intValue)
            let text = try #require(s.promptText.components(separatedBy: "Document [\(doc)](").dropFirst().first)
            #expect(String(text.prefix { $0 != "\n" }).contains(value))
        }
        let (listTask, list) = try sample("helmet.cite_qampari", length: 8192, index: 1)
        let items = list.reference.answers
        #expect(items.count >= 2)
        let uncited = try score(listTask, " " + items.joined(separator: ", ") + ".", list)
        #expect(uncited.metrics["rec_top5"] == 1 && uncited.metrics["citation_rec"] == 0 && uncited.value == 1.0 / 3.0)
    }

    @Test func longQAQuestionsHaveExactAnswers() throws {
        // Index 3 asks how many times; the planted visits are the only sentences naming both the person and the place.
        let (task, s) = try sample("helmet.longqa_qa", length: 8192, index: 3)
        #expect(s.metadata.axes["question"] == .label("how_many"))
        let question = try #require(s.reference.structured?["question"]?.stringValue)
        let words = question.dropFirst("How many times did ".count).dropLast(1).components(separatedBy: " visit ")
        let (person, place) = (words[0], words[1])
        let sentences = s.promptText.components(separatedBy: ". ").filter { $0.contains(person) && $0.contains(place) && !$0.contains("How many") }
        #expect(String(sentences.count) == s.reference.answers[0])
        #expect(try score(task, " \(s.reference.answers[0]) times", s).metrics["subem"] == 1)
        let (choice, c) = try sample("helmet.longqa_choice", length: 8192, index: 0)
        let options = try #require(c.reference.structured?["options"]?.arrayValue)
        #expect(options.count == 4)
        let right = try #require(c.reference.structured?["correct"]?.intValue)
        let letter = String(Character(Unicode.Scalar(UInt8(65 + right))))
        #expect(try score(choice, "**\(letter)**", c).value == 1 && score(choice, "(\(letter)) " + (options[right].stringValue ?? ""), c).value == 1)
        #expect(try score(choice, letter == "A" ? "B" : "A", c).value == 0)
    }

    @Test func summariesCountKeyFactsAndBudgetFollowsThem() throws {
        var seen: Set<Int> = []
        for index in 0..<4 {
            let (task, s) = try sample("helmet.summ_case", length: 32_768, index: index)
            let facts = try #require(s.reference.structured?["facts"]?.arrayValue)
            seen.insert(facts.count)
            #expect(s.metadata.axes["key_facts"] == .number(Double(facts.count)))
            let words = try #require(s.metadata.knobs["summary_words"])
            #expect(words == .int(20 + 15 * facts.count) && s.generation.maxTokens == Int(1.5 * Double(20 + 15 * facts.count)) + 60)
            for fact in facts { #expect(s.promptText.contains(try #require(fact["value"]?.stringValue))) }
            let oracle = task.oracleAnswer(sample: s)
            #expect(try score(task, oracle, s).metrics["rouge_l"] == 1)
            // An invented judge and date lower precision, not recall.
            let invented = try score(task, oracle + " Judge Zebedee Quillfeather ruled on 3 May 1999.", s)
            #expect(invented.metrics["keyfact_recall"] == 1 && invented.metrics["keyfact_precision"]! < 1)
        }
        #expect(seen.count > 1)
    }

    @Test func iclShotsAreLabelBalancedWithShuffledIntegers() throws {
        for name in ["helmet.icl_coarse", "helmet.icl_fine"] {
            let (task, s) = try sample(name, length: 8192, index: 1)
            let labels = s.promptText.components(separatedBy: "\nlabel: ").dropFirst().map { String($0.prefix { $0.isNumber }) }
            var counts: [String: Int] = [:]
            for label in labels { counts[label, default: 0] += 1 }
            let expected = name.hasSuffix("coarse") ? 6 : 50
            #expect(counts.count == expected && counts.values.max()! - counts.values.min()! <= 1, "\(name): \(counts)")
            let answer = s.reference.answers[0]
            #expect(try score(task, " \(answer) (because of the root)", s).value == 1)
            #expect(try score(task, "label: **\(answer)**", s).value == 1)
            #expect(try score(task, " \(answer)0", s).value == 0)
            // A list item or a number inside a sentence is not a label (SmolLM2 answered "1. The best way to…").
            #expect(try score(task, " \(answer). The best way to laugh is to laugh at the hat.\n2. The best", s).value == 0)
            #expect(try score(task, " \(answer)) Sell the lanternyard", s).value == 0)
            #expect(try score(task, " The label is \(answer)", s).value == 0)
            #expect(try score(task, " \(answer).", s).value == 1)
            #expect(try score(task, " `\(answer)` because of the root", s).value == 1)
        }
        // The integer a label is shown as changes from sample to sample.
        let shown = try (0..<6).map { try sample("helmet.icl_coarse", length: 4096, index: $0).1.reference.structured?["root"]?.stringValue ?? "" }
        #expect(Set(shown).count > 1)
    }
}
