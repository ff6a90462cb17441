import FathomCore
import FathomSandbox
import FathomTasks
import FathomTestSupport
import FathomText
import Testing

/// The conformance kit: every registered task, at several lengths and seeds, must give oracle = 1.0, null ≤ 0.05,
/// byte-identical samples for the same inputs, prompts that obey the length rule, and unique ids.
/// A new plugin gets these checks by adding its manifest under Tasks/.
@Suite struct ConformanceTests {
    static let registry: Registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let taskNames = registry.taskNames
    static let lengths = [2048, 8192, 32_768]
    static let seeds: [UInt64] = [42, 7]
    static let samplesPerCell = 6

    /// Scoring with everything allowed: tasks that run model-written code run their oracle in the sandbox too.
    static let allowed = ScoringContext(allowExec: true)

    /// The oracle's score with everything allowed; without permission a task must give the same score or decline
    /// (`ScoringSkipped`), never fail or give another score. With everything allowed a task may decline only on a
    /// machine that cannot sandbox code (`Sandbox.unavailable`); the oracle is then not scored (nil).
    static func oracleScore(_ task: any TaskPlugin, _ sample: Sample, alsoWithout: Bool = true) throws -> Double? {
        let answer = task.oracleAnswer(sample: sample)
        let score: Double
        do {
            score = try task.score(text: answer, sample: sample, context: allowed).value
        } catch let skipped as ScoringSkipped {
            #expect(Sandbox.unavailable != nil, "\(sample.task): declined with everything allowed: \(skipped)")
            return nil
        }
        guard alsoWithout else { return score }
        do {
            #expect(try task.score(text: answer, sample: sample).value == score, "\(sample.task): another score without --allow-exec")
        } catch is ScoringSkipped {}
        return score
    }

    func samples(_ task: any TaskPlugin, length: Int, seed: UInt64) throws -> [Sample] {
        try (0..<Self.samplesPerCell).map { index in
            try task.makeSample(
                task.descriptor.request(length: length, index: index, suiteSeed: seed, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
        }
    }

    @Test(arguments: taskNames)
    func taskConforms(name: String) throws {
        let task = try Self.registry.task(named: name)
        var ids: Set<String> = []
        for length in Self.lengths {
            for seed in Self.seeds {
                let made = try samples(task, length: length, seed: seed)
                let again = try samples(task, length: length, seed: seed)
                #expect(made == again, "\(name) @\(length) seed \(seed): not deterministic")
                for sample in made {
                    #expect(try Self.oracleScore(task, sample) ?? 1.0 == 1.0, "\(name): oracle below 1.0 on \(sample.id)")
                    #expect(try task.score(text: "", sample: sample, context: Self.allowed).value <= 0.05, "\(name): null above 0.05 on \(sample.id)")
                    #expect(
                        ContextBuilder.obeysLengthRule(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: length),
                        "\(name) @\(length): \(sample.metadata.promptTokens) + \(sample.generation.maxTokens) breaks the length rule")
                    #expect(sample.metadata.promptTokens == ApproxTokenizer().promptTokenCount(sample.promptText))
                    #expect(!sample.reference.answers.isEmpty)
                    ids.insert(sample.id)
                }
            }
        }
        #expect(ids.count == Self.lengths.count * Self.seeds.count * Self.samplesPerCell, "\(name): ids are not unique")
    }

    static func sample(_ task: any TaskPlugin, length: Int, index: Int, tokenizer: any Tokenizer, renderer: any PromptRenderer) throws -> Sample {
        try task.makeSample(
            task.descriptor.request(length: length, index: index, suiteSeed: 42, tokenizer: tokenizer, renderer: renderer))
    }

    /// Exact tokenizers are not additive across haystack units: the length rule must still hold for every task.
    static let fixtureTokenizers = ["llama3.tokenizer.json", "sp.tokenizer.json", "gpt2.tokenizer.json", "llama3.tiktoken:o200k"]

    @Test(arguments: fixtureTokenizers)
    func lengthRuleHoldsWithExactTokenizers(spec: String) throws {
        let tokenizer = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/" + spec)
        for name in Self.taskNames {
            let task = try Self.registry.task(named: name)
            for length in [2048, 8192] {
                for index in 0..<3 {
                    let sample = try Self.sample(task, length: length, index: index, tokenizer: tokenizer, renderer: PlainPromptRenderer())
                    #expect(sample.metadata.promptTokens == tokenizer.promptTokenCount(sample.promptText), "\(name) with \(spec)")
                    #expect(
                        ContextBuilder.obeysLengthRule(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: length),
                        "\(name) @\(length) with \(spec): \(sample.metadata.promptTokens) + \(sample.generation.maxTokens)")
                    #expect(try Self.oracleScore(task, sample, alsoWithout: false) ?? 1.0 == 1.0)
                }
            }
        }
    }

