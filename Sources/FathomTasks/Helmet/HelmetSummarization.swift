import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's summarization category (Multi-LexSum, InfiniteBench summaries) without a judge: the legal records of a
/// fictional civil case (`CaseFile`: procedural prose that names nobody and writes no number) with m key facts of
/// the case planted at seeded depths (parties, court, judge, dates, amounts, goods, counsel, witnesses, outcome,
/// costs) among decoy values of the same kinds (a postponed hearing's date, a filing fee, the clerk, a witness,
/// a letter from another organisation). The prompt names the kinds of fact the summary must state; the budget
/// follows m (about 15 words per fact, `max_tokens` = 1.5 tokens per word plus 60).
///
/// Scores (`KeyFactScores`): recall of the key facts by canonical-value matching (variants: "March 14, 1874",
/// "12500", "seven"), precision of the summary's values (numbers and names) against the source, and their F1
/// (the headline, after HELMET's 2PR/(P+R)); ROUGE-L F1 against the reference summary as a secondary metric.
public struct HelmetSummarization: TaskPlugin {
    public static let kind = "helmet_summ"
    public static let summary = "Summarize the records of a fictional civil case; key-fact recall and value precision, no judge (HELMET Summ)."
    public static let metrics = ["keyfact_f1", "keyfact_recall", "keyfact_precision", "rouge_l"]
    public static let defaultMaxTokens = 400
    public static let defaultTags = TaskTags(family: "helmet-summ", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var keyFacts = 0
        public var demos = 2
        public init() {}
        enum CodingKeys: String, CodingKey { case keyFacts = "key_facts", demos }
        public static let documentation: [String: ParameterDoc] = [
            "key_facts": ParameterDoc("key facts per case (0: 4 up to 4 + 2·log2(L/2K), at most 12, drawn per sample)", minimum: 0),
            "demos": ParameterDoc("example summaries of other cases before the records (HELMET's 2)", minimum: 0),
        ]
    }

