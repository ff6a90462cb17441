import FathomCore

/// A context rebuilt whole for each candidate size, as sized by `SizedContextBuilder`.
public struct SizedContext: Sendable {
    /// The prompt (its `needles` are empty; callers measure their own with `tokenOffset(before:)`).
    public var prompt: BuiltPrompt
    /// The size parameter k the context was built with.
    public var size: Int
    /// The context text placed in the frame.
    public var context: String
    /// Tokens of the rendered prompt before the context (BOS included when the tokenizer adds one).
    public var prefixTokens: Int
}

/// Sizes a context that cannot be streamed unit by unit because its composition depends on its size: RULER's
/// common/frequent word lists (word counts are fixed by the list length), a JSON object with a queried pair at a
/// relative depth, and the like.
///
/// `make(k)` renders the context for a size parameter k ≥ `minimum`; its token count should grow with k (noise is
/// fine). The builder encodes whole candidate prompts and searches k by interpolation inside a bracket (falling back
/// to bisection), so the prompt it returns always obeys L − max(64, 0.5% of L) ≤ prompt + max_tokens ≤ L. If one
/// step of k is coarser than that window, or the search runs out of `maxEvaluations`, it fails with a `.length`
/// error; it never returns a prompt outside the window.
public struct SizedContextBuilder {
    public var spec: PromptSpec
    public var maxEvaluations = 32

    public init(_ spec: PromptSpec) { self.spec = spec }

    /// Finds a size k ≥ `minimum` whose rendered prompt fits the length window, starting the search at `guess`.
    public func build(minimum: Int, guess: Int, make: (Int) -> String) throws(FathomError) -> SizedContext {
        let (targetLength, maxTokens, tokenizer) = (spec.targetLength, spec.maxTokens, spec.tokenizer)
        let (prefixText, suffixText) = try spec.split()
        let overhead = spec.tokens(prefixText + suffixText)
        let (budget, floor) = (spec.budget, spec.floor)
        guard overhead < floor else {
            throw FathomError(
                .length,
                "length \(ContextLength.format(targetLength)) is too small: the prompt without its context takes \(overhead) tokens and max_tokens \(maxTokens) more (\(tokenizer.name) tokenizer)"
            )
        }
        let aim = (budget + floor) / 2

        var below: (k: Int, tokens: Int)?  // largest k seen that fits under the budget
        var above: (k: Int, tokens: Int)?  // smallest k seen that overflows it
        var k = max(minimum, guess)
        for evaluation in 1...maxEvaluations {
            let context = make(k)
            let promptText = prefixText + context + suffixText
            let tokens = spec.tokens(promptText)
            if tokens >= floor && tokens <= budget {
                let prompt = try spec.finish(
                    context: context, promptText: promptText, promptTokens: tokens, overhead: overhead, needles: [], units: k,
                    verifications: evaluation)
                return SizedContext(prompt: prompt, size: k, context: context, prefixTokens: spec.tokens(prefixText))
            }
            if tokens > budget {
                if above == nil || k < above!.k { above = (k, tokens) }
                if k == minimum {
                    throw FathomError(
                        .length,
                        "length \(ContextLength.format(targetLength)) is too small: the smallest context (size \(minimum)) makes a \(tokens)-token prompt, over the \(budget)-token budget (\(tokenizer.name) tokenizer)"
                    )
                }
            } else if below == nil || k > below!.k {
                below = (k, tokens)
            }
            switch (below, above) {
            case let (lo?, hi?):
                guard hi.k - lo.k > 1 else {
                    throw FathomError(
                        .length,
                        "could not size a prompt for length \(ContextLength.format(targetLength)): size \(lo.k) gives \(lo.tokens) tokens and \(hi.k) gives \(hi.tokens), one step is coarser than the \(ContextBuilder.tolerance(for: targetLength))-token window (\(tokenizer.name) tokenizer)"
                    )
                }
                if evaluation % 3 == 0 {
                    k = (lo.k + hi.k) / 2  // bisection keeps the search finite when counts are noisy
                } else {
                    let slope = Double(hi.tokens - lo.tokens) / Double(hi.k - lo.k)
                    let step = slope > 0 ? Int((Double(aim - lo.tokens) / slope).rounded()) : (hi.k - lo.k) / 2
                    k = min(hi.k - 1, max(lo.k + 1, lo.k + step))
                }
            case let (lo?, nil):
                // Everything so far fits: extrapolate from the overhead through the largest fitting size.
                let perStep = Double(max(1, lo.tokens - overhead)) / Double(max(1, lo.k))
                let step = Int((Double(aim - lo.tokens) / perStep).rounded())
                k = lo.k + min(max(1, step), max(1, lo.k) * 4)
            case let (nil, hi?):
                let perStep = Double(max(1, hi.tokens - overhead)) / Double(max(1, hi.k))
                let step = Int((Double(hi.tokens - aim) / perStep).rounded())
                k = max(minimum, min(hi.k - 1, hi.k - max(1, step)))
            case (nil, nil):
                break
            }
        }
        throw FathomError(
            .length,
            "could not size a prompt for length \(ContextLength.format(targetLength)) within \(maxEvaluations) encodings (\(tokenizer.name) tokenizer)"
        )
    }

    /// Token offset (from the start of the rendered prompt) of the context position after `contextPrefix`, and that
    /// position's depth in percent of the context's tokens.
    public func placement(in sized: SizedContext, contextPrefix: Substring, key: String, requestedDepth: Double?) -> NeedlePlacement {
        let before = spec.tokenizer.count(String(contextPrefix))
        let total = max(1, sized.prompt.contextTokens)
        return NeedlePlacement(
            key: key, requestedDepth: requestedDepth, tokenOffset: sized.prefixTokens + before,
            depth: (Double(min(before, total)) / Double(total) * 10000).rounded() / 100)
    }
}
