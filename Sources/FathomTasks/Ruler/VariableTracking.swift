import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// RULER's variable tracking (VT): chains of assignments `VAR A = 12345`, `VAR B = VAR A`, … hidden in a haystack;
/// the model names every variable that ends up holding the queried value.
///
/// `chains` chains of `hops` hops each use distinct `name_length`-letter uppercase names and distinct
/// `value_digits`-digit values; each chain's lines go in order at random depths of the haystack, and the first
/// chain is asked about. A one-shot demo (3-letter names, its own value and noise, at most `demo_tokens` tokens) is
/// made afresh for every sample from the sample's seed, and it is part of the prompt counted for the length rule.
public struct VariableTracking: TaskPlugin {
    public static let kind = "variable_tracking"
    public static let summary = "Name every variable a chain of assignments gives the queried value."
    public static let metrics = ["string_match_all"]
    public static let defaultMaxTokens = 30
    public static let defaultTags = TaskTags(family: "synthetic-tracing", diffusion: "high", scope: "small")

    public struct Parameters: TaskParameters {
        public enum Haystack: String, ParameterChoice { case noise, essay }
        public var haystack = Haystack.noise
        public var chains = 1
        public var hops = 4
        public var nameLength = 5
        public var valueDigits = 5
        public var demo = true
        public var demoTokens = 500
        public init() {}
        enum CodingKeys: String, CodingKey {
            case haystack, chains, hops, nameLength = "name_length", valueDigits = "value_digits", demo, demoTokens = "demo_tokens"
        }
        public static let documentation: [String: ParameterDoc] = [
            "haystack": ParameterDoc("haystack material"),
            "chains": ParameterDoc("assignment chains (the first is asked about)", minimum: 1),
            "hops": ParameterDoc("assignments after the first in each chain", minimum: 1),
            "name_length": ParameterDoc("letters per variable name", minimum: 2),
            "value_digits": ParameterDoc("digits of the assigned values", minimum: 2),
            "demo": ParameterDoc("prepend a one-shot demo regenerated per sample"),
            "demo_tokens": ParameterDoc("token budget of the demo (with max_tokens)", minimum: 64),
        ]
    }

    static let instruction = "Memorize and track the chain(s) of variable assignment hidden in the following text."

