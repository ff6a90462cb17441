import FathomCore
import Foundation

/// A local inference server Fathom starts for a run and stops afterwards (also on Ctrl-C and on failure).
public struct EngineSpec: Sendable, Hashable {
    /// `llama-server`, `vllm`, `llama-cpp-python`, or `command` (a shell command with {port}, {model}, {ctx}).
    public var kind: String
    public var model: String
    public var command: String?
    public var extraArguments: [String]

    public static let kinds = ["llama-server", "vllm", "llama-cpp-python"]

    /// Parses `--engine` (`llama-server`, `vllm`, `llama-cpp-python` or `command:"…"`).
    public static func parse(_ text: String, model: String?, extraArguments: [String] = []) throws(FathomError) -> EngineSpec {
        if text.hasPrefix("command:") {
            var command = String(text.dropFirst("command:".count))
            if command.hasPrefix("\""), command.hasSuffix("\""), command.count >= 2 { command = String(command.dropFirst().dropLast()) }
            guard command.contains("{port}") else {
                throw FathomError(.usage, "--engine command:\"…\" must contain {port} (the free loopback port Fathom picks)")
            }
            return EngineSpec(kind: "command", model: model ?? "", command: command, extraArguments: extraArguments)
        }
        guard kinds.contains(text) else {
            throw FathomError(.usage, "--engine must be one of \(kinds.joined(separator: ", ")) or command:\"…\", not '\(text)'")
        }
        guard let model, !model.isEmpty else { throw FathomError(.usage, "--engine \(text) needs --engine-model PATH") }
        return EngineSpec(kind: text, model: model, command: nil, extraArguments: extraArguments)
    }

    /// The command line for a port and context size.
    public func arguments(port: Int, context: Int) -> [String] {
        switch kind {
        case "llama-server":
            return ["llama-server", "-m", model, "--host", "127.0.0.1", "--port", String(port), "-c", String(context), "-np", "1"] + extraArguments
        case "vllm":
            return ["vllm", "serve", model, "--host", "127.0.0.1", "--port", String(port), "--max-model-len", String(context), "--generation-config", "vllm"] + extraArguments
        case "llama-cpp-python":
            return ["python3", "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1", "--port", String(port), "--n_ctx", String(context)] + extraArguments
        default:
            let filled = (command ?? "").replacingOccurrences(of: "{port}", with: String(port)).replacingOccurrences(of: "{model}", with: model)
                .replacingOccurrences(of: "{ctx}", with: String(context))
            return ["/bin/sh", "-c", "exec " + filled + (extraArguments.isEmpty ? "" : " " + extraArguments.joined(separator: " "))]
        }
    }
}

/// A running engine process; stopping it is idempotent.
public final class EngineProcess: @unchecked Sendable {
    public let spec: EngineSpec
    public let port: Int
    public let logPath: String
    public let arguments: [String]
    private let process = Process()
    private let lock = NSLock()
    private var stopped = false

    /// Processes started by this program, stopped by `stopAll` from a signal handler.
    nonisolated(unsafe) private static var running: [EngineProcess] = []
    private static let registry = NSLock()

    /// Starts the engine on a free loopback port, its output going to `logPath`.
    public init(spec: EngineSpec, context: Int, logPath: String) throws(FathomError) {
        self.spec = spec
        port = try Self.freePort()
        self.logPath = logPath
        arguments = spec.arguments(port: port, context: context)
        guard FileManager.default.createFile(atPath: logPath, contents: nil), let log = FileHandle(forWritingAtPath: logPath) else {
            throw FathomError(.io, "cannot write the engine log", file: logPath)
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FathomError(.backend, "cannot start \(arguments.first ?? spec.kind): \(error.localizedDescription)")
        }
        Self.registry.withLock { Self.running.append(self) }
    }

    public var isRunning: Bool { process.isRunning }

    /// The last lines of the engine's log, for error messages.
    public func logTail(_ lines: Int = 15) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    public func stop(grace: Double = 10) {
        let alreadyStopped = lock.withLock {
            defer { stopped = true }
            return stopped
        }
        guard !alreadyStopped else { return }
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(grace)
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        Self.registry.withLock { Self.running.removeAll { $0 === self } }
    }

