import FathomCore
import Foundation

/// A needle to place into a haystack: its text (without separator), the key it answers, and its depth in percent.
public struct NeedleSpec: Sendable, Hashable {
    public var key: String
    public var text: String
    /// Requested depth, 0 (start of the context) to 100 (end).
    public var depth: Double
    public init(key: String, text: String, depth: Double) {
        self.key = key
        self.text = text
        self.depth = depth
    }
}

/// A prompt sized to its target length, with the measured facts about it.
public struct BuiltPrompt: Sendable {
    public var messages: [Message]
    public var promptText: String
    /// Tokens of the rendered prompt, BOS included when the tokenizer adds one.
    public var promptTokens: Int
    public var contextTokens: Int
    /// The prompt without its context (see `PromptSpec.query`).
    public var query: String
    public var needles: [NeedlePlacement]
    /// Haystack units used (needles excluded).
    public var haystackUnits: Int
    /// How many verification encodings sizing took (1 when the cached counts were exact).
    public var verifications: Int
}

/// Fills a prompt frame with haystack units so that the rendered prompt plus `maxTokens` fits in the target
/// length L and fills at least L − max(64, 0.5% of L), with needles at unit boundaries at the requested depths.
///
/// Sizing uses the per-unit token counts (cached per corpus and tokenizer), then encodes the final prompt once to
/// verify; if boundary merges moved the count out of the window it removes or adds units and verifies again, at
/// most `maxVerifications` times, then fails with a `.length` error. It never returns a prompt outside the window.
public struct ContextBuilder {
    public var spec: PromptSpec
    public var maxVerifications = 8

    public init(_ spec: PromptSpec) { self.spec = spec }

    /// The allowed shortfall below L: max(64, 0.5% of L).
    public static func tolerance(for length: Int) -> Int { LengthRule.tolerance(for: length) }

    /// Whether `promptTokens + maxTokens` obeys the length rule for `length`.
    public static func obeysLengthRule(promptTokens: Int, maxTokens: Int, length: Int) -> Bool {
        LengthRule.holds(promptTokens: promptTokens, maxTokens: maxTokens, length: length)
    }

    public func build(needles: [NeedleSpec], stream: inout some UnitStream) throws(FathomError) -> BuiltPrompt {
        let (targetLength, maxTokens, tokenizer) = (spec.targetLength, spec.maxTokens, spec.tokenizer)
        let (prefixText, suffixText) = try spec.split()
        let prefixTokens = spec.tokens(prefixText)
        let overhead = spec.tokens(prefixText + suffixText)
        let needleTexts = needles.map { stream.needleSeparator + $0.text }
        let needleTokens = needleTexts.map { tokenizer.count($0) }
        let (budget, floor) = (spec.budget, spec.floor)
        let fixed = overhead + needleTokens.reduce(0, +)
        guard fixed <= floor else {
            throw FathomError(
                .length,
                "length \(ContextLength.format(targetLength)) is too small: the prompt without haystack takes \(fixed) tokens and max_tokens \(maxTokens) more (\(tokenizer.name) tokenizer)"
            )
        }

        // Pull units until their cached counts reach the budget.
        var texts: [String] = []
        var counts: [Int] = []
        var sum = 0
        func pull(untilTokens needed: Int) {
            while sum < needed {
                let block = stream.next(256, tokenizer: tokenizer)
                texts += block.texts
                counts += block.tokens
                sum += block.tokens.reduce(0, +)
            }
        }
        // Aim a quarter of the window below the budget: boundary merges make counts of generated units slightly
        // non-additive, and a first guess aimed at the very top would overshoot and cost a second encoding.
        let target = budget - Self.tolerance(for: targetLength) / 4 - fixed
        pull(untilTokens: target + 1)
        // Joined units can encode to fewer tokens than their separate counts (a sentence's "." merges with the next
        // unit's "\n" in Llama-3-style pre-tokenizers): measure the change per boundary on the first units and fill
        // with corrected counts, so one verification usually suffices.
        let probe = min(counts.count, 64)
        let perBoundary = probe < 2 ? 0 : Double(tokenizer.count(texts[0..<probe].joined()) - counts[0..<probe].reduce(0, +)) / Double(probe - 1)
        if perBoundary < 0 {
            let meanUnit = Double(sum) / Double(max(1, counts.count))
            pull(untilTokens: target + 1 + Int((-perBoundary * Double(target) / max(1, meanUnit)).rounded(.up)))
        }
        var n = 0
        var used = 0.0
        while n < counts.count, used + Double(counts[n]) + (n > 0 ? perBoundary : 0) <= Double(target) {
            used += Double(counts[n]) + (n > 0 ? perBoundary : 0)
            n += 1
        }

        for attempt in 1...maxVerifications {
            let (context, placements) = assemble(units: n, texts: texts, counts: counts, needles: needles, needleTexts: needleTexts, needleTokens: needleTokens, prefixTokens: prefixTokens)
            let promptText = prefixText + context + suffixText
            let promptTokens = spec.tokens(promptText)
            if promptTokens <= budget && promptTokens >= floor {
                return try spec.finish(
                    context: context, promptText: promptText, promptTokens: promptTokens, overhead: overhead, needles: placements,
                    units: n, verifications: attempt)
            }
            if promptTokens > budget {
                // Drop units from the end until their counts cover the excess.
                var excess = Double(promptTokens - budget)
                repeat {
                    guard n > 0 else {
                        throw FathomError(.length, "cannot fit length \(ContextLength.format(targetLength)): the prompt is \(promptTokens) tokens with no haystack left")
                    }
                    n -= 1
                    excess -= Double(counts[n]) + perBoundary
                } while excess > 0
            } else {
                // Add units while the estimate stays within the budget.
                let room = budget - promptTokens
                pull(untilTokens: counts[0..<n].reduce(0, +) + room + 1)
                var added = 0.0
                var grown = 0
                while n + grown < counts.count, added + Double(counts[n + grown]) + perBoundary <= Double(room) {
                    added += Double(counts[n + grown]) + perBoundary
                    grown += 1
                }
                if grown == 0 {
                    // The next unit is coarser than the room left: bring forward the largest unit of the next few that
                    // fits (units of one stream are interchangeable haystack; the choice is deterministic).
                    let lookahead = 64
                    while counts.count < n + lookahead + 1 { pull(untilTokens: sum + 1) }
                    let candidates = (n + 1)..<(n + 1 + lookahead)
                    if let j = candidates.filter({ counts[$0] <= room }).max(by: { (counts[$0], -$0) < (counts[$1], -$1) }) {
                        texts.swapAt(n, j)
                        counts.swapAt(n, j)
                        grown = 1
                    } else if let (i, j) = Self.resizingSwap(counts: counts, used: n, candidates: candidates, change: (floor - promptTokens)...room) {
                        // Every unit is larger than the room: exchange a used unit for one larger by just enough.
                        texts.swapAt(i, j)
                        counts.swapAt(i, j)
                    } else {
                        grown = 1
                    }
                }
                n += grown
            }
        }
        throw FathomError(
            .length,
            "could not size a prompt for length \(ContextLength.format(targetLength)) within \(maxVerifications) verifications (\(tokenizer.name) tokenizer): haystack units of \(counts.min() ?? 0)–\(counts.max() ?? 0) tokens are too coarse for the \(Self.tolerance(for: targetLength))-token window; try a longer length or a finer-grained haystack"
        )
    }

