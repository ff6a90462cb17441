import FathomCore
import Foundation
import NIOCore

/// A model behind one or more OpenAI-compatible endpoints (vLLM, llama.cpp, SGLang, llama-cpp-python, OpenAI).
///
/// - Requests carry explicit temperature, top_p, seed, max_tokens and the full stop list. The answer prefix goes
///   where the sample's `prefixMode` says: the end of the user message, a prefilled assistant turn, or the end of a
///   `/v1/completions` prompt.
/// - `prepare` probes every endpoint and stops the run before anything is sent when the run's lengths exceed the
///   effective context.
/// - 429 → Retry-After honoured and concurrency lowered; 5xx, resets and timeouts → capped, jittered exponential
///   backoff; context-length errors → `overflow`, never retried, with the server's counts; other 4xx → `error`.
/// - Requests go to the endpoint with the fewest in flight. The API key only ever goes into the Authorization
///   header.
public final class OpenAICompatibleBackend: ModelBackend, @unchecked Sendable {
    /// How many requests may be in flight.
    public enum Concurrency: Sendable, Hashable {
        case fixed(Int)
        /// As many as the servers have slots (the probe's `/props`), else `fallback`: the default, so requests do
        /// not queue inside a one-slot server and inflate latency.
        case slots(fallback: Int)
        /// AIMD between 1 and the maximum, starting at the servers' slot count.
        case auto(maximum: Int)
    }

    public struct Options: Sendable {
        public var maxAttempts = 6
        public var backoffBaseSeconds = 0.5
        public var backoffCapSeconds = 30.0
        public var timeouts = Timeouts()
        public var concurrency = Concurrency.fixed(8)
        public var stream = false
        public var healthTimeoutSeconds = 300.0
        /// A context limit to respect on top of what the servers report.
        public var declaredContext: Int?
        public var cacheDirectory: String?
        /// Skip probing (for servers that expose nothing but the completion routes).
        public var probe = true
        public init() {}
    }

    public let info: ModelInfo
    public let endpoints: [String]
    private let apiKey: String?
    private let options: Options
    private let transport: HTTPTransport
    private let cache: ResponseCache?
    private let lock = NSLock()
    private var inFlight: [Int]
    private var probes: [ProbeReport] = []
    private var effective: (tokens: Int, reason: String)?
    private var limiter: AdaptiveLimiter
    private var retryCount = 0
    private var rateLimitedCount = 0
    /// Set by an engine launcher that owns the server.
    var engineReport: EngineReport?

    public init(endpoints: [String], model: String, apiKey: String?, options: Options = Options(), identity: String? = nil) throws(FathomError) {
        precondition(!endpoints.isEmpty, "at least one endpoint")
        self.endpoints = endpoints.map(EndpointProbe.normalize)
        self.apiKey = apiKey
        self.options = options
        let maximum: Int
        switch options.concurrency {
        case .fixed(let n): maximum = n
        case .auto(let m): maximum = m
        case .slots(let fallback): maximum = max(fallback, 64)
        }
        transport = HTTPTransport(timeouts: options.timeouts, maxConnectionsPerHost: maximum)
        cache = try options.cacheDirectory.map { dir throws(FathomError) in try ResponseCache(directory: dir) }
        inFlight = [Int](repeating: 0, count: endpoints.count)
        if case .slots(let fallback) = options.concurrency { limiter = AdaptiveLimiter(fixed: fallback) } else { limiter = AdaptiveLimiter(fixed: maximum) }
        info = ModelInfo(name: model, kind: "openai-compatible", endpoint: identity ?? self.endpoints.joined(separator: ","))
    }

    public convenience init(endpoint: String, model: String, apiKey: String?, options: Options = Options()) {
        try! self.init(endpoints: [endpoint], model: model, apiKey: apiKey, options: { var o = options; o.cacheDirectory = nil; return o }())
    }

