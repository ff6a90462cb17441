import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// LongGenBench (Liu et al., 2024): K questions in one prompt, answered in one long response; and the same items
/// asked one at a time, so the drop from single-item accuracy measures how generation degrades with its length.
///
/// **One sample, both measurements.** A sample asks K generated items (`PackedItems`: GSM8K-like arithmetic,
/// MMLU-like choice over stated fictional facts, CSQA-like choice over a scene) with ids E+1…E+K after E worked
/// examples, and gets `max_tokens` = K × `answer_tokens`. With `baseline` on, it also carries K further turns in
/// `separate` mode: each item alone in a prompt of the same length and filler, with `answer_tokens`. The sample's
/// score is the packed accuracy; `single_accuracy` and `drop` (single − packed, same items) are metrics too, and
/// the details hold both outcome strings, so every comparison is on identical items by construction. K cycles
/// through `k` with the sample index (`k: [10, 35, 70]`: samples 0, 3, 6… ask 10), and is the `k` axis.
///
/// **Length.** Prompt plus budget fill the length L exactly: neutral essay filler, announced as unrelated to the
/// questions, opens the user message and takes whatever room the examples, questions and budget leave. Filler
/// rather than more worked examples: more examples would change the task with L and with K (a K=10 prompt at 32K
/// would get many more shots than a K=70 one), while filler leaves only the number of questions and the output
/// length varying along K. When L cannot hold K questions with their budget, K is reduced to the most that fit
/// (the sample records the K it asks on the `k` axis and `k_requested` as a knob); below one question, synthesis
/// fails with the sizes. The single-item prompts are sized for the longest of their questions and get whole filler
/// sentences back where a shorter question leaves room, so each obeys the length rule too.
///
/// **Scoring** by id (`PackedAnswerParser`): accuracy = correct / K, with missing, duplicated and unreadable ids
/// wrong and answers in any order; per sample, `ItemScores` in the details (outcome per item, by position decile,
/// last id answered, truncated, and the baseline's outcomes).
public struct PackedQuestions: TaskPlugin {
    public static let kind = "packed_qa"
    public static let summary = "Answer K questions packed in one prompt in one long response, against the same items asked alone (LongGenBench)."
    public static let metrics = ["accuracy", "single_accuracy", "drop", "answered"]
    public static let defaultMaxTokens = 150
    public static let defaultTags = TaskTags(family: "long-generation", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var style = PackedStyle.gsm
        public var k = [10, 35, 70]
        public var baseline = true
        public var examples = 3
        public var answerTokens = 150
        public init() {}
        enum CodingKeys: String, CodingKey { case style, k, baseline, examples, answerTokens = "answer_tokens" }
        public static let documentation: [String: ParameterDoc] = [
            "style": ParameterDoc("the questions: gsm (arithmetic word problems), mmlu (choice over stated facts), csqa (choice over a scene)"),
            "k": ParameterDoc("questions per prompt, 1-1000; with several values, sample i asks k[i mod count]"),
            "baseline": ParameterDoc("also ask each item alone (K further requests per sample) for the single-item accuracy and the drop"),
            "examples": ParameterDoc("worked examples shown before the questions (0-8)", minimum: 0),
            "answer_tokens": ParameterDoc("output budget per question: max_tokens is K times this for the packed prompt", minimum: 16),
        ]
    }

    public let descriptor: TaskDescriptor
    public let parameters: Parameters

    public init(descriptor: TaskDescriptor, parameters: Parameters) throws {
        self.descriptor = descriptor
        self.parameters = parameters
        guard !parameters.k.isEmpty, parameters.k.allSatisfy({ (1...1000).contains($0) }) else {
            throw FathomError(.invalidValue, "k is a non-empty list of question counts, each 1-1000", key: "params.k")
        }
        guard parameters.examples <= PackedItems.maxExamples else {
            throw FathomError(.invalidValue, "examples is at most \(PackedItems.maxExamples)", key: "params.examples")
        }
    }

    public var axes: [AxisSpec] {
        [
            AxisSpec("k", doc: "questions packed in one prompt (after any reduction to fit the length)"),
            AxisSpec("style", doc: "the kind of questions: gsm, mmlu or csqa"),
        ]
    }

    /// The gold side of a sample (all K items) or of a baseline turn (one item).
    struct Reference: Codable, Hashable {
        struct Entry: Codable, Hashable {
            var id: Int
            var answer: String
            var options: [String]
            var solution: String
        }
        var style: PackedStyle
        /// Position of `items[0]` among the sample's `positions` items.
        var first: Int
        var positions: Int
        var items: [Entry]
    }

