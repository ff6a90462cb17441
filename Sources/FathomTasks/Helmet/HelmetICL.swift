import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's many-shot in-context learning category (TREC coarse/fine, BANKING77, CLINC150, NLU), rebuilt on a
/// latent classifier drawn per sample (`LatentClassifier`: the label of a request is fixed by the root of the
/// compound noun it is about), so no label can be known from pretraining. Labels are shown as integers through a
/// per-sample shuffled mapping (HELMET's trick, so label names carry no prior); demonstrations are label-balanced
/// (rounds of every label in a shuffled order, HELMET's `balance_labels`) and fill the window exactly, so the
/// number of shots scales with the length (about HELMET's 200/400/800/1600/3300/6600 at 4K…128K). Prompt and
/// scoring follow HELMET (`load_icl`): exact match on the first line after "label:", here also read when the label
/// is followed by other words.
public struct HelmetICL: TaskPlugin {
    public static let kind = "helmet_icl"
    public static let summary = "Learn a seeded text classifier from label-balanced shots with shuffled integer labels (HELMET ICL)."
    public static let metrics = ["exact_match"]
    public static let defaultMaxTokens = 20
    public static let defaultTags = TaskTags(family: "helmet-icl", diffusion: "high", scope: "large")

    public struct Parameters: TaskParameters {
        public var labels = 6
        public init() {}
        public static let documentation: [String: ParameterDoc] = [
            "labels": ParameterDoc("classes of the latent classifier (TREC coarse 6, TREC fine 50, BANKING77 77)", minimum: 2)
        ]
    }

    /// HELMET's shots per length for TREC coarse (`icl.yaml`, `generate_configs.py`), for the knob record.
    static let helmetShots = HelmetCounts(table: [(4096, 200), (8192, 400), (16_384, 800), (32_768, 1600), (65_536, 3300), (131_072, 6600)])

    static let instruction = "Use the provided mapping from the text to label to assign a label to the text. Only output \"label: {label}\" and nothing else. \n\n"
    static let answerPrefix = "\nlabel:"

