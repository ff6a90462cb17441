import FathomCore
import FathomText
import Testing

/// The sizing primitives a plugin uses when it lays out its own context: the budget and floor of the length rule,
/// the frame split around the context slot, and the finished prompt, which agree with the rendered messages.
@Suite struct PromptSpecTests {
    @Test func primitivesAgreeWithTheRenderedPrompt() throws {
        let spec = PromptSpec(
            targetLength: 4096, maxTokens: 100, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer(), answerPrefix: "Answer:",
            frame: { [Message(.system, "Be brief."), Message(.user, "Rows:\n" + $0 + "\nQuestion?")] })
        #expect(spec.budget == 4096 - 100 && spec.floor == 4096 - 64 - 100)
        let (prefix, suffix) = try spec.split()
        let context = "a row\nanother row"
        let rendered = try PlainPromptRenderer().render(messages: spec.frame(context), answerPrefix: "Answer:")
        #expect(prefix + context + suffix == rendered)
        let tokens = spec.tokens(rendered)
        let overhead = spec.tokens(prefix + suffix)
        let prompt = try spec.finish(
            context: context, promptText: rendered, promptTokens: tokens, overhead: overhead, needles: [], units: 2, verifications: 1)
        #expect(prompt.promptTokens == tokens && prompt.contextTokens == tokens - overhead && prompt.messages == spec.frame(context))
        // A frame without the context slot is refused.
        let broken = PromptSpec(
            targetLength: 4096, maxTokens: 100, tokenizer: ApproxTokenizer(), renderer: PlainPromptRenderer(), answerPrefix: "",
            frame: { _ in [Message(.user, "no slot")] })
        #expect(throws: FathomError.self) { try broken.split() }
    }
}
