import AsyncHTTPClient
import FathomCore
import Foundation
import NIOCore

/// Counts tokens with the server's own tokenizer, through the tokenize route the probe found: llama.cpp
/// (`/tokenize` with `content`), vLLM (`/tokenize` with `prompt`) or llama-cpp-python (`/extras/tokenize`).
///
/// Calls are synchronous (the `Tokenizer` protocol is), so they must not run on the cooperative pool: the runner
/// synthesizes samples on GCD threads. Haystack units are counted once per corpus and cached like any other
/// tokenizer's counts. The BOS the server adds is found once at start (with and without special tokens).
/// A tokenize call that keeps failing stops the program with the server's answer; finished samples are safe in
/// the journal.
///
/// For a local engine the base URL is known only once the engine has started (on a free port): such a tokenizer
/// is made with a `locate` closure and binds on first use, which comes after the runner has started the engine.
public final class EndpointTokenizer: Tokenizer, @unchecked Sendable {
    public let route: String
    public let model: String
    private let apiKey: String?
    private let client: HTTPClient
    private let locate: @Sendable () -> String?
    private let lock = NSLock()
    private var bound: (base: String, bos: Int?)?

    public var name: String { "endpoint:\(route)" }
    public var fingerprint: String { "endpoint:\(route):\(model)" }

    /// The tokenize routes Fathom knows (`ProbeReport.tokenizeRoute` values).
    public static let routes = ["llama.cpp", "vllm", "llama-cpp-python"]

    /// A tokenizer bound now to `base` (its BOS found at once, so a broken route fails before anything runs).
    public convenience init(base: String, route: String, model: String, apiKey: String?) throws(FathomError) {
        let normalized = EndpointProbe.normalize(base)
        try self.init(route: route, model: model, apiKey: apiKey, locate: { normalized })
        _ = try bind()
    }

    /// A tokenizer that finds its base URL with `locate` on first use (a local engine's port).
    public init(route: String, model: String, apiKey: String?, locate: @escaping @Sendable () -> String?) throws(FathomError) {
        guard Self.routes.contains(route) else { throw FathomError(.usage, "unknown tokenize route '\(route)'") }
        self.route = route
        self.model = model
        self.apiKey = apiKey
        self.locate = locate
        client = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    deinit { try? client.syncShutdown() }

    /// The base URL in use (nil before an engine's tokenizer is first used).
    public var base: String? { lock.withLock { bound?.base } }

    public var bosTokenID: Int? { try? bind().bos }

    /// Finds the base URL and the BOS the server adds, once.
    @discardableResult
    func bind() throws(FathomError) -> (base: String, bos: Int?) {
        lock.lock()
        defer { lock.unlock() }
        if let bound { return bound }
        guard let base = locate().map(EndpointProbe.normalize) else {
            throw FathomError(.backend, "the endpoint tokenizer (\(route)) was used before its server started")
        }
        do {
            let bos: Int?
            if route == "llama-cpp-python" {
                // This route always adds BOS: an empty text shows it, and results are stripped of it.
                let empty = try tokenize("", special: true, base: base, bos: nil)
                bos = empty.count == 1 ? empty[0] : nil
            } else {
                let plain = try tokenize("a", special: false, base: base, bos: nil)
                let special = try tokenize("a", special: true, base: base, bos: nil)
                bos = special.count == plain.count + 1 && Array(special.dropFirst()) == plain ? special.first : nil
            }
            bound = (base, bos)
            return (base, bos)
        } catch {
            throw FathomError(.backend, "the tokenize route of \(base) (\(route)) does not work: \(error)")
        }
    }

    public func encode(_ text: String) -> [Int] {
        var lastError: (any Error)? = nil
        for attempt in 0..<5 {
            do {
                let (base, bos) = try bind()
                return try tokenize(text, special: false, base: base, bos: bos)
            } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.2 * Double(attempt + 1))
            }
        }
        fatalError("fathom: the tokenize route of \(base ?? route) keeps failing: \(lastError.map { "\($0)" } ?? "?")")
    }

    /// Counts of many texts (haystack units), with up to 32 tokenize requests in flight at once; a text whose
    /// request failed is retried alone, as `encode` does.
    public func counts(_ texts: [String]) -> [Int] {
        var results: [Int] = []
        results.reserveCapacity(texts.count)
        guard let (base, bos) = try? bind() else { return texts.map { encode($0).count } }
        var start = 0
        while start < texts.count {
            let batch = texts[start..<min(texts.count, start + 32)]
            let futures = batch.map { text in
                (try? request(text, special: false, base: base)).map { client.execute(request: $0.request, deadline: .now() + .seconds(120)) }
            }
            for (text, future) in zip(batch, futures) {
                if let future, let response = try? future.wait(), let tokens = try? decode(response, special: false, base: base, bos: bos) {
                    results.append(tokens.count)
                } else {
                    results.append(encode(text).count)
                }
            }
            start += batch.count
        }
        return results
    }

    private struct Tokens: Decodable { var tokens: [Int] }

    private func tokenize(_ text: String, special: Bool, base: String, bos: Int?) throws -> [Int] {
        let (request, _) = try request(text, special: special, base: base)
        let response = try client.execute(request: request, deadline: .now() + .seconds(120)).wait()
        return try decode(response, special: special, base: base, bos: bos)
    }

    private func request(_ text: String, special: Bool, base: String) throws -> (request: HTTPClient.Request, path: String) {
        let path: String
        let body: [String: Any]
        switch route {
        case "llama.cpp":
            path = "/tokenize"
            body = ["content": text, "add_special": special]
        case "vllm":
            path = "/tokenize"
            body = ["model": model, "prompt": text, "add_special_tokens": special]
        default:
            path = "/extras/tokenize"
            body = ["input": text]
        }
        var request = try HTTPClient.Request(url: base + path, method: .POST)
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        request.body = .data(try JSONSerialization.data(withJSONObject: body))
        return (request, path)
    }

    private func decode(_ response: HTTPClient.Response, special: Bool, base: String, bos bosTokenID: Int?) throws -> [Int] {
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        guard response.status.code == 200 else {
            throw FathomError(.backend, "HTTP \(response.status.code) from \(base) (\(route) tokenize route): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        var tokens = try JSONDecoder().decode(Tokens.self, from: data).tokens
        if route == "llama-cpp-python", !special, let bos = bosTokenID, tokens.first == bos { tokens.removeFirst() }
        return tokens
    }
}
