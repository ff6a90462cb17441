import FathomCore
import FathomModels
import FathomTestSupport
import Foundation
import Testing

/// A 200 whose body ends early (the server closes mid-body, or the JSON or the event stream stops short) is retried like a
/// connection reset, with the same backoff and attempt budget, and recorded as an error only when the attempts run out.
@Suite struct TruncatedBodyTests {
    func sample() -> Sample {
        Sample(
            id: "abc", task: "t", index: 0, length: 4096, messages: [Message(.user, "What is 2+2?")], answerPrefix: " Answer:", promptText: "",
            reference: Reference(answers: ["4"]), generation: GenerationSettings(maxTokens: 32, stop: []),
            metadata: SampleMetadata(targetLength: 4096, promptTokens: 10, contextTokens: 5, tokenizer: "approx-v1"))
    }

    func withServer(
        stream: Bool = false, _ responder: @escaping @Sendable (TestOpenAIServer.Recorded, Int) -> TestOpenAIServer.Action,
        body: (OpenAICompatibleBackend, TestOpenAIServer) async throws -> Void
    ) async throws {
        let server = TestOpenAIServer(responder: responder)
        let url = try server.start()
        var options = OpenAICompatibleBackend.Options()
        options.backoffBaseSeconds = 0.01
        options.backoffCapSeconds = 0.05
        options.maxAttempts = 4
        options.stream = stream
        options.probe = false
        options.timeouts = Timeouts(connectSeconds: 2, firstByteSeconds: 5, totalSeconds: 10)
        let backend = OpenAICompatibleBackend(endpoint: url, model: "test-model", apiKey: nil, options: options)
        do { try await body(backend, server) } catch {
            await backend.shutdown()
            server.stop()
            throw error
        }
        await backend.shutdown()
        server.stop()
    }

    @Test(arguments: TestOpenAIServer.Cut.allCases)
    func aCutBodyIsRetriedAndTheRetryCounts(cut: TestOpenAIServer.Cut) async throws {
        try await withServer({ _, n in n == 0 ? .truncatedCompletion(content: " 4", cut: cut) : .complete(content: " 4") }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .ok && result.text == " 4", "\(cut): \(result.status) \(result.errorClass ?? "") \(result.errorMessage ?? "")")
            #expect(result.attempts == 2 && server.requests.count == 2, "\(cut)")
        }
    }

    @Test(arguments: TestOpenAIServer.Cut.allCases)
    func aBodyCutEveryTimeIsAnErrorOnceTheAttemptsRunOut(cut: TestOpenAIServer.Cut) async throws {
        try await withServer({ _, _ in .truncatedCompletion(content: " 4", cut: cut) }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .error && result.errorClass == "truncated_body", "\(cut): \(result.errorClass ?? "") \(result.errorMessage ?? "")")
            #expect(result.attempts == 4 && server.requests.count == 4, "\(cut)")
            #expect(result.errorMessage?.contains("gave up after 4 attempts") == true, "\(result.errorMessage ?? "")")
        }
    }

    @Test(arguments: [false, true])
    func aStreamThatStopsShortIsRetried(abrupt: Bool) async throws {
        try await withServer(stream: true, { _, n in
            n == 0 ? .truncatedStream(pieces: [" he", "re", "."], eventsSent: 2, abrupt: abrupt) : .stream(pieces: [" he", "re", "."])
        }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .ok && result.text == " here." && result.finishReason == "stop", "abrupt \(abrupt): \(result.status) \(result.text)")
            #expect(result.attempts == 2 && server.requests.count == 2, "abrupt \(abrupt)")
        }
        try await withServer(stream: true, { _, _ in .truncatedStream(pieces: [" he", "re", "."], eventsSent: 2, abrupt: abrupt) }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .error && result.errorClass == "truncated_body" && result.attempts == 4, "abrupt \(abrupt): \(result.status)")
            #expect(server.requests.count == 4 && result.text.isEmpty)
        }
    }

    /// A server that ignores `stream` and answers with plain JSON is read as such, not as an empty stream.
    @Test func aPlainAnswerToAStreamingRequestIsRead() async throws {
        try await withServer(stream: true, { _, _ in .complete(content: " 4") }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
            #expect(result.status == .ok && result.text == " 4" && result.finishReason == "stop" && server.requests.count == 1)
        }
    }

    @Test func cutShortJSONIsAProperPrefixOfAValue() {
        for cut in ["", "  ", "{", #"{"choices": ["#, #"{"a": "tex"#, #"{"a": "x\"#, #"{"a": tr"#, #"{"a": [1, 2.5e"#, #"[{"a": null}, {"#] {
            #expect(ErrorClassifier.isCutShort(json: Data(cut.utf8)), "\(cut)")
        }
        for whole in [#"{"a": 1}"#, #"{"a": "}"}"#, "[]", #"{"choices": [ this is not json"#, "<html>", #"{"a": trux}"#, "{]", "}"] {
            #expect(!ErrorClassifier.isCutShort(json: Data(whole.utf8)), "\(whole)")
        }
    }

    /// Retrying does not fix a body that is complete but wrong: those still fail at once.
    @Test func aCompleteBodyThatIsNotACompletionFailsAtOnce() async throws {
        for body in [#"{"object":"list","data":[]}"#, "<html>gateway</html>", #"{"choices": [ this is not json"#] {
            try await withServer({ _, _ in .status(200, body: body) }) { backend, server in
                let result = await backend.generate(GenerationRequest(sample: sample(), seed: 1))
                #expect(result.status == .error && result.errorClass == "malformed_response" && server.requests.count == 1, "\(body)")
            }
        }
    }
}
