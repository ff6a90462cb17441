import FathomCore

/// A context sized by `CountedContextBuilder`: the sized prompt and the token counts of its units.
public struct CountedContext: Sendable {
    public var sized: SizedContext
    /// `cumulative[i]`: tokens of units `0..<i` as counted one by one (so `cumulative[0] == 0`).
    public var cumulative: [Int]
    /// Tokens of the rendered prompt before the context.
    public var prefixTokens: Int { sized.prefixTokens }

    /// Where a piece starts that follows `units` units and `extra` other tokens of the context: its token offset in
    /// the prompt and its depth in percent of the context, estimated from the unit counts (no further encoding).
    public func placement(key: String, requestedDepth: Double?, units: Int, extra: Int) -> NeedlePlacement {
        let before = cumulative[min(units, cumulative.count - 1)] + extra
        let total = max(1, sized.prompt.contextTokens)
        return NeedlePlacement(
            key: key, requestedDepth: requestedDepth, tokenOffset: sized.prefixTokens + before,
            depth: (Double(min(before, total)) / Double(total) * 10000).rounded() / 100)
    }
}

/// Sizes a context made of many small units (sentences of passages, ICL shots) whose layout depends on how many
/// there are (gold passages at a depth of the passage list, numbered documents, a document cut short at the end).
///
/// Each unit's text, as it appears in the context with its leading separator, is counted once (`Tokenizer.counts`,
/// one pass over the context's text in all); the number of units n is then read off the running sums, and the
/// context `assemble(n)` is encoded once to verify. When joins or position-dependent text (document numbers) move
/// the count out of the window, the measured error corrects the next estimate, inside a bracket of sizes already
/// seen, at most `maxVerifications` times. The result always obeys L − max(64, 0.5% of L) ≤ prompt + max_tokens ≤
/// L; if a unit is coarser than that window, or the estimates keep missing, sizing fails with a `.length` error.
public struct CountedContextBuilder {
    public var spec: PromptSpec
    public var maxVerifications = 8

    public init(_ spec: PromptSpec) { self.spec = spec }

    /// Finds n ≥ `minimum` units whose context `assemble(n)` fits the length window.
    /// - Parameters:
    ///   - fixedTokens: tokens the context holds besides its units (gold passages and the like), estimated.
    ///   - unit: the text of unit `i` as it stands in the context (with its separator), asked for in increasing order.
    ///   - assemble: the context made of the first `n` units and the fixed pieces.
    public func build(fixedTokens: Int, minimum: Int = 0, unit: (Int) -> String, assemble: (Int) -> String) throws(FathomError) -> CountedContext {
        let tokenizer = spec.tokenizer
        return try build(
            fixedTokens: fixedTokens, minimum: minimum, counts: { start, count in tokenizer.counts((start..<(start + count)).map(unit)) },
            assemble: assemble)
    }

    /// As `build(fixedTokens:minimum:unit:assemble:)`, with the units' token counts given by `counts(start, n)`
    /// (for units whose counts are cached elsewhere).
    public func build(fixedTokens: Int, minimum: Int = 0, counts: (_ start: Int, _ count: Int) -> [Int], assemble: (Int) -> String) throws(FathomError)
        -> CountedContext
    {
        let (targetLength, tokenizer) = (spec.targetLength, spec.tokenizer)
        let (prefixText, suffixText) = try spec.split()
        let overhead = spec.tokens(prefixText + suffixText)
        let (budget, floor) = (spec.budget, spec.floor)
        let tolerance = ContextBuilder.tolerance(for: targetLength)
        guard overhead + fixedTokens < budget else {
            throw FathomError(
                .length,
                "length \(ContextLength.format(targetLength)) is too small: the prompt without its filler takes about \(overhead + fixedTokens) tokens and max_tokens \(spec.maxTokens) more (\(tokenizer.name) tokenizer)"
            )
        }
        let aim = budget - tolerance / 4
        var cumulative = [0]
        /// Counts units until there are at least `n` or their sum passes `tokens`.
        func extend(units n: Int = 0, tokens: Int = 0) {
            while cumulative.count - 1 < n || cumulative[cumulative.count - 1] <= tokens {
                for c in counts(cumulative.count - 1, 256) { cumulative.append(cumulative[cumulative.count - 1] + c) }
            }
        }
        /// The largest n in `range` whose estimate stays within `aim`, given the error measured at `at`.
        func largest(fitting aim: Int, error: Int, at: Int, in range: ClosedRange<Int>) -> Int {
            let base = overhead + fixedTokens
            extend(units: range.upperBound, tokens: aim - base)
            var n = range.lowerBound
            while n < range.upperBound {
                let next = n + 1
                let scaled = at > 0 ? Int((Double(error) * Double(next) / Double(at)).rounded()) : error
                if base + cumulative[next] + scaled > aim { break }
                n = next
            }
            return n
        }

        extend(tokens: aim - overhead - fixedTokens)
        var n = largest(fitting: aim, error: 0, at: 0, in: minimum...(cumulative.count - 1))
        var below: (n: Int, tokens: Int)?
        var above: (n: Int, tokens: Int)?
        for attempt in 1...maxVerifications {
            let context = assemble(n)
            let promptText = prefixText + context + suffixText
            let tokens = spec.tokens(promptText)
            if tokens >= floor && tokens <= budget {
                let prompt = try spec.finish(
                    context: context, promptText: promptText, promptTokens: tokens, overhead: overhead, needles: [], units: n,
                    verifications: attempt)
                return CountedContext(
                    sized: SizedContext(prompt: prompt, size: n, context: context, prefixTokens: spec.tokens(prefixText)),
                    cumulative: Array(cumulative.prefix(n + 1)))
            }
            if tokens > budget {
                if n <= minimum {
                    throw FathomError(
                        .length,
                        "length \(ContextLength.format(targetLength)) is too small: the smallest context makes a \(tokens)-token prompt, over the \(budget)-token budget (\(tokenizer.name) tokenizer)"
                    )
                }
                if above == nil || n < above!.n { above = (n, tokens) }
            } else if below == nil || n > below!.n {
                below = (n, tokens)
            }
            let lower = (below?.n ?? minimum - 1) + 1
            let upper = (above?.n ?? Int.max / 2) - 1
            guard lower <= upper else {
                throw FathomError(
                    .length,
                    "could not size a prompt for length \(ContextLength.format(targetLength)): \(below!.n) units give \(below!.tokens) tokens and \(above!.n) give \(above!.tokens), one unit is coarser than the \(tolerance)-token window (\(tokenizer.name) tokenizer)"
                )
            }
            let error = tokens - (overhead + fixedTokens + cumulative[n])
            var next = largest(fitting: aim, error: error, at: n, in: lower...max(lower, min(upper, n + (n / 2) + 64)))
            if next == n { next = tokens > budget ? n - 1 : n + 1 }
            n = min(max(next, lower), upper)
        }
        throw FathomError(
            .length,
            "could not size a prompt for length \(ContextLength.format(targetLength)) within \(maxVerifications) verifications (\(tokenizer.name) tokenizer)"
        )
    }
}
