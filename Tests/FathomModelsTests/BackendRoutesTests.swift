import FathomCore
@testable import FathomModels
import FathomTestSupport
import Foundation
import Testing

/// Prefix modes, streaming, timeouts, probing, caching and several endpoints, against the in-process server.
@Suite struct BackendRoutesTests {
    func sample(mode: AnswerPrefixMode, maxTokens: Int = 32) -> Sample {
        Sample(
            id: "s1", task: "t", index: 0, length: 4096, messages: [Message(.user, "Where is the key?")], answerPrefix: " The key is",
            promptText: "Where is the key? The key is", reference: Reference(answers: ["here"]),
            generation: GenerationSettings(maxTokens: maxTokens, stop: ["\n"], prefixMode: mode),
            metadata: SampleMetadata(targetLength: 4096, promptTokens: 8, contextTokens: 4, tokenizer: "approx-v1"))
    }

    func options(_ configure: (inout OpenAICompatibleBackend.Options) -> Void = { _ in }) -> OpenAICompatibleBackend.Options {
        var options = OpenAICompatibleBackend.Options()
        options.backoffBaseSeconds = 0.01
        options.backoffCapSeconds = 0.02
        options.timeouts = Timeouts(connectSeconds: 2, firstByteSeconds: 5, totalSeconds: 10)
        options.healthTimeoutSeconds = 10
        configure(&options)
        return options
    }

    func serve(
        _ identity: TestOpenAIServer.Identity = .init(), model: String = "test-model",
        configure: (inout OpenAICompatibleBackend.Options) -> Void = { _ in },
        responder: @escaping @Sendable (TestOpenAIServer.Recorded, Int) -> TestOpenAIServer.Action,
        body: (OpenAICompatibleBackend, TestOpenAIServer) async throws -> Void
    ) async throws {
        let server = TestOpenAIServer(identity: identity, responder: responder)
        let url = try server.start()
        let backend = try OpenAICompatibleBackend(endpoints: [url], model: model, apiKey: nil, options: options(configure))
        defer { server.stop() }
        do { try await body(backend, server) } catch {
            await backend.shutdown()
            throw error
        }
        await backend.shutdown()
    }

