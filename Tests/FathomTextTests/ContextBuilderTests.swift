import FathomCore
import FathomText
import Testing

@Suite struct ContextBuilderTests {
    let tokenizer = ApproxTokenizer()

    func builder(length: Int, maxTokens: Int = 128) -> ContextBuilder {
        ContextBuilder(PromptSpec(
            targetLength: length, maxTokens: maxTokens, tokenizer: tokenizer, renderer: PlainPromptRenderer(),
            answerPrefix: " Answer:", frame: { [Message(.system, "Be brief."), Message(.user, "Read this.\n" + $0 + "\nWhat is the value?")] }))
    }

    @Test(arguments: [1024, 2048, 4096, 10_000, 32_768, 131_072])
    func essayPromptsObeyTheLengthRule(length: Int) throws {
        var window = CorpusWindow(corpus: Haystacks.essay, start: length % 977)
        let needles = [NeedleSpec(key: "k", text: "The value of k is 42.", depth: 35)]
        let built = try builder(length: length).build(needles: needles, stream: &window)
        #expect(ContextBuilder.obeysLengthRule(promptTokens: built.promptTokens, maxTokens: 128, length: length))
        #expect(built.promptTokens == tokenizer.count(built.promptText))
        #expect(built.promptText == PlainPromptRenderer().render(messages: built.messages, answerPrefix: " Answer:"))
        #expect(built.promptText.contains("The value of k is 42."))
    }

    @Test(arguments: [0.0, 10, 25, 50, 75, 90, 100])
    func needlesLandAtTheRequestedDepth(depth: Double) throws {
        var window = CorpusWindow(corpus: Haystacks.essay, start: 5)
        let built = try builder(length: 16_384).build(needles: [NeedleSpec(key: "k", text: "The value of k is 42.", depth: depth)], stream: &window)
        let placement = try #require(built.needles.first)
        // Needles go to sentence boundaries, so the actual depth is within one sentence of the request.
        #expect(abs(placement.depth - depth) < 0.5, "requested \(depth), got \(placement.depth)")
        // The recorded token offset is where the needle text really starts.
        let needleStart = try #require(built.promptText.range(of: "The value of k is 42."))
        let before = String(built.promptText[..<needleStart.lowerBound])
        #expect(abs(tokenizer.count(before) - placement.tokenOffset) <= 1)
    }

    @Test func noiseAndGeneratedUnitsFillToo() throws {
        var noise = CorpusWindow(corpus: Haystacks.noise, start: 0)
        let a = try builder(length: 8192).build(needles: [], stream: &noise)
        #expect(ContextBuilder.obeysLengthRule(promptTokens: a.promptTokens, maxTokens: 128, length: 8192))
        var generated = GeneratedUnits(seed: 9, needleSeparator: "\n") { rng in "\nline \(NeedleValueKind.numbers.make(&rng))." }
        let b = try builder(length: 8192).build(needles: [NeedleSpec(key: "x", text: "x is 1.", depth: 50)], stream: &generated)
        #expect(ContextBuilder.obeysLengthRule(promptTokens: b.promptTokens, maxTokens: 128, length: 8192))
    }

    @Test func tooSmallALengthIsAClearError() {
        var window = CorpusWindow(corpus: Haystacks.essay, start: 0)
        #expect(throws: FathomError.self) { try builder(length: 150).build(needles: [], stream: &window) }
        do {
            _ = try builder(length: 150).build(needles: [], stream: &window)
        } catch {
            #expect(error.kind == .length && error.message.contains("too small"))
        }
    }

    @Test func aFrameWithoutTheContextIsRejected() {
        var window = CorpusWindow(corpus: Haystacks.essay, start: 0)
        let broken = ContextBuilder(PromptSpec(targetLength: 4096, maxTokens: 10, tokenizer: tokenizer, renderer: PlainPromptRenderer(), answerPrefix: "", frame: { _ in [Message(.user, "nothing")] }))
        #expect(throws: FathomError.self) { try broken.build(needles: [], stream: &window) }
    }

    /// A tokenizer whose counts are not additive across units, to exercise the verify-and-correct loop.
    struct MergingTokenizer: Tokenizer {
        var name: String { "merging" }
        var fingerprint: String { "merging-test" }
        var bosTokenID: Int? { 1 }
        func encode(_ text: String) -> [Int] {
            // One token per 3 bytes of the whole text: concatenations merge across unit boundaries.
            [Int](repeating: 7, count: (text.utf8.count + 2) / 3)
        }
    }

    @Test func verificationCorrectsNonAdditiveCounts() throws {
        let merging = MergingTokenizer()
        for length in [4096, 20_000, 65_536] {
            var window = CorpusWindow(corpus: Haystacks.essay, start: 3)
            let built = try ContextBuilder(PromptSpec(
                targetLength: length, maxTokens: 64, tokenizer: merging, renderer: PlainPromptRenderer(), answerPrefix: "",
                frame: { [Message(.user, "Q\n" + $0)] }
            )).build(needles: [], stream: &window)
            #expect(built.promptTokens == merging.count(built.promptText) + 1)  // BOS counted once
            #expect(ContextBuilder.obeysLengthRule(promptTokens: built.promptTokens, maxTokens: 64, length: length))
        }
    }

    @Test func oneMillionTokens() throws {
        var window = CorpusWindow(corpus: Haystacks.essay, start: 0)
        let built = try builder(length: 1_048_576).build(needles: [NeedleSpec(key: "k", text: "k is 1.", depth: 50)], stream: &window)
        #expect(ContextBuilder.obeysLengthRule(promptTokens: built.promptTokens, maxTokens: 128, length: 1_048_576))
    }
}

@Suite struct CoarseUnitTests {
    /// Units of 70–80 tokens against a 64-token window: sizing must still land in the window, by bringing a fitting
    /// unit forward or exchanging one for a slightly larger one, never by giving up.
    @Test func unitsCoarserThanTheWindowStillFit() throws {
        let tokenizer = ApproxTokenizer()
        for length in stride(from: 2048, through: 4096, by: 97) {
            var stream = GeneratedUnits(seed: UInt64(length), needleSeparator: "\n") { rng in
                "\n" + (0..<rng.int(in: 70...80)).map { _ in "w" }.joined(separator: " ")  // one token per word
            }
            let built = try ContextBuilder(PromptSpec(
                targetLength: length, maxTokens: 128, tokenizer: tokenizer, renderer: PlainPromptRenderer(), answerPrefix: "",
                frame: { [Message(.user, "Q\n" + $0)] }
            )).build(needles: [NeedleSpec(key: "k", text: "k is 1.", depth: 50)], stream: &stream)
            #expect(ContextBuilder.obeysLengthRule(promptTokens: built.promptTokens, maxTokens: 128, length: length), "length \(length): \(built.promptTokens)")
        }
    }
}