    public func prepare(requiredContext: Int, runDirectory: String) async throws {
        var reports: [ProbeReport] = []
        if options.probe {
            let prober = EndpointProbe(transport: transport, apiKey: apiKey, healthTimeoutSeconds: options.healthTimeoutSeconds)
            for endpoint in endpoints { reports.append(try await prober.probe(endpoint, model: info.name)) }
        }
        var effective: (tokens: Int, reason: String)? = options.declaredContext.map { ($0, "declared with --context-limit") }
        for report in reports {
            if let found = report.effectiveContext(declared: options.declaredContext), found.tokens < (effective?.tokens ?? Int.max) {
                effective = (found.tokens, "\(report.baseURL): \(found.reason)")
            }
        }
        if let effective, requiredContext > effective.tokens {
            throw FathomError(
                .backend,
                "the run needs \(requiredContext) tokens per request but the effective context is \(effective.tokens) (\(effective.reason)); nothing was sent. Use shorter --lengths or give the server more context per slot."
            )
        }
        let slots = reports.compactMap { $0.slots }.reduce(0, +)
        let newLimiter: AdaptiveLimiter
        switch options.concurrency {
        case .fixed(let n): newLimiter = AdaptiveLimiter(fixed: n)
        case .auto(let maximum): newLimiter = AdaptiveLimiter(start: slots > 0 ? slots : min(4, maximum), maximum: maximum)
        case .slots(let fallback): newLimiter = AdaptiveLimiter(fixed: slots > 0 ? slots : fallback)
        }
        lock.withLock {
            probes = reports
            self.effective = effective
            limiter = newLimiter
        }
    }

    public func report() async -> BackendReport? {
        let (limiter, probes, effective, retries, rateLimited) = lock.withLock { (self.limiter, self.probes, self.effective, retryCount, rateLimitedCount) }
        let history = await limiter.history
        let counts = cache?.counts ?? (hits: 0, misses: 0)
        let mode: String
        switch options.concurrency {
        case .fixed(let n): mode = "fixed \(n)"
        case .auto(let m): mode = "auto (max \(m))"
        case .slots(let fallback):
            let slots = probes.compactMap { $0.slots }.reduce(0, +)
            mode = slots > 0 ? "server slots (\(slots), from the probe)" : "fixed \(fallback) (the server did not report its slots)"
        }
        return BackendReport(
            probes: probes, effectiveContext: effective?.tokens, effectiveContextReason: effective?.reason, concurrency: mode,
            concurrencyHistory: history, retries: retries, rateLimited: rateLimited, streaming: options.stream, timeouts: options.timeouts,
            cacheDirectory: cache?.directory, cacheHits: counts.hits, cacheMisses: counts.misses, engine: engineReport)
    }

    public func shutdown() async { await transport.shutdown() }

    /// The requests the limiter lets through at once (the server's slots under `.slots`), once prepared.
    public var inFlightLimit: Int? { get async { await lock.withLock { limiter }.limit } }

    private func serverKind(_ endpoint: Int) -> String? { lock.withLock { probes.indices.contains(endpoint) ? probes[endpoint].serverKind : nil } }
    private func build(_ endpoint: Int) -> String? { lock.withLock { probes.indices.contains(endpoint) ? probes[endpoint].build : nil } }

