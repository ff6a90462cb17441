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

    /// What Fathom checks of every sample rather than trusting the plugin (see `SampleCheck`).
    static func check(_ sample: Sample, of task: any TaskPlugin, item: PlanItem, generation: GenerationSettings) throws(FathomError) {
        try SampleCheck.verify(sample, of: task, identity: item.identity, generation: generation)
    }
}
