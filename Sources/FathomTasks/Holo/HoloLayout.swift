import FathomCore
import FathomText

/// A context of rows, one per line, sized to the length window with the answer-bearing block placed by token
/// position.
///
/// Every row is counted once, on its own with its leading newline (how joining rows changes the counts is measured
/// on the first rows, as `ContextBuilder` does); the filler rows are added until the counts reach the window, and the
/// finished prompt is encoded to verify (at most `maxVerifications` times, removing or adding filler rows).
/// Placement works on the same counts: near misses go at stratified fractions of the distractors (filler and near
/// misses); the block goes first, last, around the middle, half first and half last, or one row per equal slice of
/// the context (`uniform`).
struct HoloLayout {
    /// Where a line of the context comes from.
    enum Unit: Hashable {
        case block(Int)
        case near(Int)
        case filler(Int)
    }

    struct Built {
        var prompt: BuiltPrompt
        var context: String
        /// The lines in context order.
        var order: [Unit]
        /// Filler rows used.
        var fillers: Int
        /// Token offset (from the start of the prompt) and depth (% of the context) of each block row, by block index.
        var offsets: [Int]
        var depths: [Double]
        /// The requested depth of each block row (the slice centre, or the edge it is packed against).
        var requested: [Double]
        /// Tokens of the block as a share of the context, in percent.
        var blockShare: Double
        var verifications: Int
    }

    let spec: PromptSpec
    let position: HoloPosition
    var maxVerifications = 8

    /// Lays out `block` and `near` (near miss j at fraction `nearAt[j]` of the distractors) with as many filler rows
    /// from `more(k)` (the first k filler texts; fewer when none are left) as the window takes.
    func build(block: [String], near: [String], nearAt: [Double], more: (Int) -> [String]) throws(FathomError) -> Built {
        let tokenizer = spec.tokenizer
        let (prefixText, suffixText) = try spec.split()
        let overhead = spec.tokens(prefixText + suffixText)
        let prefixTokens = spec.tokens(prefixText)
        let (budget, floor) = (spec.budget, spec.floor)
        let tolerance = LengthRule.tolerance(for: spec.targetLength)

        let blockCounts = tokenizer.counts(block.map { "\n" + $0 })
        let nearCounts = tokenizer.counts(near.map { "\n" + $0 })
        var fillerTexts: [String] = []
        var fillerCounts: [Int] = []
        func pull(_ k: Int) {
            guard k > fillerTexts.count else { return }
            let texts = more(k)
            guard texts.count > fillerTexts.count else { return }
            let fresh = Array(texts[fillerTexts.count...])
            fillerTexts += fresh
            fillerCounts += tokenizer.counts(fresh.map { "\n" + $0 })
        }
        // How joining rows changes their counts, per row, measured on the first rows.
        pull(64)
        let probeTexts = Array((block + near + fillerTexts).prefix(64))
        let probeCounts = Array((blockCounts + nearCounts + fillerCounts).prefix(64))
        let perRow = probeTexts.isEmpty ? 0 : Double(tokenizer.count(probeTexts.joined(separator: "\n")) - probeCounts.reduce(0, +)) / Double(probeTexts.count)
        let fixed = Double(blockCounts.reduce(0, +) + nearCounts.reduce(0, +)) + perRow * Double(block.count + near.count)
        guard Double(overhead) + fixed <= Double(budget) else {
            throw FathomError(
                .length,
                "length \(ContextLength.format(spec.targetLength)) is too small: the prompt, its \(block.count) answer-bearing and \(near.count) near-miss rows take about \(overhead + Int(fixed)) tokens and max_tokens \(spec.maxTokens) more (\(tokenizer.name) tokenizer)")
        }
        // First guess: filler rows until the estimate reaches a quarter of the window below the budget. Rows are made
        // and counted as many as the first ones' mean says are needed, then a few at a time.
        let target = Double(budget - tolerance / 4 - overhead) - fixed
        let mean = fillerCounts.isEmpty ? 1 : max(1, Double(fillerCounts.reduce(0, +)) / Double(fillerCounts.count) + perRow)
        pull(Int((target / mean * 1.02).rounded(.up)) + 4)
        var n = 0
        var used = 0.0
        while true {
            if n >= fillerTexts.count { pull(fillerTexts.count + 16) }
            guard n < fillerTexts.count, used + Double(fillerCounts[n]) + perRow <= target else { break }
            used += Double(fillerCounts[n]) + perRow
            n += 1
        }

        for attempt in 1...maxVerifications {
            let order = layout(
                blockTokens: blockCounts.map { Double($0) + perRow }, nearTokens: nearCounts.map { Double($0) + perRow }, nearAt: nearAt,
                fillerTokens: fillerCounts[0..<n].map { Double($0) + perRow })
            var lines: [String] = []
            lines.reserveCapacity(order.count)
            for unit in order {
                switch unit {
                case .block(let i): lines.append(block[i])
                case .near(let j): lines.append(near[j])
                case .filler(let k): lines.append(fillerTexts[k])
                }
            }
            let context = lines.joined(separator: "\n")
            let promptText = prefixText + context + suffixText
            let promptTokens = spec.tokens(promptText)
            if promptTokens >= floor && promptTokens <= budget {
                let prompt = try spec.finish(
                    context: context, promptText: promptText, promptTokens: promptTokens, overhead: overhead, needles: [], units: n,
                    verifications: attempt)
                return measure(
                    prompt: prompt, context: context, order: order, fillers: n, prefixTokens: prefixTokens, perRow: perRow,
                    counts: (blockCounts, nearCounts, fillerCounts), verifications: attempt)
            }
            if promptTokens > budget {
                var excess = Double(promptTokens - budget) + Double(tolerance) / 4
                while excess > 0 {
                    guard n > 0 else {
                        throw FathomError(
                            .length,
                            "length \(ContextLength.format(spec.targetLength)) is too small: the prompt is \(promptTokens) tokens with no filler rows left (\(tokenizer.name) tokenizer)")
                    }
                    n -= 1
                    excess -= Double(fillerCounts[n]) + perRow
                }
            } else {
                var room = Double(budget - promptTokens) - Double(tolerance) / 4
                let before = n
                while true {
                    if n >= fillerTexts.count { pull(fillerTexts.count + 16) }
                    guard n < fillerTexts.count, room - Double(fillerCounts[n]) - perRow >= 0 || n == before else { break }
                    room -= Double(fillerCounts[n]) + perRow
                    n += 1
                }
                if n == before {
                    throw FathomError(
                        .length,
                        "could not fill length \(ContextLength.format(spec.targetLength)): the tables of the schema ran out of rows after \(n) filler rows")
                }
            }
        }
        throw FathomError(
            .length,
            "could not size a prompt for length \(ContextLength.format(spec.targetLength)) within \(maxVerifications) verifications (\(tokenizer.name) tokenizer)")
    }

