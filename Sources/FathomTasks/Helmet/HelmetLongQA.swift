import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's long-document QA category (NarrativeQA, InfiniteBench QA and multiple choice), rebuilt on a generated
/// novel of any length (`Chronicle`: a fixed cast and places, narrative that never states a planted kind of event)
/// with events planted at seeded depths, so every answer is short, unique and checkable without a judge:
/// - who / where: "Who gave the pewter lantern to Orla Marwick?", "Where did … give … to …?" (a gift among decoy
///   gifts: other objects, the same giver or recipient);
/// - when: "In which year did Corwin Dale move to Tormouth?" (a move among the same person's other moves and other
///   people's moves to the same place);
/// - how many: "How many times did Orla Marwick visit Tormouth?" (2–5 visits spread over the whole story, among
///   visits elsewhere and by others), which no single passage answers;
/// - which first: "Which happened first: the fire in Tormouth or the wedding of …?" (dated events narrated out of
///   order).
/// `qa` answers in a phrase (HELMET's NarrativeQA prompt; F1 headline, EM and SubEM, each the maximum over the raw
/// output and its first line after "Answer:"); `choice` picks one of four options drawn from the same story
/// (InfiniteBench's prompt; `parseChoice`; accuracy). Decoy events grow with the length.
public struct HelmetLongQA: TaskPlugin {
    public static let kind = "helmet_longqa"
    public static let summary = "Answer who/where/when/how-many/which-first questions about a generated novel of any length (HELMET LongQA)."
    public static let metrics = ["f1", "exact_match", "subem", "accuracy"]
    public static let defaultMaxTokens = 100
    public static let defaultTags = TaskTags(family: "helmet-longqa", diffusion: "high", scope: "small")

    public enum Format: String, ParameterChoice { case qa, choice }

    public struct Parameters: TaskParameters {
        public var format = Format.qa
        public var demos = 2
        public var decoys = 0
        public init() {}
        public static let documentation: [String: ParameterDoc] = [
            "format": ParameterDoc("qa (a short phrase, F1) or choice (one of four letters, accuracy)"),
            "demos": ParameterDoc("demo questions with their answers before the story (HELMET's 2)", minimum: 0),
            "decoys": ParameterDoc("decoy events of the asked kind (0: 4, plus 1 per 16K tokens, at most 24)", minimum: 0),
        ]
    }

    static let qaInstruction =
        "You are given a story, which can be either a novel or a movie script, and a question. Answer the question as concisely as you can, using a single phrase if possible.\n\n"
    static let choiceInstruction =
        "You are given a story and a question with multiple choices. Choose the best answer from the options provided. Only one of the following options is correct, output the answer using one single letter (A, B, C, or D). Don't say anything else.\n\n"

