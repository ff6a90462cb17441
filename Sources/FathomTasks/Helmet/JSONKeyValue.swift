import FathomCore
import FathomMetrics
import FathomText
import Foundation

/// HELMET's JSON key-value retrieval (`json_kv`, after "Lost in the Middle"): a JSON object of UUID keys and UUID
/// values, and the value of one key is asked for after two demo lookups.
///
/// HELMET fixes the number of pairs per length (50/105/220/440/900/1800 at 4K/8K/16K/32K/64K/128K); here that
/// count is the starting point and pairs are then added or removed until the prompt obeys the length window, at
/// any length. The queried pair sits at a random depth drawn from the sample's seed; its actual token offset and
/// depth are recorded. Scoring follows HELMET: SubEM (plus EM and F1), each the maximum over the raw output and the
/// output parsed after "Corresponding value:".
public struct JSONKeyValue: TaskPlugin {
    public static let kind = "json_kv"
    public static let summary = "Retrieve the value of one UUID key from a long JSON object of UUID pairs."
    public static let metrics = ["subem", "exact_match", "f1"]
    public static let defaultMaxTokens = 100
    public static let defaultTags = TaskTags(family: "synthetic-recall", diffusion: "low", scope: "small")

    public struct Parameters: TaskParameters {
        public var demos = 2
        public var pairs = 0
        public var confusers = 0
        public init() {}
        public static let documentation: [String: ParameterDoc] = [
            "demos": ParameterDoc("demo lookups (key and value) before the question", minimum: 0),
            "pairs": ParameterDoc("starting number of pairs (0: HELMET's count for the length)", minimum: 0),
            "confusers": ParameterDoc("near-miss pairs whose key is one hex character away from the asked key (confusing facts)", minimum: 0),
        ]
    }

    /// HELMET's pairs per length.
    static let helmetPairs: [(length: Int, pairs: Int)] = [
        (4096, 50), (8192, 105), (16_384, 220), (32_768, 440), (65_536, 900), (131_072, 1800),
    ]

    static let instruction = "Extract the value corresponding to the specified key in the JSON object below."
    static let answerPrefix = "\nCorresponding value:"

    public let descriptor: TaskDescriptor
    let demos: Int
    let pairs: Int
    let confusers: Int

    public init(descriptor: TaskDescriptor, parameters p: Parameters) throws {
        self.descriptor = descriptor
        demos = p.demos
        pairs = p.pairs
        confusers = p.confusers
    }

    public var axes: [AxisSpec] { [.depth()] }

    /// HELMET's count at a listed length; elsewhere scaled from the nearest listed length below (or the first).
    static func defaultPairs(length: Int) -> Int {
        let anchor = helmetPairs.last { $0.length <= length } ?? helmetPairs[0]
        return max(1, Int((Double(anchor.pairs) * Double(length) / Double(anchor.length)).rounded()))
    }

    static func pairText(_ key: String, _ value: String) -> String { "\"\(key)\": \"\(value)\"" }

    /// "JSON data:\n{" + pairs joined by ",\n " + "}" (Lost in the Middle's layout).
    static func object(_ pairs: [(String, String)]) -> String {
        "JSON data:\n{" + pairs.map { pairText($0.0, $0.1) }.joined(separator: ",\n ") + "}"
    }