    /// Room, in tokens, that estimates keep from the window's edges (question and filler counts add up to within a
    /// few tokens of a whole prompt's).
    static let margin = 8

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let style = parameters.style
        let seed = PackedItems.seed(style: style, suiteSeed: request.identity.suiteSeed, length: request.length, index: request.index)
        let requested = parameters.k[request.index % parameters.k.count]
        let prompt = PackedPrompt(style: style, examples: Array(PackedItems.examples(style).prefix(parameters.examples)))
        var fillerRNG = SeededRandom(seed: deriveSeed(seed, "filler"))
        let fillerStart = fillerRNG.below(4096)
        var items = try itemsThatFit(request, stream: PackedItems.Stream(style: style, seed: seed), requested: requested, prompt: prompt)
        var generation = request.generation
        generation.maxTokens = items.count * parameters.answerTokens
        var built = try? packedPrompt(request, items: items, prompt: prompt, fillerStart: fillerStart)
        if built == nil {
            // The estimate that K questions fit was off (counts are not quite additive): step down with whole counts.
            items = try exactFit(request, items: items, prompt: prompt)
            generation.maxTokens = items.count * parameters.answerTokens
            built = try packedPrompt(request, items: items, prompt: prompt, fillerStart: fillerStart)
        }
        guard let built else { throw FathomError(.length, "unreachable: no prompt was built") }
        let k = items.count
        let turns = parameters.baseline ? try baselineTurns(request, items: items, prompt: prompt, fillerStart: fillerStart) : []
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: built.messages,
            answerPrefix: "", promptText: built.promptText,
            reference: reference(style: style, items: items[...], first: 0, positions: k, firstID: prompt.firstID),
            generation: generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: built.promptTokens, contextTokens: built.contextTokens, query: built.query,
                tokenizer: request.tokenizer.fingerprint,
                knobs: [
                    "k_requested": .int(requested), "examples": .int(prompt.examples.count), "first_id": .int(prompt.firstID),
                    "haystack": .string(Haystacks.essay.fingerprint), "haystack_start": .int(fillerStart), "filler_units": .int(built.haystackUnits),
                ],
                axes: ["k": .number(Double(k)), "style": .label(style.rawValue)]),
            turns: turns, turnMode: .separate)
    }

    /// The packed prompt of `items`, sized to the length with `items.count × answer_tokens` to spare.
    func packedPrompt(_ request: SampleRequest, items: [PackedItem], prompt: PackedPrompt, fillerStart: Int) throws(FathomError) -> BuiltPrompt {
        var window = CorpusWindow(corpus: Haystacks.essay, start: fillerStart)
        let questions = PackedPrompt.questionsBlock(items[...], first: prompt.firstID)
        return try ContextBuilder(spec(request, maxTokens: items.count * parameters.answerTokens, prompt: prompt, questions: questions))
            .build(needles: [], stream: &window)
    }

    func spec(_ request: SampleRequest, maxTokens: Int, prompt: PackedPrompt, questions: String) -> PromptSpec {
        PromptSpec(
            targetLength: request.length, maxTokens: maxTokens, tokenizer: request.tokenizer, renderer: request.renderer, answerPrefix: "",
            frame: { prompt.messages(filler: $0, questions: questions) })
    }

    /// Tokens of the prompt without filler, as the length rule counts them.
    func fixedTokens(_ request: SampleRequest, prompt: PackedPrompt, questions: String) throws -> Int {
        let text = try request.renderer.render(messages: prompt.messages(filler: "", questions: questions), answerPrefix: "")
        return request.tokenizer.promptTokenCount(text, bos: request.renderer.bos)
    }

    /// The first `requested` items of the stream, or as many as fit in L with their budget: the prompt without
    /// filler plus K × `answer_tokens` must stay under L − tolerance, as estimated from each question's own count
    /// (keeping 1% and 16 tokens to spare). Items are made only as far as they might fit.
    func itemsThatFit(_ request: SampleRequest, stream: PackedItems.Stream, requested: Int, prompt: PackedPrompt) throws -> [PackedItem] {
        var stream = stream
        let room = request.length - LengthRule.tolerance(for: request.length)
        let a = parameters.answerTokens
        var items = [stream.next()]
        let one = try fixedTokens(request, prompt: prompt, questions: PackedPrompt.questionsBlock(items[...], first: prompt.firstID))
        guard one + a <= room else {
            throw FathomError(
                .length,
                "length \(ContextLength.format(request.length)) is too small for one question: the prompt without filler takes \(one) tokens and answer_tokens \(a) more (\(request.tokenizer.name) tokenizer)")
        }
        // Each question costs at least its budget, which bounds how many are worth making and counting (in one batch).
        let candidates = min(requested, max(1, (room - one) / a + 1))
        while items.count < candidates { items.append(stream.next()) }
        let costs = request.tokenizer.counts(items.indices.dropFirst().map { PackedPrompt.question(id: prompt.firstID + $0, items[$0]) + "\n\n" })
        var used = one + a
        let spare = room / 100 + 16
        var k = 1
        while k < items.count, used + costs[k - 1] + a <= room - spare {
            used += costs[k - 1] + a
            k += 1
        }
        return Array(items.prefix(k))
    }

    /// The longest prefix of `items` whose whole prompt without filler, plus its budget, fits in L − tolerance.
    func exactFit(_ request: SampleRequest, items: [PackedItem], prompt: PackedPrompt) throws -> [PackedItem] {
        let room = request.length - LengthRule.tolerance(for: request.length)
        var items = items
        while items.count > 1 {
            let fixed = try fixedTokens(request, prompt: prompt, questions: PackedPrompt.questionsBlock(items[...], first: prompt.firstID))
            if fixed + items.count * parameters.answerTokens <= room { break }
            items.removeLast()
        }
        return items
    }

    func reference(style: PackedStyle, items: ArraySlice<PackedItem>, first: Int, positions: Int, firstID: Int) -> FathomCore.Reference {
        let entries = items.enumerated().map { offset, item in
            Reference.Entry(id: firstID + first + offset, answer: item.gold, options: item.options, solution: item.solution)
        }
        return FathomCore.Reference(
            answers: entries.map { "Answer_\($0.id): " + ($0.options.isEmpty ? $0.answer : "(\($0.answer))") },
            structured: Self.json(Reference(style: style, first: first, positions: positions, items: entries)))
    }

    /// The reference read back from `json(_:)`'s form, directly (the generic decoder would dominate scoring).
    static func reference(from value: JSONValue?) throws(FathomError) -> Reference {
        guard let o = value?.objectValue, let style = o["style"]?.stringValue.flatMap(PackedStyle.init(rawValue:)),
            let first = o["first"]?.intValue, let positions = o["positions"]?.intValue, let items = o["items"]?.arrayValue
        else { throw FathomError(.invalidValue, "the sample has no packed_qa reference") }
        var entries: [Reference.Entry] = []
        entries.reserveCapacity(items.count)
        for item in items {
            guard let e = item.objectValue, let id = e["id"]?.intValue, let answer = e["answer"]?.stringValue,
                let options = e["options"]?.arrayValue, let solution = e["solution"]?.stringValue
            else { throw FathomError(.invalidValue, "a packed_qa reference item is malformed") }
            entries.append(Reference.Entry(id: id, answer: answer, options: options.compactMap(\.stringValue), solution: solution))
        }
        return Reference(style: style, first: first, positions: positions, items: entries)
    }

    /// The reference as JSON, built directly (the generic encoder is the slow part of making a baseline's K turns).
    static func json(_ r: Reference) -> JSONValue {
        .object([
            "style": .string(r.style.rawValue), "first": .int(r.first), "positions": .int(r.positions),
            "items": .array(r.items.map { e in
                .object([
                    "id": .int(e.id), "answer": .string(e.answer), "options": .array(e.options.map { .string($0) }), "solution": .string(e.solution),
                ])
            }),
        ])
    }

    /// The baseline: one turn per item, each item alone in a prompt of length L with `answer_tokens` (the packed
    /// prompt is the sample's own question). The filler is sized once, for the longest question, and lengthened by
    /// whole sentences for shorter ones while the estimate (the sized prompt's count, minus the longest question's,
    /// plus this one's and the added sentences') stays `margin` inside the window.
    func baselineTurns(_ request: SampleRequest, items: [PackedItem], prompt: PackedPrompt, fillerStart: Int) throws -> [Turn] {
        let tokenizer = request.tokenizer
        let maxTokens = parameters.answerTokens
        let bodies = items.indices.map { PackedPrompt.questionsBlock(items[$0...$0], first: prompt.firstID + $0) }
        let counts = tokenizer.counts(bodies)
        let longest = counts.indices.max { (counts[$0], -$0) < (counts[$1], -$1) }!
        var window = CorpusWindow(corpus: Haystacks.essay, start: fillerStart)
        let built = try ContextBuilder(spec(request, maxTokens: maxTokens, prompt: prompt, questions: bodies[longest]))
            .build(needles: [], stream: &window)
        let user = built.messages[1].content
        let tail = "\n\n" + prompt.examplesBlock + bodies[longest]
        guard user.hasPrefix(PackedPrompt.fillerHead), user.hasSuffix(tail),
            let filler = String(user.utf8.dropFirst(PackedPrompt.fillerHead.utf8.count).dropLast(tail.utf8.count))
        else { throw FathomError(.invalidValue, "the sized prompt does not have the layout it was built with") }
        let budget = request.length - maxTokens
        let floor = budget - LengthRule.tolerance(for: request.length)
        var spare = CorpusWindow(corpus: Haystacks.essay, start: fillerStart + built.haystackUnits + 64)
        var pending: (texts: [String], tokens: [Int]) = ([], [])
        var next = 0
        var turns: [Turn] = []
        turns.reserveCapacity(items.count)
        for j in items.indices {
            var estimate = built.promptTokens - counts[longest] + counts[j]
            var extra = ""
            var skipped = 0
            while estimate < floor + Self.margin, skipped < 256 {
                if next == pending.texts.count {
                    pending = spare.next(64, tokenizer: tokenizer)
                    next = 0
                }
                let (text, tokens) = (pending.texts[next], pending.tokens[next])
                next += 1
                if estimate + tokens <= budget - Self.margin {
                    extra += text
                    estimate += tokens
                } else {
                    skipped += 1
                }
            }
            turns.append(
                Turn(
                    question: bodies[j], messages: prompt.messages(filler: filler + extra, questions: bodies[j]), answerPrefix: "",
                    reference: reference(style: prompt.style, items: items[j...j], first: j, positions: items.count, firstID: prompt.firstID),
                    maxTokens: maxTokens))
        }
        return turns
    }

    // MARK: Scoring

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let reference = try Self.reference(from: sample.reference.structured)
        let parser = PackedAnswerParser(kind: reference.style.isChoice ? .choice : .number, byteLimit: max(1 << 20, 16 * sample.generation.maxTokens))
        let (outcomes, lastID) = parser.score(
            response.text, items: reference.items.map { .init(id: $0.id, gold: $0.answer, options: $0.options) }, truncated: response.isTruncated)
        return Self.score(
            ItemScores(outcomes: outcomes, first: reference.first, positions: reference.positions, lastID: lastID, truncated: response.isTruncated))
    }

    /// Accuracy = correct / items (missing, duplicated and unreadable ids are wrong); `answered` = items with an
    /// answer block; with a baseline, its accuracy on the same items and the drop; the item scores as details.
    static func score(_ scores: ItemScores) -> Score {
        let n = Double(max(1, scores.outcomes.count))
        let accuracy = Double(scores.correct) / n
        var metrics = ["accuracy": accuracy, "answered": Double(scores.outcomeList.filter { $0 != .missing }.count) / n]
        if let single = scores.baselineCorrect {
            metrics["single_accuracy"] = Double(single) / n
            metrics["drop"] = Double(single) / n - accuracy
        }
        return Score(value: accuracy, metrics: metrics, details: scores.json)
    }

    /// The packed answer's score, with the baseline turns' outcomes joined in as `baseline` (in position order).
    public func combine(turns: [Score]) -> Score {
        guard let packed = turns.first, turns.count > 1 else { return turns.first ?? Score.mean(turns) }
        let parts = turns.dropFirst().compactMap { ItemScores(json: $0.details) }
        guard var scores = ItemScores(json: packed.details), parts.count == turns.count - 1 else { return packed }
        let singles = ItemScores.joined(parts)
        guard singles.first == 0, singles.outcomes.count == scores.outcomes.count else { return packed }
        scores.baseline = singles.outcomes
        return Self.score(scores)
    }

    /// Every asked item's worked answer, in order, as the examples show them.
    public func oracleAnswer(sample: Sample) -> String {
        guard let reference = try? Self.reference(from: sample.reference.structured) else { return "" }
        return reference.items.map { entry in
            PackedPrompt.answer(
                id: entry.id, PackedItem(question: "", solution: entry.solution, gold: entry.answer, options: entry.options, kind: ""))
        }.joined(separator: "\n\n")
    }
}
