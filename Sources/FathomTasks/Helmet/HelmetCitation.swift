import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's citation category (ALCE: ASQA and QAMPARI), rebuilt on the fictional world so that citations are
/// checked against the fact index instead of a T5 NLI model.
/// - `asqa`: a multi-facet question about a recurring event ("Who won the main prize at the Velar Regatta?"),
///   one answer per edition ("1874 Velar Regatta", "1881 Velar Regatta"), each stated in one known document; the
///   model writes cited sentences. Answer metric: ALCE `str_em` (the share of facets whose answer appears).
/// - `qampari`: a list question ("Which people work for the Tamsworth Glassworks?") with 2–8 answers, each stated
///   in one document; the model writes a comma-separated list with one citation per item. Answer metric:
///   ALCE `qampari_rec_top5` = min(5, hits) / min(5, answers).
/// Citation recall and precision follow ALCE's rules (at most 3 citations per statement, over-citation for
/// statements with several) with `CitationSupport.entails` deciding support; the headline is the mean of the
/// three metrics, as HELMET averages its Cite category. Hard negatives: documents about the answers that do not
/// state the asked fact, the asked attribute of other entities, other values of the answer's type.
///
/// Prompt, instructions (`prompts/{asqa,qampari}_revised.json`), `Document [n](Title: …)` format, 2 demos of 5
/// documents and the 300-token budget follow HELMET; the number of documents follows HELMET's counts per length
/// (8/30/75/165/345/700 at 4K…128K), their length adapting to fill the window exactly.
public struct HelmetCitation: TaskPlugin {
    public static let kind = "helmet_cite"
    public static let summary = "Answer a multi-facet or list question with citations checked against the fact index (HELMET Cite / ALCE)."
    public static let metrics = ["cite_mean", "str_em", "rec_top5", "citation_rec", "citation_prec"]
    public static let defaultMaxTokens = 300
    public static let defaultTags = TaskTags(family: "helmet-cite", diffusion: "high", scope: "small")

    public enum Style: String, ParameterChoice { case asqa, qampari }

    public struct Parameters: TaskParameters {
        public var style = Style.asqa
        public var documents = 0
        public var demos = 2
        public var hardNegatives = 30
        public init() {}
        enum CodingKeys: String, CodingKey { case style, documents, demos, hardNegatives = "hard_negatives" }
        public static let documentation: [String: ParameterDoc] = [
            "style": ParameterDoc("asqa (multi-facet question, cited sentences) or qampari (list question, one citation per item)"),
            "documents": ParameterDoc("documents in the context (0: HELMET's count for the length); their length adapts", minimum: 0),
            "demos": ParameterDoc("demo questions of 5 documents with a cited answer (fewer when they would take over a third of the prompt)", minimum: 0),
            "hard_negatives": ParameterDoc("percent of distractor documents that are hard negatives", minimum: 0),
        ]
    }

    /// HELMET's documents per length (`cite.yaml`, `cite_short.yaml`, `generate_configs.py`).
    static let helmetDocuments = HelmetCounts(table: [(4096, 8), (8192, 30), (16_384, 75), (32_768, 165), (65_536, 345), (131_072, 700)])

    /// ALCE's revised instructions (`prompts/asqa_revised.json`, `prompts/qampari_revised.json`).
    static let asqaInstruction =
        "Instruction: Write an accurate, engaging, and concise answer for the given question using only the provided search results (some of which might be irrelevant) and cite them properly. Use an unbiased and journalistic tone. Always cite for any factual claim. When citing a document, surround its ID with square brackets, such as [x] to cite document x. To cite multiple documents, simply concatenate the citation markers; for example, use [x][y][z] to cite the documents with ID x, y, and z. Cite at least one document and at most three documents in each sentence. If multiple documents support the sentence, only cite a minimum sufficient subset of the documents."
    static let qampariInstruction =
        "Instruction: Provide a list of accurate answers for the given question using only the provided search results (some of which might be irrelevant) and cite them properly. Always cite one and only one document for each answer. When citing a document, surround its ID with square brackets, such as [x] to cite document x. Separate answers by commas. For questions that have more than 5 answers, write at least 5 answers."
    static let answerPrefix = "\n\nAnswer:"

