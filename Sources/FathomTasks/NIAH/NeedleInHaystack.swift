import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// Needle-in-a-haystack retrieval: RULER's eight NIAH variants and the classic single-needle depth × length grid.
///
/// Needles read "One of the special magic {values} for {key} is: {value}."; keys and values are words, 7-digit
/// numbers or UUIDs. `keys` needles are inserted (the ones not asked about are distractors), each with `values`
/// values; `queries` of the keys are asked about. Haystacks: `noise` (repeated filler lines), `essay` (generated
/// prose; needles at sentence boundaries), `needle` (every line a distractor needle) or `folder` (the user's .txt
/// files in `corpus_dir`). Depths: `ruler` (essay: drawn without replacement from 40 evenly spaced depths;
/// other haystacks: uniform), `linear` or `sigmoid` grids of `depth_points` depths indexed by sample index.
public struct NeedleInHaystack: TaskPlugin {
    public static let kind = "niah"
    public static let summary = "Retrieve the values of special magic keys hidden in a long haystack."
    public static let metrics = ["string_match_all", "string_match_part"]
    public static let defaultMaxTokens = 128
    public static let defaultTags = TaskTags(family: "synthetic-recall", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public enum Haystack: String, ParameterChoice { case noise, essay, needle, folder }
        public enum DepthMode: String, ParameterChoice { case ruler, linear, sigmoid }
        public var haystack = Haystack.essay
        public var corpusDir = ""
        public var keyType = NeedleValueKind.words
        public var valueType = NeedleValueKind.numbers
        public var keys = 1
        public var values = 1
        public var queries = 1
        public var depthMode = DepthMode.ruler
        public var depthPoints = 40
        public var confusers = 0
        public var followUps = 0
        public var followUpMode = TurnMode.conversation
        public init() {}
        enum CodingKeys: String, CodingKey {
            case haystack, corpusDir = "corpus_dir", keyType = "key_type", valueType = "value_type", keys, values, queries
            case depthMode = "depth_mode", depthPoints = "depth_points", confusers, followUps = "follow_ups", followUpMode = "follow_up_mode"
        }
        public static let documentation: [String: ParameterDoc] = [
            "haystack": ParameterDoc("haystack material"),
            "corpus_dir": ParameterDoc("folder of .txt files (haystack: folder), relative to the manifest's folder"),
            "key_type": ParameterDoc("kind of keys"),
            "value_type": ParameterDoc("kind of values"),
            "keys": ParameterDoc("needles inserted (distinct keys)", minimum: 1),
            "values": ParameterDoc("values per key", minimum: 1),
            "queries": ParameterDoc("keys asked about (at most keys)", minimum: 1),
            "depth_mode": ParameterDoc("how depths are chosen"),
            "depth_points": ParameterDoc("depths in the grid", minimum: 1),
            "confusers": ParameterDoc("near-miss needles per asked key (confusing facts)", minimum: 0),
            "follow_ups": ParameterDoc("further questions over the same context, about keys not yet asked (extra turns)", minimum: 0),
            "follow_up_mode": ParameterDoc("follow-ups as later turns of one conversation or as separate requests sharing the context"),
        ]
    }

