import AsyncHTTPClient
import FathomCore
import Foundation
import NIOCore
import NIOHTTP1

/// A model behind an OpenAI-compatible `/v1/chat/completions` endpoint (vLLM, llama.cpp, SGLang, OpenAI).
///
/// Every request carries explicit temperature, top_p, seed, max_tokens and the stop list. The answer prefix is
/// appended to the last user message (RULER's behaviour for API models). 429 and 5xx answers and transport
/// failures are retried with capped, jittered exponential backoff (Retry-After honoured); context-length errors
/// become `overflow` and are never retried; other 4xx answers are errors. The API key comes from an environment
/// variable and is only ever placed in the Authorization header.
public final class OpenAICompatibleBackend: ModelBackend, @unchecked Sendable {
    public struct Options: Sendable {
        public var maxAttempts = 4
        public var requestTimeoutSeconds: Int64 = 1800
        public var connectTimeoutSeconds: Int64 = 10
        public var backoffBaseSeconds = 0.5
        public var backoffCapSeconds = 30.0
        public var concurrency = 8
        public init() {}
    }

    public let info: ModelInfo
    private let baseURL: String
    private let apiKey: String?
    private let options: Options
    private let client: HTTPClient

    public init(endpoint: String, model: String, apiKey: String?, options: Options = Options()) {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.apiKey = apiKey
        self.options = options
        self.info = ModelInfo(name: model, kind: "openai-compatible", endpoint: base)
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(options.connectTimeoutSeconds)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, options.concurrency)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    func body(for request: GenerationRequest) throws -> Data {
        var messages = request.sample.messages.map { OpenAIWire.ChatMessage(role: $0.role.rawValue, content: $0.content) }
        if !request.sample.answerPrefix.isEmpty, let last = messages.indices.last(where: { messages[$0].role == "user" }) {
            messages[last].content += request.sample.answerPrefix
        }
        let generation = request.sample.generation
        let wire = OpenAIWire.ChatRequest(
            model: info.name, messages: messages, temperature: generation.temperature, top_p: generation.topP,
            seed: request.seed, max_tokens: generation.maxTokens, stop: generation.stop.isEmpty ? nil : generation.stop,
            stream: false)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(wire)
    }

    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        let started = ContinuousClock.now
        func elapsedMs() -> Double {
            let d = ContinuousClock.now - started
            return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
        }
        let payload: Data
        do { payload = try body(for: request) } catch {
            return .failure(.error, "encode", "cannot encode the request: \(error)", latencyMs: 0, attempts: 0)
        }
        var lastClass = "unknown"
        var lastMessage = ""
        for attempt in 1...options.maxAttempts {
            var delay: Double? = nil
            do {
                var http = HTTPClientRequest(url: baseURL + "/v1/chat/completions")
                http.method = .POST
                http.headers.add(name: "Content-Type", value: "application/json")
                if let apiKey { http.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
                http.body = .bytes(ByteBuffer(bytes: payload))
                let response = try await client.execute(http, timeout: .seconds(options.requestTimeoutSeconds))
                let buffer = try await response.body.collect(upTo: 64 << 20)
                let text = String(buffer: buffer)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    return parseSuccess(text, latencyMs: elapsedMs(), attempts: attempt)
                }
                lastClass = "http_\(status)"
                lastMessage = Self.errorMessage(text, status: status)
                switch ErrorClassifier.classify(status: status, body: text, retryAfter: response.headers.first(name: "retry-after")) {
                case .overflow:
                    return .failure(.overflow, "context_length", lastMessage, latencyMs: elapsedMs(), attempts: attempt)
                case .fail:
                    return .failure(.error, lastClass, lastMessage, latencyMs: elapsedMs(), attempts: attempt)
                case .retry(let after):
                    delay = after
                }
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                lastClass = "timeout"
                lastMessage = "\(error)"
            } catch {
                lastClass = "transport"
                lastMessage = "\(error)"
            }
            if attempt < options.maxAttempts {
                let backoff = min(options.backoffCapSeconds, options.backoffBaseSeconds * pow(2, Double(attempt - 1)))
                let wait = delay ?? backoff * Double.random(in: 0.5...1.0)
                try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            }
        }
        return .failure(.error, lastClass, "gave up after \(options.maxAttempts) attempts: \(lastMessage)", latencyMs: elapsedMs(), attempts: options.maxAttempts)
    }

    private func parseSuccess(_ text: String, latencyMs: Double, attempts: Int) -> GenerationResult {
        guard let data = text.data(using: .utf8), let decoded = try? JSONDecoder().decode(OpenAIWire.ChatResponse.self, from: data) else {
            return .failure(.error, "malformed_response", "the server's answer is not a chat completion: \(text.prefix(200))", latencyMs: latencyMs, attempts: attempts)
        }
        guard let choice = decoded.choices.first else {
            return .failure(.error, "malformed_response", "the server's answer has no choices", latencyMs: latencyMs, attempts: attempts)
        }
        let (answer, reasoning) = ReasoningSplitter.split(choice.message?.content ?? choice.text ?? "", reasoning: choice.message?.reasoning_content)
        return GenerationResult(
            text: answer, reasoning: reasoning, finishReason: choice.finish_reason,
            usage: decoded.usage.map { Usage(promptTokens: $0.prompt_tokens, completionTokens: $0.completion_tokens) },
            latencyMs: latencyMs, attempts: attempts)
    }

    static func errorMessage(_ body: String, status: Int) -> String {
        if let data = body.data(using: .utf8), let envelope = try? JSONDecoder().decode(OpenAIWire.ErrorEnvelope.self, from: data) {
            if let message = envelope.error?.message ?? envelope.message ?? envelope.detail { return "HTTP \(status): \(message)" }
        }
        return "HTTP \(status): \(body.prefix(300))"
    }
}

/// Separates reasoning (`<think>…</think>` blocks or a server's `reasoning_content`) from the answer.
public enum ReasoningSplitter {
    public static func split(_ content: String, reasoning: String?) -> (answer: String, reasoning: String?) {
        guard let close = content.range(of: "</think>") else { return (content, reasoning) }
        var thought = String(content[..<close.lowerBound])
        if let open = thought.range(of: "<think>") { thought = String(thought[open.upperBound...]) }
        let answer = String(content[close.upperBound...])
        let combined = [reasoning, thought].compactMap { $0 }.joined(separator: "\n")
        return (answer, combined)
    }
}
