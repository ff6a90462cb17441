import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// RULER's QA tasks (qa_1 on SQuAD, qa_2 on HotpotQA) rebuilt on a seeded fictional world instead of datasets.
///
/// Each sample builds its own `FictionalWorld` and asks one question: with `hops: 1` about one fact stated in one
/// gold document, with `hops: 2` about a chain of two facts (subject → bridge entity → answer) stated in two gold
/// documents. The answer is a freshly coined name that occurs in the prompt only in the (last) gold document.
/// The other documents are distractors about the same entities (the question's subject and, for two hops, the
/// bridge entity get `focus_share` percent of them, with their other facts) and about new ones. Documents are numbered
/// "Document {i}:" in prompt order and joined by blank lines, as in RULER. Unlike RULER, whose shared shuffle puts
/// the gold document at the same position in every sample of a given document count, each gold document goes at
/// its own seeded depth, recorded as a needle. The context is sized by `SizedContextBuilder` over the number of
/// distractor sentences (documents stay whole but the last distractor, which may be cut short), and every candidate
/// is laid out and numbered afresh, so the numbers in the counted prompt are always 1…n in order.
public struct FictionalQA: TaskPlugin {
    public static let kind = "fictional_qa"
    public static let summary = "Answer a question about a fictional world from one or two of many numbered documents."
    public static let metrics = ["string_match_part"]
    public static let defaultMaxTokens = 32
    public static let defaultTags = TaskTags(family: "synthetic-qa", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var hops = 1
        public var focusShare = 20
        public init() {}
        enum CodingKeys: String, CodingKey { case hops, focusShare = "focus_share" }
        public static let documentation: [String: ParameterDoc] = [
            "hops": ParameterDoc("facts chained by the question: 1 (qa_1) or 2 (qa_2)", minimum: 1),
            "focus_share": ParameterDoc("percent of distractor documents about the question's entities", minimum: 0),
        ]
    }

    /// RULER's QA template (`data/synthetic/constants.py`), context and question in place.
    static func userMessage(context: String, question: String) -> String {
        "Answer the question based on the given documents. Only give me the answer and do not output any other words.\n\n"
            + "The following are given documents.\n\n" + context + "\n\n"
            + "Answer the question based on the given documents. Only give me the answer and do not output any other words.\n\n"
            + "Question: " + question
    }

    static let answerPrefix = " Answer:"

    typealias Relation = FictionalWorld.Relation

    /// One-hop questions: the relation and the wording ({S}: the subject's phrase).
    static let singleHop: [(Relation, String)] = [
        (.bornIn, "In which city was {S} born?"),
        (.worksFor, "Which organisation does {S} work for?"),
        (.headquarteredIn, "In which city does {S} have its headquarters?"),
        (.foundedBy, "Who founded {S}?"),
        (.inventedBy, "Who invented {S}?"),
        (.locatedIn, "In which province is {S}?"),
        (.mayor, "Who is the mayor of {S}?"),
    ]

    /// Two-hop questions: subject —first→ bridge —second→ answer, and the wording.
    static let twoHop: [(Relation, Relation, String)] = [
        (.worksFor, .headquarteredIn, "In which city does the organisation that {S} works for have its headquarters?"),
        (.worksFor, .foundedBy, "Who founded the organisation that {S} works for?"),
        (.bornIn, .locatedIn, "In which province is the city where {S} was born?"),
        (.bornIn, .mayor, "Who is the mayor of the city where {S} was born?"),
        (.inventedBy, .bornIn, "In which city was the inventor of {S} born?"),
        (.inventedBy, .worksFor, "Which organisation does the inventor of {S} work for?"),
        (.foundedBy, .bornIn, "In which city was the founder of {S} born?"),
        (.headquarteredIn, .locatedIn, "In which province does {S} have its headquarters?"),
        (.headquarteredIn, .mayor, "Who is the mayor of the city where {S} has its headquarters?"),
    ]

