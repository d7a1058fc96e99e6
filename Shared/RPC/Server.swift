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
                .serverChannelOption(.backlog, value: 256)
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
        let serial = state.withLock { state -> UInt64 in
            state.serial += 1
            return state.serial
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