    /// With a chat template the length rule holds on the rendered prompt, template tokens and one BOS included,
    /// for the chat route (BOS in the text) and the completions route (BOS added by the server).
    @Test(arguments: [AnswerPrefixMode.chatUser, .completion])
    func lengthRuleHoldsWithAChatTemplate(mode: AnswerPrefixMode) throws {
        let tokenizer = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")
        let chat = try ModelChatTemplate.load(path: RepoPaths.fixtures + "/chat/tokenizer_config.json", tokenizer: tokenizer)
        let renderer = PromptRendering(chat: chat, templateCompletions: true).renderer(for: mode, tokenizer: tokenizer)
        let bos = try #require(tokenizer.bosTokenID)
        for name in Self.taskNames {
            let task = try Self.registry.task(named: name)
            for length in [2048, 8192] {
                for index in 0..<2 {
                    let sample = try Self.sample(task, length: length, index: index, tokenizer: tokenizer, renderer: renderer)
                    let ids = tokenizer.encode(sample.promptText)
                    let seen = mode == .completion ? [bos] + ids : ids
                    #expect(sample.metadata.promptTokens == seen.count, "\(name) \(mode.rawValue)")
                    #expect(seen.filter { $0 == bos }.count == 1, "\(name) \(mode.rawValue): not exactly one BOS")
                    #expect(
                        ContextBuilder.obeysLengthRule(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: length),
                        "\(name) @\(length) \(mode.rawValue): \(sample.metadata.promptTokens) + \(sample.generation.maxTokens)")
                    #expect(try Self.oracleScore(task, sample, alsoWithout: false) ?? 1.0 == 1.0)
                }
            }
        }
    }

    /// Samples do not depend on the order in which they are made.
    @Test func orderOfExecutionDoesNotMatter() throws {
        let task = try Self.registry.task(named: "ruler.niah_multikey_2")
        let forward = try samples(task, length: 4096, seed: 42)
        let backward = try (0..<Self.samplesPerCell).reversed().map { index in
            try task.makeSample(
                task.descriptor.request(length: 4096, index: index, suiteSeed: 42, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer()))
        }
        #expect(forward == backward.reversed())
    }

    /// Drift: every registered kind has a manifest, and manifests name only registered kinds (load would fail).
    @Test func everyKindHasAManifest() {
        let used = Set(Self.registry.tasks.values.map { $0.descriptor.kind })
        for kind in BuiltinPlugins.all { #expect(used.contains(kind.kind), "plugin kind \(kind.kind) has no manifest under Tasks/") }
    }

    @Test func suitesAreAsAdvertised() throws {
        let ruler = try #require(Self.registry.suites["ruler-niah"])
        #expect(ruler.tasks.count == 8 && ruler.samples == 500 && ruler.lengths == [4096, 8192, 16_384, 32_768, 65_536, 131_072])
        #expect(ruler.aggregate.headline == "effective_length" && ruler.aggregate.threshold == 85.6)
        #expect(Self.registry.suites["quick"] != nil)
        let full = try #require(Self.registry.suites["ruler"])
        #expect(full.tasks.count == 13 && Set(full.tasks).isSuperset(of: ruler.tasks) && full.samples == 500)
        #expect(full.tasks.contains("ruler.qa_2") && full.aggregate.headline == "effective_length" && full.aggregate.threshold == 85.6)
    }
}
