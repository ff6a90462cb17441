import FathomCore
import Foundation

/// How to start a task's plugin processes and what to tell them.
struct ExecLaunch: Sendable {
    var command: [String]
    /// The manifest's folder: the process's working directory.
    var directory: String?
    /// The manifest file, for messages.
    var file: String
    /// Seconds one request (with the questions it asks) may take.
    var timeout: Double
    var logPath: String
    var maxLineBytes: Int
    /// The `init` request, or nil to stop after `describe` (loading a manifest asks only for the description).
    var task: ExecMessages.Init.Task?
}

/// A reply the plugin sent: its type and the raw line (validated against the schema).
struct ExecReply {
    var type: String
    var line: Data

    /// A line a plugin wrote, checked: a JSON object with a string `type`, the protocol version Fathom speaks, and
    /// the protocol's schema.
    static func parse(_ line: Data) throws -> ExecReply {
        let preview = String(decoding: line.prefix(200), as: UTF8.self) + (line.count > 200 ? "…" : "")
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            throw ExecFailure(message: "the plugin wrote a line that is not a JSON object: \(preview)")
        }
        guard let type = object["type"] as? String else {
            throw ExecFailure(message: "the plugin wrote a line without a string 'type': \(preview)")
        }
        if type == "description", let version = object["protocol"] as? Int, version != ExecSchema.protocolVersion {
            throw ExecFailure(
                message: "the plugin speaks exec protocol \(version); this Fathom speaks \(ExecSchema.protocolVersion) (schemas/exec-plugin.v\(ExecSchema.protocolVersion).schema.json)")
        }
        let violations = try ExecSchema.violations(line)
        guard violations.isEmpty else {
            throw ExecFailure(message: "the plugin's '\(type)' line breaks the protocol: \(violations.prefix(5).joined(separator: "; "))")
        }
        return ExecReply(type: type, line: line)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: line) } catch {
            throw ExecFailure(message: "the plugin's '\(self.type)' line does not decode: \(error)")
        }
    }
}

/// One plugin process and the conversation with it: a request, the plugin's questions answered in turn, its reply.
/// A worker whose process broke the protocol (or died, or hung) is marked broken and never reused.
final class ExecWorker {
    let process: ExecProcess
    let launch: ExecLaunch
    private(set) var description: ExecMessages.Description!
    private(set) var broken = false
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Starts the process and asks it to describe itself (the protocol version must match); then, when the launch
    /// carries a task, sends it with `init`.
    init(_ launch: ExecLaunch) throws {
        self.launch = launch
        do {
            process = try ExecProcess(command: launch.command, directory: launch.directory, logPath: launch.logPath, maxLineBytes: launch.maxLineBytes)
        } catch let failure as ExecFailure {
            throw ExecWorker.error(failure.message, launch: launch, log: nil)
        }
        do {
            // Starting an interpreter on a loaded machine can take seconds: the handshake gets 30 s or the timeout,
            // whichever is longer.
            let handshakeTimeout = max(launch.timeout, 30)
            let reply = try exchange(ExecMessages.Describe(), timeout: handshakeTimeout) { _ in nil }
            guard reply.type == "description" else { throw ExecFailure(message: "it answered describe with '\(reply.type)', not 'description'") }
            description = try reply.decode(ExecMessages.Description.self)
        } catch let failure as ExecFailure {
            broken = true
            process.kill()
            throw ExecWorker.error(failure.message, launch: launch, log: process)
        }
        if let task = launch.task { try initialize(task) }
    }

    /// Sends the task with `init` (once, after `describe`): the plugin checks the resolved parameters and answers
    /// `ready`. A refusal ends the process and throws the plugin's message, naming the key.
    func initialize(_ task: ExecMessages.Init.Task) throws {
        do {
            let ready = try exchange(ExecMessages.Init(task: task), timeout: max(launch.timeout, 30)) { _ in nil }
            if ready.type == "error" {
                let error = try ready.decode(ExecMessages.ErrorReply.self)
                throw FathomError(.invalidValue, "the plugin refused its parameters: \(error.message)", file: launch.file, key: error.key ?? "params")
            }
            guard ready.type == "ready" else { throw ExecFailure(message: "it answered init with '\(ready.type)', not 'ready'") }
        } catch let failure as ExecFailure {
            broken = true
            process.kill()
            throw ExecWorker.error(failure.message, launch: launch, log: process)
        } catch {
            broken = true
            process.finish(grace: 0.5)
            throw error
        }
    }

