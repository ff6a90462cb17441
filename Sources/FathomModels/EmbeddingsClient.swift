import FathomCore
import Foundation
import NIOHTTP1

/// Embeds texts through an OpenAI-compatible `/v1/embeddings` route (llama-server started with `--embeddings` and a
/// pooling type, vLLM, OpenAI), for capability probes. Vectors are cached on disk, one file per endpoint, model and
/// text hash, so a second probe over the same samples sends only the query.
///
/// Every failure is an error naming the endpoint: an HTTP error (after retries for 5xx and transport failures), a body
/// that is not an embeddings list, a count that differs from the inputs, an index out of place, a vector that is
/// empty, non-numeric, non-finite or all zeros, or dimensions that differ between vectors (cached ones included).
/// A text is never dropped silently.
public final class EmbeddingsClient: Sendable {
    public struct Options: Sendable {
        /// Texts per request.
        public var batchSize = 16
        /// Attempts for a 5xx answer or a transport failure; 4xx answers fail at once.
        public var maxAttempts = 3
        public var backoffSeconds = 0.5
        public var timeouts = Timeouts(connectSeconds: 10, firstByteSeconds: 300, totalSeconds: 600)
        /// Cache folder (nil: no cache).
        public var cacheDirectory: String? = EmbeddingsClient.defaultCacheDirectory
        public init() {}
    }

    /// `$FATHOM_CACHE/embeddings`, else `~/.cache/fathom/embeddings`.
    public static var defaultCacheDirectory: String {
        if let env = ProcessInfo.processInfo.environment["FATHOM_CACHE"], !env.isEmpty { return env + "/embeddings" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/fathom/embeddings"
    }

    public let base: String
    private let explicitModel: String?
    private let apiKey: String?
    public let options: Options
    private let transport: HTTPTransport

    /// `endpoint` is a base URL (`http://host:port`, with or without `/v1`); `model` nil asks `/v1/models`.
    public init(endpoint: String, model: String?, apiKey: String?, options: Options = Options()) {
        base = EndpointProbe.normalize(endpoint)
        explicitModel = model
        self.apiKey = apiKey
        self.options = options
        transport = HTTPTransport(timeouts: options.timeouts, maxConnectionsPerHost: 2)
    }

    public func shutdown() async { await transport.shutdown() }

    private var headers: [String: String] { apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:] }

