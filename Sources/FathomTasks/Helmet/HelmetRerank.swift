import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's re-ranking category (MS MARCO passages with TREC DL 2019 graded labels), rebuilt on the fictional
/// world: a search-style query about one attribute of an entity over k passages with random unique 5–7-digit IDs,
/// graded from the fact index with a fixed rubric: 3 the passage states the asked fact, 2 it is about the same
/// entity (its other attributes), 1 it states the asked attribute of another entity, 0 otherwise. The model writes
/// `Ranking: ID > ID > …`; the score is NDCG@10 with trec_eval's semantics (`ndcgAtK`, checked against
/// pytrec_eval), after `parseRanking`, which reads the IDs of the prompt however the ranking is decorated, listed,
/// repeated or cut off.
///
/// Prompt, passage format, 2 demos ending in their gold ranking, and the 200-token budget follow HELMET
/// (`data.py::load_msmarco_rerank`); k follows HELMET's counts per length (14/50/130/285/600/1000 at 4K…128K),
/// the passages' length adapts so that k of them fill the window exactly, and the grade-3 passage's depth is
/// recorded.
public struct HelmetRerank: TaskPlugin {
    public static let kind = "helmet_rerank"
    public static let summary = "Rank k fictional-world passages by graded relevance to a query; NDCG@10 (HELMET re-rank)."
    public static let metrics = ["ndcg_10", "ndcg_5"]
    public static let defaultMaxTokens = 200
    public static let defaultTags = TaskTags(family: "helmet-rerank", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var passages = 0
        public var demos = 2
        public var hardNegatives = 30
        public init() {}
        enum CodingKeys: String, CodingKey { case passages, demos, hardNegatives = "hard_negatives" }
        public static let documentation: [String: ParameterDoc] = [
            "passages": ParameterDoc("passages to rank (0: HELMET's count for the length); their length adapts", minimum: 0),
            "demos": ParameterDoc("demo queries with their passages and gold ranking (fewer when they would take over a third of the prompt)", minimum: 0),
            "hard_negatives": ParameterDoc("percent of passages that are hard negatives (graded 2 or 1, or decoys)", minimum: 0),
        ]
    }

    /// HELMET's passages per length (`rerank.yaml`, `rerank_short.yaml`, `generate_configs.py`).
    static let helmetPassages = HelmetCounts(table: [(4096, 14), (8192, 50), (16_384, 130), (32_768, 285), (65_536, 600), (131_072, 1000)])

    static let instruction =
        "You are provided with a list of documents, each indicated by their ID. Rank each document based on their relevance to the question in descending order from most relelvant to least relevant texts. Include all documents in the rankings. Write your answer using the unique IDs, with the following format:\nRanking: ID3 > ID1 > ID2\n\n"
    static let answerPrefix = "\nRanking:"

