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
public final class EndpointTokenizer: Tokenizer, @unchecked Sendable {
    public let base: String
    public let route: String
    public let model: String
    private let apiKey: String?
    private let client: HTTPClient
    public private(set) var bosTokenID: Int?

    public var name: String { "endpoint:\(route)" }
    public var fingerprint: String { "endpoint:\(route):\(model)" }

    /// `route` is a `ProbeReport.tokenizeRoute`.
    public init(base: String, route: String, model: String, apiKey: String?) throws(FathomError) {
        guard ["llama.cpp", "vllm", "llama-cpp-python"].contains(route) else {
            throw FathomError(.usage, "unknown tokenize route '\(route)'")
        }
        self.base = EndpointProbe.normalize(base)
        self.route = route
        self.model = model
        self.apiKey = apiKey
        client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            if route == "llama-cpp-python" {
                // This route always adds BOS: an empty text shows it, and results are stripped of it.
                let empty = try tokenize("", special: true)
                bosTokenID = empty.count == 1 ? empty[0] : nil
            } else {
                let plain = try tokenize("a", special: false)
                let special = try tokenize("a", special: true)
                bosTokenID = special.count == plain.count + 1 && Array(special.dropFirst()) == plain ? special.first : nil
            }
        } catch {
            try? client.syncShutdown()
            throw FathomError(.backend, "the tokenize route of \(self.base) (\(route)) does not work: \(error)")
        }
    }

    deinit { try? client.syncShutdown() }

    public func encode(_ text: String) -> [Int] {
        var lastError: (any Error)? = nil
        for attempt in 0..<5 {
            do { return try tokenize(text, special: false) } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.2 * Double(attempt + 1))
            }
        }
        fatalError("fathom: the tokenize route of \(base) keeps failing: \(lastError.map { "\($0)" } ?? "?")")
    }

    /// Counts of many texts (haystack units), with up to 32 tokenize requests in flight at once; a text whose
    /// request failed is retried alone, as `encode` does.
    public func counts(_ texts: [String]) -> [Int] {
        var results: [Int] = []
        results.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = texts[start..<min(texts.count, start + 32)]
            let futures = batch.map { text in (try? request(text, special: false)).map { client.execute(request: $0.request, deadline: .now() + .seconds(120)) } }
            for (text, future) in zip(batch, futures) {
                if let future, let response = try? future.wait(), let tokens = try? decode(response, special: false) {
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

    private func tokenize(_ text: String, special: Bool) throws -> [Int] {
        let (request, _) = try request(text, special: special)
        let response = try client.execute(request: request, deadline: .now() + .seconds(120)).wait()
        return try decode(response, special: special)
    }

    private func request(_ text: String, special: Bool) throws -> (request: HTTPClient.Request, path: String) {
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

    private func decode(_ response: HTTPClient.Response, special: Bool) throws -> [Int] {
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        guard response.status.code == 200 else {
            throw FathomError(.backend, "HTTP \(response.status.code) from \(base) (\(route) tokenize route): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
        var tokens = try JSONDecoder().decode(Tokens.self, from: data).tokens
        if route == "llama-cpp-python", !special, let bos = bosTokenID, tokens.first == bos { tokens.removeFirst() }
        return tokens
    }
}