    public let descriptor: TaskDescriptor
    let parameters: Parameters

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        parameters = p
        guard p.hardNegatives <= 100 else { throw FathomError(.invalidValue, "hard_negatives is a percentage (0–100)", key: "params.hard_negatives") }
    }

    var instruction: String { parameters.style == .asqa ? Self.asqaInstruction : Self.qampariInstruction }

    public var axes: [AxisSpec] { [AxisSpec("answers", doc: "facets (asqa) or list answers (qampari) the question has")] }

    /// The structured reference: the question, its answers with their supporting documents, and the oracle's answer.
    public struct CitedAnswers: Codable, Sendable, Hashable {
        public var question: String
        public var style: String
        public var support: CitationSupport
        /// One oracle statement per answer (a sentence for asqa, an item for qampari), citations included.
        public var statements: [String]
    }

    /// A planted question: its text, the answers' facts and gold passages, and what distractors must avoid.
    struct Question {
        var text: String
        var answers: [(value: String, key: String?, statement: String)]
        var golds: [FictionalWorld.Passage]
        var answerKind: FictionalWorld.Kind
        var focus: [(subject: FictionalWorld.Entity, attribute: FictionalWorld.Attribute)]
        var excluded: Set<FictionalWorld.AtlasSlot>
        var forbidden: [String]
        /// Names that are neither answers nor decoys (a list question's own target).
        var notDecoys: [String] = []
    }

    /// Fills "{V}" of a fact template for an oracle statement, with the citation marker before the full stop.
    static func statement(_ template: String, subject: String, value: String) -> String {
        var text = template.replacingOccurrences(of: "{S}", with: subject).replacingOccurrences(of: "{V}", with: value)
        if text.hasSuffix(".") { text.removeLast() }
        return ProseTemplate.capitalisingFirst(text)
    }

    static func makeQuestion(style: Style, answers count: Int, _ atlas: inout FictionalWorld.Atlas, sentences: ClosedRange<Int>, _ rng: inout SeededRandom) -> Question {
        let avoid = atlas.coreNamesLowercased
        switch style {
        case .asqa:
            let attribute = FictionalWorld.attributesByID[rng.pick(["event.winner", "event.venue", "event.organiser"])]!
            let series = atlas.coin(.event, &rng)
            var years: [Int] = []
            while years.count < count {
                let year = rng.int(in: 1780...1935)
                if !years.contains(year) { years.append(year) }
            }
            years.sort()
            var answers: [(String, String?, String)] = []
            var golds: [FictionalWorld.Passage] = []
            var focus: [(FictionalWorld.Entity, FictionalWorld.Attribute)] = []
            var excluded: Set<FictionalWorld.AtlasSlot> = [FictionalWorld.AtlasSlot(subject: series.name, attribute: attribute.id)]
            let yearAttribute = FictionalWorld.attributesByID["event.year"]!
            for year in years {
                let edition = FictionalWorld.Entity(kind: .event, name: "\(year) \(series.name)")
                let value = atlas.freshValue(attribute.value, avoid: avoid + answers.map { $0.0.lowercased() }, &rng)
                atlas.set(edition, attribute, value)
                atlas.set(edition, yearAttribute, FictionalWorld.Value(text: String(year)))
                let fact = atlas.fact(edition, attribute)
                var others = [atlas.fact(edition, yearAttribute)] + FictionalWorld.attributes(of: .event)
                    .filter { $0 != attribute && $0 != yearAttribute && $0.value != attribute.value }.map { atlas.fact(edition, $0) }
                rng.shuffle(&others)
                golds.append(atlas.passage(about: edition, stating: [fact] + others.prefix(rng.int(in: 0...2)), sentences: rng.int(in: sentences), &rng))
                answers.append((value.text, String(year), statement(attribute.templates[0], subject: edition.phrase, value: value.phrase)))
                focus.append((edition, attribute))
                excluded.insert(FictionalWorld.AtlasSlot(subject: edition.name, attribute: attribute.id))
            }
            guard case .entity(let kind) = attribute.value else { preconditionFailure("asqa asks entity-valued attributes") }
            return Question(
                text: attribute.question.replacingOccurrences(of: "{S}", with: series.phrase), answers: answers, golds: golds,
                answerKind: kind, focus: focus, excluded: excluded, forbidden: answers.map(\.0))
        case .qampari:
            let lists: [(attribute: String, question: String)] = [
                ("person.employer", "Which people work for {T}?"), ("person.born_in", "Which people were born in {T}?"),
                ("product.maker", "Which products does {T} make?"), ("event.venue", "Which events were held in {T}?"),
                ("organisation.headquarters", "Which organisations have their headquarters in {T}?"),
                ("person.mentor", "Which people were trained by {T}?"),
            ]
            let (id, wording) = rng.pick(lists)
            let attribute = FictionalWorld.attributesByID[id]!
            guard case .entity(let targetKind) = attribute.value else { preconditionFailure("list questions invert entity attributes") }
            // A fresh target: no core entity points at it, so the planted answers are the only ones.
            let target = atlas.coin(targetKind, &rng)
            var answers: [(String, String?, String)] = []
            var golds: [FictionalWorld.Passage] = []
            var focus: [(FictionalWorld.Entity, FictionalWorld.Attribute)] = []
            var excluded: Set<FictionalWorld.AtlasSlot> = []
            for _ in 0..<count {
                let subject = atlas.coin(attribute.subject, &rng)
                atlas.set(subject, attribute, FictionalWorld.Value(target))
                var others = FictionalWorld.attributes(of: attribute.subject).filter { $0 != attribute }.map { atlas.fact(subject, $0) }
                rng.shuffle(&others)
                golds.append(atlas.passage(
                    about: subject, stating: [atlas.fact(subject, attribute)] + others.prefix(rng.int(in: 0...2)), sentences: rng.int(in: sentences), &rng))
                answers.append((subject.name, nil, subject.name))
                focus.append((subject, attribute))
                excluded.insert(FictionalWorld.AtlasSlot(subject: subject.name, attribute: attribute.id))
            }
            let targetAttribute = rng.pick(FictionalWorld.attributes(of: targetKind))
            focus.append((target, targetAttribute))
            return Question(
                text: wording.replacingOccurrences(of: "{T}", with: target.phrase), answers: answers, golds: golds, answerKind: attribute.subject,
                focus: focus, excluded: excluded, forbidden: [], notDecoys: [target.name])
        }
    }

    /// Names of the context's entities of `kind` that are not answers (subjects and entity values).
    static func decoys(in laid: [LaidPassage], kind: FictionalWorld.Kind, answers: Set<String>) -> [String] {
        var seen = answers
        var out: [String] = []
        func add(_ entity: FictionalWorld.Entity?) {
            if let entity, entity.kind == kind, seen.insert(entity.name).inserted { out.append(entity.name) }
        }
        for item in laid {
            add(item.passage.subject)
            for fact in item.stated { add(fact.value.entity) }
        }
        return out
    }

    /// The oracle's answer: one cited statement per answer.
    static func oracleText(style: Style, statements: [String]) -> String {
        style == .asqa ? statements.map { $0 + "." }.joined(separator: " ") : statements.joined(separator: ", ") + "."
    }

    /// How many answers a question has for `documents` documents: ASQA 2–4 facets, QAMPARI 2–8 items, at most half
    /// the documents.
    func answerCount(documents: Int, _ rng: inout SeededRandom) -> Int {
        let most = max(1, documents / 2)
        return parameters.style == .asqa ? min(most, rng.int(in: 2...4)) : min(most, rng.int(in: 5...8))
    }

    /// One demo: the instruction, a question over 5 documents and its cited answer (ALCE's demo layout).
    func demo(seed: UInt64, sentences: ClosedRange<Int>) -> String {
        var rng = SeededRandom(seed: seed)
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let q = Self.makeQuestion(style: parameters.style, answers: parameters.style == .asqa ? 2 : 3, &atlas, sentences: sentences, &rng)
        var stream = FictionalWorld.PassageStream(
            atlas: atlas, seed: deriveSeed(seed, "distractors"), focus: q.focus, excluded: q.excluded, forbidden: q.forbidden, hardShare: 50,
            sentences: sentences)
        var items = q.golds.indices.map { (passage: q.golds[$0], gold: Optional($0)) }
        while items.count < 5 { items.append((stream.next().passage, nil)) }
        rng.shuffle(&items)
        let documents = items.enumerated().map { i, item in PassageHeader.numbered.render(position: i + 1, title: item.passage.title, id: "") + " " + item.passage.text() }
        let statements = q.answers.indices.map { a in q.answers[a].statement + " [\(items.firstIndex { $0.gold == a }! + 1)]" }
        let answer = Self.oracleText(style: parameters.style, statements: statements)
        let beforeAnswer = parameters.style == .asqa ? "\n\nAnswer: " : "\nAnswer: "
        return instruction + "\n\nQuestion: " + q.text + "\n\n" + documents.joined(separator: "\n\n") + beforeAnswer + answer
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        let tokenizer = request.tokenizer
        var rng = SeededRandom(seed: seed)
        var atlas = FictionalWorld.Encyclopedia.shared.atlas
        let budget = request.length - request.generation.maxTokens
        let count = parameters.documents > 0 ? parameters.documents : Self.helmetDocuments.count(for: request.length)
        let perSentence = meanSentenceTokens(tokenizer)

        let demos = fittingDemos(
            (0..<parameters.demos).map { demo(seed: deriveSeed(seed, "demo \($0)"), sentences: 3...5) }, separator: "\n\n\n",
            trailer: "\n\n\n", budget: budget, tokenizer: tokenizer)
        let room = budget - tokenizer.count(demos.text + instruction) - 40
        let sentences = sentencesPerPassage(count: count, tokens: room - 14 * count, tokensPerSentence: perSentence)
        let answerCount = answerCount(documents: count, &rng)

        let q = Self.makeQuestion(style: parameters.style, answers: answerCount, &atlas, sentences: sentences, &rng)
        let depths = q.golds.map { _ in (rng.unit() * 10000).rounded() / 100 }
        let distractorSeed = deriveSeed(seed, "distractors")
        let makeStream = { (streamSeed: UInt64) in FictionalWorld.PassageStream(atlas: atlas, seed: streamSeed, focus: q.focus, excluded: q.excluded, forbidden: q.forbidden,
            hardShare: parameters.hardNegatives, sentences: sentences) }
        let (instruction, questionText) = (instruction, q.text)
        let spec = PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix,
            frame: { [Message(.user, demos.text + instruction + "\n\nQuestion: " + questionText + "\n\n" + $0)] })
        let (counted, laid, placements, draw) = try PassageContext.build(
            header: .numbered, stream: makeStream, seed: distractorSeed, tokenizer: tokenizer, golds: q.golds, depths: depths, idSeed: deriveSeed(seed, "ids"),
            spec: spec)

        // The fact index: which documents state each answer (the gold one; no distractor may).
        var answers: [CitationSupport.Answer] = []
        var statements: [String] = []
        for (a, answer) in q.answers.enumerated() {
            let position = laid.first { $0.gold == a }!.position
            answers.append(CitationSupport.Answer(value: answer.value, key: answer.key, documents: [position]))
            statements.append(answer.statement + " [\(position)]")
        }
        let support = CitationSupport(
            answers: answers, decoys: Self.decoys(in: laid, kind: q.answerKind, answers: Set(q.answers.map(\.value) + q.notDecoys)), documentCount: laid.count)
        let reference = try Reference(
            answers: q.answers.map(\.value),
            CitedAnswers(question: q.text, style: parameters.style.rawValue, support: support, statements: statements))
        let prompt = counted.sized.prompt
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: prompt.promptText, reference: reference, generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: prompt.promptTokens, contextTokens: prompt.contextTokens, query: prompt.query,
                tokenizer: tokenizer.fingerprint, needles: placements,
                knobs: [
                    "world": .string("atlas-v1"), "documents": .int(laid.count), "helmet_documents": .int(count), "demos": .int(demos.count),
                    "gold_documents": .list(answers.map { .int($0.documents[0]) }), "sizing_encodings": .int(prompt.verifications), "distractor_draw": .int(draw),
                ],
                axes: ["answers": .number(Double(answerCount))]))
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let reference = try sample.reference.decode(CitedAnswers.self)
        let support = reference.support
        let output = response.text
        let plain = Citations.removed(output)
        var metrics: [String: Double] = [:]
        let answerMetric: Double
        let statements: [CitedStatement]
        if reference.style == Style.asqa.rawValue {
            // ALCE str_em: the share of facets whose answer appears in the answer without citations.
            let normalized = normalizeAnswer(plain)
            let present = support.answers.filter { normalized.contains(normalizeAnswer($0.value)) }.count
            answerMetric = Double(present) / Double(max(1, support.answers.count))
            metrics["str_em"] = answerMetric
            statements = Citations.sentences(output)
        } else {
            // ALCE qampari_rec_top5 over the items (citations removed, normalised, compared whole).
            statements = Citations.listItems(output)
            let predicted = Set(statements.map { normalizeAnswer($0.claim) }.filter { !$0.isEmpty })
            let hits = support.answers.filter { predicted.contains(normalizeAnswer($0.value)) }.count
            answerMetric = Double(min(5, hits)) / Double(max(1, min(5, support.answers.count)))
            metrics["rec_top5"] = answerMetric
        }
        let citations = CitationScores.compute(statements, support: support)
        metrics["citation_rec"] = citations.recall
        metrics["citation_prec"] = citations.precision
        let mean = (answerMetric + citations.recall + citations.precision) / 3
        metrics["cite_mean"] = mean
        return Score(
            value: mean, metrics: metrics,
            details: .object([
                "statements": .int(citations.statements), "citations": .int(citations.citations), "supported": .int(citations.supported),
                "overcited": .int(citations.overcited), "truncated": .bool(response.isTruncated),
            ]))
    }

    public func oracleAnswer(sample: Sample) -> String {
        guard let reference = try? sample.reference.decode(CitedAnswers.self) else { return "" }
        return " " + Self.oracleText(style: Style(rawValue: reference.style) ?? .asqa, statements: reference.statements)
    }
}