    public let descriptor: TaskDescriptor
    let labels: Int

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        labels = p.labels
        guard labels <= LatentClassifier.maxLabels else {
            throw FathomError(.invalidValue, "labels is at most \(LatentClassifier.maxLabels)", key: "params.labels")
        }
    }

    /// The structured reference: the label as shown, the classifier's root of the asked text.
    public struct Answer: Codable, Sendable, Hashable {
        public var label: String
        public var root: String
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        var rng = SeededRandom(seed: seed)
        let classifier = LatentClassifier(labels: labels, seed: deriveSeed(seed, "classifier"))
        var shown = Array(0..<labels)
        rng.shuffle(&shown)
        let asked = rng.below(labels)
        let question = classifier.text(label: asked, &rng)

        // Shots in rounds: every label once per round, in a shuffled order. Each label reads the shared frames from
        // a seeded offset and puts a compound of its root in them.
        var shotRNG = SeededRandom(seed: deriveSeed(seed, "shots"))
        let bank = LatentClassifier.Bank.shared
        let tokenizer = request.tokenizer
        var cursors = (0..<labels).map { _ in shotRNG.below(bank.span) }
        var shots: [String] = []
        var shotCounts: [Int] = []
        var shotLabels: [Int] = []
        let labelTexts = (0..<labels).map { "\nlabel: \(shown[$0])" }
        // The bank counts a frame with the newline after it (see `LatentClassifier.Bank`).
        let labelCounts = tokenizer.counts(labelTexts.map { String($0.dropFirst()) })
        // Each compound of a label's root, singular and plural, with the tokens of " " + each, made when the label
        // first needs them.
        typealias Compound = (singular: String, plural: String, singularTokens: Int, pluralTokens: Int)
        let heads = Dictionary(uniqueKeysWithValues: WordStock.compoundHeads.enumerated().map { ($0.element, $0.offset) })
        var compoundsByLabel: [[Compound]?] = Array(repeating: nil, count: labels)
        func compounds(_ label: Int) -> [Compound] {
            if let known = compoundsByLabel[label] { return known }
            let words = WordStock.compoundHeads.map { classifier.roots[label] + $0 }
            let plurals = words.map(Morphology.plural)
            let counted = tokenizer.counts(words.indices.flatMap { [" " + words[$0], " " + plurals[$0]] })
            let made = words.indices.map { (words[$0], plurals[$0], counted[2 * $0], counted[2 * $0 + 1]) }
            compoundsByLabel[label] = made
            return made
        }
        // The bank chunk each label is reading (asked for once per 16 shots, not once per shot).
        var reading: [(k: Int, frames: [LatentClassifier.Frame], counts: [Int32])?] = Array(repeating: nil, count: labels)
        func ensure(_ n: Int) {
            while shots.count < n {
                var round = Array(0..<labels)
                shotRNG.shuffle(&round)
                for label in round {
                    let (k, offset) = (cursors[label] / bank.perChunk, cursors[label] % bank.perChunk)
                    if reading[label]?.k != k {
                        let read = bank.chunk(k, tokenizer: tokenizer)
                        reading[label] = (k, read.frames, read.counts)
                    }
                    let chunk = reading[label]!
                    cursors[label] += 1
                    let frame = chunk.frames[offset]
                    let compound = compounds(label)[heads[frame.head]!]
                    shots.append(frame.text(compound: compound.singular, plural: compound.plural) + labelTexts[label])
                    shotCounts.append(
                        Int(chunk.counts[offset]) + frame.plural.reduce(0) { $0 + ($1 ? compound.pluralTokens : compound.singularTokens) }
                            + labelCounts[label])
                    shotLabels.append(label)
                }
            }
        }
        let spec = PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: tokenizer, renderer: request.renderer,
            answerPrefix: Self.answerPrefix, frame: { [Message(.user, Self.instruction + $0 + "\n\n" + question)] })
        let counted = try CountedContextBuilder(spec).build(
            fixedTokens: 0, minimum: 1,
            counts: { start, count in
                ensure(start + count)
                return Array(shotCounts[start..<(start + count)])
            },
            assemble: { n in
                ensure(n)
                return shots[0..<n].joined(separator: "\n\n")
            })
        let n = counted.sized.size
        let perLabel = (0..<labels).map { label in shotLabels[0..<n].filter { $0 == label }.count }
        let prompt = counted.sized.prompt
        let label = String(shown[asked])
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: prompt.messages,
            answerPrefix: Self.answerPrefix, promptText: prompt.promptText,
            reference: try Reference(answers: [label], Answer(label: label, root: classifier.roots[asked])), generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: prompt.promptTokens, contextTokens: prompt.contextTokens, query: prompt.query,
                tokenizer: tokenizer.fingerprint,
                knobs: [
                    "shots": .int(n), "helmet_shots": .int(Self.helmetShots.count(for: request.length)), "labels": .int(labels),
                    "min_shots_per_label": .int(perLabel.min() ?? 0), "asked_label_shots": .int(perLabel[asked]),
                    "sizing_encodings": .int(prompt.verifications),
                ]))
    }

    /// The label read from an answer: HELMET's first line after "label:"; when that line is not the bare label, the
    /// whole number it starts with, past decoration ("3 (greeting)", "**3**", "`3`"). A number that opens a list
    /// item or a sentence ("1. The best way to…", "2) Sell it") is not a label, nor is a number further in the line
    /// ("The label is 3"): HELMET's exact match would score neither.
    static func label(in output: String) -> String {
        let parsed = parseOutput(String(output.prefix(HelmetScoring.maxOutputCharacters)), prefix: "label:")
        let normalized = normalizeAnswer(parsed)
        if normalized.allSatisfy({ $0.isASCII && $0.isNumber }) { return normalized }
        let scalars = Array(parsed.unicodeScalars.prefix(256))
        var i = 0
        while i < scalars.count, " \t*`\"'[(_".unicodeScalars.contains(scalars[i]) { i += 1 }
        var digits = ""
        while i < scalars.count, scalars[i].value >= 0x30, scalars[i].value <= 0x39 {
            if digits.unicodeScalars.count < 12 { digits.unicodeScalars.append(scalars[i]) }
            i += 1
        }
        guard !digits.isEmpty else { return "" }
        // "1. Word" or "1) Word": a list marker.
        if i < scalars.count, scalars[i] == "." || scalars[i] == ")" {
            var j = i + 1
            while j < scalars.count, scalars[j] == " " || scalars[j] == "\t" { j += 1 }
            if j > i + 1, j < scalars.count, CharacterSet.letters.contains(scalars[j]) { return "" }
        }
        return digits
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) throws -> Score {
        let answer = try sample.reference.decode(Answer.self)
        let read = Self.label(in: response.text)
        let right: Double = !read.isEmpty && read == answer.label ? 1 : 0
        return Score(
            value: right, metrics: ["exact_match": right],
            details: .object(["read": .string(String(read.prefix(20))), "truncated": .bool(response.isTruncated)]))
    }

    public func oracleAnswer(sample: Sample) -> String { " " + sample.reference.answers[0] }
}
