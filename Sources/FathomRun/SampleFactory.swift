import FathomCore
import FathomText

/// Synthesizes the samples of a plan, the same way for `run` and `export`.
public struct SampleFactory: Sendable {
    public var plan: RunPlan
    public var tokenizer: any Tokenizer
    /// Plain text, or the model's chat template per answer-prefix mode.
    public var rendering: PromptRendering

    /// Why this tokenizer counts (recorded in run.json): `--tokenizer` given, or the default and its reason.
    public var tokenizerChoice: String

    public init(plan: RunPlan, tokenizer: any Tokenizer, rendering: PromptRendering = .plain, tokenizerChoice: String = "given with --tokenizer") {
        self.plan = plan
        self.tokenizer = tokenizer
        self.rendering = rendering
        self.tokenizerChoice = tokenizerChoice
    }

    /// Names how prompts are rendered, for run ids and run.json: `plain`, or `chat-template:SHA12` plus how the server
    /// applies it on chat routes and whether completions use the template.
    public var rendererName: String {
        guard let chat = rendering.chat, usesChatTemplate else { return "plain" }
        return "chat-template:\(chat.sha256.prefix(12)):\(rendering.style.rawValue)\(rendering.templateCompletions ? ":completions" : "")"
    }

    /// Whether any task of the plan is rendered with the chat template (completions stay plain unless asked).
    public var usesChatTemplate: Bool {
        plan.tasks.contains { rendering.appliesTemplate(to: plan.generation(of: $0).prefixMode) }
    }

    /// The sample of one plan item; errors name the task and length.
    public func sample(_ item: PlanItem) throws(FathomError) -> Sample {
        let task = plan.tasks[item.taskIndex]
        let generation = plan.generation(of: task)
        do {
            let renderer = rendering.renderer(for: generation.prefixMode, tokenizer: tokenizer)
            let sample = try task.makeSample(
                SampleRequest(identity: item.identity, tokenizer: tokenizer, renderer: renderer, generation: generation))
            try Self.check(sample, of: task, item: item, generation: generation)
            return sample
        } catch var error as FathomError {
            error.message = "\(task.descriptor.name) at \(ContextLength.format(item.length)), sample \(item.index): " + error.message
            if error.file == nil { error.file = task.descriptor.file }
            throw error
        } catch {
            throw FathomError(.invalidValue, "\(task.descriptor.name) at \(ContextLength.format(item.length)), sample \(item.index): \(error)", file: task.descriptor.file)
        }
    }

    /// What Fathom checks of every sample rather than trusting the plugin: the identity it was asked for, the
    /// prefix mode its prompt was rendered for, a positive budget, the length rule on the counts it reports, and
    /// a value on exactly the axes its task declares.
    static func check(_ sample: Sample, of task: any TaskPlugin, item: PlanItem, generation: GenerationSettings) throws(FathomError) {
        guard sample.id == item.identity.id, sample.index == item.index, sample.length == item.length, sample.task == task.descriptor.name else {
            throw FathomError(.invalidValue, "the plugin returned sample \(sample.task) #\(sample.index) (\(sample.id)) for the one asked")
        }
        guard sample.generation.prefixMode == generation.prefixMode else {
            throw FathomError(.invalidValue, "the plugin changed the answer-prefix mode its prompt was rendered for")
        }
        guard sample.generation.maxTokens >= 1 else {
            throw FathomError(.invalidValue, "max_tokens \(sample.generation.maxTokens) is below 1")
        }
        guard LengthRule.holds(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: item.length) else {
            throw FathomError(
                .length,
                "prompt \(sample.metadata.promptTokens) + max_tokens \(sample.generation.maxTokens) tokens breaks the length rule for \(item.length)")
        }
        let declared = Set(task.axes.map(\.name))
        let given = Set(sample.metadata.axes.keys)
        guard declared == given else {
            let missing = declared.subtracting(given).sorted(), extra = given.subtracting(declared).sorted()
            throw FathomError(
                .invalidValue,
                "axis values do not match the declared axes" + (missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))")
                    + (extra.isEmpty ? "" : " (undeclared: \(extra.joined(separator: ", ")))"))
        }
    }
}