    public let descriptor: TaskDescriptor
    let corpus: Corpus
    let chainCount: Int
    let hops: Int
    let nameLength: Int
    let valueDigits: Int
    let demo: Bool
    let demoTokens: Int

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        corpus = p.haystack == .essay ? Haystacks.essay : Haystacks.noise
        chainCount = p.chains
        hops = p.hops
        nameLength = p.nameLength
        valueDigits = p.valueDigits
        demo = p.demo
        demoTokens = p.demoTokens
        guard valueDigits <= 18 else {
            throw FathomError(.invalidValue, "value_digits must be at most 18", key: "params.value_digits")
        }
    }

    /// The question after the context.
    static func question(value: String) -> String {
        "Question: Find all variables that are assigned the value \(value) in the text above."
    }

    /// RULER's answer prefix (current spelling "assigned"; it ends with a space, the names follow).
    static func answerPrefix(names: Int, value: String) -> String {
        " Answer: According to the chain(s) of variable assignment in the text above, \(names) variables are assigned the value \(value), they are: "
    }

    /// `count` distinct names of `length` uppercase letters, none in `excluding`.
    static func names(_ count: Int, length: Int, excluding: Set<String>, _ rng: inout SeededRandom) -> [String] {
        var seen = excluding
        var out: [String] = []
        while out.count < count {
            var bytes: [UInt8] = []
            for _ in 0..<length { bytes.append(UInt8(65 + rng.below(26))) }
            let name = String(decoding: bytes, as: UTF8.self)
            if seen.insert(name).inserted { out.append(name) }
        }
        return out
    }

    /// `count` distinct values of `digits` digits, none in `excluding`.
    func values(_ count: Int, excluding: Set<String>, _ rng: inout SeededRandom) -> [String] {
        var low = 1
        for _ in 1..<valueDigits { low *= 10 }
        var seen = excluding
        var out: [String] = []
        while out.count < count {
            let value = String(rng.int(in: low...(low * 10 - 1)))
            if seen.insert(value).inserted { out.append(value) }
        }
        return out
    }

    /// The assignment lines of a chain over `names` starting from `value`.
    static func chainLines(names: [String], value: String) -> [String] {
        ["VAR \(names[0]) = \(value)"] + (1..<names.count).map { "VAR \(names[$0]) = VAR \(names[$0 - 1])" }
    }

    /// A one-shot demo: the full task on a small noise haystack, followed by its answer.
    func makeDemo(seed: UInt64, excludingNames: Set<String>, excludingValues: Set<String>, tokenizer: any Tokenizer, maxTokens: Int) -> String {
        var rng = SeededRandom(seed: seed)
        let demoHops = min(10, hops)
        let names = Self.names(chainCount * (demoHops + 1), length: 3, excluding: excludingNames, &rng)
        let values = values(chainCount, excluding: excludingValues, &rng)
        let chains = (0..<chainCount).map { c in
            Self.chainLines(names: Array(names[(c * (demoHops + 1))..<((c + 1) * (demoHops + 1))]), value: values[c])
        }
        let answer = Array(names[0...demoHops])
        // Random insertion points per chain, fixed before sizing so fewer noise lines keep the same structure.
        let draws = chains.map { chain in (0..<chain.count).map { _ in rng.unit() }.sorted() }
        func render(noiseLines: Int) -> String {
            var lines = [String](repeating: Haystacks.noiseLine, count: noiseLines)
            for (c, chain) in chains.enumerated() {
                // RULER: distinct sorted positions among the current lines, line j inserted at position + j, so
                // consecutive assignments are separated by at least one other line whenever there are enough.
                // Sorted draws over count − n + 1 slots plus j are n distinct sorted positions below count.
                let slots = max(1, lines.count - chain.count + 1)
                let positions = draws[c].enumerated().map { j, draw in Int(draw * Double(slots)) + j }
                for (j, line) in chain.enumerated() { lines.insert(line, at: min(lines.count, positions[j] + j)) }
            }
            return Self.instruction + "\n\n" + lines.joined(separator: "\n") + "\n" + Self.question(value: values[0])
                + Self.answerPrefix(names: demoHops + 1, value: values[0]) + answer.joined(separator: " ")
        }
        let budget = demoTokens - maxTokens
        let base = tokenizer.count(render(noiseLines: 0))
        let perLine = max(1, tokenizer.count("\n" + Haystacks.noiseLine))
        var lines = max(0, (budget - base) / perLine)
        var text = render(noiseLines: lines)
        while lines > 0, tokenizer.count(text) > budget {
            lines -= 1
            text = render(noiseLines: lines)
        }
        return text
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        var rng = SeededRandom(seed: request.identity.seed)
        let names = Self.names(chainCount * (hops + 1), length: nameLength, excluding: [], &rng)
        let values = values(chainCount, excluding: [], &rng)
        var needles: [NeedleSpec] = []
        let demoText =
            demo
            ? makeDemo(
                seed: deriveSeed(request.identity.seed, "demo"), excludingNames: Set(names), excludingValues: Set(values),
                tokenizer: request.tokenizer, maxTokens: request.generation.maxTokens) + "\n\n"
            : ""
        // Like RULER, each chain's lines go at distinct haystack positions (sampled without replacement); depths are
        // those positions over an estimate of the haystack's unit count, so consecutive lines rarely share a boundary.
        let tokenizer = request.tokenizer
        let perUnit = max(1, tokenizer.count(corpus.units(from: 0, count: 1, tokenizer: tokenizer).texts[0]))
        let reserved =
            request.generation.maxTokens + ContextBuilder.tolerance(for: request.length)
            + tokenizer.count(demoText + Self.instruction + Self.question(value: values[0]))
            + names.count * tokenizer.count("\nVAR " + names[0] + " = VAR " + names[0])
        let units = max(hops + 1, (request.length - reserved) / perUnit)
        for c in 0..<chainCount {
            let chainNames = Array(names[(c * (hops + 1))..<((c + 1) * (hops + 1))])
            let depths = rng.sampleIndices(units, hops + 1).sorted().map { (Double($0) + 0.5) / Double(units) * 100 }
            for (line, depth) in zip(Self.chainLines(names: chainNames, value: values[c]), depths) {
                needles.append(NeedleSpec(key: String(line.dropFirst(4).prefix(nameLength)), text: line, depth: depth))
            }
        }
        let answers = Array(names[0...hops])
        let value = values[0]
        let question = Self.question(value: value)
        let prefix = Self.answerPrefix(names: hops + 1, value: value)
        let builder = ContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer,
            renderer: request.renderer, answerPrefix: prefix,
            frame: { context in [Message(.user, demoText + Self.instruction + "\n\n" + context + "\n" + question)] }))
        let start = corpus.distinctUnits.map { rng.below($0) } ?? rng.below(4096)
        var window = CorpusWindow(corpus: corpus, start: start)
        let built = try builder.build(needles: needles, stream: &window)
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
            messages: built.messages, answerPrefix: prefix, promptText: built.promptText, reference: Reference(answers: answers),
            generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: built.promptTokens, contextTokens: built.contextTokens, query: built.query,
                tokenizer: request.tokenizer.fingerprint, needles: built.needles,
                knobs: [
                    "haystack": .string(corpus.fingerprint), "haystack_start": .int(start),
                    "demo_tokens": .int(demo ? request.tokenizer.count(demoText) : 0),
                ]))
    }

    /// The names separated by spaces, as the demo answers (the prefix already ends with a space).
    public func oracleAnswer(sample: Sample) -> String {
        sample.reference.answers.joined(separator: " ")
    }
}
