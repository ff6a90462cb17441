import FathomCore
import FathomTasks
import FathomTestSupport
import FathomText
import Testing

/// The conformance kit (FathomTesting's `ConformanceKit`, the same checks plugin packages and `fathom conformance`
/// run) over every registered task: oracle = 1.0, null ≤ 0.05, byte-identical samples for the same inputs in any
/// order, prompts that obey the length rule (with approx, with the fixture exact tokenizers and under a chat
/// template), the sample checks Fathom runs on every sample, unique ids, and scorers that survive hostile answers.
/// A new plugin gets these checks by adding its manifest under Tasks/.
@Suite struct ConformanceTests {
    static let registry: Registry = try! Registry.load(directory: RepoPaths.tasks, kinds: BuiltinPlugins.all)
    static let taskNames = registry.taskNames
    static let kit = ConformanceKit()

    @Test(arguments: taskNames)
    func taskConforms(name: String) throws {
        let report = Self.kit.checkSamples(try Self.registry.task(named: name))
        #expect(report.passed, "\(report)")
        #expect(report.samplesChecked == Self.kit.lengths.count * Self.kit.seeds.count * Self.kit.samplesPerCell)
    }

    /// Exact tokenizers are not additive across haystack units: the length rule must still hold for every task.
    static let fixtureTokenizers = ["llama3.tokenizer.json", "sp.tokenizer.json", "gpt2.tokenizer.json", "llama3.tiktoken:o200k"]

    @Test(arguments: fixtureTokenizers)
    func lengthRuleHoldsWithExactTokenizers(spec: String) throws {
        let tokenizer = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/" + spec)
        for name in Self.taskNames {
            let report = Self.kit.checkExactLengths(try Self.registry.task(named: name), tokenizer: tokenizer)
            #expect(report.passed, "\(report)")
        }
    }

    /// With a chat template the length rule holds on the rendered prompt, template tokens and one BOS included,
    /// for the chat route (BOS in the text) and the completions route (BOS added by the server).
    @Test(arguments: [AnswerPrefixMode.chatUser, .completion])
    func lengthRuleHoldsWithAChatTemplate(mode: AnswerPrefixMode) throws {
        let tokenizer = try TokenizerLoader.load(RepoPaths.fixtures + "/tokenizers/llama3.tokenizer.json")
        let chat = try ModelChatTemplate.load(path: RepoPaths.fixtures + "/chat/tokenizer_config.json", tokenizer: tokenizer)
        for name in Self.taskNames {
            let report = Self.kit.checkChatTemplate(try Self.registry.task(named: name), chat: chat, tokenizer: tokenizer, mode: mode)
            #expect(report.passed, "\(report)")
            #expect(report.samplesChecked == 4)
        }
    }

    /// Model output is hostile input: huge answers, code, unbalanced brackets and tags, odd Unicode.
    @Test(arguments: taskNames)
    func scorersSurviveHostileAnswers(name: String) throws {
        let report = Self.kit.checkHostileAnswers(try Self.registry.task(named: name))
        #expect(report.passed, "\(report)")
    }

    /// The kit finds what it checks: a plugin whose oracle is wrong and whose prompts are too short fails it.
    @Test func theKitCatchesABrokenPlugin() throws {
        var registry = try Registry(kinds: [BrokenPlugin.self])
        try registry.add(try TaskManifest.parse("name: broken\nplugin: broken\nversion: 1\n", file: "broken.yaml"))
        let report = Self.kit.checkSamples(try registry.task(named: "broken"))
        #expect(!report.passed)
        #expect(report.failures.contains { $0.contains("breaks the length rule") }, "\(report)")
        #expect(report.failures.contains { $0.contains("the oracle scores 0.0") }, "\(report)")
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

/// A plugin that breaks the contract: a fixed short prompt (the length rule) and an oracle its scorer rejects.
struct BrokenPlugin: TaskPlugin {
    static let kind = "broken"
    static let summary = "breaks the contract on purpose"
    static let metrics = ["exact_match"]
    static let defaultMaxTokens = 8
    static let defaultTags = TaskTags(family: "test", diffusion: "low", scope: "small")
    let descriptor: TaskDescriptor
    init(descriptor: TaskDescriptor, parameters: NoParameters) { self.descriptor = descriptor }
    func makeSample(_ request: SampleRequest) throws -> Sample {
        let messages = [Message(.user, "What is 2 + 2?")]
        let text = try request.renderer.render(messages: messages, answerPrefix: "")
        return Sample(
            id: request.identity.id, task: descriptor.name, index: request.index, length: request.length, messages: messages, answerPrefix: "",
            promptText: text, reference: Reference(answers: ["4"]), generation: request.generation,
            metadata: SampleMetadata(
                targetLength: request.length, promptTokens: request.tokenizer.promptTokenCount(text), contextTokens: 0,
                tokenizer: request.tokenizer.fingerprint))
    }
    func score(_ response: ModelResponse, sample: Sample, context: ScoringContext) -> Score {
        let value = response.text == "4" ? 1.0 : 0.0
        return Score(value: value, metrics: ["exact_match": value])
    }
    func oracleAnswer(sample: Sample) -> String { "four" }
}
