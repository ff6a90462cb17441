import FathomCore
import FathomText

/// Synthesizes the samples of a plan, the same way for `run` and `export`.
public struct SampleFactory: Sendable {
    public var plan: RunPlan
    public var tokenizer: any Tokenizer
    /// Plain text, or the model's chat template per answer-prefix mode.
    public var rendering: PromptRendering

    public init(plan: RunPlan, tokenizer: any Tokenizer, rendering: PromptRendering = .plain) {
        self.plan = plan
        self.tokenizer = tokenizer
        self.rendering = rendering
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
            var sample = try task.makeSample(
                SampleRequest(index: item.index, length: item.length, identity: item.identity, tokenizer: tokenizer, renderer: renderer))
            sample.generation = generation
            return sample
        } catch var error as FathomError {
            error.message = "\(task.descriptor.name) at \(ContextLength.format(item.length)), sample \(item.index): " + error.message
            if error.file == nil { error.file = task.descriptor.file }
            throw error
        } catch {
            throw FathomError(.invalidValue, "\(task.descriptor.name) at \(ContextLength.format(item.length)), sample \(item.index): \(error)", file: task.descriptor.file)
        }
    }
}