    public let descriptor: TaskDescriptor
    let parameters: Parameters

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        parameters = p
        guard p.hardNegatives <= 100 else { throw FathomError(.invalidValue, "hard_negatives is a percentage (0–100)", key: "params.hard_negatives") }
    }

    public var axes: [AxisSpec] { [.depth(), AxisSpec("question", doc: "the attribute the query asks about")] }

    /// The structured reference: every passage ID's grade, and the ideal ranking's head.
    public struct Qrels: Codable, Sendable, Hashable {
        public var query: String
        public var grades: [String: Int]
        /// The IDs with a positive grade, best first (context order within a grade).
        public var ideal: [String]
    }

    /// The rubric: 3 states the asked fact, 2 same entity, 1 same attribute of another entity, 0 otherwise.
    static func grade(_ item: LaidPassage, subject: FictionalWorld.Entity, attribute: FictionalWorld.Attribute) -> Int {
        let stated = item.stated
        if stated.contains(where: { $0.subject == subject && $0.attribute == attribute }) { return 3 }
        if item.passage.subject == subject { return 2 }
        if stated.contains(where: { $0.attribute == attribute }) { return 1 }
        return 0
    }

    /// The query of a sample, planted in `atlas`: subject, attribute, query text, and the grade-3 passage.
    static func makeQuery(_ atlas: inout FictionalWorld.Atlas, sentences: ClosedRange<Int>, _ rng: inout SeededRandom)
        -> (subject: FictionalWorld.Entity, attribute: FictionalWorld.Attribute, query: String, gold: FictionalWorld.Passage)
    {
        let attribute = rng.pick(FictionalWorld.attributes)
        let subject = rng.pick(atlas.core[attribute.subject]!)
        let fact = atlas.fact(subject, attribute)
        var others = FictionalWorld.attributes(of: subject.kind).filter { $0 != attribute }.map { atlas.fact(subject, $0) }
        rng.shuffle(&others)
        let gold = atlas.passage(about: subject, stating: [fact] + others.prefix(rng.int(in: 0...2)), sentences: rng.int(in: sentences), &rng)
        return (subject, attribute, attribute.query.replacingOccurrences(of: "{S}", with: subject.name), gold)
    }

    /// One demo: passages with IDs, the query, and the gold ranking of all of them (HELMET's demo layout).
    func demo(seed: UInt64, passages: Int, sentences: ClosedRange<Int>) -> String {
        var rng = SeededRandom(seed: seed)
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let q = Self.makeQuery(&atlas, sentences: sentences, &rng)
        var stream = FictionalWorld.PassageStream(
            atlas: atlas, seed: deriveSeed(seed, "distractors"), focus: [(q.subject, q.attribute)],
            excluded: [FictionalWorld.AtlasSlot(subject: q.subject.name, attribute: q.attribute.id)], forbidden: [], hardShare: 50,
            sentences: sentences)
        var items = [q.gold]
        while items.count < passages { items.append(stream.next().passage) }
        rng.shuffle(&items)
        var used: Set<String> = []
        let laid = items.enumerated().map { i, passage in
            LaidPassage(passage: passage, role: "", sentences: passage.sentences.count, position: i + 1, id: PassageContext.freshID(&rng, &used), gold: nil)
        }
        let graded = laid.map { ($0.id, Self.grade($0, subject: q.subject, attribute: q.attribute)) }
        let ranking = Self.stableByGrade(graded).map(\.0).joined(separator: " > ")
        let documents = laid.map { PassageHeader.identified.render(position: $0.position, title: $0.passage.title, id: $0.id) + " " + $0.passage.text() }
        return documents.joined(separator: "\n\n") + "\n\nQuery: " + q.query + "\nRanking: " + ranking
    }

    /// Sorted by grade, best first, keeping the given order within a grade (Python's stable `sorted`).
    static func stableByGrade(_ graded: [(String, Int)]) -> [(String, Int)] {
        graded.enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.map(\.element)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        let tokenizer = request.tokenizer
        var rng = SeededRandom(seed: seed)
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let budget = request.length - request.generation.maxTokens
        let count = parameters.passages > 0 ? parameters.passages : Self.helmetPassages.count(for: request.length)
        let perSentence = meanSentenceTokens(tokenizer)

        let demoPassages = min(10, max(3, count / 4))
        let demos = fittingDemos(
            (0..<parameters.demos).map { demo(seed: deriveSeed(seed, "demo \($0)"), passages: demoPassages, sentences: 2...4) },
            separator: "\n\n", trailer: "\n\n", budget: budget, tokenizer: tokenizer)
        let room = budget - tokenizer.count(Self.instruction + demos.text) - 30
        let sentences = sentencesPerPassage(count: count, tokens: room - 18 * count, tokensPerSentence: perSentence)

        let q = Self.makeQuery(&atlas, sentences: sentences, &rng)
        let depth = (rng.unit() * 10000).rounded() / 100
        let distractorSeed = deriveSeed(seed, "distractors")
        let makeStream = { (streamSeed: UInt64) in FictionalWorld.PassageStream(atlas: atlas, seed: streamSeed, focus: [(q.subject, q.attribute)],
            excluded: [FictionalWorld.AtlasSlot(subject: q.subject.name, attribute: q.attribute.id)], forbidden: [],
            hardShare: parameters.hardNegatives, sentences: sentences) }
        let query = q.query
        let spec = PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix,
            frame: { [Message(.user, Self.instruction + demos.text + $0 + "\n\nQuery: " + query)] })
        let (counted, laid, placements, draw) = try PassageContext.build(
            header: .identified, stream: makeStream, seed: distractorSeed, tokenizer: tokenizer, golds: [q.gold], depths: [depth], idSeed: deriveSeed(seed, "ids"),
            spec: spec)

        let graded = laid.map { ($0.id, Self.grade($0, subject: q.subject, attribute: q.attribute)) }
        let grades = Dictionary(uniqueKeysWithValues: graded)
        let ideal = Self.stableByGrade(graded).filter { $0.1 > 0 }.map(\.0)
        let reference = try Reference(answers: Array(ideal.prefix(10)), Qrels(query: query, grades: grades, ideal: ideal))
        let prompt = counted.sized.prompt
        var byGrade: [String: ParameterValue] = [:]
        for g in 0...3 { byGrade["grade_\(g)"] = .int(graded.filter { $0.1 == g }.count) }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: prompt.promptText, reference: reference, generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: prompt.promptTokens, contextTokens: prompt.contextTokens, query: prompt.query,
                tokenizer: tokenizer.fingerprint, needles: placements,
                knobs: byGrade.merging([
                    "world": .string("atlas-v1"), "passages": .int(laid.count), "helmet_passages": .int(count), "demos": .int(demos.count),
                    "sizing_encodings": .int(prompt.verifications), "distractor_draw": .int(draw),
                ]) { a, _ in a },
                axes: ["depth": .number(depth), "question": .label(q.attribute.id)]))
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let qrels = try sample.reference.decode(Qrels.self)
        let parsed = parseRanking(response.text, ids: Set(qrels.grades.keys), truncated: response.isTruncated)
        let run = parsed.run
        let ndcg10 = ndcgAtK(qrels: qrels.grades, run: run, k: 10)
        let ndcg5 = ndcgAtK(qrels: qrels.grades, run: run, k: 5)
        return Score(
            value: ndcg10, metrics: ["ndcg_10": ndcg10, "ndcg_5": ndcg5],
            details: .object([
                "format": .string(parsed.format.rawValue), "ranked": .int(parsed.ids.count), "duplicates": .int(parsed.duplicates),
                "unknown_ids": .int(parsed.unknown), "dropped_cut_off_id": .bool(parsed.droppedCutOff), "truncated": .bool(response.isTruncated),
                "top": .array(parsed.ids.prefix(10).map { .string($0) }),
            ]))
    }

    /// The ideal ranking's first ten IDs (NDCG@10 reads no further; the whole list would not fit the budget).
    public func oracleAnswer(sample: Sample) -> String { " " + sample.reference.answers.joined(separator: " > ") }
}