    public let descriptor: TaskDescriptor
    let hops: Int
    let focusShare: Int

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        hops = p.hops
        focusShare = p.focusShare
        guard hops <= 2 else { throw FathomError(.invalidValue, "hops must be 1 or 2", key: "params.hops") }
        guard focusShare <= 100 else { throw FathomError(.invalidValue, "focus_share is a percentage (0–100)", key: "params.focus_share") }
    }

    /// Results by the depth of the gold document that holds the answer, and by the kind of question.
    public var axes: [AxisSpec] {
        [.depth(), AxisSpec("question", doc: "the relation asked (two hops: first>second)")]
    }

    /// The question of one sample: its gold documents in hop order and what must stay out of the distractors.
    struct Question {
        var text: String
        var kind: String
        var answer: FictionalWorld.Entity
        /// (entity the gold document is about, the document).
        var gold: [(key: String, document: FictionalWorld.Document)]
        var excluded: Set<FictionalWorld.Slot>
        var focus: [FictionalWorld.Entity]
    }

    /// A gold document about `subject`: the gold fact plus up to two other facts that neither leak `answer`, nor
    /// mention `avoid`, nor sit in an excluded slot; 3–8 sentences.
    static func goldDocument(
        world: FictionalWorld, subject: FictionalWorld.Entity, fact: FictionalWorld.Fact, answer: String, avoid: [String],
        excluded: Set<FictionalWorld.Slot>, _ rng: inout SeededRandom
    ) -> FictionalWorld.Document {
        let answer = answer.lowercased()
        var others = world.facts(about: subject).filter { other in
            other.relation != fact.relation && !excluded.contains(FictionalWorld.Slot(other.subject, other.relation))
                && !other.object.name.lowercased().contains(answer)
                && !avoid.contains { other.object.name.lowercased().contains($0.lowercased()) }
        }
        rng.shuffle(&others)
        let facts = [fact] + others.prefix(rng.int(in: 0...min(2, others.count)))
        return world.document(about: subject, facts: facts, sentences: rng.int(in: 3...8), &rng)
    }

    /// Picks the question and rewires the world so the answer is a fresh name stated once.
    func makeQuestion(world: inout FictionalWorld, _ rng: inout SeededRandom) -> Question {
        /// A new entity of `kind` whose name neither contains nor is contained in any core name.
        func freshAnswer(_ kind: FictionalWorld.Kind) -> FictionalWorld.Entity {
            while true {
                let candidate = world.coin(kind, &rng)
                let lower = candidate.name.lowercased()
                if !world.coreNames.contains(where: { $0.lowercased().contains(lower) || lower.contains($0.lowercased()) }) {
                    return candidate
                }
            }
        }
        if hops == 1 {
            let (relation, wording) = rng.pick(Self.singleHop)
            let subject = rng.pick(world.core[relation.subjectKind]!)
            let answer = freshAnswer(relation.objectKind)
            world.set(subject, relation, answer)
            let excluded: Set = [FictionalWorld.Slot(subject, relation)]
            let fact = FictionalWorld.Fact(subject: subject, relation: relation, object: answer)
            let doc = Self.goldDocument(world: world, subject: subject, fact: fact, answer: answer.name, avoid: [], excluded: excluded, &rng)
            return Question(
                text: wording.replacingAll("{S}", with: subject.phrase), kind: relation.rawValue, answer: answer,
                gold: [(subject.name, doc)], excluded: excluded, focus: [subject])
        }
        let (first, second, wording) = rng.pick(Self.twoHop)
        let subject = rng.pick(world.core[first.subjectKind]!)
        let bridge = world.object(of: subject, first)!
        let answer = freshAnswer(second.objectKind)
        world.set(bridge, second, answer)
        let excluded: Set = [FictionalWorld.Slot(subject, first), FictionalWorld.Slot(bridge, second)]
        let bridgeFact = FictionalWorld.Fact(subject: subject, relation: first, object: bridge)
        let answerFact = FictionalWorld.Fact(subject: bridge, relation: second, object: answer)
        let firstDoc = Self.goldDocument(
            world: world, subject: subject, fact: bridgeFact, answer: answer.name, avoid: [], excluded: excluded, &rng)
        // The answer's document never names the question's subject: only the bridge links the two.
        let secondDoc = Self.goldDocument(
            world: world, subject: bridge, fact: answerFact, answer: answer.name, avoid: [subject.name], excluded: excluded, &rng)
        return Question(
            text: wording.replacingAll("{S}", with: subject.phrase), kind: first.rawValue + ">" + second.rawValue, answer: answer,
            gold: [(subject.name, firstDoc), (bridge.name, secondDoc)], excluded: excluded, focus: [subject, bridge])
    }

    /// Distractor documents made in a fixed order, so a larger context extends a smaller one.
    struct DistractorPool {
        var world: FictionalWorld
        var rng: SeededRandom
        let excluded: Set<FictionalWorld.Slot>
        let focus: [FictionalWorld.Entity]
        let focusShare: Int
        /// Lowercased strings no distractor may contain (the answer).
        let forbidden: [String]
        var documents: [FictionalWorld.Document] = []
        /// Sentences in documents[0...i].
        var cumulative: [Int] = []

        mutating func extend(toSentences k: Int) {
            while (cumulative.last ?? 0) < k {
                let roll = rng.below(100)
                let doc: FictionalWorld.Document
                if roll < focusShare {
                    doc = world.coreDocument(&rng, excluding: excluded, focus: focus)
                } else if roll < focusShare + (100 - focusShare) / 2 {
                    doc = world.coreDocument(&rng, excluding: excluded)
                } else {
                    doc = world.peripheralDocument(&rng)
                }
                let lower = doc.text().lowercased()
                if forbidden.contains(where: { lower.contains($0) }) { continue }
                documents.append(doc)
                cumulative.append((cumulative.last ?? 0) + doc.sentences.count)
            }
        }

        /// The distractors holding the first `k` sentences: whole documents, the last one possibly cut short.
        mutating func prefix(sentences k: Int) -> [String] {
            guard k > 0 else { return [] }
            extend(toSentences: k)
            var out: [String] = []
            var i = 0
            var before = 0
            while before < k {
                let take = min(documents[i].sentences.count, k - before)
                out.append(documents[i].text(sentences: take))
                before += take
                i += 1
            }
            return out
        }
    }

    /// The numbered context with `distractors` and the gold documents at `depths`, and where each gold document
    /// starts (as a String index into the context), its number, and the number of documents.
    static func layout(distractors: [String], gold: [String], depths: [Double]) -> (context: String, starts: [String.Index], numbers: [Int], count: Int) {
        let slots = gold.indices.map { min(distractors.count, max(0, Int(depths[$0] / 100 * Double(distractors.count + 1)))) }
        let order = gold.indices.sorted { (slots[$0], depths[$0], $0) < (slots[$1], depths[$1], $1) }
        var context = ""
        var startOffsets = [Int](repeating: 0, count: gold.count)
        var numbers = [Int](repeating: 0, count: gold.count)
        var number = 0
        var utf8 = 0
        func append(_ body: String) -> Int {
            number += 1
            let piece = (number == 1 ? "" : "\n\n") + "Document \(number):\n" + body
            let start = utf8 + (number == 1 ? 0 : 2)
            context += piece
            utf8 += piece.utf8.count
            return start
        }
        var next = 0
        for slot in 0...distractors.count {
            while next < order.count, slots[order[next]] == slot {
                startOffsets[order[next]] = append(gold[order[next]])
                numbers[order[next]] = number
                next += 1
            }
            if slot < distractors.count { _ = append(distractors[slot]) }
        }
        let starts = startOffsets.map { context.utf8.index(context.utf8.startIndex, offsetBy: $0) }
        return (context, starts, numbers, number)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        var rng = SeededRandom(seed: seed)
        var world = FictionalWorld(seed: deriveSeed(seed, "world"))
        let question = makeQuestion(world: &world, &rng)
        let depths = question.gold.map { _ in (rng.unit() * 10000).rounded() / 100 }
        let goldTexts = question.gold.map { $0.document.text() }

        var pool = DistractorPool(
            world: world, rng: SeededRandom(seed: deriveSeed(seed, "distractors")), excluded: question.excluded,
            focus: question.focus, focusShare: focusShare, forbidden: [question.answer.name.lowercased()])
        let tokenizer = request.tokenizer
        let questionText = question.text
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: tokenizer,
            renderer: request.renderer, answerPrefix: Self.answerPrefix,
            frame: { context in [Message(.user, Self.userMessage(context: context, question: questionText))] }))

        // First guess at the number of distractor sentences from the first documents' token counts.
        pool.extend(toSentences: 200)
        let sampleText = pool.documents.map { "Document 100:\n" + $0.text() }.joined(separator: "\n\n")
        let perSentence = max(1.0, Double(tokenizer.count(sampleText)) / Double(pool.cumulative.last!))
        let fixed = tokenizer.count(Self.userMessage(context: goldTexts.joined(separator: "\n\n"), question: questionText))
        let guess = max(0, Int(Double(request.length - request.generation.maxTokens - fixed) / perSentence))

        let sized = try builder.build(minimum: 0, guess: guess) { k in
            Self.layout(distractors: pool.prefix(sentences: k), gold: goldTexts, depths: depths).context
        }
        let laid = Self.layout(distractors: pool.prefix(sentences: sized.size), gold: goldTexts, depths: depths)
        precondition(laid.context == sized.context, "the layout is not reproducible")
        let needles = question.gold.indices.map { i in
            builder.placement(in: sized, contextPrefix: laid.context[..<laid.starts[i]], key: question.gold[i].key, requestedDepth: depths[i])
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
            messages: sized.prompt.messages, answerPrefix: Self.answerPrefix, promptText: sized.prompt.promptText,
            reference: Reference(answers: [question.answer.name]), generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                tokenizer: tokenizer.fingerprint, needles: needles,
                knobs: [
                    "world": .string("fictional-world-v1"), "question": .string(question.kind), "documents": .int(laid.count),
                    "gold_documents": .list(laid.numbers.map { .int($0) }), "distractor_sentences": .int(sized.size),
                ],
                axes: ["depth": .number(depths[depths.count - 1]), "question": .label(question.kind)]))
    }

    /// The bare answer after the prefix, as RULER's prompt asks ("Only give me the answer").
    public func oracleAnswer(sample: Sample) -> String {
        " " + sample.reference.answers[0]
    }
}