    @Test func completionModeSendsTheRenderedPrompt() async throws {
        try await serve(responder: { _, _ in .complete(content: " here") }) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(mode: .completion), seed: 3))
            #expect(result.status == .ok)
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/completions")
            let json = try #require(request.json)
            #expect(json["prompt"] as? String == "Where is the key? The key is")
            #expect(json["messages"] == nil && json["max_tokens"] as? Int == 32 && json["stop"] as? [String] == ["\n"])
        }
    }

    @Test func chatPrefillEndsWithAnAssistantTurn() async throws {
        var vllm = TestOpenAIServer.Identity()
        vllm.owner = "vllm"
        try await serve(vllm, responder: { _, _ in .complete(content: " here") }) { backend, server in
            try await backend.prepare(requiredContext: 4096, runDirectory: NSTemporaryDirectory())
            _ = await backend.generate(GenerationRequest(sample: sample(mode: .chatPrefill), seed: 3))
            let json = try #require(server.requests.first?.json)
            let messages = try #require(json["messages"] as? [[String: String]])
            #expect(messages.last == ["role": "assistant", "content": " The key is"])
            #expect(messages.first == ["role": "user", "content": "Where is the key?"])
            #expect(json["continue_final_message"] as? Bool == true && json["add_generation_prompt"] as? Bool == false)
        }
    }

    @Test func streamingRecordsTimeToFirstToken() async throws {
        try await serve(configure: { $0.stream = true }, responder: { _, _ in .stream(pieces: [" he", "re", "."], promptTokens: 12, delay: 0.05) }) {
            backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(mode: .chatUser), seed: 3))
            #expect(result.status == .ok && result.text == " here." && result.finishReason == "stop")
            #expect(result.usage == Usage(promptTokens: 12, completionTokens: 3))
            let ttft = try #require(result.ttftMs)
            #expect(ttft < result.latencyMs && result.latencyMs >= 100)
            let json = try #require(server.requests.first?.json)
            #expect(json["stream"] as? Bool == true && (json["stream_options"] as? [String: Bool])?["include_usage"] == true)
        }
    }

    @Test func aStallPastTheFirstByteTimeoutIsRetriedThenFails() async throws {
        try await serve(
            configure: {
                $0.timeouts = Timeouts(connectSeconds: 2, firstByteSeconds: 0.3, totalSeconds: 5)
                $0.maxAttempts = 2
            },
            responder: { _, _ in .stall(seconds: 2, then: .init(.complete(content: "late"))) }
        ) { backend, server in
            let result = await backend.generate(GenerationRequest(sample: sample(mode: .chatUser), seed: 3))
            #expect(result.status == .error && result.errorClass == "timeout_first_byte" && result.attempts == 2)
            #expect(server.requests.count == 2)
        }
    }

    @Test func aSlowStreamThatStartedIsNotCutByTheFirstByteTimeout() async throws {
        try await serve(
            configure: {
                $0.stream = true
                $0.timeouts = Timeouts(connectSeconds: 2, firstByteSeconds: 0.3, totalSeconds: 5)
            },
            responder: { _, _ in .stream(pieces: ["a", "b", "c", "d"], delay: 0.2) }
        ) { backend, _ in
            let result = await backend.generate(GenerationRequest(sample: sample(mode: .chatUser), seed: 3))
            #expect(result.status == .ok && result.text == "abcd")
        }
    }

    @Test func probeReadsLlamaCppPropsAndStopsAnOversizedRunBeforeSending() async throws {
        var llama = TestOpenAIServer.Identity()
        llama.contextPerSlot = 8192
        llama.slots = 4
        llama.loadingHealthChecks = 2
        try await serve(llama, responder: { _, _ in .complete(content: "x") }) { backend, server in
            do {
                try await backend.prepare(requiredContext: 16_384, runDirectory: NSTemporaryDirectory())
                Issue.record("expected the run to be refused")
            } catch let error as FathomError {
                #expect(error.message.contains("8192") && error.message.contains("4 slots") && error.message.contains("nothing was sent"), "\(error)")
            }
            #expect(server.requests.isEmpty)
            try await backend.prepare(requiredContext: 8192, runDirectory: NSTemporaryDirectory())
            let report = try #require(await backend.report())
            let probe = try #require(report.probes.first)
            #expect(probe.serverKind == "llama.cpp" && probe.contextPerSlot == 8192 && probe.slots == 4 && probe.build == "b9999-test")
            #expect(probe.tokenizeRoute == "llama.cpp")
            #expect(report.effectiveContext == 8192)
            #expect(server.allRequests.filter { $0.path == "/health" }.count >= 3)
        }
    }

    @Test func theProbeWaitsWhileTheModelLoads() async throws {
        var loading = TestOpenAIServer.Identity()
        loading.loadingHealthChecks = 3
        try await serve(loading, responder: { _, _ in .complete(content: "x") }) { backend, server in
            do { try await backend.prepare(requiredContext: 1000, runDirectory: NSTemporaryDirectory()) } catch {
                Issue.record("\(error); server saw \(server.allRequests.map { $0.path })")
                return
            }
            let waited = try #require(await backend.report()?.probes.first?.healthWaitSeconds)
            #expect(waited >= 1.0)
            #expect(server.allRequests.filter { $0.path == "/health" }.count == 4)
        }
        loading.loadingHealthChecks = 1000
        try await serve(loading, configure: { $0.healthTimeoutSeconds = 1 }, responder: { _, _ in .complete(content: "x") }) { backend, _ in
            do {
                try await backend.prepare(requiredContext: 1000, runDirectory: NSTemporaryDirectory())
                Issue.record("expected a health timeout")
            } catch let error as FathomError {
                #expect(error.message.contains("not ready") && error.message.contains("503"))
            }
        }
    }

    @Test func vllmMaxModelLenAndDeclaredLimitsCount() async throws {
        var vllm = TestOpenAIServer.Identity()
        vllm.owner = "vllm"
        vllm.maxModelLen = 32_768
        try await serve(vllm, configure: { $0.declaredContext = 16_000 }, responder: { _, _ in .complete(content: "x") }) { backend, _ in
            await #expect(throws: FathomError.self) { try await backend.prepare(requiredContext: 20_000, runDirectory: NSTemporaryDirectory()) }
            try await backend.prepare(requiredContext: 16_000, runDirectory: NSTemporaryDirectory())
            let report = try #require(await backend.report())
            #expect(report.probes.first?.serverKind == "vllm" && report.probes.first?.maxModelLen == 32_768 && report.effectiveContext == 16_000)
        }
        try await serve(vllm, model: "other-model", responder: { _, _ in .complete(content: "x") }) { backend, _ in
            await #expect(throws: FathomError.self) { try await backend.prepare(requiredContext: 1000, runDirectory: NSTemporaryDirectory()) }
        }
    }

    @Test func theCacheIsKeyedByModel() async throws {
        let dir = RepoPaths.temporaryDirectory("cache")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var two = TestOpenAIServer.Identity()
        two.models = ["model-a", "model-b"]
        let server = TestOpenAIServer(identity: two) { request, _ in
            .complete(content: (request.json?["model"] as? String) ?? "?")
        }
        let url = try server.start()
        defer { server.stop() }
        let a = try OpenAICompatibleBackend(endpoints: [url], model: "model-a", apiKey: nil, options: options { $0.cacheDirectory = dir })
        let b = try OpenAICompatibleBackend(endpoints: [url], model: "model-b", apiKey: nil, options: options { $0.cacheDirectory = dir })
        let request = GenerationRequest(sample: sample(mode: .chatUser), seed: 1)
        let first = await a.generate(request)
        let again = await a.generate(request)
        let other = await b.generate(request)
        #expect(first.text == "model-a" && !first.cached)
        #expect(again.text == "model-a" && again.cached)
        #expect(other.text == "model-b" && !other.cached)
        #expect(server.requests.count == 2)
        #expect(ResponseCache.key(endpoint: url, model: "model-a", build: nil, route: "/v1/chat/completions", body: Data("x".utf8))
            != ResponseCache.key(endpoint: url, model: "model-b", build: nil, route: "/v1/chat/completions", body: Data("x".utf8)))
        #expect(try ResponseCache(directory: dir).entries().count == 2)
        await a.shutdown()
        await b.shutdown()
    }

    @Test func requestsSpreadOverSeveralEndpoints() async throws {
        let one = TestOpenAIServer { _, _ in .stall(seconds: 0.05, then: .init(.complete(content: "1"))) }
        let two = TestOpenAIServer { _, _ in .stall(seconds: 0.05, then: .init(.complete(content: "2"))) }
        let urls = [try one.start(), try two.start()]
        defer {
            one.stop()
            two.stop()
        }
        let backend = try OpenAICompatibleBackend(endpoints: urls, model: "test-model", apiKey: nil, options: options { $0.concurrency = .fixed(8) })
        try await backend.prepare(requiredContext: 1000, runDirectory: NSTemporaryDirectory())
        let results = await withTaskGroup(of: GenerationResult.self) { group in
            for _ in 0..<16 { group.addTask { await backend.generate(GenerationRequest(sample: sample(mode: .chatUser), seed: 1)) } }
            var all: [GenerationResult] = []
            for await result in group { all.append(result) }
            return all
        }
        await backend.shutdown()
        #expect(results.allSatisfy { $0.status == .ok })
        #expect(one.requests.count >= 4 && two.requests.count >= 4 && one.requests.count + two.requests.count == 16)
        #expect(Set(results.compactMap { $0.endpoint }) == Set(urls))
    }

    @Test func overflowDetailsAreParsed() {
        let llama = OverflowDetails.parse(#"{"error":{"code":400,"message":"request (5000 tokens) exceeds the available context size (4096 tokens)","type":"exceed_context_size_error","n_prompt_tokens":5000,"n_ctx":4096}}"#)
        #expect(llama.promptTokens == 5000 && llama.context == 4096)
        let vllm = OverflowDetails.parse(#"{"message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4968 in the messages, 32 in the completion)."}"#)
        #expect(vllm.promptTokens == 5000 && vllm.context == 4096)
        let newer = OverflowDetails.parse("This model's maximum context length is 2048 tokens. However, your request has 3000 input tokens.")
        #expect(newer.promptTokens == 3000 && newer.context == 2048)
    }
}

@Suite struct AdaptiveLimiterTests {
    @Test func halvesOnRateLimitsAndGrowsOnSuccess() async {
        let limiter = AdaptiveLimiter(start: 8, maximum: 10)
        await limiter.acquire()
        await limiter.release(rateLimited: true, succeeded: false, retryAfterSeconds: 0)
        #expect(await limiter.limit == 4)
        await limiter.acquire()
        await limiter.release(rateLimited: true, succeeded: false)
        #expect(await limiter.limit == 2)
        let history = await limiter.history
        #expect(history.map { $0.limit } == [8, 4, 2] && history.last?.reason == "429")
        // Growth waits out the cool-down after a 429.
        for _ in 0..<10 {
            await limiter.acquire()
            await limiter.release(rateLimited: false, succeeded: true)
        }
        #expect(await limiter.limit == 2)
    }

    @Test func growsAdditivelyWithoutRateLimits() async {
        let limiter = AdaptiveLimiter(start: 2, maximum: 4)
        for _ in 0..<20 {
            await limiter.acquire()
            await limiter.release(rateLimited: false, succeeded: true)
        }
        #expect(await limiter.limit == 4)
        #expect(await limiter.history.map { $0.limit } == [2, 3, 4])
    }

    @Test func neverExceedsItsLimit() async {
        let limiter = AdaptiveLimiter(fixed: 3)
        let peak = PeakCounter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    await limiter.acquire()
                    peak.enter()
                    try? await Task.sleep(for: .milliseconds(5))
                    peak.leave()
                    await limiter.release(rateLimited: false, succeeded: true)
                }
            }
        }
        #expect(peak.maximum == 3)
    }
}

