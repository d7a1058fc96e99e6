import NIOCore
import NIOPosix
import Synchronization
import Wire

/// One connection of a client and its life: opened on first use, reopened after the server goes
/// away, backing off after failed attempts.
final class ConnectionSlot: Sendable {
    private let configuration: ClientConfiguration
    /// Where the connection's channel lives: the client's group, or one loop of it.
    private let group: any EventLoopGroup
    private let state = Mutex(State.idle)

    private enum State {
        case idle
        case connecting(EventLoopFuture<ClientConnection>)
        case ready(ClientConnection)
        case backingOff(until: ContinuousClock.Instant, failures: Int, error: String)
        case closed
    }

    init(configuration: ClientConfiguration, group: any EventLoopGroup) {
        self.configuration = configuration
        self.group = group
    }

    /// The open connection, opening one if there is none and no back-off is in force.
    func connection() async throws(RPCError) -> ClientConnection {
        enum Next {
            case use(ClientConnection)
            case wait(EventLoopFuture<ClientConnection>)
            case fail(RPCError)
        }
        let next = state.withLock { state -> Next in
            switch state {
            case .ready(let connection) where connection.isUsable:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .backingOff(let until, _, let error) where ContinuousClock.now < until:
                let wait = until - .now
                return .fail(
                    RPCError(.unavailable, "cannot reach \(configuration.address): \(error) (next attempt in \(wait))"))
            case .closed:
                return .fail(RPCError(.unavailable, "the client of \(configuration.address) is closed"))
            case .idle, .ready, .backingOff:
                let failures = if case .backingOff(_, let failures, _) = state { failures } else { 0 }
                let future = connect(failures: failures)
                state = .connecting(future)
                return .wait(future)
            }
        }
        switch next {
        case .use(let connection):
            return connection
        case .fail(let error):
            throw error
        case .wait(let future):
            do {
                return try await future.get()
            } catch {
                throw (error as? RPCError) ?? RPCError(.unavailable, "cannot reach \(configuration.address): \(error)")
            }
        }
    }

    /// The open connection, if there is one (no connecting, no waiting).
    var openConnection: ClientConnection? {
        state.withLock { state in
            if case .ready(let connection) = state, connection.isUsable { return connection }
            return nil
        }
    }

    /// Ends a back-off early (another connection to the same server just worked): the next call
    /// connects at once.
    func endBackoff() {
        state.withLock { state in
            if case .backingOff = state { state = .idle }
        }
    }

    /// How long the back-off after the last failure still lasts, or nil when not backing off.
    func backoffRemaining() -> Duration? {
        state.withLock { state in
            if case .backingOff(let until, _, _) = state { return max(until - .now, .zero) }
            return nil
        }
    }

    /// Closes the connection; later calls fail.
    func close() {
        let previous = state.withLock { state -> State in
            defer { state = .closed }
            return state
        }
        switch previous {
        case .ready(let connection): connection.close()
        case .connecting(let future): future.whenSuccess { $0.close() }
        default: break
        }
    }

    private func connect(failures: Int) -> EventLoopFuture<ClientConnection> {
        let configuration = self.configuration
        let future = ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.microseconds(configuration.connectTimeout.microseconds))
            .channelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ClientConnectionHandler(
                        address: configuration.address, maximumFrameSize: configuration.maximumFrameSize
                    ) { [weak self, weak channel] in
                        guard let self, let channel else { return }
                        self.connectionWentAway(channel)
                    }
                    if let tls = configuration.tls {
                        try channel.pipeline.syncOperations.addHandler(tls.clientHandler(host: configuration.host))
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: ClientConnectionHandler.self)
                return ClientConnection(channel: channel, handler: handler)
            }
        future.whenComplete { [self] result in
            state.withLock { state in
                guard case .connecting = state else {
                    if case .success(let connection) = result { connection.close() }
                    return
                }
                switch result {
                case .success(let connection):
                    state = .ready(connection)
                case .failure(let error):
                    let delay = backoff(afterFailures: failures + 1)
                    state = .backingOff(until: .now + delay, failures: failures + 1, error: "\(error)")
                }
            }
        }
        return future
    }

    private func connectionWentAway(_ channel: any Channel) {
        state.withLock { state in
            if case .ready(let connection) = state, connection.channel === channel {
                connection.markUnusable()
                state = .idle
            }
        }
    }

    private func backoff(afterFailures failures: Int) -> Duration {
        var delay = configuration.initialBackoff
        for _ in 1..<max(failures, 1) where delay < configuration.maximumBackoff { delay *= 2 }
        return min(delay, configuration.maximumBackoff)
    }
}
