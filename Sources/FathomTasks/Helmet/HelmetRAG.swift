import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's retrieval-augmented generation category (NQ, TriviaQA, PopQA, HotpotQA over KILT passages), rebuilt on
/// the seeded fictional world: a question about one attribute of an entity (single-hop) or about the entity a
/// first fact leads to (two-hop, through a bridge entity), answered by gold passages among k passages at a recorded
/// depth. The other passages are hard negatives (the same entity's other attributes, the same attribute of other
/// entities, decoy values of the answer's type) and random passages; the answer, a fresh name or number, is
/// written only in the gold passage.
///
/// Prompt, passage format, 2 demos of 3 passages, the 20-token budget and the scoring follow HELMET (`data.py`
/// `load_qa`, `default_post_process`): SubEM (headline), EM and F1, each the maximum over the raw output and the
/// first line after "Answer:". k follows HELMET's counts per length (20/50/105/220/440/1000 at 4K…128K, scaled
/// elsewhere); the passages' length adapts so that k of them fill the window exactly. Outputs that name the
/// answer together with decoy values (which raw SubEM rewards) are flagged in the score details.
public struct HelmetRAG: TaskPlugin {
    public static let kind = "helmet_rag"
    public static let summary = "Answer a question from gold passages hidden among k fictional-world passages with hard negatives (HELMET RAG)."
    public static let metrics = ["subem", "exact_match", "f1"]
    public static let defaultMaxTokens = 20
    public static let defaultTags = TaskTags(family: "helmet-rag", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var hops = 1
        public var passages = 0
        public var demos = 2
        public var hardNegatives = 30
        public init() {}
        enum CodingKeys: String, CodingKey { case hops, passages, demos, hardNegatives = "hard_negatives" }
        public static let documentation: [String: ParameterDoc] = [
            "hops": ParameterDoc("facts the question chains: 1 (single-hop, like NQ) or 2 (through a bridge entity, like HotpotQA)", minimum: 1),
            "passages": ParameterDoc("passages in the context (0: HELMET's count for the length); their length adapts", minimum: 0),
            "demos": ParameterDoc("demo questions of 3 passages each (fewer when they would take over a third of the prompt)", minimum: 0),
            "hard_negatives": ParameterDoc("percent of distractor passages that are hard negatives", minimum: 0),
        ]
    }

    /// HELMET's passages per length (`rag.yaml`, `rag_short.yaml`, `generate_configs.py`).
    static let helmetPassages = HelmetCounts(table: [(4096, 20), (8192, 50), (16_384, 105), (32_768, 220), (65_536, 440), (131_072, 1000)])

    static let instruction =
        "Use the given documents to write a concise and short answer to the question. Write your answer in the following format:\nAnswer: [answer]\n\n"
    static let answerPrefix = "\nAnswer:"