    /// Sends `request`, answers the plugin's questions with `answer` (nil: a question is not allowed here), and
    /// returns its reply. A broken protocol marks the worker broken and throws `ExecFailure`.
    func exchange(_ request: some Encodable, timeout: Double? = nil, answer: (ExecReply) throws -> (any Encodable)?) throws -> ExecReply {
        let timeout = timeout ?? launch.timeout
        let deadline = DispatchTime.now() + timeout
        do {
            try process.write(try Self.encoder.encode(request), deadline: deadline, timeout: timeout)
            while true {
                let reply = try read(deadline: deadline, timeout: timeout)
                guard reply.type == "count_tokens" || reply.type == "count_prompt" else { return reply }
                guard let response = try answer(reply) else {
                    throw ExecFailure(message: "it asked '\(reply.type)', which is only allowed while making a sample")
                }
                try process.write(try Self.encoder.encode(response), deadline: deadline, timeout: timeout)
            }
        } catch let error as EncodingError {
            broken = true
            throw ExecFailure(message: "cannot encode the request: \(error)")
        } catch {
            // Mid-conversation the stream's state is unknown: never reuse this process.
            broken = true
            throw error
        }
    }

    /// Reads one line and checks it against the protocol's schema.
    private func read(deadline: DispatchTime, timeout: Double) throws -> ExecReply {
        try ExecReply.parse(try process.readLine(deadline: deadline, timeout: timeout))
    }

    /// Asks the process to exit (closing its input) and reaps it.
    func finish() { process.finish() }

    /// Never reuse this process (it answered out of turn).
    func markBroken() { broken = true }

    /// A FathomError naming the task's manifest, the command, and the end of the plugin's stderr.
    static func error(_ message: String, launch: ExecLaunch, log: ExecProcess?) -> FathomError {
        var text = "exec plugin \(launch.command.joined(separator: " ")): \(message)"
        if let log {
            let tail = log.stderrTail()
            if !tail.isEmpty { text += "\n  its stderr ends with:\n    " + tail.split(separator: "\n").suffix(8).joined(separator: "\n    ") }
            text += "\n  (full stderr: \(log.logPath))"
        }
        return FathomError(.backend, text, file: launch.file)
    }
}

/// A task's plugin processes: one per concurrent caller (synthesis and scoring run on several threads), started on
/// demand, reused across samples, replaced when one breaks.
final class ExecWorkerPool: @unchecked Sendable {
    let launch: ExecLaunch
    let limit: Int
    private let condition = NSCondition()
    private var idle: [ExecWorker] = []
    private var live = 0

    init(launch: ExecLaunch, limit: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) {
        self.launch = launch
        self.limit = limit
    }

    deinit { drain() }

    /// Runs `body` with a worker of its own; a worker that broke the protocol is discarded, never returned.
    func withWorker<T>(_ body: (ExecWorker) throws -> T) throws -> T {
        let worker = try checkOut()
        defer { checkIn(worker) }
        return try body(worker)
    }

    private func checkOut() throws -> ExecWorker {
        condition.lock()
        while idle.isEmpty && live >= limit { condition.wait() }
        if let worker = idle.popLast() {
            condition.unlock()
            return worker
        }
        live += 1
        condition.unlock()
        do {
            return try ExecWorker(launch)
        } catch {
            condition.lock()
            live -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ worker: ExecWorker) {
        if worker.broken { worker.process.kill() }
        condition.lock()
        if worker.broken { live -= 1 } else { idle.append(worker) }
        condition.signal()
        condition.unlock()
    }

    /// Takes in a worker started elsewhere (the one that described the task), as if this pool had started it.
    func adopt(_ worker: ExecWorker) {
        condition.lock()
        live += 1
        idle.append(worker)
        condition.signal()
        condition.unlock()
    }

    /// Ends every idle process (asking each to exit first).
    func drain() {
        condition.lock()
        let workers = idle
        idle = []
        live -= workers.count
        condition.unlock()
        for worker in workers { worker.finish() }
    }
}

/// The processes that described a manifest when it was loaded, kept for `ExecPlugin.make` to reuse: one process
/// start per task rather than two. A process that is never taken is ended when Fathom exits.
final class DescribedWorkers: @unchecked Sendable {
    static let shared = DescribedWorkers()
    private let lock = NSLock()
    private var workers: [String: ExecWorker] = [:]

    func put(_ worker: ExecWorker, for key: String) {
        let previous = lock.withLock { () -> ExecWorker? in
            defer { workers[key] = worker }
            return workers[key]
        }
        previous?.finish()
    }

    func take(_ key: String) -> ExecWorker? { lock.withLock { workers.removeValue(forKey: key) } }
}
