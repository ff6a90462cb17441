import AsyncHTTPClient
import FathomCore
import Foundation
import NIOCore
import NIOHTTP1

/// Timeouts of one request: connecting, waiting for the first byte of the answer (a 128K prefill can take
/// minutes on local hardware), and the whole exchange.
public struct Timeouts: Sendable, Hashable, Codable {
    public var connectSeconds: Double
    public var firstByteSeconds: Double
    public var totalSeconds: Double
    public init(connectSeconds: Double = 10, firstByteSeconds: Double = 900, totalSeconds: Double = 3600) {
        self.connectSeconds = connectSeconds
        self.firstByteSeconds = firstByteSeconds
        self.totalSeconds = totalSeconds
    }
    enum CodingKeys: String, CodingKey { case connectSeconds = "connect_s", firstByteSeconds = "first_byte_s", totalSeconds = "total_s" }
}

/// Why a request produced no complete HTTP answer.
public enum TransportFailure: Error, Sendable, Equatable {
    case connect(String), firstByteTimeout, totalTimeout, reset(String)
    /// The head arrived but the connection failed before the body was complete (a short `Content-Length`, chunks
    /// without their last one).
    case truncatedBody(String)
    /// Short class recorded with failed samples.
    public var errorClass: String {
        switch self {
        case .connect: "connect"
        case .firstByteTimeout: "timeout_first_byte"
        case .totalTimeout: "timeout_total"
        case .reset: "transport"
        case .truncatedBody: ErrorClassifier.truncatedBodyClass
        }
    }
}

/// An HTTP answer, with the time its head arrived.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data
    /// Milliseconds from sending to the first body chunk (or the head when there is no body).
    public var firstByteMs: Double
}

/// One shared AsyncHTTPClient for every request of a run, with its pool sized to the run's concurrency.
public final class HTTPTransport: @unchecked Sendable {
    private let client: HTTPClient
    public let timeouts: Timeouts

    public init(timeouts: Timeouts = Timeouts(), maxConnectionsPerHost: Int = 8) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .milliseconds(Int64(timeouts.connectSeconds * 1000))
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, maxConnectionsPerHost)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeouts = timeouts
    }

    private let shutDown = Flag()

    public func shutdown() async {
        guard !shutDown.isSet else { return }
        shutDown.set()
        try? await client.shutdown()
    }

    /// A transport dropped without `shutdown()` (an early exit) still releases its connections.
    deinit {
        if !shutDown.isSet { try? client.syncShutdown() }
    }

    /// Sends a request and reads the answer, calling `onChunk` for every body chunk as it arrives (for streaming).
    public func send(
        _ method: HTTPMethod, _ url: String, body: Data? = nil, headers: [String: String] = [:],
        timeouts override: Timeouts? = nil, onChunk: (@Sendable (ByteBuffer) -> Void)? = nil
    ) async throws(TransportFailure) -> HTTPAnswer {
        let timeouts = override ?? self.timeouts
        let started = ContinuousClock.now
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        enum Outcome: Sendable { case answer(HTTPAnswer), watchdogFired, watchdogSatisfied }
        let headArrived = Flag()
        let prepared = request
        do {
            return try await withThrowingTaskGroup(of: Outcome.self) { group in
                let client = self.client
                group.addTask {
                    let response = try await client.execute(prepared, deadline: .now() + .milliseconds(Int64(timeouts.totalSeconds * 1000)))
                    headArrived.set()
                    let headMs = Self.milliseconds(since: started)
                    var collected = Data()
                    for try await chunk in response.body {
                        collected.append(contentsOf: chunk.readableBytesView)
                        onChunk?(chunk)
                    }
                    var headerMap: [String: String] = [:]
                    for (name, value) in response.headers { headerMap[name.lowercased()] = value }
                    return .answer(HTTPAnswer(status: Int(response.status.code), headers: headerMap, body: collected, firstByteMs: headMs))
                }
                group.addTask {
                    // The first-byte watchdog stands down once the answer's head has arrived.
                    try await Task.sleep(for: .milliseconds(Int(timeouts.firstByteSeconds * 1000)))
                    return headArrived.isSet ? .watchdogSatisfied : .watchdogFired
                }
                while let next = try await group.next() {
                    switch next {
                    case .answer(let answer):
                        group.cancelAll()
                        return answer
                    case .watchdogFired:
                        group.cancelAll()
                        throw TransportFailure.firstByteTimeout
                    case .watchdogSatisfied:
                        continue
                    }
                }
                throw TransportFailure.totalTimeout
            }
        } catch let failure as TransportFailure {
            throw failure
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: throw .totalTimeout
            case .connectTimeout: throw .connect("\(error)")
            default:
                if headArrived.isSet { throw .truncatedBody("the connection failed in the middle of the answer: \(error)") }
                if "\(error)".lowercased().contains("connect") { throw .connect("\(error)") }
                throw .reset("\(error)")
            }
        } catch {
            let text = "\(error)"
            if headArrived.isSet { throw .truncatedBody("the connection failed in the middle of the answer: \(text)") }
            if text.contains("connectTimeout") || text.contains("Connection refused") || text.contains("connectionRefused") { throw .connect(text) }
            throw .reset(text)
        }
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}

/// A thread-safe one-way flag.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
