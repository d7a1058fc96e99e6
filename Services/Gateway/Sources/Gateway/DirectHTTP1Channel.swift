import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import RPC

/// Hummingbird's HTTP/1 pipeline, with requests handed from the pipeline to the router and
/// responses written back by the pipeline's last handler, on the connection's event loop.
///
/// Hummingbird's own `HTTP1Channel` moves every request part through an `NIOAsyncChannel`'s
/// inbound stream and every response part through its outbound writer, two queues with their
/// own state machines and locks. Here `HTTP1RequestDispatcher` collects each request and resumes
/// the connection's task with it; the task runs the router on the connection's event loop (so a
/// backend call over the RPC client's connection on that loop wakes no other thread) and writes
/// the response through the dispatcher. Measured in docs/benchmarks.md: about 12% less gateway
/// CPU per `GET /v1/members/{id}` than `HTTP1Channel` with the same executor, 20% on routes that
/// call no backend. Parsing, idle connections and graceful shutdown are SwiftNIO's and
/// Hummingbird's handlers, as in `HTTP1Channel`; routers, middlewares and handlers are unchanged.
///
/// Handlers run on the event loop: they must never block (they would hold up every connection of
/// the loop); waiting is done with `await`.
struct DirectHTTP1Channel<Responder: HTTPResponder>: ServerChildChannel
where Responder.Context == BasicRequestContext {
    struct Value: ServerChildChannelValue {
        let channel: any Channel
        let dispatcher: NIOLoopBound<HTTP1RequestDispatcher<Responder>>
    }

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
    }

    let responder: Responder
    let configuration: Configuration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: .init()
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            let dispatcher = HTTP1RequestDispatcher(
                responder: responder, configuration: configuration, channel: channel, logger: logger)
            try pipeline.addHandler(dispatcher)
            return Value(channel: channel, dispatcher: NIOLoopBound(dispatcher, eventLoop: channel.eventLoop))
        }
    }

    /// The connection's task: answers its requests in order until it closes.
    func handle(value: Value, logger: Logger) async {
        let channel = value.channel
        await withTaskCancellationHandler {
            await withTaskExecutorPreference(EventLoopExecutor(loop: channel.eventLoop)) {
                await HTTP1RequestDispatcher.serve(value.dispatcher)
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
        responder: Responder, configuration: DirectHTTP1Channel<Responder>.Configuration
    ) -> HTTPServerBuilder where Responder.Context == BasicRequestContext {
        .init { _ in DirectHTTP1Channel(responder: responder, configuration: configuration) }
    }
}