    /// The route and JSON body of a request to `endpoint`.
    func body(for request: GenerationRequest, endpoint: Int) -> (route: String, body: Data) {
        let sample = request.sample
        let generation = sample.generation
        var wire = OpenAIWire.Request(
            model: info.name, messages: nil, prompt: nil, temperature: generation.temperature, top_p: generation.topP, seed: request.seed,
            max_tokens: generation.maxTokens, stop: generation.stop.isEmpty ? nil : generation.stop, stream: options.stream,
            stream_options: options.stream ? OpenAIWire.StreamOptions(include_usage: true) : nil)
        let route: String
        switch generation.prefixMode {
        case .completion:
            route = "/v1/completions"
            wire.prompt = sample.promptText
        case .chatUser, .chatPrefill:
            route = "/v1/chat/completions"
            var messages = sample.messages.map { OpenAIWire.ChatMessage(role: $0.role.rawValue, content: $0.content) }
            if !sample.answerPrefix.isEmpty {
                if generation.prefixMode == .chatPrefill {
                    messages.append(OpenAIWire.ChatMessage(role: "assistant", content: sample.answerPrefix))
                    if serverKind(endpoint) == "vllm" || serverKind(endpoint) == "sglang" {
                        wire.continue_final_message = true
                        wire.add_generation_prompt = false
                    }
                } else if let last = messages.indices.last(where: { messages[$0].role == "user" }) {
                    messages[last].content += sample.answerPrefix
                }
            }
            wire.messages = messages
        }
        return (route, wire.jsonBody())
    }

    private func pickEndpoint() -> Int {
        lock.withLock {
            let chosen = inFlight.indices.min { (inFlight[$0], $0) < (inFlight[$1], $1) }!
            inFlight[chosen] += 1
            return chosen
        }
    }

