import Logging
import NIOCore
import NIOSSL
import NIOTLS
import Wire

/// Serves the calls of one connection: splits the bytes read into frames, decodes envelopes,
/// enforces the limits, runs handlers on the connection's event loop and writes their responses,
/// one write per burst.
///
/// All state is confined to the channel's event loop, and no access to a stored property overlaps
/// another, so the properties skip Swift's run-time exclusivity checks (`@exclusivity(unchecked)`:
/// the checks were ~4% of the server's time per call).
final class ServerConnectionHandler: ChannelInboundHandler, AfterJobHook {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let router: Router
    private let configuration: ServerConfiguration
    private let executor: EventLoopExecutor
    private let logger: Logger
    private let serial: UInt64

    @exclusivity(unchecked) private var context: ChannelHandlerContext?
    @exclusivity(unchecked) private var frames: FrameSplitter
    @exclusivity(unchecked) private var calls = CallTable<ServerCall>()
    @exclusivity(unchecked) private var unstarted: [ServerCall] = []
    @exclusivity(unchecked) private var output = ByteBuffer()
    @exclusivity(unchecked) private var flushRequested = false
    @exclusivity(unchecked) private var reading = false
    @exclusivity(unchecked) private var draining = false
    @exclusivity(unchecked) private var closing = false
    @exclusivity(unchecked) private var highestCallID: UInt64 = 0
    @exclusivity(unchecked) private var receivedFrame = false
    @exclusivity(unchecked) private var lastActivity = NIODeadline.now()
    @exclusivity(unchecked) private var idleTimer: Scheduled<Void>?
    @exclusivity(unchecked) private var deadlines: DeadlineSweeper?
    /// The burst waiting for the connection's next calls, and its task's continuation (see `waitForCalls`).
    @exclusivity(unchecked) private var idleBurst: (burst: Burst, resume: UnsafeContinuation<Bool, Never>)?
    @exclusivity(unchecked) private var writabilityWaiters: [CheckedContinuation<Void, any Error>] = []
    /// What every call's context knows of this connection.
    @exclusivity(unchecked) private var connectionInfo: CallContext.ConnectionInfo
    /// The client's address, for the log.
    private var peer: String { connectionInfo.peer }

    /// Output above this is written at once rather than at the end of the job.
    private static let eagerFlushBytes = 64 * 1024

    init(
        router: Router, configuration: ServerConfiguration, executor: EventLoopExecutor, logger: Logger, serial: UInt64
    ) {
        self.router = router
        self.configuration = configuration
        self.executor = executor
        self.logger = logger
        self.serial = serial
        self.connectionInfo = CallContext.ConnectionInfo(peer: "", logger: logger, serial: serial)
        self.frames = FrameSplitter(maximumFrameSize: configuration.maximumFrameSize)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        deadlines = DeadlineSweeper(loop: context.eventLoop) { [weak self] now in self?.expireCalls(at: now) }
        output = context.channel.allocator.buffer(capacity: 4096)
        let peer = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? ""
        connectionInfo = CallContext.ConnectionInfo(peer: peer, logger: logger, serial: serial)
        if context.channel.isActive { scheduleIdleCheck(after: configuration.handshakeTimeout) }
    }

