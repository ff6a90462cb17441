import FathomCore
import Foundation

/// The system under test as the user described it: a built-in reference system, one or more OpenAI-compatible
/// endpoints, or a local engine to start. `make` builds the backend; `validate` explains impossible combinations.
public struct BackendConfiguration: Sendable {
    public var model: String
    public var endpoints: [String]
    /// `llama-server`, `vllm`, `llama-cpp-python` or `command:"… {port} …"`.
    public var engine: String?
    public var engineModel: String?
    public var engineArguments: [String]
    /// The environment variable holding the API key (never the key itself).
    public var apiKeyVariable: String?
    public var options: OpenAICompatibleBackend.Options

    public init(
        model: String, endpoints: [String] = [], engine: String? = nil, engineModel: String? = nil, engineArguments: [String] = [],
        apiKeyVariable: String? = nil, options: OpenAICompatibleBackend.Options = .init()
    ) {
        self.model = model
        self.endpoints = endpoints
        self.engine = engine
        self.engineModel = engineModel
        self.engineArguments = engineArguments
        self.apiKeyVariable = apiKeyVariable
        self.options = options
    }

    /// Whether requests go to a server (an endpoint or a started engine) rather than a built-in system.
    public var usesServer: Bool { !endpoints.isEmpty || engine != nil }

    /// Combinations that cannot work, as usage errors.
    public func validate() throws(FathomError) {
        if !endpoints.isEmpty && engine != nil { throw FathomError(.usage, "use --endpoint or --engine, not both") }
        if !usesServer && !ReferenceSystems.names.contains(model) {
            throw FathomError(
                .usage,
                "--model \(model)\(Suggestions.hint(for: model, among: ReferenceSystems.names)) needs --endpoint URL or --engine (without them, use a built-in system: \(ReferenceSystems.names.joined(separator: ", ")))")
        }
        if apiKeyVariable != nil && endpoints.isEmpty { throw FathomError(.usage, "--api-key-env only makes sense with --endpoint") }
    }

    /// The key from the environment variable, when one is named.
    public func apiKey() throws(FathomError) -> String? {
        guard let apiKeyVariable else { return nil }
        guard let value = ProcessInfo.processInfo.environment[apiKeyVariable], !value.isEmpty else {
            throw FathomError(.usage, "the environment variable \(apiKeyVariable) (from --api-key-env) is not set")
        }
        return value
    }

    /// The server kind a local engine will be (`llama.cpp`, `vllm`, …), known before it starts.
    public var engineServerKind: String? {
        guard let engine, let spec = try? EngineSpec.parse(engine, model: engineModel, extraArguments: []) else { return nil }
        return spec.kind == "llama-server" ? "llama.cpp" : spec.kind
    }

    /// The tokenize route a local engine serves, known before it starts (nil for a `command:` engine).
    public var engineTokenizeRoute: String? {
        switch engineServerKind {
        case "llama.cpp": "llama.cpp"
        case "llama-cpp-python": "llama-cpp-python"
        case "vllm": "vllm"
        default: nil
        }
    }

    /// Probes the first endpoint once (kind, context, tokenize route, chat template).
    public func probeFirstEndpoint() async throws -> ProbeReport? {
        guard let first = endpoints.first else { return nil }
        let transport = HTTPTransport()
        do {
            let report = try await EndpointProbe(transport: transport, apiKey: try apiKey(), healthTimeoutSeconds: options.healthTimeoutSeconds)
                .probe(first, model: model.isEmpty ? nil : model)
            await transport.shutdown()
            return report
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// The backend: `oracle` answers with `oracle(sample)`, `null` with nothing, `retrieval` with BM25 passages;
    /// otherwise the endpoints, or the engine (started in `prepare`).
    public func make(oracle: @escaping @Sendable (Sample) -> String) throws -> any ModelBackend {
        try validate()
        guard usesServer else {
            switch model {
            case "null": return NullSystem()
            case "retrieval": return RetrievalSystem()
            default: return OracleSystem(answer: oracle)
            }
        }
        if let engine {
            let spec = try EngineSpec.parse(engine, model: engineModel, extraArguments: engineArguments)
            return LocalEngineBackend(
                spec: spec, modelName: model, options: options, context: options.declaredContext, startupTimeoutSeconds: options.healthTimeoutSeconds)
        }
        return try OpenAICompatibleBackend(endpoints: endpoints, model: model, apiKey: try apiKey(), options: options)
    }
}