    /// The model to ask for: the one given, else the first listed by `/v1/models`.
    public func model() async throws(FathomError) -> String {
        if let explicitModel { return explicitModel }
        let answer = try await send(.GET, "/v1/models", body: nil)
        guard let object = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any],
              let data = object["data"] as? [[String: Any]], let id = data.first?["id"] as? String, !id.isEmpty else {
            throw FathomError(.backend, "\(base)/v1/models lists no model: give the embeddings model by name")
        }
        return id
    }

    /// One vector per text, in order.
    public func embed(_ texts: [String], model: String) async throws(FathomError) -> [[Float]] {
        var vectors = [[Float]?](repeating: nil, count: texts.count)
        let folder = options.cacheDirectory.map { $0 + "/" + Self.cacheFolder(base: base, model: model) }
        if let folder {
            for (i, text) in texts.enumerated() { vectors[i] = Self.readCached(folder + "/" + Self.textKey(text) + ".json") }
        }
        let missing = vectors.indices.filter { vectors[$0] == nil }
        var start = 0
        while start < missing.count {
            let batch = Array(missing[start..<min(missing.count, start + max(1, options.batchSize))])
            let fresh = try await request(batch.map { texts[$0] }, model: model)
            for (i, vector) in zip(batch, fresh) {
                vectors[i] = vector
                if let folder { Self.writeCached(vector, folder: folder, name: Self.textKey(texts[i]) + ".json") }
            }
            start += batch.count
        }
        let result = vectors.map { $0! }
        if let first = result.first, let odd = result.firstIndex(where: { $0.count != first.count }) {
            throw FathomError(.backend, "embeddings from \(base) (model \(model)) differ in dimension: \(first.count) for the first text, "
                + "\(result[odd].count) for text \(odd + 1)" + (folder.map { " (cached vectors are in \($0); remove it if the model changed)" } ?? ""))
        }
        return result
    }

    /// One request for `texts`; the answer must hold exactly one valid vector per text.
    func request(_ texts: [String], model: String) async throws(FathomError) -> [[Float]] {
        let payload: [String: Any] = ["model": model, "input": texts, "encoding_format": "float"]
        let body = try! JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let answer = try await send(.POST, "/v1/embeddings", body: body)
        return try Self.parse(answer.body, count: texts.count, place: "\(base)/v1/embeddings")
    }

    /// Reads an embeddings list (`{"data": [{"index": i, "embedding": [...]}, ...]}`) of `count` vectors.
    static func parse(_ body: Data, count: Int, place: String) throws(FathomError) -> [[Float]] {
        func bad(_ why: String) -> FathomError { FathomError(.backend, "\(place) answered \(why)") }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let data = object["data"] as? [Any] else {
            throw bad("something that is not an embeddings list: \(Self.excerpt(body))")
        }
        guard data.count == count else { throw bad("\(data.count) embeddings for \(count) inputs") }
        var out = [[Float]?](repeating: nil, count: count)
        for (position, item) in data.enumerated() {
            guard let entry = item as? [String: Any] else { throw bad("a non-object at data[\(position)]") }
            var index = position
            if let raw = entry["index"] {
                guard let number = raw as? NSNumber, !isBoolean(raw), let i = Int(exactly: number.doubleValue), i >= 0, i < count, out[i] == nil else {
                    throw bad("an invalid or repeated index at data[\(position)]: \(raw)")
                }
                index = i
            }
            guard let values = entry["embedding"] as? [Any], !values.isEmpty else {
                throw bad("no embedding vector at data[\(position)] (a base64 string or an empty list is not read)")
            }
            var vector: [Float] = []
            vector.reserveCapacity(values.count)
            for value in values {
                guard let number = value as? NSNumber, !isBoolean(value), number.doubleValue.isFinite, Float(number.doubleValue).isFinite else {
                    throw bad("a non-numeric or non-finite component in the embedding at data[\(position)]")
                }
                vector.append(Float(number.doubleValue))
            }
            guard vector.contains(where: { $0 != 0 }) else { throw bad("an all-zero embedding at data[\(position)]") }
            if let first = out.first(where: { $0 != nil }) ?? nil, first.count != vector.count {
                throw bad("embeddings of different dimensions (\(first.count) and \(vector.count))")
            }
            out[index] = vector
        }
        return out.map { $0! }
    }

    /// A JSON true/false (JSONSerialization gives them as numbers too).
    static func isBoolean(_ value: Any) -> Bool { type(of: value) == Bool.self || String(describing: type(of: value)) == "__NSCFBoolean" }

    func send(_ method: HTTPMethod, _ path: String, body: Data?) async throws(FathomError) -> HTTPAnswer {
        var lastProblem = ""
        for attempt in 0..<max(1, options.maxAttempts) {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(Int(options.backoffSeconds * 1000 * Double(1 << (attempt - 1))))) }
            do {
                let answer = try await transport.send(method, base + path, body: body, headers: headers)
                if answer.status == 200 { return answer }
                lastProblem = "HTTP \(answer.status): \(Self.excerpt(answer.body))"
                if answer.status < 500 { break }
            } catch {
                lastProblem = "\(error)"
            }
        }
        throw FathomError(.backend, "\(base)\(path) failed: \(lastProblem)"
            + (path == "/v1/embeddings" && lastProblem.lowercased().contains("pooling") ? " (llama-server needs --embeddings and --pooling mean|cls|last)" : ""))
    }

    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text + (body.count > 300 ? "…" : "")
    }

    // Cache: one JSON array per text, written to a temporary name and renamed into place.

    static func cacheFolder(base: String, model: String) -> String {
        var hasher = SHA256()
        for part in ["fathom-embeddings-v1", base, model] { hasher.update(part); hasher.update([0]) }
        return String(SHA256.hexString(hasher.finalize()).prefix(24))
    }

    static func textKey(_ text: String) -> String { SHA256.hex(text) }

    static func readCached(_ path: String) -> [Float]? {
        guard let data = FileManager.default.contents(atPath: path),
              let values = try? JSONDecoder().decode([Float].self, from: data), !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        return values
    }

    static func writeCached(_ vector: [Float], folder: String, name: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard let data = try? JSONEncoder().encode(vector) else { return }
        let final = folder + "/" + name
        let temporary = "\(final).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return }
        if rename(temporary, final) != 0 { unlink(temporary) }
    }
}
