import FathomCore
import FathomText

/// One generated LongProc problem at an output level, ready to be framed and grown to a length.
protocol ProcInstance {
    /// The reference answer exactly as the prompt asks for it (the oracle).
    var oracle: String { get }
    /// The oracle's tokens in the target tokenizer (within ±10% of the level).
    var oracleTokens: Int { get }
    /// The typed reference written to the sample.
    func reference() throws(FathomError) -> Reference
    var answerPrefix: String { get }
    /// The prompt's messages with `context` in place.
    func messages(context: String) -> [Message]
    /// The context grown by `filler` units (distractor branches, page boilerplate, story events, demonstrations…);
    /// its size grows with `filler`, and 0 gives the smallest context that still states the whole problem.
    func context(filler: Int) -> String
    /// About how many UTF-8 bytes one filler unit adds (the first guess of the size search when `fillerUnits` gives
    /// nothing).
    var bytesPerFillerUnit: Double { get }
    /// The texts units `range` add (with their separators), for counting: their tokens summed estimate the
    /// context's growth, so the size search starts close (one or two encodings instead of four or five).
    func fillerUnits(_ range: Range<Int>) -> [String]
    /// Facts worth recording (rows, hops, steps…).
    var knobs: [String: ParameterValue] { get }
    /// The level the problem has when it is not the one asked (a task whose smallest problem is larger than the
    /// smallest level sizes that one by its own reference); nil for the level asked.
    var level: Int? { get }
    /// Checks the finished problem (with `filler` units) has the property the task relies on (one route, one plan,
    /// a page that states the table…); throws when it does not.
    func validate(filler: Int) throws
    /// Called once the level fits, before the size search, with about how many tokens the filler will take and the
    /// prompt's bytes per token: a task whose filler has two grains (whole demonstrations, then short examples)
    /// fixes the coarse part here.
    func prepare(fillerTokens: Int, bytesPerToken: Double)
}

extension ProcInstance {
    func prepare(fillerTokens: Int, bytesPerToken: Double) {}
    func fillerUnits(_ range: Range<Int>) -> [String] { [] }
    var level: Int? { nil }
}

/// The level settings every LongProc task takes.
struct LevelSettings: Sendable, Hashable {
    var levels: [Int]
    var budgetPercent: Int
}

/// Builds LongProc samples: picks the sample's level (falling back when the length cannot hold it), generates the
/// problem at that level, then grows the context until the prompt obeys the length rule with the level's budget.
enum ProcSampler {
    /// `generate(level, seed, compact)` returns the problem for a level; `inputPerOutputToken` is a lower bound on
    /// the prompt tokens a problem needs per reference token (so levels that obviously cannot fit are skipped
    /// unbuilt). Levels are tried from the asked one down; only when none fits is each tried again `compact` (the
    /// worked example left out, the most compact layout), so a smaller level with its example is preferred.
    static func sample<I: ProcInstance>(
        _ request: SampleRequest, descriptor: TaskDescriptor, settings: LevelSettings, inputPerOutputToken: Double,
        minimumLevel: Int = 0, generate: (_ level: Int, _ seed: UInt64, _ compact: Bool) throws -> I
    ) throws -> Sample {
        let requested = settings.levels[request.index % settings.levels.count]
        var smallest: (level: Int, tokens: Int)? = nil
        var lastError: FathomError? = nil
        for compact in [false, true] {
            for nominal in OutputLevel.candidates(requested: requested, minimum: minimumLevel) {
                let nominalMax = OutputLevel.maxTokens(level: nominal, budgetPercent: settings.budgetPercent)
                let floor = request.length - LengthRule.tolerance(for: request.length) - nominalMax
                guard floor > 0, Double(nominal) * inputPerOutputToken < Double(floor) else { continue }
                let instance: I
                do {
                    instance = try generate(nominal, deriveSeed(request.seed, "level \(nominal)"), compact)
                } catch let error as FathomError where error.kind == .length {
                    lastError = error
                    continue
                }
                let level = instance.level ?? nominal
                let maxTokens = OutputLevel.maxTokens(level: level, budgetPercent: settings.budgetPercent)
                var generation = request.generation
                generation.maxTokens = maxTokens
                let spec = PromptSpec(
                    targetLength: request.length, maxTokens: maxTokens, tokenizer: request.tokenizer, renderer: request.renderer,
                    answerPrefix: instance.answerPrefix, frame: { instance.messages(context: $0) })
                // The smallest prompt for this level must fit under the budget, or the level does not fit.
                let minimalContext = instance.context(filler: 0)
                let minimalText = try request.renderer.render(
                    messages: instance.messages(context: minimalContext), answerPrefix: instance.answerPrefix)
                let minimalTokens = request.tokenizer.promptTokenCount(minimalText, bos: request.renderer.bos)
                // The size search also needs the frame alone (an empty context) under the floor.
                let frameText = try request.renderer.render(messages: instance.messages(context: ""), answerPrefix: instance.answerPrefix)
                let frameTokens = request.tokenizer.promptTokenCount(frameText, bos: request.renderer.bos)
                let fits = minimalTokens <= request.length - maxTokens - LengthRule.tolerance(for: request.length) / 4
                    && frameTokens < request.length - maxTokens - LengthRule.tolerance(for: request.length)
                guard fits else {
                    if smallest == nil || level < smallest!.level || (level == smallest!.level && minimalTokens < smallest!.tokens) {
                        smallest = (level, minimalTokens)
                    }
                    continue
                }
                let aim = request.length - maxTokens - LengthRule.tolerance(for: request.length) / 2
                let bytesPerToken = Double(minimalText.utf8.count) / Double(max(1, minimalTokens))
                instance.prepare(fillerTokens: aim - minimalTokens, bytesPerToken: bytesPerToken)
                let prepared = instance.context(filler: 0)
                let guess = estimate(instance, room: aim - minimalTokens, preparedBytes: prepared.utf8.count - minimalContext.utf8.count,
                                     bytesPerToken: bytesPerToken, tokenizer: request.tokenizer)
                var builder = SizedContextBuilder(spec)
                builder.maxEvaluations = 40
                let sized = try builder.build(minimum: 0, guess: max(0, guess), make: instance.context(filler:))
                try instance.validate(filler: sized.size)
                var knobs = instance.knobs
                knobs["requested_level"] = .int(requested)
                knobs["reference_tokens"] = .int(instance.oracleTokens)
                knobs["filler_units"] = .int(sized.size)
                knobs["sizing_encodings"] = .int(sized.prompt.verifications)
                knobs["compact"] = .bool(compact)
                return Sample(
                    id: request.identity.id, task: descriptor.name, index: request.index, length: request.length,
                    messages: sized.prompt.messages, answerPrefix: instance.answerPrefix, promptText: sized.prompt.promptText,
                    reference: try instance.reference(), generation: generation,
                    metadata: SampleMetadata(
                        targetLength: request.length, promptTokens: sized.prompt.promptTokens, contextTokens: sized.prompt.contextTokens, query: sized.prompt.query,
                        tokenizer: request.tokenizer.fingerprint, knobs: knobs, axes: ["level": .number(Double(level))]))
            }
        }
        let detail = smallest.map { " (at level \($0.level) the smallest prompt alone takes \($0.tokens) tokens)" }
            ?? lastError.map { " (\($0.message))" } ?? ""
        throw FathomError(
            .length,
            "length \(ContextLength.format(request.length)) is too small for \(descriptor.name): no output level down to \(max(minimumLevel, OutputLevel.fallback.last!)) fits with its max_tokens\(detail) (\(request.tokenizer.name) tokenizer)"
        )
    }

