import FathomCore
import FathomModels
import FathomTestSupport
import Foundation
import Testing

/// The embeddings client of text probes against the in-process test server: vectors come back in input order and are
/// cached per endpoint, model and text; every failure (HTTP errors, malformed bodies, wrong counts or dimensions,
/// bad components) is an error naming the endpoint, never a dropped text.
@Suite struct EmbeddingsClientTests {
    /// An embeddings body for `vectors`, listed in reverse order with their indices (servers need not keep the order).
    static func body(_ vectors: [[Double]]) -> String {
        let items = vectors.enumerated().reversed().map { i, v in
            #"{"object":"embedding","index":\#(i),"embedding":[\#(v.map { String($0) }.joined(separator: ","))]}"#
        }
        return #"{"object":"list","model":"m","data":["# + items.joined(separator: ",") + "]}"
    }

    /// A deterministic vector per text: its length and its count of the letter e.
    static func vector(_ text: String) -> [Double] { [Double(text.count) + 1, Double(text.filter { $0 == "e" }.count), 0.5] }

    static func inputs(_ request: TestOpenAIServer.Recorded) -> [String] { request.json?["input"] as? [String] ?? [] }

    func withClient(cache: String? = nil, _ responder: @escaping @Sendable (TestOpenAIServer.Recorded) -> TestOpenAIServer.Action,
                    body: (EmbeddingsClient, TestOpenAIServer) async throws -> Void) async throws {
        let server = TestOpenAIServer { request, _ in responder(request) }
        let url = try server.start()
        var options = EmbeddingsClient.Options()
        options.cacheDirectory = cache
        options.batchSize = 2
        options.backoffSeconds = 0.01
        options.timeouts = Timeouts(connectSeconds: 2, firstByteSeconds: 5, totalSeconds: 10)
        let client = EmbeddingsClient(endpoint: url + "/v1", model: nil, apiKey: "k", options: options)
        do { try await body(client, server) } catch {
            await client.shutdown(); server.stop(); throw error
        }
        await client.shutdown()
        server.stop()
    }

    func expectFailure(_ responder: @escaping @Sendable (TestOpenAIServer.Recorded) -> TestOpenAIServer.Action, _ fragment: String,
                       requests: Int? = nil) async throws {
        try await withClient(responder) { client, server in
            do {
                let got = try await client.embed(["one", "two", "three"], model: "m")
                Issue.record("no error for '\(fragment)': \(got)")
            } catch let error as FathomError {
                #expect(error.kind == .backend && error.message.contains(fragment) && error.message.contains("/v1/embeddings"), "\(fragment): \(error.message)")
            }
            if let requests { #expect(server.allRequests.count == requests, "\(fragment)") }
        }
    }

    @Test("vectors come back in input order, in batches; the model defaults to /v1/models; the cache answers the second time")
    func embedsAndCaches() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("emb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let texts = ["alpha", "beta gamma", "delta epsilon zeta", "alpha"]
        try await withClient(cache: cache, { .status(200, body: Self.body(Self.inputs($0).map(Self.vector))) }) { client, server in
            let model = try await client.model()
            #expect(model == "test-model")
            let vectors = try await client.embed(texts, model: model)
            #expect(vectors == texts.map { Self.vector($0).map(Float.init) })
            let posts = server.allRequests.filter { $0.path == "/v1/embeddings" }
            #expect(posts.count == 2 && posts.allSatisfy { $0.json?["model"] as? String == "test-model" })
            #expect(posts[0].headers["authorization"] == "Bearer k" || posts[0].headers["Authorization"] == "Bearer k")
            let again = try await client.embed(texts.reversed() + ["new text"], model: model)
            #expect(again == (texts.reversed() + ["new text"]).map { Self.vector($0).map(Float.init) })
            let second = server.allRequests.filter { $0.path == "/v1/embeddings" }.dropFirst(2)
            #expect(second.count == 1 && second.first.map(Self.inputs) == ["new text"])
            // Another model never reads these cached vectors.
            _ = try await client.embed(["alpha"], model: "other")
            #expect(server.allRequests.filter { $0.path == "/v1/embeddings" }.count == 4)
        }
    }

    @Test("HTTP errors: 4xx fails at once with the server's message, 5xx is retried and then fails")
    func httpErrors() async throws {
        try await expectFailure({ _ in .status(501, body: #"{"error":{"message":"This server does not support embeddings. Start it with `--embeddings`"}}"#) },
                                "HTTP 501", requests: 3)
        try await expectFailure({ _ in .status(400, body: #"{"error":{"message":"Pooling type 'none' is not OAI compatible"}}"#) },
                                "--pooling", requests: 1)
        try await expectFailure({ _ in .reset }, "failed", requests: 3)
    }

    @Test("malformed answers: not JSON, wrong count, wrong dimensions, bad components, repeated index")
    func malformedVectors() async throws {
        try await expectFailure({ _ in .malformed }, "not an embeddings list")
        try await expectFailure({ _ in .status(200, body: #"{"data": "nope"}"#) }, "not an embeddings list")
        try await expectFailure({ .status(200, body: Self.body(Self.inputs($0).dropLast().map(Self.vector))) }, "1 embeddings for 2 inputs")
        try await expectFailure({ r in .status(200, body: Self.body(Self.inputs(r).enumerated().map { i, t in i == 0 ? Self.vector(t) + [1] : Self.vector(t) })) },
                                "different dimensions")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":0,"embedding":[1,"x"]},{"index":1,"embedding":[1,2]}]}"#) }, "non-numeric")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":0,"embedding":[1,true]},{"index":1,"embedding":[1,2]}]}"#) }, "non-numeric")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":0,"embedding":[1,1e999]},{"index":1,"embedding":[1,2]}]}"#) }, "not an embeddings list")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":0,"embedding":[0,0]},{"index":1,"embedding":[1,2]}]}"#) }, "all-zero")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":0,"embedding":[]},{"index":1,"embedding":[1,2]}]}"#) }, "no embedding vector")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":0,"embedding":"AAAA"},{"index":1,"embedding":[1,2]}]}"#) }, "base64")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":1,"embedding":[1,2]},{"index":1,"embedding":[1,2]}]}"#) }, "repeated index")
        try await expectFailure({ _ in .status(200, body: #"{"data":[{"index":5,"embedding":[1,2]},{"index":1,"embedding":[1,2]}]}"#) }, "index")
    }

    @Test("a cached vector of another dimension than the endpoint's answers is an error naming the cache")
    func cachedDimensionMismatch() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("emb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: cache) }
        // The endpoint changes its model's dimension after the first request (say, it was restarted with another model).
        try await withClient(cache: cache, { r in
            let grown = r.json?["input"] as? [String] == ["one"] ? [] : [2.0]
            return .status(200, body: Self.body(Self.inputs(r).map { Self.vector($0) + grown }))
        }) { client, _ in
            _ = try await client.embed(["one"], model: "m")
            do {
                _ = try await client.embed(["one", "two"], model: "m")
                Issue.record("no error")
            } catch let error as FathomError {
                #expect(error.message.contains("differ in dimension") && error.message.contains(cache), "\(error.message)")
            }
        }
    }
}