    /// Stops every engine this program started (from a signal handler or at exit).
    public static func stopAll() {
        for engine in registry.withLock({ running }) { engine.stop(grace: 5) }
    }

    /// A free TCP port on 127.0.0.1 (bind to port 0 and read it back).
    public static func freePort() throws(FathomError) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FathomError(.io, "cannot open a socket to find a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw FathomError(.io, "cannot bind a loopback socket to find a free port") }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw FathomError(.io, "cannot read the bound port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs a model on a local engine it starts: the engine starts in `prepare` (its log in the run folder), requests
/// go through an OpenAI-compatible backend, and `shutdown` stops the engine.
public final class LocalEngineBackend: ModelBackend, @unchecked Sendable {
    public let info: ModelInfo
    private let spec: EngineSpec
    private let options: OpenAICompatibleBackend.Options
    private let startupTimeoutSeconds: Double
    private let contextOverride: Int?
    private let lock = NSLock()
    private var engine: EngineProcess?
    private var inner: OpenAICompatibleBackend?
    private var startup: Double = 0

    public init(spec: EngineSpec, modelName: String, options: OpenAICompatibleBackend.Options, context: Int? = nil, startupTimeoutSeconds: Double = 600) {
        self.spec = spec
        self.options = options
        self.startupTimeoutSeconds = startupTimeoutSeconds
        contextOverride = context
        info = ModelInfo(name: modelName, kind: "engine:\(spec.kind)", endpoint: spec.kind == "command" ? spec.command : spec.model)
    }

    public func prepare(requiredContext: Int, runDirectory: String) async throws {
        let context = contextOverride ?? requiredContext
        let engine = try EngineProcess(spec: spec, context: context, logPath: runDirectory + "/engine.log")
        lock.withLock { self.engine = engine }
        var engineOptions = options
        engineOptions.healthTimeoutSeconds = startupTimeoutSeconds
        let backend = try OpenAICompatibleBackend(endpoints: ["http://127.0.0.1:\(engine.port)"], model: info.name, apiKey: nil, options: engineOptions, identity: info.endpoint)
        let started = ContinuousClock.now
        // Fail fast if the engine dies while we wait for it.
        let watcher = Task {
            while !Task.isCancelled {
                if !engine.isRunning { return true }
                try? await Task.sleep(for: .milliseconds(200))
            }
            return false
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await backend.prepare(requiredContext: requiredContext, runDirectory: runDirectory) }
                group.addTask {
                    if await watcher.value { throw FathomError(.backend, "the engine exited while starting:\n\(engine.logTail())") }
                }
                try await group.next()
                group.cancelAll()
                watcher.cancel()
            }
        } catch {
            watcher.cancel()
            await backend.shutdown()
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    engine.stop()
                    done.resume()
                }
            }
            if let error = error as? FathomError, error.message.contains("is not ready") {
                throw FathomError(.backend, "\(error.message)\nengine log (\(engine.logPath)):\n\(engine.logTail())")
            }
            throw error
        }
        let seconds = HTTPTransport.milliseconds(since: started) / 1000
        lock.withLock {
            inner = backend
            startup = seconds
        }
        backend.engineReport = EngineReport(kind: spec.kind, command: engine.arguments, port: engine.port, log: "engine.log", startupSeconds: (seconds * 10).rounded() / 10)
    }

    /// The engine's base URL once it has started (`http://127.0.0.1:PORT`), else nil.
    public var baseURL: String? { lock.withLock { engine.map { "http://127.0.0.1:\($0.port)" } } }

    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        guard let inner = lock.withLock({ inner }) else {
            return .failure(.error, "engine", "the engine is not running", latencyMs: 0, attempts: 0)
        }
        return await inner.generate(request)
    }

    public func report() async -> BackendReport? { await lock.withLock { inner }?.report() }

    public var inFlightLimit: Int? { get async { await lock.withLock { inner }?.inFlightLimit } }

    public func shutdown() async {
        let (inner, engine) = lock.withLock { (self.inner, self.engine) }
        await inner?.shutdown()
        guard let engine else { return }
        // Stopping waits for the process: keep that off the cooperative pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                engine.stop()
                done.resume()
            }
        }
    }
}
