import NIOCore
import NIOPosix
import Synchronization
import Wire

/// A client of one MentorNet server. It keeps one connection, opens it on first use, reopens it
/// after the server goes away (backing off after failures), and carries many calls at once.
public final class Client: Sendable {
    /// Where it connects and how it backs off.
    public let configuration: ClientConfiguration
    private let group: any EventLoopGroup
    private let state = Mutex(State.idle)

    private enum State {
        case idle
        case connecting(EventLoopFuture<ClientConnection>)
        case ready(ClientConnection)
        case backingOff(until: ContinuousClock.Instant, failures: Int, error: String)
        case closed
    }

    /// Creates a client; nothing connects until the first call.
    public init(configuration: ClientConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// A client of `host:port` with default settings.
    public convenience init(host: String, port: Int) {
        self.init(configuration: ClientConfiguration(host: host, port: port))
    }

    // MARK: Calls

    /// Calls a unary method. Inlinable, so that the caller's module specialises the encode and
    /// decode for its own messages; the call itself is not generic.
    @inlinable
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = CallOptions()
    ) async throws(RPCError) -> Response {
        let payload = try encodeRequest(request)
        let response = try await unary(method.path, payload, options: options)
        return try decodeResponse(Response.self, response, method.path)
    }

    /// Sends an encoded request to `path` and waits for the encoded response.
    @usableFromInline
    func unary(_ path: String, _ payload: [UInt8], options: CallOptions) async throws(RPCError) -> [UInt8] {
        let (metadata, deadline) = try effective(options)
        let connection = try await connection(before: deadline)
        return try await connection.unary(path, payload, metadata, deadline)
    }

    /// Calls a server-streaming method; the stream ends when the call does, and throws its error.
    public func serverStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = CallOptions()
    ) -> AsyncThrowingStream<Response, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Response, any Error>.makeStream()
        let task = Task {
            do {
                let payload = try encodeRequest(request)
                let (metadata, deadline) = try effective(options)
                let connection = try await connection(before: deadline)
                let cancel = connection.serverStreaming(
                    method.path, payload, metadata, deadline,
                    onMessage: { bytes in
                        do {
                            continuation.yield(try decodeResponse(Response.self, bytes, method.path))
                        } catch {
                            continuation.finish(throwing: error)
                        }
                    },
                    onEnd: { result in
                        switch result {
                        case .success: continuation.finish()
                        case .failure(let error): continuation.finish(throwing: error)
                        }
                    }
                )
                continuation.onTermination = { termination in
                    if case .cancelled = termination { cancel() }
                }
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { task.cancel() }
        }
        return stream
    }

    /// Waits until the server accepts a connection and its health check says SERVING.
    public func waitUntilReady(timeout: Duration) async throws(RPCError) {
        let deadline = ContinuousClock.now + timeout
        var lastError = RPCError(.unavailable, "\(configuration.address) did not become ready within \(timeout)")
        while ContinuousClock.now < deadline {
            do {
                let response = try await unary(
                    HealthMethods.check,
                    HealthCheckRequest(),
                    options: CallOptions(timeout: min(deadline - .now, .seconds(1)))
                )
                if response.status == .serving { return }
                lastError = RPCError(.unavailable, "\(configuration.address) is \(response.status)")
            } catch {
                lastError = error
            }
            let pause = backoffRemaining() ?? .milliseconds(20)
            try? await Task.sleep(for: min(pause, max(deadline - .now, .zero)))
        }
        throw RPCError(
            .unavailable, "\(configuration.address) did not become ready within \(timeout): \(lastError.message)")
    }

    /// Closes the connection; later calls fail.
    public func close() {
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

    // MARK: Connections

    private func connection(before deadline: ContinuousClock.Instant?) async throws(RPCError) -> ClientConnection {
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

    private func connect(failures: Int) -> EventLoopFuture<ClientConnection> {
        let configuration = self.configuration
        let future = ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.microseconds(configuration.connectTimeout.microseconds))
            .channelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = ClientConnectionHandler(address: configuration.address) { [weak self, weak channel] in
                        guard let self, let channel else { return }
                        self.connectionWentAway(channel)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maximumFrameSize: configuration.maximumFrameSize))
                    )
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

    private func backoffRemaining() -> Duration? {
        state.withLock { state in
            if case .backingOff(let until, _, _) = state { return max(until - .now, .zero) }
            return nil
        }
    }

    // MARK: Helpers

    private func effective(_ options: CallOptions) throws(RPCError) -> (Metadata, ContinuousClock.Instant?) {
        var metadata = Metadata()
        let serving = CallContext.current
        if let serving {
            metadata.traceID = serving.traceID
            if let principal = serving.metadata.principal { metadata.principal = principal }
        }
        for entry in options.metadata.entries { metadata[entry.key] = entry.value }
        var deadline = (options.timeout ?? configuration.defaultTimeout).map { ContinuousClock.now + $0 }
        if let inherited = serving?.deadline { deadline = min(deadline ?? inherited, inherited) }
        if let deadline, deadline <= .now {
            throw RPCError(.deadlineExceeded, "deadline exceeded before the call was sent")
        }
        return (metadata, deadline)
    }
}

@inlinable
func encodeRequest<Request: ProtoMessage>(_ request: Request) throws(RPCError) -> [UInt8] {
    do {
        return try request.encoded()
    } catch {
        throw RPCError(.invalidArgument, "cannot encode the request: \(error)", cause: error)
    }
}

@inlinable
func decodeResponse<Response: ProtoMessage>(_ type: Response.Type, _ bytes: [UInt8], _ path: String)
    throws(RPCError) -> Response
{
    do {
        return try Response(decoding: bytes)
    } catch {
        throw RPCError(
            .internal, "the response of \(path) is not a valid \(Response.schema.fullName): \(error)", cause: error)
    }
}