    /// The first guess of the filler size: units counted in batches until their tokens fill `room` (what prepare
    /// added counted by bytes); past `maxCounted` units the rest is extrapolated from their mean (a server's tokenize
    /// route would otherwise take one request per unit); a task that gives no unit texts is guessed by bytes.
    static func estimate(_ instance: some ProcInstance, room: Int, preparedBytes: Int, bytesPerToken: Double, tokenizer: any Tokenizer) -> Int {
        let maxCounted = 1024
        var left = Double(room) - Double(preparedBytes) / bytesPerToken
        var k = 0
        var counted = 0.0
        var batch = 64
        while left > 0 {
            if k >= maxCounted { return k + Int((left / max(0.5, counted / Double(k))).rounded()) }
            let texts = instance.fillerUnits(k..<(k + batch))
            if texts.isEmpty {
                return k + max(0, Int((left * bytesPerToken / max(1, instance.bytesPerFillerUnit)).rounded()))
            }
            for count in tokenizer.counts(texts) {
                left -= Double(count)
                counted += Double(count)
                if left < 0 { return k }
                k += 1
            }
            batch = min(batch * 2, maxCounted - k + 64)
        }
        return k
    }

    /// Searches a size `k` (hops, rows, steps, lines) whose oracle has `level` tokens within ±10%: `make(k, draw)`
    /// returns the candidate and its oracle text; `draw` changes the random content when no size lands in the
    /// window. Token counts are real encodings of the oracle.
    static func fitOutput<T>(
        level: Int, tokenizer: any Tokenizer, guess: Int, minimum: Int = 1, maximum: Int = 1 << 20,
        make: (_ k: Int, _ draw: Int) throws -> (value: T, oracle: String)?
    ) throws -> (value: T, tokens: Int, k: Int) {
        var best: (value: T, tokens: Int, k: Int)? = nil
        for draw in 0..<12 {
            var below: (k: Int, tokens: Int)? = nil
            var above: (k: Int, tokens: Int)? = nil
            var k = min(maximum, max(minimum, guess))
            for _ in 0..<16 {
                guard let candidate = try make(k, draw) else { break }
                let tokens = tokenizer.count(candidate.oracle)
                if best == nil || abs(tokens - level) < abs(best!.tokens - level) { best = (candidate.value, tokens, k) }
                if OutputLevel.holds(tokens, level: level) { return (candidate.value, tokens, k) }
                if tokens < level {
                    if below == nil || k > below!.k { below = (k, tokens) }
                } else if above == nil || k < above!.k {
                    above = (k, tokens)
                }
                let next: Int
                switch (below, above) {
                case let (lo?, hi?):
                    guard hi.k - lo.k > 1 else { next = -1; break }
                    let slope = Double(hi.tokens - lo.tokens) / Double(hi.k - lo.k)
                    let step = slope > 0 ? Int((Double(level - lo.tokens) / slope).rounded()) : (hi.k - lo.k) / 2
                    next = min(hi.k - 1, max(lo.k + 1, lo.k + step))
                case let (lo?, nil):
                    next = min(maximum, max(lo.k + 1, Int((Double(lo.k) * Double(level) / Double(max(1, lo.tokens))).rounded())))
                case let (nil, hi?):
                    next = max(minimum, min(hi.k - 1, Int((Double(hi.k) * Double(level) / Double(max(1, hi.tokens))).rounded())))
                case (nil, nil):
                    next = -1
                }
                if next < minimum || next == k || next > maximum { break }
                k = next
            }
        }
        let closest = best.map { " (closest: \($0.tokens) tokens at size \($0.k))" } ?? ""
        throw FathomError(.length, "could not size a reference output of \(level) ± 10% tokens\(closest) (\(tokenizer.name) tokenizer)")
    }
}
