/// What Fathom checks of every sample rather than trusting its plugin (the run's sample factory and the conformance
/// kit both call it): the identity it was asked for, the prefix mode its prompt was rendered for, a positive budget,
/// the length rule on the counts it reports, and a value on exactly the axes its task declares.
public enum SampleCheck {
    public static func verify(
        _ sample: Sample, of task: any TaskPlugin, identity: SampleIdentity, generation: GenerationSettings
    ) throws(FathomError) {
        guard sample.id == identity.id, sample.index == identity.index, sample.length == identity.length, sample.task == task.descriptor.name else {
            throw FathomError(.invalidValue, "the plugin returned sample \(sample.task) #\(sample.index) (\(sample.id)) for the one asked")
        }
        guard sample.generation.prefixMode == generation.prefixMode else {
            throw FathomError(.invalidValue, "the plugin changed the answer-prefix mode its prompt was rendered for")
        }
        guard sample.generation.maxTokens >= 1 else {
            throw FathomError(.invalidValue, "max_tokens \(sample.generation.maxTokens) is below 1")
        }
        guard LengthRule.holds(promptTokens: sample.metadata.promptTokens, maxTokens: sample.generation.maxTokens, length: identity.length) else {
            throw FathomError(
                .length,
                "prompt \(sample.metadata.promptTokens) + max_tokens \(sample.generation.maxTokens) tokens breaks the length rule for \(identity.length)"
                    + " (it must fill \(identity.length - LengthRule.tolerance(for: identity.length))...\(identity.length))")
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
