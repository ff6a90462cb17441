import FathomCore

/// Synthesizes the samples of a plan, the same way for `run` and `export`.
public struct SampleFactory: Sendable {
    public var plan: RunPlan
    public var tokenizer: any Tokenizer
    public var renderer: any PromptRenderer

    public init(plan: RunPlan, tokenizer: any Tokenizer, renderer: any PromptRenderer) {
        self.plan = plan
        self.tokenizer = tokenizer
        self.renderer = renderer
    }

    /// The sample of one plan item; errors name the task and length.
    public func sample(_ item: PlanItem) throws(FathomError) -> Sample {
        let task = plan.tasks[item.taskIndex]
        do {
            var sample = try task.makeSample(
                SampleRequest(index: item.index, length: item.length, identity: item.identity, tokenizer: tokenizer, renderer: renderer))
            sample.generation = plan.generation(of: task)
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
