import FathomCore
import Foundation
import NIOHTTP1

/// What a server told us about itself: its kind, models, context per slot, slots, template, build and tokenize
/// route. Stored in run.json.
public struct ProbeReport: Codable, Sendable, Hashable {
    public var baseURL: String
    /// `llama.cpp`, `vllm`, `llama-cpp-python`, `sglang` or `openai-compatible`.
    public var serverKind: String
    public var models: [String]
    /// vLLM's `max_model_len` (or another server's declared model context).
    public var maxModelLen: Int?
    /// llama.cpp's context per slot (`-c` divided by `-np`).
    public var contextPerSlot: Int?
    public var slots: Int?
    public var build: String?
    public var chatTemplateSHA256: String?
    /// The chat template text and its special tokens as llama.cpp's `/props` gives them (not stored in run.json).
    public var chatTemplate: String? = nil
    public var bosToken: String? = nil
    public var eosToken: String? = nil
    /// `llama.cpp` (`/tokenize` with `content`), `vllm` (`/tokenize` with `prompt`), `llama-cpp-python`
    /// (`/extras/tokenize`) or nil.
    public var tokenizeRoute: String?
    public var healthWaitSeconds: Double

    enum CodingKeys: String, CodingKey {
        case baseURL = "base_url", serverKind = "server_kind", models, maxModelLen = "max_model_len"
        case contextPerSlot = "context_per_slot", slots, build, chatTemplateSHA256 = "chat_template_sha256"
        case tokenizeRoute = "tokenize_route", healthWaitSeconds = "health_wait_s"
    }

    /// The smallest of what was declared and what the server reports, with the reason.
    public func effectiveContext(declared: Int?) -> (tokens: Int, reason: String)? {
        var candidates: [(Int, String)] = []
        if let declared { candidates.append((declared, "declared with --context-limit")) }
        if let contextPerSlot {
            let slotsText = slots.map { " across \($0) slot\($0 == 1 ? "" : "s") (llama.cpp divides -c by -np)" } ?? ""
            candidates.append((contextPerSlot, "\(serverKind) serves \(contextPerSlot) tokens per slot\(slotsText)"))
        }
        if let maxModelLen { candidates.append((maxModelLen, "\(serverKind) reports max_model_len \(maxModelLen)")) }
        return candidates.min { $0.0 < $1.0 }
    }
}

/// Finds out what kind of server sits behind a base URL.
public struct EndpointProbe: Sendable {
    public var transport: HTTPTransport
    public var apiKey: String?
    /// How long to wait while `/health` answers 503 ("Loading model") or the port refuses connections.
    public var healthTimeoutSeconds: Double

    public init(transport: HTTPTransport, apiKey: String? = nil, healthTimeoutSeconds: Double = 300) {
        self.transport = transport
        self.apiKey = apiKey
        self.healthTimeoutSeconds = healthTimeoutSeconds
    }

    var headers: [String: String] { apiKey.map { ["Authorization": "Bearer \($0)"] } ?? [:] }