final class PeakCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var maximum = 0
    func enter() { lock.withLock { current += 1; maximum = max(maximum, current) } }
    func leave() { lock.withLock { current -= 1 } }
}

/// End to end: under `--concurrency auto`, rate limits from the server lower the limit and the history shows it.
@Suite struct AdaptiveConcurrencyEndToEndTests {
    @Test func rateLimitsLowerTheLimit() async throws {
        var identity = TestOpenAIServer.Identity()
        identity.contextPerSlot = 8192
        identity.slots = 8
        let server = TestOpenAIServer(identity: identity) { _, n in
            n % 3 == 0 ? .status(429, body: "{}", headers: ["Retry-After": "0"]) : .complete(content: "ok")
        }
        let url = try server.start()
        defer { server.stop() }
        var options = OpenAICompatibleBackend.Options()
        options.concurrency = .auto(maximum: 16)
        options.backoffBaseSeconds = 0.01
        options.backoffCapSeconds = 0.02
        options.maxAttempts = 10
        let backend = try OpenAICompatibleBackend(endpoints: [url], model: "test-model", apiKey: nil, options: options)
        try await backend.prepare(requiredContext: 4096, runDirectory: NSTemporaryDirectory())
        let sample = Sample(
            id: "x", task: "t", index: 0, length: 4096, messages: [Message(.user, "hi")], answerPrefix: "", promptText: "hi",
            reference: Reference(answers: ["ok"]), generation: GenerationSettings(maxTokens: 4),
            metadata: SampleMetadata(targetLength: 4096, promptTokens: 1, contextTokens: 0, tokenizer: "approx-v1"))
        let statuses = await withTaskGroup(of: SampleStatus.self) { group in
            for _ in 0..<24 { group.addTask { await backend.generate(GenerationRequest(sample: sample, seed: 1)).status } }
            var all: [SampleStatus] = []
            for await status in group { all.append(status) }
            return all
        }
        let report = try #require(await backend.report())
        await backend.shutdown()
        #expect(statuses.allSatisfy { $0 == .ok })
        #expect(report.concurrencyHistory.first?.limit == 8)  // started at the server's slots
        #expect(report.concurrencyHistory.contains { $0.reason == "429" })
        #expect((report.concurrencyHistory.last?.limit ?? 99) < 8)
        #expect(report.rateLimited > 0 && report.retries >= report.rateLimited)
    }
}