    public let descriptor: TaskDescriptor
    let parameters: Parameters

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        parameters = p
        guard p.keyFacts <= CaseFile.factKinds.count else {
            throw FathomError(.invalidValue, "key_facts is at most \(CaseFile.factKinds.count)", key: "params.key_facts")
        }
    }

    static let answerPrefix = "\n\nSummary:"

    public var axes: [AxisSpec] { [AxisSpec("key_facts", doc: "key facts the case has (and the summary must state)")] }

    /// The structured reference.
    public struct Answer: Codable, Sendable, Hashable {
        public var facts: [KeyFact]
        public var summary: String
        public var sourceNumbers: [String]
        public var sourceNames: [String]
        enum CodingKeys: String, CodingKey { case facts, summary, sourceNumbers = "source_numbers", sourceNames = "source_names" }
    }

    /// A case: its key facts (kind index, value, variants), the record sentences, decoys, and its summary.
    struct Case {
        var facts: [KeyFact]
        var records: [String]
        var decoys: [String]
        var summary: String
        var words: Int
    }

    static func makeCase(facts m: Int, _ rng: inout SeededRandom) -> Case {
        var world = FictionalWorld(seed: rng.next(), people: 2, cities: 2, provinces: 1, organisations: 2, inventions: 0)
        let year = rng.int(in: 1790...1925)
        let kinds = rng.sampleIndices(CaseFile.factKinds.count, m).sorted()
        var facts: [KeyFact] = []
        var records: [String] = []
        var summary: [String] = []
        for k in kinds {
            let kind = CaseFile.factKinds[k]
            let value: String
            var variants: [String] = []
            var phrase: String? = nil
            switch k {
            case 0, 3, 7: value = world.coin(.person, &rng).name
            case 1:
                let organisation = world.coin(.organisation, &rng)
                value = organisation.name
                phrase = organisation.phrase
            case 2: value = world.coin(.city, &rng).name
            case 4: (value, variants) = CaseFile.date(&rng, year: year)
            case 10: (value, variants) = CaseFile.date(&rng, year: year + rng.int(in: 1...3))
            case 5, 11: value = FictionalWorld.Atlas.grouped(rng.int(in: 120...90_000) * (k == 5 ? 10 : 1))
            case 6: value = rng.pick(WordStock.materials) + " " + Morphology.plural(rng.pick(Chronicle.portables))
            case 8:
                let n = rng.int(in: 2...12)
                value = String(n)
                variants = [["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"][n - 2]]
            default:
                let outcome = rng.pick(CaseFile.outcomes)
                value = outcome.value
                variants = outcome.variants
            }
            if k == 5 || k == 11 { variants = [value.replacingOccurrences(of: ",", with: "")] }
            facts.append(KeyFact(name: kind.name, value: value, variants: variants))
            let shown = phrase ?? value
            records.append(ProseTemplate.capitalisingFirst(rng.pick(kind.record).replacingOccurrences(of: "{V}", with: shown)))
            summary.append(ProseTemplate.capitalisingFirst(kind.summary.replacingOccurrences(of: "{V}", with: shown)))
        }
        var decoys: [String] = []
        for d in 0..<(2 * m) {
            let decoyYear = year + rng.int(in: -2...3)
            decoys.append(CaseFile.decoy(
                kind: d + rng.below(8), person: world.coin(.person, &rng).name, organisation: world.coin(.organisation, &rng).phrase,
                city: world.coin(.city, &rng).name, date: CaseFile.date(&rng, year: decoyYear).text,
                amount: FictionalWorld.Atlas.grouped(rng.int(in: 20...9000)), count: rng.int(in: 2...9)))
        }
        return Case(facts: facts, records: records, decoys: decoys, summary: summary.joined(separator: " "), words: 20 + 15 * m)
    }

    /// The default number of key facts at `length`: 4 up to 4 + 2·log2(L/2K), at most 12.
    static func factRange(length: Int) -> ClosedRange<Int> {
        let most = 4 + 2 * Int(log2(Double(max(2048, length)) / 2048))
        return 4...min(CaseFile.factKinds.count, most)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        var rng = SeededRandom(seed: seed)
        let m = parameters.keyFacts > 0 ? parameters.keyFacts : rng.int(in: Self.factRange(length: request.length))
        let made = Self.makeCase(facts: m, &rng)
        var generation = request.generation
        generation.maxTokens = Int(1.5 * Double(made.words)) + 60

        var demoRNG = SeededRandom(seed: deriveSeed(seed, "demos"))
        let demoSummaries = (0..<parameters.demos).map { _ in "Summary: " + Self.makeCase(facts: demoRNG.int(in: 4...8), &demoRNG).summary }
        let demos = demoSummaries.isEmpty ? "" : "Example summaries:\n\n" + demoSummaries.joined(separator: "\n\n") + "\n\nNow, write a summary of the following legal documents.\n"
        let wanted = made.facts.map(\.name)
        let list = wanted.count == 1 ? wanted[0] : wanted.dropLast().joined(separator: ", ") + " and " + wanted.last!
        let instruction =
            "You are given the legal documents in a civil lawsuit, and you are tasked to summarize the case. Write a concise summary of one paragraph (about \(made.words) words). The summary should state \(list).\n\n"
        let needles = (made.records + made.decoys).enumerated().map { i, text in
            NeedleSpec(key: i < made.records.count ? made.facts[i].name : "decoy", text: text, depth: (rng.unit() * 10000).rounded() / 100)
        }
        let builder = ContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: generation.maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix,
            frame: { [Message(.user, instruction + demos + "Legal documents:\n" + $0 + "\n\nNow please summarize the case.")] }))
        var stream = CorpusWindow(corpus: CaseFile.corpus, start: rng.below(1024))
        let prompt = try builder.build(needles: needles, stream: &stream)

        var numbers: Set<String> = []
        var names = CaseFile.capitalisedWords
        for text in made.records + made.decoys {
            let found = KeyFactScores.mentions(in: text, common: [], sentenceStarts: true)
            numbers.formUnion(found.numbers)
            names.formUnion(found.names)
        }
        let answer = Answer(facts: made.facts, summary: made.summary, sourceNumbers: numbers.sorted(), sourceNames: names.sorted())
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: prompt.promptText, reference: try Reference(answers: [made.summary], answer),
            generation: generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: prompt.promptTokens, contextTokens: prompt.contextTokens, query: prompt.query,
                tokenizer: request.tokenizer.fingerprint, needles: prompt.needles,
                knobs: [
                    "records": .string(CaseFile.corpus.fingerprint), "key_facts": .int(m), "decoys": .int(made.decoys.count),
                    "summary_words": .int(made.words), "sentences": .int(prompt.haystackUnits), "sizing_encodings": .int(prompt.verifications),
                ],
                axes: ["key_facts": .number(Double(m))]))
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let answer = try sample.reference.decode(Answer.self)
        let scores = KeyFactScores.compute(
            summary: response.text, facts: answer.facts, sourceNumbers: Set(answer.sourceNumbers), sourceNames: Set(answer.sourceNames))
        let rouge = rougeL(prediction: String(response.text.prefix(20_000)), reference: answer.summary)
        return Score(
            value: scores.f1,
            metrics: ["keyfact_f1": scores.f1, "keyfact_recall": scores.recall, "keyfact_precision": scores.precision, "rouge_l": rouge.f1],
            details: .object([
                "found": .array(answer.facts.indices.filter { scores.found[$0] }.map { .string(answer.facts[$0].name) }),
                "missing": .array(answer.facts.indices.filter { !scores.found[$0] }.map { .string(answer.facts[$0].name) }),
                "unsupported_values": .array(scores.unsupported.prefix(20).map { .string($0) }), "value_mentions": .int(scores.mentions),
                "truncated": .bool(response.isTruncated),
            ]))
    }

    public func oracleAnswer(sample: Sample) -> String { " " + sample.reference.answers[0] }
}