    private func json(_ answer: HTTPAnswer) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any]
    }

    private func get(_ url: String) async -> HTTPAnswer? {
        try? await transport.send(.GET, url, headers: headers, timeouts: Timeouts(connectSeconds: 5, firstByteSeconds: 30, totalSeconds: 30))
    }

    private func post(_ url: String, _ body: [String: Any]) async -> [String: Any]? {
        guard let data = try? JSONSerialization.data(withJSONObject: body),
            let answer = try? await transport.send(.POST, url, body: data, headers: headers, timeouts: Timeouts(connectSeconds: 5, firstByteSeconds: 30, totalSeconds: 30)),
            answer.status == 200
        else { return nil }
        return json(answer)
    }

    /// Waits for health, then reads models, props and the tokenize route.
    public func probe(_ baseURL: String, model: String?) async throws(FathomError) -> ProbeReport {
        let base = Self.normalize(baseURL)
        let started = ContinuousClock.now
        var waited = 0.0
        var lastProblem = ""
        while true {
            do {
                let answer = try await transport.send(.GET, base + "/health", headers: headers, timeouts: Timeouts(connectSeconds: 5, firstByteSeconds: 30, totalSeconds: 30))
                if answer.status != 503 { break }  // 200, or 404 on servers without /health
                lastProblem = "the server answers 503 (still loading the model)"
            } catch {
                lastProblem = "cannot connect (\(error.errorClass))"
            }
            waited = HTTPTransport.milliseconds(since: started) / 1000
            if waited >= healthTimeoutSeconds {
                throw FathomError(.backend, "\(base) is not ready after \(Int(waited)) s: \(lastProblem)")
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        var report = ProbeReport(
            baseURL: base, serverKind: "openai-compatible", models: [], maxModelLen: nil, contextPerSlot: nil, slots: nil, build: nil,
            chatTemplateSHA256: nil, tokenizeRoute: nil, healthWaitSeconds: (waited * 10).rounded() / 10)
        var owners: Set<String> = []
        if let answer = await get(base + "/v1/models"), answer.status == 200, let data = json(answer)?["data"] as? [[String: Any]] {
            report.models = data.compactMap { $0["id"] as? String }
            owners = Set(data.compactMap { $0["owned_by"] as? String })
            let entry = data.first { $0["id"] as? String == model } ?? data.first
            report.maxModelLen = entry?["max_model_len"] as? Int
        } else if let answer = await get(base + "/v1/models"), answer.status == 401 || answer.status == 403 {
            throw FathomError(.backend, "\(base)/v1/models refused the request (HTTP \(answer.status)): check --api-key-env")
        }
        if let answer = await get(base + "/props"), answer.status == 200, let props = json(answer),
            let settings = props["default_generation_settings"] as? [String: Any]
        {
            report.serverKind = "llama.cpp"
            report.contextPerSlot = (settings["n_ctx"] as? Int) ?? (props["n_ctx"] as? Int)
            report.slots = props["total_slots"] as? Int
            report.build = (props["build_info"] as? String) ?? report.build
            if let template = props["chat_template"] as? String, !template.isEmpty {
                report.chatTemplateSHA256 = SHA256.hex(template)
                report.chatTemplate = template
                report.bosToken = props["bos_token"] as? String
                report.eosToken = props["eos_token"] as? String
            }
        } else if owners.contains("vllm") {
            report.serverKind = "vllm"
        } else if owners.contains("sglang") {
            report.serverKind = "sglang"
        }
        switch report.serverKind {
        case "llama.cpp":
            if await post(base + "/tokenize", ["content": "probe"])?["tokens"] != nil { report.tokenizeRoute = "llama.cpp" }
        case "vllm":
            if await post(base + "/tokenize", ["model": model ?? report.models.first ?? "", "prompt": "probe"])?["tokens"] != nil { report.tokenizeRoute = "vllm" }
        default:
            if await post(base + "/extras/tokenize", ["input": "probe"])?["tokens"] != nil {
                report.serverKind = "llama-cpp-python"
                report.tokenizeRoute = "llama-cpp-python"
            }
        }
        if let model, !report.models.isEmpty, !report.models.contains(model), report.serverKind == "vllm" || report.serverKind == "sglang" {
            throw FathomError(.backend, "\(base) does not serve '\(model)' (it serves: \(report.models.joined(separator: ", ")))")
        }
        return report
    }

    /// `http://host:port/v1/` → `http://host:port`.
    public static func normalize(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base
    }
}

extension ProbeReport {
    /// What `fathom probe` prints: one line per fact the probe found.
    public var summaryLines: [String] {
        var lines = ["server        \(serverKind) at \(baseURL)", "models        \(models.isEmpty ? "-" : models.joined(separator: ", "))"]
        if let value = maxModelLen { lines.append("max_model_len \(value)") }
        if let value = contextPerSlot { lines.append("context/slot  \(value)\(slots.map { " (\($0) slots)" } ?? "")") }
        if let build { lines.append("build         \(build)") }
        lines.append("tokenize      \(tokenizeRoute ?? "none found")")
        if let effective = effectiveContext(declared: nil) { lines.append("effective     \(effective.tokens) tokens: \(effective.reason)") }
        return lines
    }
}