    /// A used unit i (searched from the end) and a spare unit j whose exchange changes the count by an amount in
    /// `change`, for haystacks whose units are all coarser than the room left in the window.
    static func resizingSwap(counts: [Int], used n: Int, candidates: Range<Int>, change: ClosedRange<Int>) -> (Int, Int)? {
        guard change.lowerBound <= change.upperBound else { return nil }
        for i in stride(from: n - 1, through: 0, by: -1) {
            if let j = candidates.first(where: { change.contains(counts[$0] - counts[i]) }) { return (i, j) }
        }
        return nil
    }

    /// Joins the first `n` units with needles inserted at unit boundaries and measures where each needle landed.
    private func assemble(
        units n: Int, texts: [String], counts: [Int], needles: [NeedleSpec], needleTexts: [String], needleTokens: [Int],
        prefixTokens: Int
    ) -> (String, [NeedlePlacement]) {
        // Each needle goes to the last unit boundary at or before its depth in haystack tokens (RULER counts
        // sentences instead, which drifts by more than a percent when sentence lengths vary; for equal units the two
        // agree).
        var cumulative = [Int](repeating: 0, count: n + 1)
        for unit in 0..<n { cumulative[unit + 1] = cumulative[unit] + counts[unit] }
        let boundaries = needles.map { needle -> Int in
            let target = Double(cumulative[n]) * needle.depth / 100
            var low = 0, high = n  // the largest k with cumulative[k] <= target
            while low < high {
                let mid = (low + high + 1) / 2
                if Double(cumulative[mid]) <= target { low = mid } else { high = mid - 1 }
            }
            return low
        }
        let order = needles.indices.sorted { (boundaries[$0], $0) < (boundaries[$1], $1) }
        var pieces: [String] = []
        pieces.reserveCapacity(n + needles.count)
        var offsets = [Int](repeating: 0, count: needles.count)
        var tokensSoFar = 0
        var nextNeedle = 0
        for unit in 0...n {
            while nextNeedle < order.count, boundaries[order[nextNeedle]] == unit {
                let needle = order[nextNeedle]
                offsets[needle] = tokensSoFar
                pieces.append(needleTexts[needle])
                tokensSoFar += needleTokens[needle]
                nextNeedle += 1
            }
            if unit < n {
                pieces.append(texts[unit])
                tokensSoFar += counts[unit]
            }
        }
        var context = pieces.joined()
        // The first unit's separator would only pad the frame: drop leading whitespace.
        let leading = context.prefix { $0 == " " || $0 == "\n" }.count
        if leading > 0 { context.removeFirst(leading) }
        let total = max(1, tokensSoFar)
        let placements = needles.indices.map { i in
            NeedlePlacement(
                key: needles[i].key, requestedDepth: needles[i].depth, tokenOffset: prefixTokens + offsets[i],
                depth: (Double(offsets[i]) / Double(total) * 10000).rounded() / 100)
        }
        return (context, placements)
    }
}