    public let descriptor: TaskDescriptor
    let haystack: Parameters.Haystack
    let keyType: NeedleValueKind
    let valueType: NeedleValueKind
    let keyCount: Int
    let valueCount: Int
    let queryCount: Int
    let depthMode: Parameters.DepthMode
    let depthPoints: Int
    let confusers: Int
    let followUps: Int
    let followUpMode: TurnMode
    let corpus: Corpus?

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        haystack = p.haystack
        keyType = p.keyType
        valueType = p.valueType
        keyCount = p.keys
        valueCount = p.values
        queryCount = p.queries
        depthMode = p.depthMode
        depthPoints = p.depthPoints
        confusers = p.confusers
        followUps = p.followUps
        followUpMode = p.followUpMode
        guard queryCount <= keyCount else {
            throw FathomError(.invalidValue, "queries (\(queryCount)) cannot exceed keys (\(keyCount))", key: "params.queries")
        }
        guard queryCount + followUps <= keyCount else {
            throw FathomError(
                .invalidValue, "queries (\(queryCount)) + follow_ups (\(followUps)) cannot exceed keys (\(keyCount)): each follow-up asks another key",
                key: "params.follow_ups")
        }
        switch haystack {
        case .essay: corpus = Haystacks.essay
        case .noise: corpus = Haystacks.noise
        case .folder:
            let dir = p.corpusDir
            guard !dir.isEmpty else { throw FathomError(.missingKey, "haystack 'folder' needs corpus_dir", key: "params.corpus_dir") }
            corpus = try Haystacks.folder(descriptor.resolvePath(dir))  // relative to the manifest's folder
        case .needle: corpus = nil
        }
        if haystack != .folder, !p.corpusDir.isEmpty {
            throw FathomError(.invalidValue, "corpus_dir is only used with haystack: folder", key: "params.corpus_dir")
        }
    }

    /// Results by the requested depth of the first asked needle: exact on the classic grids, in 10-point buckets
    /// otherwise (one binning for `fathom report`'s heatmaps and the leaderboard's).
    public var axes: [AxisSpec] { [.depth(exact: depthMode != .ruler)] }

    /// Depths (percent) for the needles of sample `index`.
    func depths(count: Int, index: Int, rng: inout SeededRandom) -> [Double] {
        switch depthMode {
        case .linear, .sigmoid:
            let cell = index % depthPoints
            let grid = depthMode == .linear ? Self.linearDepths(depthPoints) : Self.sigmoidDepths(depthPoints)
            return (0..<count).map { i in count == 1 ? grid[cell] : grid[cell] + Double(i) * (100 - grid[cell]) / Double(count) }
        case .ruler:
            if haystack == .essay || haystack == .folder {
                let grid = Self.linearDepths(40).map { $0.rounded() }
                return rng.sampleIndices(grid.count, min(count, grid.count)).map { grid[$0] }
                    + (grid.count..<max(grid.count, count)).map { _ in rng.unit() * 100 }
            }
            return (0..<count).map { _ in rng.unit() * 100 }
        }
    }

    /// `points` evenly spaced depths from 0 to 100.
    static func linearDepths(_ points: Int) -> [Double] {
        points == 1 ? [50] : (0..<points).map { Double($0) * 100 / Double(points - 1) }
    }

    /// Logistic-spaced depths (denser near both ends), keeping 0 and 100, as in the original NIAH test.
    static func sigmoidDepths(_ points: Int) -> [Double] {
        linearDepths(points).map { x in
            if x == 0 || x == 100 { return x }
            let y = 100 / (1 + exp(-0.1 * (x - 50)))
            return (y * 1000).rounded() / 1000
        }
    }

    func templates(singular: Bool) -> (instruction: String, question: String, prefix: String, noun: String) {
        var instruction = "Some special magic {v} are hidden within the following text. Make sure to memorize it. I will quiz you about the {v} afterwards."
        var question = "What are all the special magic {v} for {q} mentioned in the provided text?"
        var prefix = " The special magic {v} for {q} mentioned in the provided text are"
        var noun = valueType.rawValue
        if singular {
            // RULER rewrites its template when one value is asked for.
            for (from, to) in [("Some", "A"), ("are all", "is"), ("are", "is"), ("answers", "answer")] {
                instruction = instruction.replacingAll(from, with: to)
                question = question.replacingAll(from, with: to)
                prefix = prefix.replacingAll(from, with: to)
            }
            noun.removeLast()
        }
        return (instruction, question, prefix, noun)
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        var rng = SeededRandom(seed: request.identity.seed)
        let keys = keyType.makeDistinct(keyCount, &rng)
        var allValues: Set<String> = []
        var values: [[String]] = []
        for _ in keys {
            let made = valueType.makeDistinct(valueCount, excluding: allValues, &rng)
            allValues.formUnion(made)
            values.append(made)
        }
        var needleSpecs: [NeedleSpec] = []
        for (k, key) in keys.enumerated() {
            for value in values[k] {
                needleSpecs.append(NeedleSpec(key: key, text: "One of the special magic \(valueType.rawValue) for \(key) is: \(value).", depth: 0))
            }
        }
        rng.shuffle(&needleSpecs)
        let depths = depths(count: needleSpecs.count, index: request.index, rng: &rng)
        for i in needleSpecs.indices { needleSpecs[i].depth = depths[i] }

        let queried = rng.sampleIndices(keyCount, queryCount)
        let queries = queried.map { keys[$0] }
        let answers = queried.flatMap { values[$0] }
        let query = queries.count == 1 ? queries[0] : queries.dropLast().joined(separator: ", ") + ", and " + queries.last!
        if confusers > 0 {
            // Drawn from their own stream so samples without confusers stay exactly as they were.
            var confusing = SeededRandom(seed: deriveSeed(request.identity.seed, "confusers"))
            needleSpecs += confusingNeedles(for: queries, keys: Set(keys), answers: Set(answers), &confusing)
        }
        let t = templates(singular: queryCount * valueCount == 1)
        let instruction = t.instruction.replacingAll("{v}", with: t.noun)
        let question = t.question.replacingAll("{v}", with: t.noun).replacingAll("{q}", with: query)
        let prefix = t.prefix.replacingAll("{v}", with: t.noun).replacingAll("{q}", with: query)

        let builder = ContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer,
            renderer: request.renderer, answerPrefix: prefix,
            frame: { context in [Message(.user, instruction + "\n" + context + "\n" + question)] }))
        let built: BuiltPrompt
        var knobs: [String: ParameterValue] = [:]
        if let corpus {
            let start = corpus.distinctUnits.map { rng.below($0) } ?? rng.below(4096)
            var window = CorpusWindow(corpus: corpus, start: start)
            built = try builder.build(needles: needleSpecs, stream: &window)
            knobs["haystack"] = .string(corpus.fingerprint)
            knobs["haystack_start"] = .int(start)
        } else {
            let exclude = Set(keys)
            let keyType = keyType, valueType = valueType
            var distractors = GeneratedUnits(seed: deriveSeed(request.identity.seed, "distractors"), needleSeparator: "\n") { rng in
                var key = keyType.make(&rng)
                while exclude.contains(key) { key = keyType.make(&rng) }
                return "\nOne of the special magic \(valueType.rawValue) for \(key) is: \(valueType.make(&rng))."
            }
            built = try builder.build(needles: needleSpecs, stream: &distractors)
            knobs["haystack"] = .string("needle-v1")
        }
        if depthMode != .ruler { knobs["depth_cell"] = .int(request.index % depthPoints) }
        var axes: [String: AxisValue] = [:]
        if let asked = built.needles.first(where: { $0.key == queries[0] }) {
            knobs["answer_depth"] = .double(asked.depth)
            axes["depth"] = .number(asked.requestedDepth ?? asked.depth)
        }
        if confusers > 0 { knobs["confusers"] = .int(confusers * queries.count) }
        // Follow-ups ask, one key each, about keys not asked yet, in a seeded order.
        var followUpList: [Turn] = []
        if followUps > 0 {
            var order = SeededRandom(seed: deriveSeed(request.identity.seed, "follow-ups"))
            let remaining = (0..<keyCount).filter { !queried.contains($0) }
            let user = built.messages[0].content
            let context = String(user.dropFirst(instruction.count + 1).dropLast(question.count + 1))
            for k in order.sampleIndices(remaining.count, followUps).map({ remaining[$0] }) {
                let singular = templates(singular: valueCount == 1)
                let q = singular.question.replacingAll("{v}", with: singular.noun).replacingAll("{q}", with: keys[k])
                let p = singular.prefix.replacingAll("{v}", with: singular.noun).replacingAll("{q}", with: keys[k])
                followUpList.append(
                    Turn(
                        question: q, messages: [Message(.user, instruction + "\n" + context + "\n" + q)], answerPrefix: p,
                        reference: Reference(answers: values[k])))
            }
            knobs["follow_ups"] = .int(followUps)
        }
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
            messages: built.messages, answerPrefix: prefix, promptText: built.promptText,
            reference: try Reference(answers: answers, AskedNeedles(asked: queried.map { AskedNeedles.Needle(key: keys[$0], values: values[$0]) })),
            generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: built.promptTokens, contextTokens: built.contextTokens, query: built.query,
                tokenizer: request.tokenizer.fingerprint, needles: built.needles, knobs: knobs, axes: axes),
            turns: followUpList, turnMode: followUpMode)
    }

    /// Confusing facts (after LV-Eval): per asked key, `confusers` near-miss needles that alternate between the same
    /// key with a different subject ("…special magic words for KEY…" when numbers are asked) and a similar key with
    /// the same subject (one word, digit or hex character changed). None carries an answer or a real key.
    func confusingNeedles(for queries: [String], keys: Set<String>, answers: Set<String>, _ rng: inout SeededRandom) -> [NeedleSpec] {
        var out: [NeedleSpec] = []
        for key in queries {
            for c in 0..<confusers {
                if c % 2 == 0 {
                    let other = NeedleValueKind.allCases.filter { $0 != valueType }[c / 2 % 2]
                    var value = other.make(&rng)
                    while answers.contains(value) { value = other.make(&rng) }
                    out.append(NeedleSpec(key: key, text: "One of the special magic \(other.rawValue) for \(key) is: \(value).", depth: rng.unit() * 100))
                } else {
                    var similar = Self.similarKey(key, kind: keyType, &rng)
                    while keys.contains(similar) { similar = Self.similarKey(key, kind: keyType, &rng) }
                    var value = valueType.make(&rng)
                    while answers.contains(value) { value = valueType.make(&rng) }
                    out.append(NeedleSpec(key: similar, text: "One of the special magic \(valueType.rawValue) for \(similar) is: \(value).", depth: rng.unit() * 100))
                }
            }
        }
        return out
    }

    /// A key one edit away: words keep their adjective and change the noun; numbers and UUIDs change one character.
    static func similarKey(_ key: String, kind: NeedleValueKind, _ rng: inout SeededRandom) -> String {
        switch kind {
        case .words:
            let adjective = key.split(separator: "-").first.map(String.init) ?? key
            return adjective + "-" + rng.pick(Lexicon.nouns)
        case .numbers, .uuids:
            var characters = Array(key)
            let positions = characters.indices.filter { characters[$0] != "-" }
            let i = positions[rng.below(positions.count)]
            let alphabet: [Character] = kind == .numbers ? Array("0123456789") : Array("0123456789abcdef")
            var replacement = rng.pick(alphabet)
            while replacement == characters[i] || (i == 0 && kind == .numbers && replacement == "0") { replacement = rng.pick(alphabet) }
            characters[i] = replacement
            return String(characters)
        }
    }

    /// The structured reference: each asked key with its values, so a score can say which keys were found.
    public struct AskedNeedles: Codable, Sendable, Hashable {
        public struct Needle: Codable, Sendable, Hashable {
            public var key: String
            public var values: [String]
        }
        public var asked: [Needle]
    }

    /// The task's metrics over the answer, plus which asked keys had every value found (`keys_found`,
    /// `keys_missing` in `score_details`) when several keys were asked.
    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        var score = MetricCatalog.score(descriptor.metrics, prediction: response.text, references: sample.reference.answers)
        if sample.reference.structured != nil, queryCount > 1 {
            let asked = try sample.reference.decode(AskedNeedles.self).asked
            let found = asked.filter { StringMatch.all(prediction: response.text, references: $0.values) == 1 }.map(\.key)
            let missing = asked.map(\.key).filter { !found.contains($0) }
            score.details = .object(["keys_found": .array(found.map { .string($0) }), "keys_missing": .array(missing.map { .string($0) })])
        }
        return score
    }

    public func oracleAnswer(sample: Sample) -> String {
        " " + sample.reference.answers.joined(separator: ", ") + "."
    }
}