    public let descriptor: TaskDescriptor
    let parameters: Parameters

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        parameters = p
        guard p.hops <= 2 else { throw FathomError(.invalidValue, "hops must be 1 or 2", key: "params.hops") }
        guard p.hardNegatives <= 100 else { throw FathomError(.invalidValue, "hard_negatives is a percentage (0–100)", key: "params.hard_negatives") }
    }

    public var axes: [AxisSpec] {
        [.depth(), AxisSpec("question", doc: "the attribute asked (two hops: first>second)")]
    }

    /// The structured reference: the answer, the decoy values of its type in the context, and the gold passages.
    public struct Answer: Codable, Sendable, Hashable {
        public var answer: String
        public var question: String
        public var decoys: [String]
        /// 1-based positions of the gold passages in hop order.
        public var goldPositions: [Int]
        enum CodingKeys: String, CodingKey { case answer, question, decoys, goldPositions = "gold_positions" }
    }

    /// A question with its planted facts.
    struct Question {
        var text: String
        var kind: String
        var answer: FictionalWorld.Value
        var answerType: FictionalWorld.ValueType
        var golds: [FictionalWorld.Passage]
        var focus: [(subject: FictionalWorld.Entity, attribute: FictionalWorld.Attribute)]
        var excluded: Set<FictionalWorld.AtlasSlot>
    }

    /// A gold passage about `subject`: `fact` plus up to two other facts that neither mention `avoid` nor sit in an
    /// excluded slot.
    static func goldPassage(
        _ atlas: inout FictionalWorld.Atlas, subject: FictionalWorld.Entity, fact: FictionalWorld.AtlasFact, avoid: [String],
        excluded: Set<FictionalWorld.AtlasSlot>, sentences: ClosedRange<Int>, _ rng: inout SeededRandom
    ) -> FictionalWorld.Passage {
        var others = FictionalWorld.attributes(of: subject.kind).filter { $0 != fact.attribute && !excluded.contains(FictionalWorld.AtlasSlot(subject: subject.name, attribute: $0.id)) }
            .map { atlas.fact(subject, $0) }
            .filter { other in !avoid.contains { other.value.text.lowercased().contains($0) || $0.contains(other.value.text.lowercased()) } }
        rng.shuffle(&others)
        let facts = [fact] + others.prefix(rng.int(in: 0...min(2, others.count)))
        while true {
            let passage = atlas.passage(about: subject, stating: facts, sentences: rng.int(in: sentences), &rng)
            let lower = passage.text().lowercased()
            if !avoid.contains(where: { lower.contains($0) && !fact.value.text.lowercased().contains($0) }) { return passage }
        }
    }

    /// Plants a question in `atlas`: a fresh answer for one attribute (or for the second fact of a chain).
    static func makeQuestion(hops: Int, _ atlas: inout FictionalWorld.Atlas, sentences: ClosedRange<Int>, _ rng: inout SeededRandom) -> Question {
        let avoidCore = atlas.coreNamesLowercased
        if hops == 1 {
            let attribute = rng.pick(FictionalWorld.attributes.filter { $0.value.isUniqueString })
            let subject = rng.pick(atlas.core[attribute.subject]!)
            let answer = atlas.freshValue(attribute.value, avoid: avoidCore, &rng)
            atlas.set(subject, attribute, answer)
            let excluded: Set = [FictionalWorld.AtlasSlot(subject: subject.name, attribute: attribute.id)]
            let gold = goldPassage(
                &atlas, subject: subject, fact: atlas.fact(subject, attribute), avoid: [answer.text.lowercased()], excluded: excluded,
                sentences: sentences, &rng)
            return Question(
                text: attribute.question.replacingOccurrences(of: "{S}", with: subject.phrase), kind: attribute.id, answer: answer,
                answerType: attribute.value, golds: [gold], focus: [(subject, attribute)], excluded: excluded)
        }
        let chain = rng.pick(FictionalWorld.chains)
        let first = FictionalWorld.attributesByID[chain.first]!
        let second = FictionalWorld.attributesByID[chain.second]!
        let subject = rng.pick(atlas.core[first.subject]!)
        let bridge = atlas.value(of: subject, first).entity!
        let answer = atlas.freshValue(second.value, avoid: avoidCore, &rng)
        atlas.set(bridge, second, answer)
        let excluded: Set = [
            FictionalWorld.AtlasSlot(subject: subject.name, attribute: first.id), FictionalWorld.AtlasSlot(subject: bridge.name, attribute: second.id),
        ]
        let answerLower = answer.text.lowercased()
        let firstGold = goldPassage(
            &atlas, subject: subject, fact: atlas.fact(subject, first), avoid: [answerLower], excluded: excluded, sentences: sentences, &rng)
        // The answer's passage never names the question's subject: only the bridge links the two.
        let secondGold = goldPassage(
            &atlas, subject: bridge, fact: atlas.fact(bridge, second), avoid: [answerLower, subject.name.lowercased()], excluded: excluded,
            sentences: sentences, &rng)
        return Question(
            text: chain.question.replacingOccurrences(of: "{S}", with: subject.phrase), kind: first.id + ">" + second.id, answer: answer,
            answerType: second.value, golds: [firstGold, secondGold], focus: [(subject, first), (bridge, second)], excluded: excluded)
    }

    /// One demo: a question over 3 passages (its golds and distractors), then "Question: …\nAnswer: …".
    func demo(seed: UInt64, sentences: ClosedRange<Int>) -> String {
        var rng = SeededRandom(seed: seed)
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let question = Self.makeQuestion(hops: parameters.hops, &atlas, sentences: sentences, &rng)
        var stream = FictionalWorld.PassageStream(
            atlas: atlas, seed: deriveSeed(seed, "distractors"), focus: question.focus, excluded: question.excluded,
            forbidden: [question.answer.text], hardShare: 50, sentences: sentences)
        var passages = question.golds
        while passages.count < 3 { passages.append(stream.next().passage) }
        rng.shuffle(&passages)
        let documents = passages.map { PassageHeader.titled.render(position: 0, title: $0.title, id: "") + " " + $0.text() }.joined(separator: "\n\n")
        return documents + "\n\nQuestion: " + question.text + "\nAnswer: " + question.answer.text
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        let tokenizer = request.tokenizer
        var rng = SeededRandom(seed: seed)
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let budget = request.length - request.generation.maxTokens
        let count = parameters.passages > 0 ? parameters.passages : Self.helmetPassages.count(for: request.length)
        let perSentence = meanSentenceTokens(tokenizer)

        let demoSentences = 4...6
        let demos = fittingDemos(
            (0..<parameters.demos).map { demo(seed: deriveSeed(seed, "demo \($0)"), sentences: demoSentences) }, separator: "\n\n",
            trailer: "\n\n", budget: budget, tokenizer: tokenizer)
        // Passages share what is left after the instruction, the demos and the question (a header is ~12 tokens).
        let room = budget - tokenizer.count(Self.instruction + demos.text) - 40
        let sentences = sentencesPerPassage(count: count, tokens: room - 12 * count, tokensPerSentence: perSentence)

        let question = Self.makeQuestion(hops: parameters.hops, &atlas, sentences: sentences, &rng)
        let depths = question.golds.map { _ in (rng.unit() * 10000).rounded() / 100 }
        let distractorSeed = deriveSeed(seed, "distractors")
        let makeStream = { (streamSeed: UInt64) in FictionalWorld.PassageStream(atlas: atlas, seed: streamSeed, focus: question.focus, excluded: question.excluded,
            forbidden: [question.answer.text], hardShare: parameters.hardNegatives, sentences: sentences) }
        let questionText = question.text
        let spec = PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix,
            frame: { [Message(.user, Self.instruction + demos.text + $0 + "\n\nQuestion: " + questionText)] })
        let (counted, laid, placements, draw) = try PassageContext.build(
            header: .titled, stream: makeStream, seed: distractorSeed, tokenizer: tokenizer, golds: question.golds, depths: depths, idSeed: deriveSeed(seed, "ids"),
            spec: spec)

        let decoys = Self.decoys(in: laid, type: question.answerType, answer: question.answer.text)
        let goldPositions = question.golds.indices.map { g in laid.first { $0.gold == g }!.position }
        let reference = try Reference(
            answers: [question.answer.text],
            Answer(answer: question.answer.text, question: question.text, decoys: decoys, goldPositions: goldPositions))
        let prompt = counted.sized.prompt
        let answerDepth = depths[depths.count - 1]
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: prompt.promptText, reference: reference, generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: prompt.promptTokens, contextTokens: prompt.contextTokens, query: prompt.query,
                tokenizer: tokenizer.fingerprint, needles: placements,
                knobs: [
                    "world": .string("atlas-v1"), "passages": .int(laid.count), "helmet_passages": .int(count), "demos": .int(demos.count),
                    "gold_positions": .list(goldPositions.map { .int($0) }), "sentences_per_passage": .int(sentences.lowerBound + 1),
                    "hard_negatives": .int(laid.filter { $0.role != "gold" && $0.role != FictionalWorld.PassageRole.random.rawValue }.count),
                    "sizing_encodings": .int(prompt.verifications), "distractor_draw": .int(draw),
                ],
                axes: ["depth": .number(answerDepth), "question": .label(question.kind)]))
    }

    /// Values of the answer's type stated in the context's passages (other than the answer), up to 64.
    static func decoys(in laid: [LaidPassage], type: FictionalWorld.ValueType, answer: String) -> [String] {
        var seen: Set<String> = [answer]
        var out: [String] = []
        for item in laid {
            for fact in item.stated where fact.attribute.value == type && seen.insert(fact.value.text).inserted {
                out.append(fact.value.text)
                if out.count == 64 { return out }
            }
        }
        return out
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let reference = try sample.reference.decode(Answer.self)
        let output = String(response.text.prefix(HelmetScoring.maxOutputCharacters))
        let m = helmetQAMetrics(output: output, golds: [reference.answer])
        let normalized = normalizeAnswer(output)
        let named = reference.decoys.filter { !normalizeAnswer($0).isEmpty && normalized.contains(normalizeAnswer($0)) }
        return Score(
            value: m.substringExactMatch, metrics: ["subem": m.substringExactMatch, "exact_match": m.exactMatch, "f1": m.f1],
            details: .object([
                "parsed": .string(String(parseOutput(output, prefix: "Answer:").prefix(200))),
                "decoys_named": .int(named.count), "several_candidates": .bool(m.substringExactMatch == 1 && !named.isEmpty),
                "truncated": .bool(response.isTruncated),
            ]))
    }

    public func oracleAnswer(sample: Sample) -> String { " " + sample.reference.answers[0] }
}

/// Limits shared by the family's scorers: model output is hostile input.
enum HelmetScoring {
    /// Characters of an answer that are scored; the rest is ignored (a 10 MB answer costs no more than this).
    static let maxOutputCharacters = 200_000
}