    public let descriptor: TaskDescriptor
    let parameters: Parameters

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        parameters = p
    }

    var answerPrefix: String { parameters.format == .qa ? "\nAnswer:" : "\n\nAnswer:" }

    public var axes: [AxisSpec] { [AxisSpec("question", doc: "who, where, when, how_many or which_first")] }

    /// The structured reference.
    public struct Answer: Codable, Sendable, Hashable {
        public var question: String
        public var kind: String
        /// Accepted answers (the first is canonical).
        public var golds: [String]
        /// The four options (choice format), and the index of the right one.
        public var options: [String]?
        public var correct: Int?
    }

    /// A planted question: the question, its answers, the planted sentences, and options from the same story.
    struct Planted {
        var question: String
        var kind: String
        var golds: [String]
        var needles: [String]
        var distractors: [String]
    }

    static let numberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

    /// Draws `count` distinct elements.
    static func distinct<T: Equatable>(_ pool: [T], _ count: Int, _ rng: inout SeededRandom) -> [T] {
        rng.sampleIndices(pool.count, min(count, pool.count)).map { pool[$0] }
    }

    static func plant(kind: String, decoys: Int, _ rng: inout SeededRandom) -> Planted {
        let cast = Chronicle.cast
        let places = Chronicle.places
        func year() -> Int { rng.int(in: 1790...1930) }
        switch kind {
        case "who", "where":
            let people = distinct(cast, 2, &rng)
            let (giver, recipient) = (people[0], people[1])
            var objects: [String] = []
            while objects.count < decoys + 1 {
                let o = Chronicle.object(&rng)
                if !objects.contains(o) { objects.append(o) }
            }
            let place = rng.pick(places)
            var needles = [Chronicle.gift(giver: giver.name, object: objects[0], recipient: recipient.name, place: place.name, year: year(), &rng)]
            var otherGivers: [String] = []
            var otherPlaces: [String] = []
            for d in 0..<decoys {
                // Even decoys: another giver to the same recipient; odd ones: the same giver to someone else.
                var (g, r) = d % 2 == 0 ? (rng.pick(cast), recipient) : (giver, rng.pick(cast))
                if d % 2 == 0 {
                    while g == giver || g == recipient { g = rng.pick(cast) }
                } else {
                    while r == recipient || r == giver { r = rng.pick(cast) }
                }
                var p = rng.pick(places)
                while p == place { p = rng.pick(places) }
                needles.append(Chronicle.gift(giver: g.name, object: objects[d + 1], recipient: r.name, place: p.name, year: year(), &rng))
                if g != giver { otherGivers.append(g.name) }
                otherPlaces.append(p.name)
            }
            if kind == "who" {
                return Planted(
                    question: "Who gave \(objects[0]) to \(recipient.name)?", kind: kind, golds: [giver.name], needles: needles,
                    distractors: otherGivers + cast.map(\.name).filter { $0 != giver.name })
            }
            return Planted(
                question: "Where did \(giver.name) give \(objects[0]) to \(recipient.name)?", kind: kind, golds: [place.name], needles: needles,
                distractors: otherPlaces + places.map(\.name).filter { $0 != place.name })
        case "when":
            let person = rng.pick(cast)
            let route = distinct(places, 2, &rng)
            let target = year()
            var needles = [Chronicle.move(person: person.name, from: route[0].name, to: route[1].name, year: target, &rng)]
            var years: [Int] = [target]
            for d in 0..<decoys {
                var y = year()
                while years.contains(y) { y = year() }
                years.append(y)
                if d % 2 == 0 {
                    // The same person's other moves, never to the asked place.
                    var to = rng.pick(places)
                    while to == route[1] { to = rng.pick(places) }
                    var from = rng.pick(places)
                    while from == to { from = rng.pick(places) }
                    needles.append(Chronicle.move(person: person.name, from: from.name, to: to.name, year: y, &rng))
                } else {
                    var other = rng.pick(cast)
                    while other == person { other = rng.pick(cast) }
                    var from = rng.pick(places)
                    while from == route[1] { from = rng.pick(places) }
                    needles.append(Chronicle.move(person: other.name, from: from.name, to: route[1].name, year: y, &rng))
                }
            }
            return Planted(
                question: "In which year did \(person.name) move to \(route[1].name)?", kind: kind, golds: [String(target)], needles: needles,
                distractors: years.dropFirst().map(String.init))
        case "how_many":
            let person = rng.pick(cast)
            let place = rng.pick(places)
            let count = rng.int(in: 2...5)
            var needles = (0..<count).map { _ in Chronicle.visit(person: person.name, place: place.name, &rng) }
            for d in 0..<decoys {
                if d % 2 == 0 {
                    var other = rng.pick(places)
                    while other == place { other = rng.pick(places) }
                    needles.append(Chronicle.visit(person: person.name, place: other.name, &rng))
                } else {
                    var other = rng.pick(cast)
                    while other == person { other = rng.pick(cast) }
                    needles.append(Chronicle.visit(person: other.name, place: place.name, &rng))
                }
            }
            let near = [count - 1, count + 1, count + 2, count - 2, count + 3].filter { $0 >= 1 }
            return Planted(
                question: "How many times did \(person.name) visit \(place.name)?", kind: kind, golds: [String(count), numberWords[count]],
                needles: needles, distractors: near.map(String.init))
        default:  // which_first
            var years: [Int] = []
            while years.count < decoys + 2 {
                let y = year()
                if !years.contains(y) { years.append(y) }
            }
            var events: [(sentence: String, name: String)] = []
            var names: Set<String> = []
            var kinds = 0
            while events.count < decoys + 2 {
                let people = distinct(cast, 2, &rng).map(\.name)
                let event = Chronicle.datedEvent(kind: rng.int(in: 0...3) + kinds, people: people, place: rng.pick(places).name, year: years[events.count])
                kinds += 1
                if names.insert(event.name).inserted { events.append(event) }
            }
            let (first, second) = (events[0], events[1])
            let earlier = years[0] < years[1] ? first.name : second.name
            let (a, b) = rng.below(2) == 0 ? (first.name, second.name) : (second.name, first.name)
            return Planted(
                question: "Which happened first: \(a), or \(b)?", kind: "which_first", golds: [earlier], needles: events.map(\.sentence),
                distractors: [])
        }
    }

    var kinds: [String] { parameters.format == .qa ? ["who", "where", "when", "how_many", "which_first"] : ["who", "where", "when", "how_many"] }

    /// Four options: the answer and three distractors from the same story, shuffled.
    static func options(_ planted: Planted, _ rng: inout SeededRandom) -> (options: [String], correct: Int) {
        var others: [String] = []
        for d in planted.distractors where d != planted.golds[0] && !others.contains(d) {
            others.append(d)
            if others.count == 3 { break }
        }
        var options = [planted.golds[0]] + others
        rng.shuffle(&options)
        return (options, options.firstIndex(of: planted.golds[0])!)
    }

    static func optionText(_ options: [String]) -> String {
        options.enumerated().map { "\(Character(Unicode.Scalar(UInt8(65 + $0.offset))))" + ". " + $0.element }.joined(separator: "\n")
    }

    func demoText(seed: UInt64) -> String {
        guard parameters.demos > 0 else { return "" }
        var rng = SeededRandom(seed: seed)
        var demos: [String] = []
        for _ in 0..<parameters.demos {
            let planted = Self.plant(kind: rng.pick(kinds), decoys: 3, &rng)
            if parameters.format == .qa {
                demos.append("Question: \(planted.question)\nAnswer: \(planted.golds[0])")
            } else {
                let (options, correct) = Self.options(planted, &rng)
                demos.append("[story text]\nQuestion: \(planted.question)\nOptions:\n\(Self.optionText(options))\nAnswer: \(Character(Unicode.Scalar(UInt8(65 + correct))))")
            }
        }
        let lead = parameters.format == .qa ? "\n\nNow, use the following story to answer the question:\n\n" : "\n\nNow, read the following story:\n\n"
        return "For example:\n\n" + demos.joined(separator: "\n\n") + lead
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        var rng = SeededRandom(seed: seed)
        let kind = kinds[request.index % kinds.count]
        let decoys = parameters.decoys > 0 ? parameters.decoys : min(24, 4 + request.length / 16_384)
        let planted = Self.plant(kind: kind, decoys: decoys, &rng)
        var options: [String]? = nil
        var correct: Int? = nil
        var question = "\n\nQuestion: " + planted.question
        if parameters.format == .choice {
            let made = Self.options(planted, &rng)
            (options, correct) = (made.options, made.correct)
            question += "\nOptions:\n" + Self.optionText(made.options)
        }
        let demos = demoText(seed: deriveSeed(seed, "demos"))
        let instruction = parameters.format == .qa ? Self.qaInstruction : Self.choiceInstruction
        let needles = planted.needles.enumerated().map { i, text in
            NeedleSpec(key: i == 0 ? planted.kind : "event \(i)", text: text, depth: (rng.unit() * 10000).rounded() / 100)
        }
        let builder = ContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: answerPrefix, frame: { [Message(.user, instruction + demos + $0 + question)] }))
        var stream = CorpusWindow(corpus: Chronicle.corpus, start: rng.below(1024))
        let prompt = try builder.build(needles: needles, stream: &stream)
        let answer = Answer(question: planted.question, kind: planted.kind, golds: planted.golds, options: options, correct: correct)
        let answers = correct.map { c in
            let letter = String(Character(Unicode.Scalar(UInt8(65 + c))))
            return [letter, letter + ". " + options![c]]
        } ?? planted.golds
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: prompt.messages,
            answerPrefix: answerPrefix, promptText: prompt.promptText, reference: try Reference(answers: answers, answer),
            generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: prompt.promptTokens, contextTokens: prompt.contextTokens, query: prompt.query,
                tokenizer: request.tokenizer.fingerprint, needles: prompt.needles,
                knobs: [
                    "story": .string(Chronicle.corpus.fingerprint), "planted_events": .int(needles.count), "decoys": .int(decoys),
                    "sentences": .int(prompt.haystackUnits), "sizing_encodings": .int(prompt.verifications),
                ],
                axes: ["question": .label(planted.kind)]))
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let answer = try sample.reference.decode(Answer.self)
        let output = String(response.text.prefix(HelmetScoring.maxOutputCharacters))
        if let options = answer.options, let correct = answer.correct {
            let chosen = parseChoice(output, options: options)
            let right: Double = chosen == correct ? 1 : 0
            return Score(
                value: right, metrics: ["accuracy": right, "exact_match": right],
                details: .object(["chosen": chosen.map { .int($0) } ?? .null, "truncated": .bool(response.isTruncated)]))
        }
        let m = helmetQAMetrics(output: output, golds: answer.golds)
        return Score(
            value: m.f1, metrics: ["f1": m.f1, "exact_match": m.exactMatch, "subem": m.substringExactMatch],
            details: .object(["parsed": .string(String(parseOutput(output).prefix(200))), "truncated": .bool(response.isTruncated)]))
    }

    public func oracleAnswer(sample: Sample) -> String {
        " " + sample.reference.answers[0]
    }
}
