import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import RPC
import Synchronization

/// HTTP/1 connections whose requests go from SwiftNIO's parser to the router, and whose
/// responses go from the router to the socket, on the connection's event loop.
///
/// Hummingbird's own `HTTP1Channel` moves every request part through an `NIOAsyncChannel`'s
/// inbound stream and every response part through its outbound writer (two queues with their own
/// state machines and locks), and converts each head between SwiftNIO's HTTP types and
/// swift-http-types on the way in and out, field by field, before NIO's encoder writes it. Here
/// the pipeline is SwiftNIO's request decoder and `HTTP1RequestDispatcher`, which collects each
/// request, resumes the connection's task with it (the task runs the router on the connection's
/// event loop, so a backend call over the RPC client's connection on that loop wakes no other
/// thread) and writes the response's bytes itself. Measured in docs/benchmarks.md. Graceful
/// shutdown is Hummingbird's server quiescing its connections, as with `HTTP1Channel`; routers,
/// middlewares and handlers are unchanged.
///
/// Handlers run on the event loop: they must never block (they would hold up every connection of
/// the loop); waiting is done with `await`.
struct DirectHTTP1Channel: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        let dispatcher: NIOLoopBound<HTTP1RequestDispatcher>
    }

    /// Answers a request: the router's responder.
    typealias Respond = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// Limits and the headers the channel adds.
    struct Configuration: Sendable {
        /// The `Server` header of every response, if any.
        var serverName: String?
        /// Request bodies are kept up to this many bytes; a handler sees a longer body cut to just
        /// over it, which is enough to refuse it as too large. The rest is read and dropped.
        var maximumBodySize = 1024 * 1024
        /// Complete requests read ahead of the one being answered (HTTP/1 pipelining); reading
        /// pauses while this many wait.
        var maximumPipelinedRequests = 16
        /// How long a connection may go without a request to answer (idle, or a request arriving
        /// too slowly) before it is closed.
        var idleTimeout = TimeAmount.seconds(60)
        /// Connections held at once; one more is answered 503 and closed (nil: no limit).
        var connections: ConcurrencyLimit?
    }

    let respond: Respond
    let configuration: Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            if let limit = configuration.connections {
                if limit.admit() {
                    channel.closeFuture.whenComplete { _ in limit.release() }
                } else {
                    // Refused before a byte is read; the dispatcher behind it just sees the close.
                    logger.debug(
                        "refusing HTTP connection: at the connection limit", metadata: ["limit": "\(limit.maximum)"])
                    try pipeline.addHandler(
                        ConnectionRefusal.http(limit: limit.maximum, serverName: configuration.serverName))
                }
            }
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            let dispatcher = HTTP1RequestDispatcher(
                respond: respond, configuration: configuration, channel: channel, logger: logger)
            try pipeline.addHandler(dispatcher)
            return Value(channel: channel, dispatcher: NIOLoopBound(dispatcher, eventLoop: channel.eventLoop))
        }
    }

    /// The connection's task: answers its requests in order until it closes.
    func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        await withTaskCancellationHandler {
            await withTaskExecutorPreference(EventLoopExecutor(loop: channel.eventLoop)) {
                // The client's address, for per-address rate limits: set once per connection.
                await ClientAddress.$current.withValue(channel.remoteAddress?.ipAddress) {
                    await HTTP1RequestDispatcher.serve(value.dispatcher)
                }
            }
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with requests going from the pipeline to `responder` (see `DirectHTTP1Channel`).
    ///
    /// The responder Hummingbird's `Application` passes to a server is not used: `responder` is
    /// the router's own, and the channel adds the `Date` and `Server` headers the application's
    /// would.
    static func directHTTP1<Responder: HTTPResponder>(
        responder: Responder, configuration: DirectHTTP1Channel.Configuration
    ) -> HTTPServerBuilder where Responder.Context == BasicRequestContext {
        .init { _ in
            DirectHTTP1Channel(
                respond: { try await responder.respond(to: $0, context: $1) }, configuration: configuration)
        }
    }
}

/// How many of something the gateway holds at once against a maximum: connections
/// (`MENTORNET_MAX_CONNECTIONS`), requests being answered (`MENTORNET_MAX_REQUESTS_IN_FLIGHT`).
final class ConcurrencyLimit: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) { self.maximum = maximum }

    /// Takes a place; false (taking none) when all are held.
    func admit() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < maximum {
            let (exchanged, original) = open.weakCompareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back a place taken.
    func release() { open.subtract(1, ordering: .relaxed) }

    /// Places held now.
    var held: Int { open.load(ordering: .relaxed) }
}

extension ConnectionRefusal {
    /// The gateway's answer to a connection over its limit: 503 with `Retry-After` and a JSON error
    /// saying why, then `Connection: close`.
    static func http(limit: Int, serverName: String?) -> ConnectionRefusal {
        let body =
            #"{"error":{"code":"UNAVAILABLE","details":[],"message":"the gateway holds its maximum of \#(limit) "#
            + #"connections; retry later"}}"#
        var head = "HTTP/1.1 503 Service Unavailable\r\n"
        if let serverName { head += "Server: \(serverName)\r\n" }
        head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        head += "Retry-After: 1\r\nConnection: close\r\n\r\n"
        return ConnectionRefusal(answer: Array((head + body).utf8))
    }
}