/// The hand-written request encoder must produce the JSON Foundation would, with sorted keys and any text.
@Suite struct RequestEncodingTests {
    @Test func bodiesAreCanonicalJSON() async throws {
        let nasty = "quote \" backslash \\ newline \n tab \t bell \u{7} nul \u{0} unicode é 日本 😀 slash /"
        let sample = Sample(
            id: "x", task: "t", index: 0, length: 4096, messages: [Message(.system, "sys"), Message(.user, nasty)], answerPrefix: " Answer:",
            promptText: nasty + " Answer:", reference: Reference(answers: ["a"]),
            generation: GenerationSettings(maxTokens: 7, stop: ["\n\n", "END"], temperature: 0, topP: 1, prefixMode: .chatPrefill),
            metadata: SampleMetadata(targetLength: 4096, promptTokens: 1, contextTokens: 0, tokenizer: "approx-v1"))
        let backend = OpenAICompatibleBackend(endpoint: "http://127.0.0.1:9", model: "m\"odel", apiKey: nil)
        for mode in AnswerPrefixMode.allCases {
            var copy = sample
            copy.generation.prefixMode = mode
            let (_, body) = backend.body(for: GenerationRequest(sample: copy, seed: 18_446_744_073_709_551_615), endpoint: 0)
            let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(json["model"] as? String == "m\"odel")
            #expect(json["max_tokens"] as? Int == 7 && json["temperature"] as? Double == 0 && json["top_p"] as? Double == 1)
            #expect((json["seed"] as? NSNumber)?.uint64Value == 18_446_744_073_709_551_615)
            #expect(json["stop"] as? [String] == ["\n\n", "END"] && json["stream"] as? Bool == false)
            if mode == .completion {
                #expect(json["prompt"] as? String == nasty + " Answer:")
            } else {
                let messages = try #require(json["messages"] as? [[String: String]])
                #expect(messages[1]["content"]?.hasPrefix(nasty) == true)
            }
            // Canonical: re-encoding with sorted keys gives the same bytes.
            let reencoded = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
            let keys = { (data: Data) in ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?.keys.sorted() }
            #expect(keys(body) == keys(reencoded))
            let text = String(decoding: body, as: UTF8.self)
            let order = ["\"max_tokens\"", "\"model\"", "\"seed\"", "\"stop\"", "\"stream\"", "\"temperature\"", "\"top_p\""].compactMap { text.range(of: $0)?.lowerBound }
            #expect(order == order.sorted() && order.count == 7)
        }
        await backend.shutdown()
    }
}