    public func makeSample(_ request: SampleRequest) throws -> Sample {
        let seed = request.identity.seed
        var rng = SeededRandom(seed: seed)
        var used: Set<String> = []
        func freshUUID(_ r: inout SeededRandom) -> String {
            var id = r.uuid()
            while !used.insert(id).inserted { id = r.uuid() }
            return id
        }
        let queried = (key: freshUUID(&rng), value: freshUUID(&rng))
        let depth = (rng.unit() * 10000).rounded(.down) / 100
        let demoPairs = (0..<demos).map { _ in (freshUUID(&rng), freshUUID(&rng)) }
        let demoText = demoPairs.map { "Key: \"\($0.0)\"\nCorresponding value: \($0.1)" }.joined(separator: "\n\n") + (demos > 0 ? "\n\n" : "")
        let question = "Key: \"\(queried.key)\""
        let guess = pairs > 0 ? pairs : Self.defaultPairs(length: request.length)
        let builder = SizedContextBuilder(PromptSpec(
            targetLength: request.length, maxTokens: request.generation.maxTokens, tokenizer: request.tokenizer,
            renderer: request.renderer, answerPrefix: Self.answerPrefix,
            frame: { context in [Message(.user, context + "\n\n" + Self.instruction + "\n\n" + demoText + question)] }))

        // Confusing facts: keys one edit away from the asked key, with their own values, at seeded relative positions.
        var confusing = SeededRandom(seed: deriveSeed(seed, "confusers"))
        let confuserPairs: [(pair: (String, String), at: Double)] = (0..<confusers).map { _ in
            var key = NeedleInHaystack.similarKey(queried.key, kind: .uuids, &confusing)
            while !used.insert(key).inserted { key = NeedleInHaystack.similarKey(queried.key, kind: .uuids, &confusing) }
            return ((key, freshUUID(&confusing)), confusing.unit())
        }
        var lastError: any Error = FathomError(.length, "json_kv sizing made no attempt")
        // A pair is 50–80 tokens, about the 64-token window: when no count lands in it, draw other filler pairs.
        for attempt in 0..<16 {
            var fillerRNG = SeededRandom(seed: deriveSeed(seed, "pairs \(attempt)"))
            var fillers: [(String, String)] = []
            var attemptUsed = used
            func pairsFor(_ k: Int) -> (pairs: [(String, String)], queriedIndex: Int) {
                while fillers.count < k - 1 {
                    var key = fillerRNG.uuid()
                    while !attemptUsed.insert(key).inserted { key = fillerRNG.uuid() }
                    fillers.append((key, fillerRNG.uuid()))
                }
                var all = Array(fillers[0..<(k - 1)])
                for confuser in confuserPairs where !all.isEmpty {
                    all[min(all.count - 1, Int(confuser.at * Double(all.count)))] = confuser.pair
                }
                let q = min(k - 1, Int(depth / 100 * Double(k)))
                all.insert((queried.key, queried.value), at: q)
                return (all, q)
            }
            do {
                var sized = try builder.build(minimum: 1, guess: guess, make: { Self.object(pairsFor($0).pairs) })
                let (all, q) = pairsFor(sized.size)
                let before = "JSON data:\n{" + all[0..<q].map { Self.pairText($0.0, $0.1) + ",\n " }.joined()
                sized.prompt.needles = [
                    builder.placement(in: sized, contextPrefix: Substring(before), key: queried.key, requestedDepth: depth)
                ]
                return Sample(
                    id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
                    messages: sized.prompt.messages, answerPrefix: Self.answerPrefix, promptText: sized.prompt.promptText,
                    reference: Reference(answers: [queried.value]), generation: request.generation,
                    metadata: SampleMetadata(
                        targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                        tokenizer: request.tokenizer.fingerprint, needles: sized.prompt.needles,
                        knobs: [
                            "pairs": .int(sized.size), "helmet_pairs": .int(guess), "queried_index": .int(q),
                            "filler_draw": .int(attempt), "sizing_encodings": .int(sized.prompt.verifications),
                        ],
                        axes: ["depth": .number(depth)]))
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    public func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) -> Score {
        let output = response.text
        let raw = MetricCatalog.score(descriptor.metrics, prediction: output, references: sample.reference.answers)
        let parsed = MetricCatalog.score(
            descriptor.metrics, prediction: parseOutput(output, prefix: "Corresponding value:"), references: sample.reference.answers)
        var metrics = raw.metrics
        for (name, value) in parsed.metrics { metrics[name] = max(metrics[name] ?? 0, value) }
        return Score(value: metrics[descriptor.metrics[0]] ?? 0, metrics: metrics)
    }

    public func oracleAnswer(sample: Sample) -> String {
        " " + sample.reference.answers[0]
    }
}
