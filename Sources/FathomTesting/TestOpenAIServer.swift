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
        /// 200 with the first half of a real chat completion body for `content`, ended as `cut` says.
        case truncatedCompletion(content: String, cut: Cut)
        /// 200 with a `text/event-stream` of chat deltas (as `stream`) of which only the first `eventsSent` are sent: the
        /// stream then ends cleanly (`abrupt` false: the HTTP body is complete, but no finish reason or `[DONE]` came) or
        /// the connection closes in the middle of the next event (`abrupt` true).
        case truncatedStream(pieces: [String], eventsSent: Int, abrupt: Bool)
        /// 200 with a `text/event-stream` of chat deltas, one event per piece, `delay` seconds apart, then usage.
        case stream(pieces: [String], finishReason: String = "stop", promptTokens: Int = 10, delay: Double = 0)
    }

    /// How a truncated body ends.
    public enum Cut: Sendable, CaseIterable {
        /// `Content-Length` announces the whole body; half is sent, then the connection closes.
        case shortContentLength
        /// Chunked encoding; half is sent, then the connection closes without the last chunk.
        case unterminatedChunks
        /// An HTTP/1.0 body delimited by the connection's close: the client sees a clean end of a short body.
        case closeDelimited
    }

    /// How the server answers the probe routes (`/health`, `/v1/models`, `/props`, `/tokenize`).
    public struct Identity: Sendable {
        public var models: [String] = ["test-model"]
        public var owner = "fathom-test"
        /// vLLM-style `max_model_len` in `/v1/models`.
        public var maxModelLen: Int?
        /// llama.cpp-style `/props`: context per slot and slots; nil answers 404.
        public var contextPerSlot: Int?
        public var slots: Int?
        /// Number of initial `/health` calls answered 503 ("Loading model").
        public var loadingHealthChecks = 0
        /// The chat template and special tokens `/props` reports.
        public var chatTemplate = "{{ messages }}"
        public var bosToken: String?
        public var eosToken: String?
        public init() {}
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
    public let identity: Identity
    private let lock = NSLock()
    private var recorded: [Recorded] = []
    private var completions = 0
    private var healthChecks = 0
    private var channel: (any Channel)?
    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// `responder(request, n)` picks the action for the n-th completion request (0-based); probe routes are
    /// answered from `identity`.
    public init(identity: Identity = Identity(), responder: @escaping @Sendable (Recorded, Int) -> Action) {
        self.identity = identity
        self.responder = responder
    }

    /// Every request received, probe routes included.
    public var allRequests: [Recorded] { lock.withLock { recorded } }

    /// The completion requests (`/v1/chat/completions`, `/v1/completions`).
    public var requests: [Recorded] { allRequests.filter { $0.path.hasSuffix("completions") } }

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

    /// Closes the listener and its event loop without blocking the caller (tests run on the 2-thread cooperative pool).
    public func stop() {
        let group = self.group
        channel?.close(promise: nil)
        group.shutdownGracefully { _ in }
    }

    fileprivate func decide(_ request: Recorded) -> Action {
        let (n, health) = lock.withLock { () -> (Int, Int) in
            recorded.append(request)
            if request.path == "/health" { healthChecks += 1 }
            if request.path.hasSuffix("completions") { completions += 1 }
            return (completions - 1, healthChecks)
        }
        switch request.path {
        case "/health":
            return health <= identity.loadingHealthChecks
                ? .status(503, body: #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#) : .status(200, body: #"{"status":"ok"}"#)
        case "/v1/models":
            let entries = identity.models.map { id -> String in
                var entry = #"{"id":"\#(id)","object":"model","owned_by":"\#(identity.owner)""#
                if let length = identity.maxModelLen { entry += #","max_model_len":\#(length)"# }
                return entry + "}"
            }
            return .status(200, body: #"{"object":"list","data":["# + entries.joined(separator: ",") + "]}")
        case "/props":
            guard let context = identity.contextPerSlot else { return .status(404, body: #"{"error":"not found"}"#) }
            var props: [String: Any] = [
                "default_generation_settings": ["n_ctx": context], "total_slots": identity.slots ?? 1,
                "chat_template": identity.chatTemplate, "build_info": "b9999-test",
            ]
            if let bos = identity.bosToken { props["bos_token"] = bos }
            if let eos = identity.eosToken { props["eos_token"] = eos }
            let body = try! JSONSerialization.data(withJSONObject: props, options: [.sortedKeys])
            return .status(200, body: String(decoding: body, as: UTF8.self))
        case "/tokenize":
            guard identity.contextPerSlot != nil, let json = request.json, let content = json["content"] as? String else { return .status(404, body: "{}") }
            return .status(200, body: #"{"tokens":["# + content.split(separator: " ").indices.map(String.init).joined(separator: ",") + "]}")
        case "/extras/tokenize":
            return .status(404, body: "{}")
        default:
            return responder(request, n)
        }
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

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: [text]), as: UTF8.self).dropFirst().dropLast().description
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
            case .stream(let pieces, let finish, let promptTokens, let delay):
                var responseHead = HTTPResponseHead(version: .http1_1, status: .ok)
                responseHead.headers.add(name: "Content-Type", value: "text/event-stream")
                responseHead.headers.add(name: "Transfer-Encoding", value: "chunked")
                context.writeAndFlush(wrapOutboundOut(.head(responseHead)), promise: nil)
                var chunks = pieces.map { piece in
                    #"{"choices":[{"index":0,"delta":{"content":"# + TestOpenAIServer.quoted(piece) + #"},"finish_reason":null}]}"#
                }
                chunks.append(#"{"choices":[{"index":0,"delta":{},"finish_reason":"\#(finish)"}]}"#)
                chunks.append(#"{"choices":[],"usage":{"prompt_tokens":\#(promptTokens),"completion_tokens":\#(pieces.count)}}"#)
                chunks.append("[DONE]")
                let events = chunks
                let loopContext = NIOLoopBound(context, eventLoop: context.eventLoop)
                for (i, event) in events.enumerated() {
                    context.eventLoop.scheduleTask(in: .milliseconds(Int64(delay * 1000) * Int64(i))) {
                        let ctx = loopContext.value
                        ctx.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "data: \(event)\n\n")))), promise: nil)
                        if i == events.count - 1 { ctx.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil) }
                    }
                }
            case .truncatedCompletion(let content, let cut):
                let body = Array(TestOpenAIServer.completionBody(content: content, finishReason: "stop", promptTokens: 10, completionTokens: 5).utf8)
                let half = ByteBuffer(bytes: body.prefix(body.count / 2))
                var responseHead = HTTPResponseHead(version: cut == .closeDelimited ? .http1_0 : .http1_1, status: .ok)
                responseHead.headers.add(name: "Content-Type", value: "application/json")
                switch cut {
                case .shortContentLength: responseHead.headers.add(name: "Content-Length", value: String(body.count))
                case .unterminatedChunks: responseHead.headers.add(name: "Transfer-Encoding", value: "chunked")
                case .closeDelimited: responseHead.headers.add(name: "Connection", value: "close")
                }
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(half))), promise: nil)
                context.close(promise: nil)
            case .truncatedStream(let pieces, let eventsSent, let abrupt):
                var responseHead = HTTPResponseHead(version: .http1_1, status: .ok)
                responseHead.headers.add(name: "Content-Type", value: "text/event-stream")
                responseHead.headers.add(name: "Transfer-Encoding", value: "chunked")
                context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                for piece in pieces.prefix(eventsSent) {
                    let event = #"{"choices":[{"index":0,"delta":{"content":"# + TestOpenAIServer.quoted(piece) + #"},"finish_reason":null}]}"#
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "data: \(event)\n\n")))), promise: nil)
                }
                if abrupt {
                    let partial = ByteBuffer(string: #"data: {"choices":[{"index":0,"delta":{"con"#)
                    context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(partial))), promise: nil)
                    context.close(promise: nil)
                } else {
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
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