    /// The order of the lines, from estimated token counts (each with the per-row correction).
    func layout(blockTokens: [Double], nearTokens: [Double], nearAt: [Double], fillerTokens: [Double]) -> [Unit] {
        // Distractors: filler rows with near misses at their fractions of the filler tokens.
        var distractors: [Unit] = []
        var distractorTokens: [Double] = []
        let fillerTotal = fillerTokens.reduce(0, +)
        let nearOrder = nearAt.indices.sorted { (nearAt[$0], $0) < (nearAt[$1], $1) }
        var nextNear = 0
        var sum = 0.0
        for k in 0...fillerTokens.count {
            while nextNear < nearOrder.count, k == fillerTokens.count || nearAt[nearOrder[nextNear]] * fillerTotal <= sum {
                distractors.append(.near(nearOrder[nextNear]))
                distractorTokens.append(nearTokens[nearOrder[nextNear]])
                nextNear += 1
            }
            if k < fillerTokens.count {
                distractors.append(.filler(k))
                distractorTokens.append(fillerTokens[k])
                sum += fillerTokens[k]
            }
        }
        return place(block: blockTokens, distractors: distractors, distractorTokens: distractorTokens)
    }

    func place(block: [Double], distractors: [Unit], distractorTokens: [Double]) -> [Unit] {
        let b = block.count
        let blockUnits = (0..<b).map { Unit.block($0) }
        switch position {
        case .begin: return blockUnits + distractors
        case .end: return distractors + blockUnits
        case .bimodal:
            let half = (b + 1) / 2
            return Array(blockUnits[..<half]) + distractors + Array(blockUnits[half...])
        case .middle:
            let total = distractorTokens.reduce(0, +)
            var cut = 0
            var sum = 0.0
            while cut < distractors.count, sum + distractorTokens[cut] / 2 < total / 2 {
                sum += distractorTokens[cut]
                cut += 1
            }
            return Array(distractors[..<cut]) + blockUnits + Array(distractors[cut...])
        case .uniform:
            let total = distractorTokens.reduce(0, +) + block.reduce(0, +)
            var out: [Unit] = []
            var cut = 0
            var sum = 0.0  // distractor tokens placed so far
            var blockBefore = 0.0
            for i in 0..<b {
                // Row i's middle at the middle of slice i: its start at (i + ½)/b of the context less half the row.
                let start = (Double(i) + 0.5) / Double(b) * total - block[i] / 2
                while cut < distractors.count, blockBefore + sum + distractorTokens[cut] / 2 <= start {
                    out.append(distractors[cut])
                    sum += distractorTokens[cut]
                    cut += 1
                }
                out.append(.block(i))
                blockBefore += block[i]
            }
            return out + distractors[cut...]
        }
    }

    /// Token offsets and depths of the block rows, from the counts (each line's count plus the per-row correction;
    /// the first line has no leading newline).
    func measure(
        prompt: BuiltPrompt, context: String, order: [Unit], fillers: Int, prefixTokens: Int, perRow: Double,
        counts: (block: [Int], near: [Int], filler: [Int]), verifications: Int
    ) -> Built {
        let b = counts.block.count
        var offsets = [Int](repeating: 0, count: b)
        var depths = [Double](repeating: 0, count: b)
        let contextTokens = Double(max(1, prompt.contextTokens))
        var before = 0.0
        var blockTokens = 0.0
        for (line, unit) in order.enumerated() {
            let count: Int
            switch unit {
            case .block(let i):
                count = counts.block[i]
                let at = Int(before.rounded())
                offsets[i] = prefixTokens + at
                depths[i] = (min(Double(at), contextTokens) / contextTokens * 10000).rounded() / 100
                blockTokens += Double(count) + perRow
            case .near(let j): count = counts.near[j]
            case .filler(let k): count = counts.filler[k]
            }
            // A line's count includes its leading newline, which the first line does not have.
            before += Double(count) + perRow - (line == 0 ? 1 : 0)
        }
        let requested: [Double] = (0..<b).map { i in
            switch position {
            case .begin: 0
            case .end: 100
            case .middle: 50
            case .bimodal: i < (b + 1) / 2 ? 0 : 100
            case .uniform: ((Double(i) + 0.5) / Double(b) * 10000).rounded() / 100
            }
        }
        return Built(
            prompt: prompt, context: context, order: order, fillers: fillers, offsets: offsets, depths: depths, requested: requested,
            blockShare: (min(100, blockTokens / contextTokens * 100) * 100).rounded() / 100, verifications: verifications)
    }
}
