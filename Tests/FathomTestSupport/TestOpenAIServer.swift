import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-process OpenAI-compatible HTTP server for tests, listening on 127.0.0.1, whose every answer is chosen
/// by a responder: normal completions, HTTP errors with bodies and headers, connection resets, stalls,
/// malformed JSON and truncated bodies. It records every request it received.
public final class TestOpenAIServer: @unchecked Sendable {
    /// What to do with one request.
    public enum Action: Sendable {
        /// 200 with a chat completion whose content is `content`.
        case complete(content: String, finishReason: String = "stop", promptTokens: Int = 10, completionTokens: Int = 5)
        /// Any status with a raw body and headers.
        case status(Int, body: String, headers: [String: String] = [:])
        /// Close the connection without answering.
        case reset
        /// Wait, then perform another action.
        case stall(seconds: Double, then: Box)
        /// 200 with a body that is not JSON.
        case malformed
        /// Announce a longer body than is sent, then close.
        case truncated
    }

    /// Boxes a nested action (enums cannot hold themselves directly).
    public final class Box: Sendable {
        public let action: Action
        public init(_ action: Action) { self.action = action }
    }

    /// A request as received.
    public struct Recorded: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: Data
        /// The body as a JSON object, when it is one.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    }

    private let responder: @Sendable (Recorded, Int) -> Action
    private let lock = NSLock()
    private var recorded: [Recorded] = []
    private var channel: (any Channel)?
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// `responder(request, n)` picks the action for the n-th request (0-based).
    public init(responder: @escaping @Sendable (Recorded, Int) -> Action) {
        self.responder = responder
    }

    public var requests: [Recorded] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Starts listening on a free loopback port and returns the base URL.
    public func start() throws -> String {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(server: self))
                }
            }
        let channel = try bootstrap.bind(host: "127.0.0.1", port: 0).wait()
        self.channel = channel
        return "http://127.0.0.1:\(channel.localAddress!.port!)"
    }

    public func stop() {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }

    fileprivate func decide(_ request: Recorded) -> Action {
        lock.lock()
        let n = recorded.count
        recorded.append(request)
        lock.unlock()
        return responder(request, n)
    }

    /// A chat completion body.
    public static func completionBody(content: String, finishReason: String, promptTokens: Int, completionTokens: Int) -> String {
        let payload: [String: Any] = [
            "id": "cmpl-test", "object": "chat.completion", "created": 0, "model": "test",
            "choices": [["index": 0, "message": ["role": "assistant", "content": content], "finish_reason": finishReason]],
            "usage": ["prompt_tokens": promptTokens, "completion_tokens": completionTokens, "total_tokens": promptTokens + completionTokens],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]), as: UTF8.self)
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let server: TestOpenAIServer
        var head: HTTPRequestHead?
        var body = Data()

        init(server: TestOpenAIServer) { self.server = server }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = Data()
            case .body(var buffer):
                if let bytes = buffer.readBytes(length: buffer.readableBytes) { body.append(contentsOf: bytes) }
            case .end:
                guard let head else { return }
                var headers: [String: String] = [:]
                for (name, value) in head.headers { headers[name.lowercased()] = value }
                let request = Recorded(method: "\(head.method)", path: head.uri, headers: headers, body: body)
                perform(server.decide(request), context: context)
            }
        }

        func perform(_ action: Action, context: ChannelHandlerContext) {
            switch action {
            case .complete(let content, let finish, let promptTokens, let completionTokens):
                respond(context, status: 200, body: TestOpenAIServer.completionBody(content: content, finishReason: finish, promptTokens: promptTokens, completionTokens: completionTokens), headers: [:])
            case .status(let code, let body, let headers):
                respond(context, status: code, body: body, headers: headers)
            case .reset:
                context.close(promise: nil)
            case .stall(let seconds, let then):
                let loopContext = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                    self.perform(then.action, context: loopContext.value)
                }
            case .malformed:
                respond(context, status: 200, body: "{\"choices\": [ this is not json", headers: [:])
            case .truncated:
                var responseHead = HTTPResponseHead(version: .http1_1, status: .ok)
                responseHead.headers.add(name: "Content-Type", value: "application/json")
                responseHead.headers.add(name: "Content-Length", value: "1000")
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "{\"choices\": [")))), promise: nil)
                context.close(promise: nil)
            }
        }

        func respond(_ context: ChannelHandlerContext, status: Int, body: String, headers: [String: String]) {
            var responseHead = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
            responseHead.headers.add(name: "Content-Type", value: "application/json")
            responseHead.headers.add(name: "Content-Length", value: String(body.utf8.count))
            for (name, value) in headers { responseHead.headers.add(name: name, value: value) }
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