@Suite struct EndpointTokenizerTests {
    @Test func countsWithTheServersTokenizeRoute() async throws {
        var llama = TestOpenAIServer.Identity()
        llama.contextPerSlot = 4096
        let server = TestOpenAIServer(identity: llama) { _, _ in .complete(content: "x") }
        let url = try server.start()
        defer { server.stop() }
        let tokenizer = try EndpointTokenizer(base: url, route: "llama.cpp", model: "test-model", apiKey: nil)
        // The test server gives one token per space-separated word.
        #expect(tokenizer.encode("one two three") == [0, 1, 2])
        #expect(tokenizer.count("a b") == 2 && tokenizer.bosTokenID == nil)
        #expect(tokenizer.fingerprint == "endpoint:llama.cpp:test-model")
        let bodies = server.allRequests.filter { $0.path == "/tokenize" }.compactMap { $0.json?["content"] as? String }
        #expect(bodies.contains("one two three"))
    }

    @Test func aRouteThatDoesNotWorkIsRefusedAtStart() throws {
        let server = TestOpenAIServer { _, _ in .complete(content: "x") }  // no /props: /tokenize answers 404
        let url = try server.start()
        defer { server.stop() }
        #expect(throws: FathomError.self) { _ = try EndpointTokenizer(base: url, route: "llama.cpp", model: "m", apiKey: nil) }
        #expect(throws: FathomError.self) { _ = try EndpointTokenizer(base: url, route: "sglang", model: "m", apiKey: nil) }
    }
}
