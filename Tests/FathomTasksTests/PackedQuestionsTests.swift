import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Foundation
import Testing

/// LongGenBench-style packed questions: items whose gold answers follow from their text (re-derived here by
/// independent readers), the same items whatever K, K cut to fit the length, baseline turns that obey the length
/// rule, and scores that join the packed answer with the single-item baseline.
@Suite struct PackedQuestionsTests {
    static let registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)

    /// A task of kind `packed_qa` with the given parameters.
    func task(_ params: String) throws -> any TaskPlugin {
        var registry = try Registry(kinds: BuiltinPlugins.all)
        try registry.add(TaskManifest.parse("name: t\nplugin: packed_qa\nversion: 1\nparams: {\(params)}\n", file: "t.yaml"))
        return try registry.task(named: "t")
    }

    func sample(
        _ task: any TaskPlugin, length: Int = 8192, index: Int = 0, tokenizer: any Tokenizer = ApproxTokenizer(),
        renderer: any PromptRenderer = PlainPromptRenderer()
    ) throws -> Sample {
        try task.makeSample(task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: tokenizer, renderer: renderer))
    }

    /// The questions of a prompt by id: the text after `Question_<id>:` up to the next blank line block.
    func questions(_ sample: Sample) -> [Int: String] {
        let user = sample.messages.last { $0.role == .user }!.content
        let part = user.components(separatedBy: "Following Question").last!
        var out: [Int: String] = [:]
        for block in part.components(separatedBy: "Question_").dropFirst() {
            guard let colon = block.firstIndex(of: ":"), let id = Int(block[..<colon]) else { continue }
            out[id] = String(block[block.index(after: colon)...]).components(separatedBy: "\n\n")[0].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return out
    }

    // MARK: Items

    /// GSM-style: the answer re-derived from the story by a reader of its sentences, not from the solution.
    @Test func arithmeticAnswersFollowFromTheStory() throws {
        let items = PackedItems.items(style: .gsm, seed: 11, count: 300)
        for item in items {
            let sentences = item.question.components(separatedBy: ". ").map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }
            func numbers(_ s: String) -> [Int] { s.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) } }
            var x = try #require(numbers(sentences[0]).first)
            var answer: Int?
            for s in sentences.dropFirst() {
                let n = numbers(s)
                if s.contains(" buys ") { x += n[0] * n[1] }
                else if s.contains(" fills ") { x -= n[0] * n[1] }
                else if s.contains(" gives half ") { x /= 2 }
                else if s.contains(" more ") { x += n[0] }
                else if s.contains(" gives ") { x -= n[0] }
                else if s.hasPrefix("For ") { x -= n[0] * n[1] }
                else if s.contains(" boxes ") { answer = x / n[0]; #expect(x % n[0] == 0) }
                else if s.contains(" sells ") { answer = x * n[0] }
                else if s.contains("have now") { answer = x }
                #expect(x > 0, "\(item.question)")
            }
            #expect(answer.map(String.init) == item.gold, "\(item.question)")
            #expect(item.solution.split(separator: "\n").count >= 2, "multi-step: \(item.solution)")
        }
    }

    /// MMLU-style: the stated facts read back into a graph; following the question's chain gives the gold option,
    /// and no stated fact contradicts another.
    @Test func factAnswersFollowFromTheStatedFacts() throws {
        // (marker, relation, whether the object comes first): every phrasing the world uses.
        let patterns: [(String, String, Bool)] = [
            (" was born in the city of ", "born", false), ("Records show that ", "", false), (" was born in ", "born", false),
            (" is employed by ", "works", false), ("For many years ", "", false), (" has worked for ", "works", false), (" works for ", "works", false),
            (" has its headquarters in ", "hq", false), (" is headquartered in ", "hq", false), (" was founded by ", "founder", false),
            (" founded ", "founder", true), (" lies in the province of ", "province", false), (" is a city in the province of ", "province", false),
            (" serves as the mayor of ", "mayor", true),
        ]
        func strip(_ s: String) -> String { s.hasPrefix("the ") || s.hasPrefix("The ") ? String(s.dropFirst(4)) : s }
        func parse(_ sentence: String) -> (String, String, String)? {
            var s = sentence
            for prefix in ["Records show that ", "For many years "] where s.hasPrefix(prefix) { s = String(s.dropFirst(prefix.count)) }
            for (lead, relation) in [("The headquarters of ", "hq"), ("The founder of ", "founder"), ("The mayor of ", "mayor")] where s.hasPrefix(lead) {
                let rest = s.dropFirst(lead.count)
                let split = rest.components(separatedBy: relation == "hq" ? " are in " : relation == "founder" ? " was " : " is ")
                return (strip(split[0]), relation, strip(split[1]))
            }
            for (marker, relation, inverted) in patterns where !relation.isEmpty && s.contains(marker) {
                let parts = s.components(separatedBy: marker)
                return inverted ? (strip(parts[1]), relation, strip(parts[0])) : (strip(parts[0]), relation, strip(parts[1]))
            }
            return nil
        }
        // The question wordings: (start, end, the relations followed from the subject between them).
        let hops: [(String, String, [String])] = [
            ("In which city does the organisation that ", " works for have its headquarters?", ["works", "hq"]),
            ("Who founded the organisation that ", " works for?", ["works", "founder"]),
            ("In which province is the city where ", " was born?", ["born", "province"]),
            ("Who is the mayor of the city where ", " was born?", ["born", "mayor"]), ("In which city was the founder of ", " born?", ["founder", "born"]),
            ("In which province does ", " have its headquarters?", ["hq", "province"]), ("Which organisation does ", " work for?", ["works"]),
            ("In which city was ", " born?", ["born"]), ("In which city does ", " have its headquarters?", ["hq"]),
            ("In which province is ", "?", ["province"]), ("Who founded ", "?", ["founder"]), ("Who is the mayor of ", "?", ["mayor"]),
        ]
        let items = PackedItems.items(style: .mmlu, seed: 12, count: 150)
        var names: Set<String> = []
        for item in items {
            let lines = item.question.components(separatedBy: "\n")
            #expect(lines.count == 3 && lines[2].hasPrefix("(A) ") && item.options.count == 4)
            var graph: [String: String] = [:]
            for sentence in lines[0].components(separatedBy: ". ") {
                let fact = try #require(parse(sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence), "unread: \(sentence)")
                let key = fact.0 + "|" + fact.1
                #expect(graph[key] == nil || graph[key] == fact.2, "contradiction in \(lines[0])")
                graph[key] = fact.2
            }
            let (lead, trail, chain) = try #require(hops.first { lines[1].hasPrefix($0.0) && lines[1].hasSuffix($0.1) })
            var node = strip(String(lines[1].dropFirst(lead.count).dropLast(trail.count)))
            for relation in chain { node = try #require(graph[node + "|" + relation], "\(lines[1]) at \(node) \(relation)") }
            #expect(item.options[Int(item.gold.unicodeScalars.first!.value) - 65] == node, "\(item.question)")
            #expect(item.options.filter { $0 == node }.count == 1)
            // Names never repeat across the items of one stream (a packed prompt never contradicts itself).
            for option in item.options where option != node { #expect(!names.contains(option) || graph.values.contains(option)) }
            names.formUnion(item.options)
        }
        let examples = Set(PackedItems.examples(.mmlu).flatMap(\.options))
        #expect(names.isDisjoint(with: examples), "items reuse a worked example's names")
    }

    /// CSQA-style: where an object ended up and what came next, re-read from the scene; tools by their goal.
    @Test func sceneAnswersFollowFromTheScene() throws {
        let items = PackedItems.items(style: .csqa, seed: 13, count: 300)
        #expect(Set(items.map(\.kind)) == ["tool", "where", "next"])
        for item in items {
            let lines = item.question.components(separatedBy: "\n")
            let gold = item.options[Int(item.gold.unicodeScalars.first!.value) - 65]
            #expect(item.options.count == 5 && Set(item.options).count == 5)
            switch item.kind {
            case "where":
                let object = String(lines[1].dropFirst("Where is the ".count).dropLast(" now?".count))
                let moves = lines[0].components(separatedBy: ". ").filter { $0.contains(" the \(object) from the ") }
                let last = try #require(moves.last)
                #expect(last.hasSuffix("to the " + gold) || last.hasSuffix("to the \(gold)."), "\(item.question)")
            case "next":
                let done = String(lines[1].components(separatedBy: " right after ")[1].dropLast())
                // An activity's place in the morning, found by its object words ("feeding the cat" -> "the cat").
                func position(_ option: String) -> Int? {
                    let object = option.split(separator: " ").dropFirst().joined(separator: " ")
                    return lines[0].components(separatedBy: ". ").firstIndex { $0.hasSuffix(" " + object) || $0.hasSuffix(" " + object + ".") }
                }
                let before = try #require(position(done))
                #expect(position(gold) == before + 1, "\(item.question)")
            default:
                // A commonsense key written here: what each goal needs.
                let key = [
                    "string": "scissors", "tea": "kettle", "shelf": "ladder", "floor": "broom", "nail": "hammer", "sleeve": "needle and thread",
                    "chest": "key", "plants": "watering can", "letter": "pen", "length": "tape measure", "hallway": "lantern", "vase": "glue",
                    "screw": "screwdriver", "early": "alarm clock", "tree": "shovel", "flour": "kitchen scale", "ships": "telescope", "night": "blanket",
                ]
                let goal = lines[0].components(separatedBy: " wants to ")[1]
                let needs = key.filter { goal.contains($0.key) }.map(\.value)
                #expect(needs == [gold], "\(item.question)")
            }
        }
    }

    // MARK: Samples

    @Test func theSuiteIsAsAdvertised() throws {
        let suite = try #require(Self.registry.suites["longgen"])
        #expect(suite.tasks == ["longgen.gsm", "longgen.mmlu", "longgen.csqa"] && suite.lengths == [32_768, 65_536])
        for name in suite.tasks {
            let params = try Self.registry.task(named: name).descriptor.parameters.values
            #expect(params["k"] == .list([.int(10), .int(35), .int(70)]) && params["baseline"] == .bool(true))
        }
    }

    @Test func theSameItemsWhateverKOrExamples() throws {
        let small = try sample(try task("style: mmlu, k: [10], baseline: false"))
        let large = try sample(try task("style: mmlu, k: [30], baseline: false, examples: 5, answer_tokens: 40"))
        let a = questions(small), b = questions(large)
        #expect(a.count == 10 && b.count == 30)
        for j in 0..<10 { #expect(a[4 + j] != nil && a[4 + j] == b[6 + j], "item \(j)") }
        // Another sample index asks other items.
        let other = questions(try sample(try task("style: mmlu, k: [10], baseline: false"), index: 1))
        #expect(other[4] != a[4])
    }

    @Test func kCyclesWithTheIndexAndShrinksToFitTheLength() throws {
        let cycling = try task("style: gsm, k: [3, 5], baseline: false")
        #expect(try (0..<4).map { try sample(cycling, index: $0).metadata.axes["k"] } == [.number(3), .number(5), .number(3), .number(5)])
        let big = try task("style: gsm, k: [70], baseline: false")
        let s = try sample(big, length: 2048)
        guard case .number(let k)? = s.metadata.axes["k"] else { Issue.record("no k"); return }
        #expect(k >= 1 && k < 10 && s.metadata.knobs["k_requested"] == .int(70))
        #expect(s.generation.maxTokens == Int(k) * 150 && questions(s).count == Int(k))
        #expect(LengthRule.holds(promptTokens: s.metadata.promptTokens, maxTokens: s.generation.maxTokens, length: 2048))
        #expect(try sample(big, length: 32_768).metadata.axes["k"] == .number(70))
        do {
            _ = try sample(try task("style: mmlu, k: [5], examples: 8, answer_tokens: 600"), length: 1024)
            Issue.record("one question cannot fit")
        } catch {
            #expect("\(error)".contains("too small for one question"))
        }
        #expect(throws: FathomError.self) { try task("k: [0]") }
        #expect(throws: FathomError.self) { try task("examples: 9") }
    }

    /// Every baseline turn asks one item alone, with its own budget, at the same length (exact tokenizers, and a
    /// chat template whose rendered text is what is counted).
    @Test func baselineTurnsObeyTheLengthRule() throws {
        let llama = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")
        let sp = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/sp.tokenizer.json")
        let chat = try ModelChatTemplate.load(path: RepoPaths.fixtures + "/chat/tokenizer_config.json", tokenizer: llama)
        let templated = PromptRendering(chat: chat, templateCompletions: true).renderer(for: .chatUser, tokenizer: llama)
        let cases: [(any Tokenizer, any PromptRenderer, Int, String)] = [
            (llama, PlainPromptRenderer(), 4096, "mmlu"), (sp, PlainPromptRenderer(), 4096, "csqa"), (llama, templated, 3072, "gsm"),
            (ApproxTokenizer(), PlainPromptRenderer(), 16_384, "mmlu"),
        ]
        for (tokenizer, renderer, length, style) in cases {
            let t = try task("style: \(style), k: [12], answer_tokens: 60")
            let s = try sample(t, length: length, tokenizer: tokenizer, renderer: renderer)
            #expect(s.turns.count == 12 && s.turnMode == .separate, "\(style) at \(length): \(s.metadata.axes)")
            let asked = questions(s)
            for (j, turn) in s.turns.enumerated() {
                let request = try s.turnRequest(j, previous: [], renderer: renderer)
                let tokens = tokenizer.promptTokenCount(request.promptText, bos: renderer.bos)
                #expect(request.generation.maxTokens == 60 && turn.maxTokens == 60)
                #expect(LengthRule.holds(promptTokens: tokens, maxTokens: 60, length: length), "\(style) turn \(j): \(tokens) + 60 at \(length)")
                let alone = questions(request)
                #expect(alone.count == 1 && alone[4 + j] == asked[4 + j], "turn \(j) asks item \(j) alone")
                #expect(try t.score(text: t.oracleAnswer(sample: request), sample: request).value == 1)
            }
        }
    }

    @Test func scoresJoinThePackedAnswerAndTheBaseline() throws {
        let t = try task("style: gsm, k: [6], answer_tokens: 40")
        let s = try sample(t, length: 4096)
        let oracle = t.oracleAnswer(sample: s)
        // The packed answer gets the first three right and stops there (cut at max_tokens).
        let blocks = oracle.components(separatedBy: "\n\n")
        let packed = try t.score(ModelResponse(text: blocks.prefix(3).joined(separator: "\n\n") + "\n\nAnswer_7:\nThe", finishReason: "length"), sample: s, context: ScoringContext())
        #expect(packed.value == 0.5 && packed.metrics["answered"] == 0.5)
        let details = try #require(packed.details).decode(as: ItemScores.self)
        #expect(details.outcomes == "cccmmm" && details.truncated && details.lastID == 7 && details.decileItems.reduce(0, +) == 6)
        // Alone, all but item 4 are right.
        let turns = try s.turns.indices.map { j in
            let request = try s.turnRequest(j, previous: [])
            return try t.score(text: j == 4 ? "Answer_\(8): The answer is -1." : t.oracleAnswer(sample: request), sample: request)
        }
        let combined = t.combine(turns: [packed] + turns)
        #expect(combined.value == 0.5 && combined.metrics["accuracy"] == 0.5)
        #expect(abs(combined.metrics["single_accuracy"]! - 5.0 / 6) < 1e-12 && abs(combined.metrics["drop"]! - (5.0 / 6 - 0.5)) < 1e-12)
        let joined = try #require(combined.details).decode(as: ItemScores.self)
        #expect(joined.outcomes == "cccmmm" && joined.baseline == "ccccwc" && joined.baselineCorrect == 5)
        #expect(try t.score(text: "", sample: s).value == 0 && t.combine(turns: [packed]).value == 0.5)
        // The details' direct JSON and the Codable form read back the same.
        #expect(try ItemScores(json: joined.json) == joined && joined.json.decode(as: ItemScores.self) == joined)
        #expect(ItemScores(json: .object(["outcomes": .string("c")])) == nil)
        // A hostile answer through the plugin: read up to its limit (1 MB here), scored, no crash.
        let hostile = try t.score(text: String(repeating: "Answer_4: (((( 1e999 __import__('os') ", count: 60_000), sample: s)
        #expect(hostile.value == 0 && ItemScores(json: hostile.details)?.outcomes == "dmmmmm")
    }
}