    /// A TLS handshake completed: with mutual TLS, the names of the client's certificate (which
    /// the CA vouched for) become the connection's, and a service credential on it must name one.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent,
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
            let certificate = handler.peerCertificate
        {
            connectionInfo = CallContext.ConnectionInfo(
                peer: connectionInfo.peer, logger: logger, serial: serial,
                certificateNames: TLSSettings.names(of: certificate))
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// The channel closed and its pipeline is torn down: let go of the context (which holds this
    /// handler, so keeping it would keep both, and the output buffer, alive for good) and of the
    /// timers.
    func handlerRemoved(context: ChannelHandlerContext) {
        closing = true
        idleTimer?.cancel()
        idleTimer = nil
        deadlines?.stop()
        deadlines = nil
        output = ByteBuffer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        if idleTimer == nil { scheduleIdleCheck(after: configuration.handshakeTimeout) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reading = true
        guard !closing else { return }
        do {
            // Frames are read where they lie in the input: no slice and no pipeline event per frame.
            try frames.split(unwrapInboundIn(data)) { body in
                frameArrived(body)
                return !closing
            }
        } catch {
            protocolError(.resourceExhausted, error.description)
        }
    }

    private func frameArrived(_ body: UnsafeRawBufferPointer) {
        if !receivedFrame {
            // The handshake is over: from now on the connection is watched for idleness.
            receivedFrame = true
            idleTimer?.cancel()
            scheduleIdleCheck(after: configuration.idleTimeout)
        }
        let frame: InboundFrame
        do {
            frame = try Frame.read(body) { inbound($0) }
        } catch {
            return protocolError(.invalidArgument, "cannot decode frame envelope: \(error)")
        }
        switch frame {
        case .call(let call):
            accept(call)
        case .refused(let id, let status):
            writeStatus(id, status)
        case .cancel(let id):
            if let call = calls[id] {
                finish(
                    call, status: Status(code: .cancelled, message: "cancelled by the client"), cancellingHandler: true)
            }
        case .violation(let message):
            protocolError(.invalidArgument, message)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        reading = false
        // Idleness counts from the last read or the last call's end, whichever is later: with
        // calls in flight, the end of the last one is later.
        if calls.isEmpty { lastActivity = .now() }
        if !unstarted.isEmpty {
            if let (burst, resume) = idleBurst {
                idleBurst = nil
                swap(&burst.calls, &unstarted)  // no array allocated per read
                executor.startNow { resume.resume(returning: true) }
            } else {
                let burst = unstarted
                unstarted.removeAll(keepingCapacity: true)
                startBurst(burst, now: true)
            }
        }
        flushOutput()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { resumeWriters(throwing: nil) }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if frames.bufferedBytes > 0 && !closing {
            logger.debug(
                "connection closed inside a frame",
                metadata: ["peer": "\(peer)", "buffered": "\(frames.bufferedBytes)"])
        }
        closing = true
        idleTimer?.cancel()
        deadlines?.stop()
        if let (_, resume) = idleBurst {
            idleBurst = nil
            resume.resume(returning: false)
        }
        for call in calls.values { abandon(call) }
        calls.removeAll()
        unstarted.removeAll()
        resumeWriters(throwing: RPCError(.unavailable, "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection error", metadata: ["peer": "\(peer)", "error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Requests

    /// What a frame from the client asks for.
    private enum InboundFrame {
        /// A request to run.
        case call(ServerCall)
        /// A request answered at once with this status.
        case refused(UInt64, Status)
        /// The client abandons a call.
        case cancel(UInt64)
        /// A frame that breaks the protocol.
        case violation(String)
    }

    /// Reads a frame in place (its envelope's arena is released once this returns): a request's
    /// method is matched by its bytes, without making a `String` per call.
    private func inbound(_ frame: ProtoReader<Frame>) -> InboundFrame {
        let id = frame.uint64(.callID)
        let kind = FrameKind(rawValue: frame.enumValue(.kind)) ?? .unspecified
        switch kind {
        case .request:
            break
        case .cancel:
            return .cancel(id)
        case .unspecified, .message, .response, .goaway:
            return .violation("a client may not send a frame of kind \(kind) (call \(id))")
        }
        guard id != 0 else { return .violation("call id 0 is reserved") }
        guard calls[id] == nil else { return .violation("call id \(id) is already in use") }
        if draining {
            return .refused(
                id, Status(code: .unavailable, message: "server is shutting down; retry on a new connection"))
        }
        guard let method = frame.withUTF8(.method, { router.entry(named: $0) }) else {
            return .refused(id, Status(code: .unimplemented, message: "unknown method \(frame.string(.method))"))
        }
        guard calls.count < configuration.maximumConcurrentCalls else {
            let limit = configuration.maximumConcurrentCalls
            return .refused(
                id,
                Status(
                    code: .resourceExhausted, message: "too many calls in flight on this connection (limit \(limit))",
                    retryAfterMicros: ServerConfiguration.retryAfterMicros))
        }
        var head = ServerCall.Head(id: id, entry: method, request: frame, connection: connectionInfo)
        if method.needsCredentials, let authenticator = configuration.authenticator {
            switch authenticator.check(head.metadata, certificateNames: connectionInfo.certificateNames) {
            case .service: break
            case .apiKey(let key): head.apiKey = key
            case .refused(let status): return .refused(id, status)
            }
        }
        // The request is decoded from the frame's own copy of the payload while it is alive.
        let made = frame.withBytes(.payload) { payload in
            Result { () throws(RPCError) in try method.makeCall(payload, head) }
        }
        switch made {
        case .success(let call): return .call(call)
        case .failure(let error): return .refused(id, error.status)
        }
    }

    private func accept(_ call: ServerCall) {
        highestCallID = max(highestCallID, call.id)
        calls[call.id] = call
        if let expiry = call.expiry { deadlines?.watch(expiry) }
        unstarted.append(call)
    }

    /// Ends the calls whose deadline has passed (cancelling their handlers), earliest deadline
    /// first, so a loop that woke late still answers them in the order they expired; returns the
    /// next deadline.
    private func expireCalls(at now: NIODeadline) -> NIODeadline? {
        var next: NIODeadline?
        var expired: [(expiry: NIODeadline, call: ServerCall)] = []
        for call in calls.values {
            guard let expiry = call.expiry else { continue }
            if expiry <= now { expired.append((expiry, call)) } else { next = min(next ?? expiry, expiry) }
        }
        expired.sort { $0.expiry < $1.expiry }
        for (_, call) in expired {
            let millis = Double(call.timeoutMicros) / 1000
            finish(
                call, status: Status(code: .deadlineExceeded, message: "deadline of \(millis) ms exceeded"),
                cancellingHandler: true)
        }
        return next
    }

    /// Runs `calls` one after another in a new task on this loop; `now`: started at once, on
    /// this thread (outside a job only), rather than after the loop's current tick.
    func startBurst(_ calls: [ServerCall], now: Bool = false) {
        guard let context else { return }
        let burst = Burst(calls: calls, connection: self, executor: executor)
        let bound = NIOLoopBound(burst, eventLoop: context.eventLoop)
        if now {
            executor.startNow { burst.task = Task(executorPreference: executor) { await bound.value.serve() } }
        } else {
            burst.task = Task(executorPreference: executor) { await bound.value.serve() }
        }
    }

    /// Called by `burst`, whose calls have all run: waits until the connection's next calls are
    /// handed to it (true), or answers false at once when another burst already waits, and later
    /// when the connection closes.
    nonisolated(nonsending) func waitForCalls(_ burst: Burst) async -> Bool {
        guard idleBurst == nil, !closing, context != nil else { return false }
        return await withUnsafeContinuation { idleBurst = (burst, $0) }
    }

    /// Runs one call's handler; called from its burst's task on this loop, with that task's
    /// isolation (nil: the task runs on the loop's executor by preference).
    func execute(_ call: ServerCall, isolation: isolated (any Actor)? = #isolation) async {
        if let expiry = call.expiry, expiry <= .now() {
            return finish(
                call, status: Status(code: .deadlineExceeded, message: "deadline exceeded before the call started"))
        }
        // A call made with an API key acts for the key, once it is checked (whatever principal
        // the caller sent).
        if let key = call.apiKey {
            guard let check = configuration.authenticator?.apiKeys else {
                return finish(call, status: Status(code: .unauthenticated, message: "this server takes no API keys"))
            }
            do {
                let principal = try await check(key)
                call.metadata.principal = principal.metadataValue
            } catch {
                return finish(call, status: error.status)
            }
            if call.isFinished { return }
        }
        let context = CallContext(call)
        // `withValue` is inlinable and isolated to `isolation`, which the closures capture so that
        // they share it: entering the handler and coming back are then one executor switch each
        // (each reads the task's executor preference under its status-record lock).
        switch call.entry.method {
        case .unary(let handler):
            do {
                try await CallContext.$current.withValue(
                    context,
                    operation: {
                        _ = isolation
                        try await handler(call, context, UnaryResponder(connection: self, call: call))
                    }, isolation: isolation)
            } catch {
                finish(call, status: status(for: error, in: call))
            }
        case .serverStreaming(let handler):
            let writer = streamWriter(for: call.id)
            do {
                try await CallContext.$current.withValue(
                    context,
                    operation: {
                        _ = isolation
                        try await handler(call, writer, context)
                    }, isolation: isolation)
                finish(call, status: nil)
            } catch {
                finish(call, status: status(for: error, in: call))
            }
        }
    }

    private func status(for error: any Error, in call: ServerCall) -> Status {
        if let convertible = error as? any RPCErrorConvertible {
            let rpcError = convertible.rpcError
            if rpcError.code == .internal || rpcError.code == .unknown {
                logger.error(
                    "handler failed",
                    metadata: [
                        "call.method": "\(call.path)", "error": "\(rpcError)",
                        "error.cause": "\(rpcError.cause.map { "\($0)" } ?? "none")",
                    ])
            }
            return rpcError.status
        }
        if error is CancellationError {
            return Status(code: .cancelled, message: "the call was cancelled")
        }
        logger.error("handler failed", metadata: ["call.method": "\(call.path)", "error": "\(error)"])
        return Status(code: .internal, message: "internal error")
    }

    // MARK: Streaming

    private func streamWriter(for id: UInt64) -> RawStreamWriter {
        let bound = NIOLoopBound(self, eventLoop: executor.loop)
        let executor = self.executor
        return RawStreamWriter { payload in
            if executor.loop.inEventLoop {
                try await bound.value.sendStreamMessage(id, payload)
            } else {
                try await withTaskExecutorPreference(executor) {
                    try await bound.value.sendStreamMessage(id, payload)
                }
            }
        }
    }

    private func sendStreamMessage(_ id: UInt64, _ payload: [UInt8]) async throws {
        guard let call = calls[id], !call.isFinished else {
            throw RPCError(.cancelled, "the call has ended")
        }
        write(id) { (buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int in
            try Frame.encodeLengthPrefixed(callID: id, kind: .message, payload: payload, into: &buffer)
        }
        requestFlush()
        while let channel = context?.channel, channel.isActive, !channel.isWritable {
            try await withCheckedThrowingContinuation { writabilityWaiters.append($0) }
        }
        if context == nil || closing { throw RPCError(.unavailable, "connection closed") }
    }

    private func resumeWriters(throwing error: (any Error)?) {
        let waiters = writabilityWaiters
        writabilityWaiters.removeAll()
        for waiter in waiters {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }

    // MARK: Finishing calls

    /// Ends `call` with the response frame `encode` appends to the output (a deadline or a
    /// cancel may have ended it already: then nothing is written).
    func finish(_ call: ServerCall, encoding encode: (inout ByteBuffer) throws(ProtoEncodingError) -> Int) {
        guard !call.isFinished else { return }
        _ = markFinished(call)
        write(call.id, encode)
        afterFinishing()
    }

    /// Ends `call` with `status`. A deadline or a client's cancel ends a call whose handler may
    /// still be running (suspended: these events never arrive inside a job), so its task is
    /// cancelled; the calls queued behind it in its burst have already moved to another task.
    private func finish(_ call: ServerCall, status: Status?, cancellingHandler: Bool = false) {
        guard !call.isFinished else { return }
        let runningBurst = markFinished(call)
        writeStatus(call.id, status ?? Status())
        if cancellingHandler { runningBurst?.task?.cancel() }
        afterFinishing()
    }

    /// Removes the call; returns the burst whose task runs it, if it is running.
    private func markFinished(_ call: ServerCall) -> Burst? {
        var running: Burst?
        if case .running(let burst) = call.state { running = burst }
        call.state = .finished
        calls[call.id] = nil
        if calls.isEmpty { lastActivity = .now() }  // idleness is measured from the last call's end
        return running
    }

    private func abandon(_ call: ServerCall) {
        if case .running(let burst) = call.state { burst.task?.cancel() }
        call.state = .finished
    }

    private func afterFinishing() {
        // The answer to the last call outstanding goes out at once, before its task unwinds;
        // otherwise answers are gathered into one write at the end of the job.
        if output.readableBytes >= Self.eagerFlushBytes || (calls.isEmpty && !reading) {
            flushOutput()
        } else {
            requestFlush()
        }
        if draining && calls.isEmpty { closeAfterFlush() }
    }

    // MARK: Output

    private func writeStatus(_ id: UInt64, _ status: Status) {
        let frame = Frame(callID: id, kind: .response, status: status.code == .ok ? nil : status)
        write(frame, fallbackStatusFor: id)
        requestFlush()
    }

    /// Encodes `frame` into the pending output; a frame that cannot be encoded or is too large
    /// for a peer is replaced by an error status for the same call.
    private func write(_ frame: Frame, fallbackStatusFor id: UInt64) {
        write(id) { (buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int in
            try frame.encodeLengthPrefixed(into: &buffer)
        }
    }

    /// Runs `encode`, which appends call `id`'s frame to the pending output and answers its size
    /// (-1 when too large to encode at all); a frame that cannot be encoded or is too large for a
    /// peer is replaced by an error status for the same call.
    private func write(_ id: UInt64, _ encode: (inout ByteBuffer) throws(ProtoEncodingError) -> Int) {
        let mark = output.writerIndex
        do {
            let size = try encode(&output)
            if size < 0 || size > configuration.maximumFrameSize {
                output.moveWriterIndex(to: mark)
                let limit = "the maximum frame size of \(configuration.maximumFrameSize) bytes"
                let message = size < 0 ? "response exceeds \(limit)" : "response of \(size) bytes exceeds \(limit)"
                _ = try? Frame(callID: id, kind: .response, status: Status(code: .resourceExhausted, message: message))
                    .encodeLengthPrefixed(into: &output)
            }
        } catch {
            output.moveWriterIndex(to: mark)
            logger.error("cannot encode response", metadata: ["error": "\(error)"])
            _ = try? Frame(callID: id, kind: .response, status: Status(code: .internal, message: "internal error"))
                .encodeLengthPrefixed(into: &output)
        }
    }

    private func requestFlush() {
        guard !flushRequested, !reading else { return }
        flushRequested = true
        if executor.isRunningJob {
            executor.afterCurrentJob(self)
        } else {
            executor.loop.assumeIsolated().execute { self.afterJob() }
        }
    }

    /// The job that produced output has ended: write it all at once.
    func afterJob() {
        flushRequested = false
        flushOutput()
    }

    private func flushOutput() {
        guard output.readableBytes > 0, let context else { return }
        context.writeAndFlush(wrapOutboundOut(output), promise: nil)
        output.clear()
    }

    // MARK: Protocol errors, draining and idleness

    /// A frame that breaks the protocol: say why in a GOAWAY (best effort), then close.
    private func protocolError(_ code: StatusCode, _ message: String) {
        guard !closing else { return }
        logger.debug("protocol error", metadata: ["peer": "\(peer)", "error": "\(message)"])
        goAway(Status(code: code, message: message))
        closing = true
        for call in calls.values { abandon(call) }
        calls.removeAll()
        unstarted.removeAll()
        closeAfterFlush()
    }

    private func goAway(_ status: Status) {
        _ = try? Frame(callID: highestCallID, kind: .goaway, status: status).encodeLengthPrefixed(into: &output)
        flushOutput()
    }

    /// Graceful shutdown: accept no new calls, tell the client, close when the last call ends.
    func beginDrain() {
        guard !draining, !closing else { return }
        draining = true
        goAway(Status(code: .unavailable, message: "server is shutting down"))
        if calls.isEmpty { closeAfterFlush() }
    }

    /// The grace period is over: cancel whatever still runs and close.
    func forceClose() {
        guard let context, !closing else { return }
        closing = true
        for call in calls.values {
            writeStatus(call.id, Status(code: .unavailable, message: "server shut down before the call completed"))
            abandon(call)
        }
        calls.removeAll()
        flushOutput()
        context.close(promise: nil)
    }

    private func closeAfterFlush() {
        guard let context else { return }
        flushOutput()
        closing = true
        context.close(promise: nil)
    }

    private func scheduleIdleCheck(after delay: Duration) {
        guard let context else { return }
        idleTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .microseconds(delay.microseconds)) { [self] in
            guard !closing else { return }
            guard receivedFrame else {
                logger.debug("closing connection: no frame within the handshake timeout", metadata: ["peer": "\(peer)"])
                return closeAfterFlush()
            }
            let idleUntil = lastActivity + .microseconds(configuration.idleTimeout.microseconds)
            if calls.isEmpty && NIODeadline.now() >= idleUntil {
                goAway(Status(code: .unavailable, message: "idle timeout"))
                return closeAfterFlush()
            }
            let wait = calls.isEmpty ? idleUntil - .now() : .microseconds(configuration.idleTimeout.microseconds)
            scheduleIdleCheck(after: .nanoseconds(max(wait.nanoseconds, 1_000_000)))
        }
    }
}