    private func done(_ endpoint: Int) { lock.withLock { inFlight[endpoint] -= 1 } }

    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        let started = ContinuousClock.now
        let elapsed = { HTTPTransport.milliseconds(since: started) }
        let limiter = lock.withLock { self.limiter }
        var lastClass = "unknown"
        var lastMessage = ""
        var queued = 0.0
        for attempt in 1...options.maxAttempts {
            let endpoint = pickEndpoint()
            let base = endpoints[endpoint]
            let (route, payload) = body(for: request, endpoint: endpoint)
            let cacheKey = cache.map { _ in ResponseCache.key(endpoint: base, model: info.name, build: build(endpoint), route: route, body: payload) }
            if let cache, let cacheKey, let entry = cache.lookup(cacheKey) {
                done(endpoint)
                var result = GenerationResult(
                    text: entry.text, reasoning: entry.reasoning, finishReason: entry.finishReason, usage: entry.usage, latencyMs: entry.latencyMs, attempts: 0)
                result.cached = true
                result.endpoint = base
                return result
            }
            let waitStarted = ContinuousClock.now
            await limiter.acquire()
            queued += HTTPTransport.milliseconds(since: waitStarted)
            var retryAfter: Double? = nil
            var rateLimited = false
            var result: GenerationResult? = nil
            do {
                var headers: [String: String] = [:]
                if let apiKey { headers["Authorization"] = "Bearer \(apiKey)" }
                if options.stream { headers["Accept"] = "text/event-stream" }
                let accumulator = options.stream ? StreamAccumulator(started: started) : nil
                let onChunk: (@Sendable (ByteBuffer) -> Void)? = accumulator.map { acc in { @Sendable chunk in acc.feed(chunk) } }
                let answer = try await transport.send(.POST, base + route, body: payload, headers: headers, onChunk: onChunk)
                if (200..<300).contains(answer.status) {
                    // A stream with no event at all is read as a plain JSON answer (a server that ignored `stream`).
                    let streamed = accumulator.flatMap { $0.eventCount > 0 ? $0 : nil }
                    var parsed = streamed.map { $0.result(latencyMs: elapsed(), attempts: attempt) }
                        ?? Self.parse(answer.body, latencyMs: elapsed(), attempts: attempt)
                    parsed.endpoint = base
                    parsed.queueMs = (queued * 1000).rounded() / 1000
                    if let cut = Self.cutShort(answer.body, stream: streamed, parsed: parsed) {
                        // Retried like a reset: the same backoff and attempt budget.
                        lastClass = ErrorClassifier.truncatedBodyClass
                        lastMessage = cut
                    } else {
                        result = parsed
                    }
                    if let parsed = result, parsed.status == .ok, let cache, let cacheKey {
                        cache.store(
                            ResponseCache.Entry(
                                key: cacheKey, endpoint: base, model: info.name, build: build(endpoint), route: route, text: parsed.text, reasoning: parsed.reasoning,
                                finishReason: parsed.finishReason, usage: parsed.usage, latencyMs: parsed.latencyMs))
                    }
                } else {
                    let text = String(decoding: answer.body, as: UTF8.self)
                    lastClass = "http_\(answer.status)"
                    lastMessage = Self.errorMessage(text, status: answer.status)
                    switch ErrorClassifier.classify(status: answer.status, body: text, retryAfter: answer.headers["retry-after"]) {
                    case .overflow:
                        var failed = GenerationResult.failure(.overflow, "context_length", lastMessage, latencyMs: elapsed(), attempts: attempt)
                        (failed.overflowPromptTokens, failed.serverContext) = OverflowDetails.parse(text)
                        failed.endpoint = base
                        result = failed
                    case .fail:
                        var failed = GenerationResult.failure(.error, lastClass, lastMessage, latencyMs: elapsed(), attempts: attempt)
                        failed.endpoint = base
                        result = failed
                    case .retry(let after):
                        retryAfter = after
                        rateLimited = answer.status == 429
                    }
                }
            } catch {
                lastClass = error.errorClass
                lastMessage = "\(error)"
            }
            await limiter.release(rateLimited: rateLimited, succeeded: result?.status == .ok, retryAfterSeconds: retryAfter)
            done(endpoint)
            if let result { return result }
            lock.withLock {
                retryCount += 1
                if rateLimited { rateLimitedCount += 1 }
            }
            if attempt < options.maxAttempts {
                let backoff = min(options.backoffCapSeconds, options.backoffBaseSeconds * pow(2, Double(attempt - 1)))
                let wait = retryAfter ?? backoff * Double.random(in: 0.5...1.0)
                try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
            }
        }
        return .failure(.error, lastClass, "gave up after \(options.maxAttempts) attempts: \(lastMessage)", latencyMs: elapsed(), attempts: options.maxAttempts)
    }

    /// Why a 2xx answer stopped short (the body was cut, or the event stream ended before its finish reason or
    /// `[DONE]`), or nil when it is whole.
    static func cutShort(_ body: Data, stream: StreamAccumulator?, parsed: GenerationResult) -> String? {
        if let stream {
            return stream.isComplete ? nil : "the event stream ended after \(stream.eventCount) events, before its finish reason or [DONE]"
        }
        guard parsed.status == .error, ErrorClassifier.isCutShort(json: body) else { return nil }
        return "the body ended after \(body.count) bytes, in the middle of its JSON"
    }

    static func parse(_ body: Data, latencyMs: Double, attempts: Int) -> GenerationResult {
        guard let decoded = try? JSONDecoder().decode(OpenAIWire.Response.self, from: body), let choice = decoded.choices?.first else {
            let preview = String(decoding: body.prefix(200), as: UTF8.self)
            return .failure(.error, "malformed_response", "the server's answer is not a completion: \(preview)", latencyMs: latencyMs, attempts: attempts)
        }
        let (answer, reasoning) = ReasoningSplitter.split(choice.message?.content ?? choice.text ?? "", reasoning: choice.message?.reasoning_content)
        var result = GenerationResult(
            text: answer, reasoning: reasoning, finishReason: choice.finish_reason,
            usage: decoded.usage.map { Usage(promptTokens: $0.prompt_tokens, completionTokens: $0.completion_tokens) }, latencyMs: latencyMs,
            attempts: attempts)
        result.timings = decoded.timings.map(ServerTimings.init)
        return result
    }

    static func errorMessage(_ body: String, status: Int) -> String {
        if let data = body.data(using: .utf8), let envelope = try? JSONDecoder().decode(OpenAIWire.ErrorEnvelope.self, from: data) {
            if let message = envelope.error?.message ?? envelope.message ?? envelope.detail { return "HTTP \(status): \(message)" }
        }
        return "HTTP \(status): \(body.prefix(300))"
    }
}

