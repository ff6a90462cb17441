import FathomCore
import FathomModels
import FathomTestSupport
import Foundation
import Testing

@Suite struct OpenAICompatibleBackendTests {
    func sample(prefix: String = " Answer:", stop: [String] = ["\n\n"]) -> Sample {
        Sample(
            id: "abc", task: "t", index: 0, length: 4096, messages: [Message(.system, "Be brief."), Message(.user, "What is 2+2?")],
            answerPrefix: prefix, promptText: "", reference: Reference(answers: ["4"]), generation: GenerationSettings(maxTokens: 32, stop: stop),
            metadata: SampleMetadata(targetLength: 4096, promptTokens: 10, contextTokens: 5, tokenizer: "approx-v1"))
    }

    func fastOptions() -> OpenAICompatibleBackend.Options {
        var options = OpenAICompatibleBackend.Options()
        options.backoffBaseSeconds = 0.01
        options.backoffCapSeconds = 0.05
        options.maxAttempts = 4
        options.timeouts = Timeouts(connectSeconds: 2, firstByteSeconds: 5, totalSeconds: 10)
        return options
    }

    func withServer(
        _ responder: @escaping @Sendable (TestOpenAIServer.Recorded, Int) -> TestOpenAIServer.Action,
        apiKey: String? = nil, body: (OpenAICompatibleBackend, TestOpenAIServer) async throws -> Void
    ) async throws {
        let server = TestOpenAIServer(responder: responder)
        let url = try server.start()
        let backend = OpenAICompatibleBackend(endpoint: url + "/v1/", model: "test-model", apiKey: apiKey, options: fastOptions())
        do {
            try await body(backend, server)
        } catch {
            await backend.shutdown()
            server.stop()
            throw error
        }
        await backend.shutdown()
        server.stop()
    }

    @Test func sendsExplicitSettingsAndTheKey() async throws {
        try await withServer({ _, _ in .complete(content: " 4", promptTokens: 21, completionTokens: 2) }, apiKey: "sk-test") { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 42))
            #expect(result.status == .ok && result.text == " 4" && result.finishReason == "stop")
            #expect(result.usage == Usage(promptTokens: 21, completionTokens: 2))
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/chat/completions" && request.method == "POST")
            #expect(request.headers["authorization"] == "Bearer sk-test")
            let json = try #require(request.json)
            #expect(json["model"] as? String == "test-model")
            #expect(json["temperature"] as? Double == 0)
            #expect(json["top_p"] as? Double == 1)
            #expect(json["seed"] as? Int == 42)
            #expect(json["max_tokens"] as? Int == 32)
            #expect(json["stop"] as? [String] == ["\n\n"])
            let messages = try #require(json["messages"] as? [[String: String]])
            #expect(messages.map { $0["role"]! } == ["system", "user"])
            #expect(messages[1]["content"] == "What is 2+2? Answer:")  // the answer prefix ends the user turn
        }
    }

    @Test func retriesRateLimitsHonouringRetryAfter() async throws {
        try await withServer({ _, n in
            n == 0 ? .status(429, body: #"{"error":{"message":"slow down"}}"#, headers: ["Retry-After": "0"]) : .complete(content: "ok")
        }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .ok && result.attempts == 2 && server.requests.count == 2)
        }
    }

    @Test func retriesServerErrorsAndResetsThenGivesUp() async throws {
        try await withServer({ _, n in n < 2 ? (n == 0 ? .status(500, body: "boom") : .reset) : .complete(content: "ok") }) { backend, _ in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .ok && result.attempts == 3)
        }
        try await withServer({ _, _ in .status(503, body: "down") }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .error && result.errorClass == "http_503" && result.attempts == 4)
            #expect(server.requests.count == 4)
        }
    }

    /// Context-length errors as llama.cpp, vLLM and OpenAI word them: overflow, never retried.
    @Test(arguments: [
        #"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}"#,
        #"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4968 in the messages, 32 in the completion).","type":"BadRequestError","param":null,"code":400}"#,
        #"{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#,
    ])
    func contextErrorsAreOverflow(body: String) async throws {
        try await withServer({ _, _ in .status(400, body: body) }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .overflow && result.errorClass == "context_length")
            #expect(server.requests.count == 1)
        }
    }

    @Test func otherClientErrorsFailAtOnce() async throws {
        try await withServer({ _, _ in .status(404, body: #"{"error":{"message":"model not found"}}"#) }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .error && result.errorClass == "http_404" && server.requests.count == 1)
            #expect(result.errorMessage?.contains("model not found") == true)
        }
    }

    @Test func malformedAndTruncatedBodiesAreErrors() async throws {
        try await withServer({ _, _ in .malformed }) { backend, _ in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .error && result.errorClass == "malformed_response")
        }
        try await withServer({ _, _ in .truncated }) { backend, _ in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .error)
        }
    }

    @Test func reasoningIsKeptApart() {
        let (answer, reasoning) = ReasoningSplitter.split("<think>let me see</think> 4", reasoning: nil)
        #expect(answer == " 4" && reasoning == "let me see")
        let plain = ReasoningSplitter.split("4", reasoning: "server-side")
        #expect(plain.answer == "4" && plain.reasoning == "server-side")
    }

    /// The tags are found on code points, as the servers' Python parsers find them: a combining mark after `</think>`
    /// (one Swift `Character` with the `>`) does not hide the tag.
    @Test func reasoningTagsAreFoundOnCodePoints() {
        let (answer, reasoning) = ReasoningSplitter.split("<think>hm\u{301}</think>\u{301} 4\u{20E3}", reasoning: nil)
        #expect(Array(answer.unicodeScalars) == ["\u{301}", " ", "4", "\u{20E3}"])
        #expect(Array((reasoning ?? "").unicodeScalars) == ["h", "m", "\u{301}"])
    }
}
