import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// The connection a request came on, while it is answered.
enum CurrentConnection {
    /// Succeeds when the client closes its side, the server starts shutting down, or the
    /// connection closes: a response that never ends by itself (Server-Sent Events) ends then.
    /// Nil outside a request.
    @TaskLocal static var ending: EventLoopFuture<Void>?
}

/// The last handler of a `DirectHTTP1Channel`, after SwiftNIO's request decoder: collects each
/// request (head and body), hands it to the connection's task, and writes the response that task
/// produces as bytes (`HTTP1ResponseSerializer`). Requests on a connection are answered one at a
/// time, in the order they came. Confined to the channel's event loop.
///
/// Not generic over the responder (it takes the router's `respond` as a closure): a generic
/// handler's methods run unspecialised through the channel pipeline, and looked up the metadata
/// of their nested types at run time on every request (~4% of the gateway's time on a GET).
final class HTTP1RequestDispatcher: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct PendingRequest {
        var head: HTTPRequest
        var body: ByteBuffer?
        /// Whether the connection stays open after the response (HTTP/1.1 unless `Connection:
        /// close`; HTTP/1.0 only with `Connection: keep-alive`).
        var keepAlive: Bool
    }

    private let respond: DirectHTTP1Channel.Respond
    private let configuration: DirectHTTP1Channel.Configuration
    private let channel: any Channel
    private let logger: Logger
    private var context: ChannelHandlerContext?

    /// The request being read, and complete ones waiting for their turn.
    private var reading: PendingRequest?
    private var waiting = CircularBuffer<PendingRequest>()
    /// The connection's task, when it waits for a request.
    private var waiter: CheckedContinuation<PendingRequest?, Never>?
    /// A `read` held back while the most requests wait.
    private var readHeld = false
    /// The client sent something that is not HTTP: answer what came before, then 400 and close.
    private var malformed = false
    /// Close once the current response is out (the client asked for it).
    private var closeAfterResponse = false
    /// The server is shutting down: close once every request read so far is answered.
    private var quiescing = false
    /// Whether a request has been handed to the connection's task and its response is not out
    /// yet, and how that response's body is framed.
    private var answering = false
    private var framing = HTTP1ResponseSerializer.Framing.none
    private var method = HTTPRequest.Method.get
    /// Body parts of the current response written so far, and its `Content-Length`.
    private var bodyParts = 0
    private var bodyLength: Int?
    fileprivate private(set) var closed = false
    private var date = DateHeader()
    /// Completed when the client closes its side, the server quiesces or the connection closes;
    /// made when the handler is added (its removal completes it, so it never leaks).
    private var ending: EventLoopPromise<Void>?
    private var ended = false
    /// Since when the connection has had nothing to answer (nil while it has): past the idle
    /// timeout it is closed. Checked by one timer per connection, so a request costs no timer.
    private var idleSince: NIODeadline?
    private var idleCheck: Scheduled<Void>?

    init(
        respond: @escaping DirectHTTP1Channel.Respond, configuration: DirectHTTP1Channel.Configuration,
        channel: any Channel, logger: Logger
    ) {
        self.respond = respond
        self.configuration = configuration
        self.channel = channel
        self.logger = logger
    }

    /// Tells never-ending responses to end.
    private func end() {
        guard !ended else { return }
        ended = true
        ending?.succeed()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        ending = context.eventLoop.makePromise()
        let now = NIODeadline.now()
        idleSince = now
        scheduleIdleCheck(at: now + configuration.idleTimeout)
    }

    /// Closes the connection if it has had nothing to answer for the idle timeout, else looks
    /// again when it next could have.
    private func scheduleIdleCheck(at deadline: NIODeadline) {
        guard let context, !closed else { return }
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            idleCheck = nil
            guard !closed else { return }
            guard let since = idleSince else {
                return scheduleIdleCheck(at: .now() + configuration.idleTimeout)
            }
            let due = since + configuration.idleTimeout
            guard due <= .now() else { return scheduleIdleCheck(at: due) }
            timedOut()
        }
    }

    /// The idle timeout passed: a request that had begun is answered 408, then the connection closes.
    private func timedOut() {
        logger.debug("HTTP connection idle past its timeout, closing", metadata: ["request.begun": "\(reading != nil)"])
        guard reading != nil else { return close() }
        reading = nil
        answerAndClose(.requestTimeout)
    }

    /// Called when the channel closes and its pipeline is torn down (in case `channelInactive`
    /// did not reach this handler).
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        connectionClosed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionClosed()
        context.fireChannelInactive()
    }

    // MARK: Reading requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            do {
                reading = PendingRequest(
                    head: try HTTPRequest(head, secure: false, splitCookie: false), keepAlive: head.isKeepAlive)
            } catch {
                // A head swift-http-types cannot hold (a method it does not accept, say).
                reading = nil
                rejectMalformedInput()
            }
        case .body(var part):
            guard var request = reading else { return }
            reading = nil  // keeps the buffer uniquely referenced while it grows
            if request.body == nil {
                request.body = part
            } else if request.body!.readableBytes <= configuration.maximumBodySize {
                request.body!.writeBuffer(&part)
            }
            reading = request
        case .end:
            guard let request = reading else { return }
            reading = nil
            idleSince = nil
            if let waiter {
                self.waiter = nil
                answering = true
                waiter.resume(returning: request)
            } else {
                waiting.append(request)
            }
        }
    }

    /// Whether no request is read (or being read) beyond the one being answered.
    private var nothingQueued: Bool { waiting.isEmpty && reading == nil }
    /// Whether nothing read from the client is left to answer.
    private var idle: Bool { !answering && nothingQueued }

    /// Graceful shutdown (SwiftNIO's quiescing, which Hummingbird's server starts), and the client
    /// closing its side (the server allows half-closure, so a client's FIN arrives as
    /// `inputClosed`, not as the channel closing): an idle connection closes now, a busy one once
    /// the requests it has read are answered. Without the second, every connection a client
    /// closed stayed open here, with its task and buffers, for good.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        let inputClosed = (event as? ChannelEvent) == .inputClosed
        guard event is ChannelShouldQuiesceEvent || inputClosed else {
            return context.fireUserInboundEventTriggered(event)
        }
        quiescing = true
        end()
        if idle { close() }
        if inputClosed { context.fireUserInboundEventTriggered(event) }
    }

    func read(context: ChannelHandlerContext) {
        if waiting.count >= configuration.maximumPipelinedRequests {
            readHeld = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            logger.trace("HTTP connection failed", metadata: ["error": "\(error)"])
            return context.close(promise: nil)
        }
        logger.debug("HTTP parse error, closing connection")
        reading = nil
        rejectMalformedInput()
    }

    /// What came before the bad input is answered; then 400 and the connection ends.
    private func rejectMalformedInput() {
        malformed = true
        if let waiter {
            // Nothing is being answered: say so now.
            self.waiter = nil
            rejectMalformed()
            waiter.resume(returning: nil)
        }
    }

    // MARK: The connection's task

    /// Answers the connection's requests until it closes; runs on the connection's event loop.
    static func serve(_ dispatcher: NIOLoopBound<HTTP1RequestDispatcher>) async {
        while let request = await dispatcher.value.nextRequest() {
            await dispatcher.value.answer(request, dispatcher)
        }
    }

    private func nextRequest() async -> PendingRequest? {
        if closed { return nil }
        if let request = waiting.popFirst() {
            answering = true
            if readHeld {
                readHeld = false
                context?.read()
            }
            return request
        }
        if malformed {
            rejectMalformed()
            return nil
        }
        return await withCheckedContinuation { waiter = $0 }
    }

    private func answer(_ pending: PendingRequest, _ dispatcher: NIOLoopBound<HTTP1RequestDispatcher>) async {
        method = pending.head.method
        if !pending.keepAlive { closeAfterResponse = true }
        let request = Request(head: pending.head, body: RequestBody(buffer: pending.body ?? ByteBuffer()))
        var logger = self.logger
        logger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
        let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
        // A handler streaming a long body (Server-Sent Events) learns through this task-local
        // when to end: the client closed its side, the server is shutting down, or the connection
        // closed.
        await CurrentConnection.$ending.withValue(ending?.futureResult) {
            await answer(request, context: context, logger: logger, dispatcher)
        }
    }

    private func answer(
        _ request: Request, context: BasicRequestContext, logger: Logger,
        _ dispatcher: NIOLoopBound<HTTP1RequestDispatcher>
    ) async {
        let response: Response
        do {
            response = try await respond(request, context)
        } catch {
            // The router turns HTTP errors into responses; anything else is a 500, as Hummingbird's
            // application answers it.
            logger.debug("Unrecognised Error", metadata: ["error.type": "\(error)"])
            response = Response(status: .internalServerError, body: .init())
        }
        do {
            try await response.body.write(ResponseWriter(dispatcher: dispatcher, head: response.head))
        } catch {
            // The head may have gone out: the response cannot be completed, so the connection ends.
            logger.debug("writing the response failed", metadata: ["error": "\(error)"])
            close()
        }
    }

    // MARK: Writing responses

    /// Writes the response's head with the headers every response carries.
    fileprivate func writeHead(_ head: HTTPResponse) {
        guard !closed, let context else { return }
        let own = HTTP1ResponseSerializer.ChannelFields(
            date: date.value(), server: configuration.serverName,
            close: closeAfterResponse || (quiescing && nothingQueued))
        var bytes = context.channel.allocator.buffer(capacity: 256)
        (framing, bodyLength) = HTTP1ResponseSerializer.writeHead(head, method: method, adding: own, into: &bytes)
        bodyParts = 0
        context.write(wrapOutboundOut(bytes), promise: nil)
    }

    /// Writes a body part. A body written whole goes out with its head and end in one write; a
    /// body written in parts (streamed) is sent part by part as it comes.
    fileprivate func writeBody(_ buffer: ByteBuffer) {
        guard !closed, let context else { return }
        let whole = bodyParts == 0 && buffer.readableBytes == bodyLength
        bodyParts += 1
        defer { if !whole { context.flush() } }
        switch framing {
        case .none:
            return
        case .length:
            context.write(wrapOutboundOut(buffer), promise: nil)
        case .chunked:
            var chunk = context.channel.allocator.buffer(capacity: buffer.readableBytes + 16)
            HTTP1ResponseSerializer.writeChunk(buffer, into: &chunk)
            context.write(wrapOutboundOut(chunk), promise: nil)
        }
    }

    /// Ends the response and sends it in one write; closes the connection if it was asked to.
    fileprivate func writeEnd(_ trailers: HTTPFields?) {
        guard !closed, let context else { return }
        if framing == .chunked {
            var end = context.channel.allocator.buffer(capacity: 16)
            HTTP1ResponseSerializer.writeEnd(trailers, framing: framing, into: &end)
            context.write(wrapOutboundOut(end), promise: nil)
        }
        context.flush()
        answering = false
        // A request still arriving is not one to answer: its time counts from here.
        if waiting.isEmpty { idleSince = .now() }
        if closeAfterResponse || (quiescing && idle) { close() }
    }

    private func rejectMalformed() {
        answerAndClose(.badRequest)
    }

    /// Answers `status` with no body, then closes the connection.
    private func answerAndClose(_ status: HTTPResponse.Status) {
        guard !closed, let context else { return }
        let head = HTTPResponse(status: status, headerFields: [.contentLength: "0"])
        let own = HTTP1ResponseSerializer.ChannelFields(
            date: date.value(), server: configuration.serverName, close: true)
        var bytes = context.channel.allocator.buffer(capacity: 128)
        _ = HTTP1ResponseSerializer.writeHead(head, method: method, adding: own, into: &bytes)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        close()
    }

    private func close() {
        guard !closed else { return }
        closed = true
        context?.close(promise: nil)
    }

    private func connectionClosed() {
        closed = true
        // The timer holds this handler: cancelled, nothing of the connection outlives it.
        idleCheck?.cancel()
        idleCheck = nil
        end()
        waiting.removeAll()
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: nil)
        }
    }

    /// Writes one response's body through its connection's dispatcher.
    private struct ResponseWriter: ResponseBodyWriter {
        let dispatcher: NIOLoopBound<HTTP1RequestDispatcher>
        /// Written with the first body part or the end, so a whole response goes out in one write.
        var head: HTTPResponse?

        /// Throws once the connection is closed, so that a body still being produced (a stream of
        /// events) stops when its client has gone.
        mutating func write(_ buffer: ByteBuffer) async throws {
            let head = self.head
            self.head = nil
            // At once on the connection's task, which runs on the loop (no closure made); through
            // the loop's queue from a body writer that runs elsewhere.
            if dispatcher.eventLoop.inEventLoop {
                guard Self.write(head, buffer, dispatcher.value) else { throw ChannelError.ioOnClosedChannel }
                return
            }
            let dispatcher = self.dispatcher
            let open = try await dispatcher.eventLoop.submit { Self.write(head, buffer, dispatcher.value) }.get()
            guard open else { throw ChannelError.ioOnClosedChannel }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            let head = self.head
            if dispatcher.eventLoop.inEventLoop { return Self.finish(head, trailingHeaders, dispatcher.value) }
            let dispatcher = self.dispatcher
            try await dispatcher.eventLoop.submit { Self.finish(head, trailingHeaders, dispatcher.value) }.get()
        }

        /// Writes; answers whether the connection is still open.
        private static func write(_ head: HTTPResponse?, _ buffer: ByteBuffer, _ dispatcher: HTTP1RequestDispatcher)
            -> Bool
        {
            if let head { dispatcher.writeHead(head) }
            dispatcher.writeBody(buffer)
            return !dispatcher.closed
        }

        private static func finish(_ head: HTTPResponse?, _ trailers: HTTPFields?, _ dispatcher: HTTP1RequestDispatcher)
        {
            if let head { dispatcher.writeHead(head) }
            dispatcher.writeEnd(trailers)
        }
    }
}
