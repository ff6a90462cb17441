import FathomCore
@testable import FathomModels
import Testing

@Suite struct RetrievalSystemTests {
    func sample(_ user: String, prefix: String) -> Sample {
        Sample(
            id: "r", task: "t", index: 0, length: 4096, messages: [Message(.user, user)], answerPrefix: prefix, promptText: user + prefix,
            reference: Reference(answers: []), generation: GenerationSettings(maxTokens: 8),
            metadata: SampleMetadata(targetLength: 4096, promptTokens: 1, contextTokens: 1, tokenizer: "approx-v1"))
    }

    @Test func findsTheNeedleSentence() async {
        let user = """
            Read this.
            The grass is green. The sky is blue. One of the special magic numbers for calm-river is: 1234567. Here we go.
            One of the special magic numbers for bold-stone is: 7654321. There and back again.
            What is the special magic number for calm-river mentioned in the provided text?
            """
        let result = await RetrievalSystem(topK: 1).generate(GenerationRequest(sample: sample(user, prefix: " The special magic number for calm-river is"), seed: 1))
        #expect(result.text == " One of the special magic numbers for calm-river is: 1234567.")
    }

    @Test func bm25PrefersRareTermsAndKeepsPromptOrder() {
        let passages = ["the cat sat", "the dog ran", "zebra and the cat", "nothing here"]
        #expect(RetrievalSystem.bm25(query: ["zebra", "cat"], passages: passages, topK: 1) == [2])
        #expect(RetrievalSystem.bm25(query: ["zebra", "cat"], passages: passages, topK: 3) == [0, 2])  // no shared term: never returned
        #expect(RetrievalSystem.bm25(query: ["unicorn"], passages: passages, topK: 2).isEmpty)
    }

    @Test func termsAndSentencesSplitAsDocumented() {
        #expect(RetrievalSystem.terms("Calm-River is: 12,3!") == ["calm", "river", "is", "12", "3"])
        #expect(RetrievalSystem.sentences("A b. C d! E? F") == ["A b.", "C d!", "E?", "F"])
    }
}