/// Collects a streamed (SSE) completion: text, reasoning, finish reason, usage, and the time to first token.
final class StreamAccumulator: @unchecked Sendable {
    private let lock = NSLock()
    private var parser = ServerSentEvents()
    private var text = ""
    private var reasoning = ""
    private var finishReason: String?
    private var usage: Usage?
    private var timings: ServerTimings?
    private var ttftMs: Double?
    private var malformed = false
    private var events = 0
    private var sawDone = false
    private let started: ContinuousClock.Instant

    init(started: ContinuousClock.Instant) { self.started = started }

    func feed(_ chunk: ByteBuffer) {
        lock.withLock {
            for payload in parser.feed(chunk.readableBytesView) {
                events += 1
                if payload == "[DONE]" {
                    sawDone = true
                    continue
                }
                guard let data = payload.data(using: .utf8), let event = try? JSONDecoder().decode(OpenAIWire.Response.self, from: data) else {
                    malformed = true
                    continue
                }
                if let wire = event.usage { usage = Usage(promptTokens: wire.prompt_tokens, completionTokens: wire.completion_tokens) }
                if let wire = event.timings { timings = ServerTimings(wire) }
                guard let choice = event.choices?.first else { continue }
                let piece = choice.delta?.content ?? choice.text ?? ""
                let thought = choice.delta?.reasoning_content ?? ""
                if ttftMs == nil, !piece.isEmpty || !thought.isEmpty { ttftMs = HTTPTransport.milliseconds(since: started) }
                text += piece
                reasoning += thought
                if let reason = choice.finish_reason { finishReason = reason }
            }
        }
    }

    /// Complete events read so far.
    var eventCount: Int { lock.withLock { events } }

    /// True once the stream said it is over: `[DONE]` or a finish reason.
    var isComplete: Bool { lock.withLock { sawDone || finishReason != nil } }

    func result(latencyMs: Double, attempts: Int) -> GenerationResult {
        lock.withLock {
            if malformed && text.isEmpty && finishReason == nil {
                return .failure(.error, "malformed_response", "the server's event stream could not be read", latencyMs: latencyMs, attempts: attempts)
            }
            let (answer, thought) = ReasoningSplitter.split(text, reasoning: reasoning.isEmpty ? nil : reasoning)
            var result = GenerationResult(
                text: answer, reasoning: thought, finishReason: finishReason, usage: usage, latencyMs: latencyMs, ttftMs: ttftMs, attempts: attempts)
            result.timings = timings
            return result
        }
    }
}

/// Separates reasoning (`<think>…</think>` blocks or a server's `reasoning_content`) from the answer.
///
/// The tags are found on code points (UTF-8 bytes), as the servers' Python reasoning parsers find them: a combining
/// mark right after `</think>` does not hide the tag, as it would from a search by Swift `Character`s.
public enum ReasoningSplitter {
    static let open = Array("<think>".utf8), close = Array("</think>".utf8)

    public static func split(_ content: String, reasoning: String?) -> (answer: String, reasoning: String?) {
        let bytes = Array(content.utf8)
        guard let end = PythonText.findByte(bytes, close, from: 0) else { return (content, reasoning) }
        var start = 0
        if let opened = PythonText.findByte(Array(bytes[..<end]), open, from: 0) { start = opened + open.count }
        let thought = PythonText.bytesString(bytes[start..<end])
        let answer = PythonText.bytesString(bytes[(end + close.count)...])
        let combined = [reasoning, thought].compactMap { $0 }.joined(separator: "\n")
        return (answer, combined)
    }
}

extension ServerTimings {
    init(_ wire: OpenAIWire.Response.WireTimings) {
        self.init(promptTokens: wire.prompt_n, promptMs: wire.prompt_ms, predictedTokens: wire.predicted_n, predictedMs: wire.predicted_ms)
    }
}
