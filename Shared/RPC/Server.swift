import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Wire

/// A MentorNet RPC server: listens on TCP, serves the router's methods, shuts down gracefully.
///
/// Run it in a `ServiceGroup` (or call `run()`); graceful shutdown stops accepting, sends every
/// connection GOAWAY, lets in-flight calls finish within the grace period, then closes.
public final class Server: Service, Sendable {
    private let router: Router
    private let configuration: ServerConfiguration
    private let group: any EventLoopGroup
    private let executors: EventLoopExecutors
    private let logger: Logger
    private let state = Mutex(State())
    private let bound: EventLoopPromise<SocketAddress>
    private let onListening: @Sendable (SocketAddress) -> Void

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: Connection] = [:]
        var serial: UInt64 = 0
        var shuttingDown = false
    }

    private struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<ServerConnectionHandler>
    }

    /// Creates a server; nothing listens until `run()`.
    public init(
        router: Router,
        configuration: ServerConfiguration = ServerConfiguration(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mentornet.rpc.server"),
        onListening: @escaping @Sendable (SocketAddress) -> Void = { _ in }
    ) {
        self.onListening = onListening
        self.router = router
        self.configuration = configuration
        self.group = group
        self.executors = EventLoopExecutors(group: group)
        self.logger = logger
        self.bound = group.any().makePromise(of: SocketAddress.self)
    }

    /// The address the server listens on, once it does (with the real port when it asked for 0).
    public var listeningAddress: SocketAddress {
        get async throws { try await bound.futureResult.get() }
    }

    /// Listens and serves until graceful shutdown (or until the listener fails).
    public func run() async throws {
        let listener: any Channel
        do {
            listener = try await ServerBootstrap(group: group)
                // A burst of new connections waits in the kernel rather than having its SYNs dropped;
                // the kernel caps it at somaxconn.
                .serverChannelOption(.backlog, value: 4096)
                // Up to 64 accepts per read of the listener (SwiftNIO's default is 4): under load the
                // event loop's turns grow long, and 4 a turn would keep new connections waiting.
                .serverChannelOption(.maxMessagesPerRead, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelOption(.allowRemoteHalfClosure, value: false)
                .childChannelInitializer { [self] channel in
                    channel.eventLoop.makeCompletedFuture { try self.setUp(channel) }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            bound.fail(error)
            throw error
        }
        let alreadyShuttingDown = state.withLock { state in
            state.listener = listener
            return state.shuttingDown
        }
        onListening(listener.localAddress!)
        bound.succeed(listener.localAddress!)
        if alreadyShuttingDown { beginShutdown() }
        try await withGracefulShutdownHandler {
            try await listener.closeFuture.get()
        } onGracefulShutdown: {
            self.beginShutdown()
        }
        await drainConnections()
    }

    /// Stops accepting and asks every connection to drain; `run()` returns when they have.
    public func beginShutdown() {
        let (listener, connections) = state.withLock { state in
            state.shuttingDown = true
            return (state.listener, Array(state.connections.values))
        }
        listener?.close(promise: nil)
        for connection in connections {
            connection.channel.eventLoop.execute { connection.handler.value.beginDrain() }
        }
    }

    private func setUp(_ channel: any Channel) throws {
        let (serial, full) = state.withLock { state -> (UInt64, Bool) in
            state.serial += 1
            return (state.serial, state.connections.count >= configuration.maximumConnections)
        }
        if full {
            // Over the limit: say so and close, before reading anything (docs/protocol.md §6; the
            // Swift client fails its calls UNAVAILABLE and reconnects with back-off). The refused
            // connection is not held.
            logger.debug(
                "refusing connection: at the connection limit",
                metadata: ["limit": "\(configuration.maximumConnections)"])
            if let tls = configuration.tls { try channel.pipeline.syncOperations.addHandler(tls.serverHandler()) }
            try channel.pipeline.syncOperations.addHandler(
                ConnectionRefusal(
                    status: Status(
                        code: .resourceExhausted,
                        message: "the server holds its maximum of \(configuration.maximumConnections) connections; "
                            + "retry later")))
            return
        }
        let handler = ServerConnectionHandler(
            router: router,
            configuration: configuration,
            executor: executors.executor(for: channel.eventLoop),
            logger: logger,
            serial: serial
        )
        // The handler splits frames itself (`FrameSplitter`): no framing handler in front of it,
        // only TLS when configured.
        if let tls = configuration.tls { try channel.pipeline.syncOperations.addHandler(tls.serverHandler()) }
        try channel.pipeline.syncOperations.addHandler(handler)
        let key = ObjectIdentifier(channel)
        let connection = Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
        let shuttingDown = state.withLock { state in
            state.connections[key] = connection
            return state.shuttingDown
        }
        channel.closeFuture.whenComplete { [self] _ in
            _ = state.withLock { $0.connections.removeValue(forKey: key) }
        }
        if shuttingDown { channel.eventLoop.execute { connection.handler.value.beginDrain() } }
    }

    /// Waits for connections to close, up to the grace period, then closes the rest.
    private func drainConnections() async {
        let clock = ContinuousClock()
        let giveUp = clock.now + configuration.shutdownGracePeriod
        while clock.now < giveUp {
            let open = state.withLock { Array($0.connections.values) }
            guard !open.isEmpty else { return }
            for connection in open { connection.channel.eventLoop.execute { connection.handler.value.beginDrain() } }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let remaining = state.withLock { Array($0.connections.values) }
        for connection in remaining {
            connection.channel.eventLoop.execute { connection.handler.value.forceClose() }
        }
        for connection in remaining {
            try? await connection.channel.closeFuture.get()
        }
    }
}

/// Answers a connection a server will not hold: sends `answer` (the reason) as soon as the
/// connection is active, then closes it without leaving the client a reset. Whatever the client
/// sends is read and dropped: closing with its bytes unread would make the kernel reset the
/// connection, and most clients would then lose the answer (they send at once on connecting). So
/// the refusal shuts its side, waits for the client to close — at most `linger` — and closes.
public final class ConnectionRefusal: ChannelInboundHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer
    private let answer: [UInt8]
    private let linger: TimeAmount
    private var refused = false

    /// A refusal sending `answer`, waiting at most `linger` for the client to close.
    public init(answer: [UInt8], linger: TimeAmount = .milliseconds(500)) {
        self.answer = answer
        self.linger = linger
    }

    /// A refusal sending a GOAWAY with `status`.
    convenience init(status: Status) {
        var buffer = ByteBuffer()
        _ = try? Frame(callID: 0, kind: .goaway, status: status).encodeLengthPrefixed(into: &buffer)
        self.init(answer: Array(buffer.readableBytesView))
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        refuse(context)
        context.fireChannelActive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    public func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    private func refuse(_ context: ChannelHandlerContext) {
        guard !refused else { return }
        refused = true
        let bytes = context.channel.allocator.buffer(bytes: answer)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(bytes)).assumeIsolated().whenComplete { _ in
            // The client reads the answer, sees our end closed and closes (its end of file
            // closes the channel); one that does not is closed after the linger.
            channel.close(mode: .output, promise: nil)
            let timer = channel.eventLoop.scheduleTask(in: self.linger) { channel.close(promise: nil) }
            channel.closeFuture.whenComplete { _ in timer.cancel() }
        }
    }
}
