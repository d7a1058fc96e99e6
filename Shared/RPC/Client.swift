import NIOCore
import NIOPosix
import Synchronization
import Wire

/// A client of one MentorNet server. It opens connections on first use, reopens them after the
/// server goes away (backing off after failures), and carries many calls at once on each.
///
/// A call made from one of the client's event loops (a handler of a service or of the gateway
/// running on its connection's loop) goes over a connection of that same loop: the request is
/// written and its response resumes the caller without waking another thread. Calls from anywhere
/// else share one connection.
public final class Client: Sendable {
    /// Where it connects and how it backs off.
    public let configuration: ClientConfiguration
    private let shared: ConnectionSlot
    private let perLoop: [ObjectIdentifier: ConnectionSlot]
    /// The credential's metadata value, made once.
    private let authorization: String?

    /// Creates a client; nothing connects until the first call.
    public init(configuration: ClientConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        authorization = configuration.credential?.metadataValue
        shared = ConnectionSlot(configuration: configuration, group: group)
        var perLoop: [ObjectIdentifier: ConnectionSlot] = [:]
        for loop in group.makeIterator() {
            perLoop[ObjectIdentifier(loop)] = ConnectionSlot(configuration: configuration, group: loop)
        }
        // A group of one loop needs no second connection: the shared one is on that loop.
        self.perLoop = perLoop.count > 1 ? perLoop : [:]
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
        var retries = 0
        while true {
            let connection = try await connection()
            do {
                return try await connection.unary(path, payload, metadata, deadline)
            } catch  where error.retryAfterMicros > 0 && retries < Self.refusalRetries {
                // Refused before it started for want of capacity: the protocol's retry rule.
                retries += 1
                let wait = Self.refusalBackoff(retryAfterMicros: error.retryAfterMicros, retry: retries)
                if let deadline, ContinuousClock.now.advanced(by: wait) >= deadline { throw error }
                do { try await Task.sleep(for: wait) } catch { throw RPCError(.cancelled, "the call was cancelled") }
            }
        }
    }

    /// How many times a unary call refused for calls in flight is sent again (docs/protocol.md,
    /// "Flow control").
    public static let refusalRetries = 8

    /// The wait before retry number `retry` (1, 2, …) of a call refused with `retryAfterMicros`:
    /// `retryAfterMicros × 2^(retry−1)`, at random between half of that and all of it, so that the
    /// refused calls of a burst do not all come back at once.
    public static func refusalBackoff(retryAfterMicros: UInt64, retry: Int) -> Duration {
        let full = Double(min(retryAfterMicros, 1_000_000)) * Double(1 << min(retry - 1, 10))
        return .microseconds(Int64(full * Double.random(in: 0.5...1.0)))
    }

    /// Calls a server-streaming method; the stream ends when the call does, and throws its error.
    public func serverStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        options: CallOptions = CallOptions()
    ) -> AsyncThrowingStream<Response, any Error> {
        let (stream, continuation) = AsyncThrowingStream<Response, any Error>.makeStream()
        // The stream's consumer may stop (cancel) at any moment: before the call starts, while it
        // connects, or after. Whichever comes second of "stopped" and "call started" cancels the
        // call on the server, so a stopped stream never leaves a call running there.
        let call = StreamCall()
        continuation.onTermination = { termination in
            if case .cancelled = termination { call.stop() }
        }
        let task = Task {
            do {
                let payload = try encodeRequest(request)
                let (metadata, deadline) = try effective(options)
                let connection = try await connection()
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
                call.started(cancel)
            } catch {
                continuation.finish(throwing: error)
            }
        }
        call.running(task)
        return stream
    }

    /// Waits until the server accepts a connection and its health check says SERVING.
    public func waitUntilReady(timeout: Duration) async throws(RPCError) {
        let deadline = ContinuousClock.now + timeout
        var lastError = RPCError(.unavailable, "\(configuration.address) did not become ready within \(timeout)")
        while ContinuousClock.now < deadline {
            do {
                let response = try await unary(
                    HealthAPI.check,
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

    /// Closes the connections; later calls fail.
    public func close() {
        shared.close()
        for slot in perLoop.values { slot.close() }
    }

    // MARK: Connections

    /// The connection slot for calls made on the current thread.
    private var slot: ConnectionSlot {
        if !perLoop.isEmpty, let loop = MultiThreadedEventLoopGroup.currentEventLoop,
            let slot = perLoop[ObjectIdentifier(loop)]
        {
            return slot
        }
        return shared
    }

    /// The connection for a call made here: this loop's own, or — while that one cannot be had
    /// (backing off after a failed attempt, say while the server restarted) — any other open
    /// connection of this client to the same server. A loop whose attempt failed would otherwise
    /// refuse its calls for the rest of its back-off even after another loop has reconnected;
    /// it also stops backing off, so its next call reconnects its own.
    private func connection() async throws(RPCError) -> ClientConnection {
        let slot = self.slot
        do {
            return try await slot.connection()
        } catch {
            for other in [shared] + perLoop.values where other !== slot {
                if let open = other.openConnection {
                    slot.endBackoff()
                    return open
                }
            }
            throw error
        }
    }

    private func backoffRemaining() -> Duration? {
        slot.backoffRemaining()
    }

    // MARK: Helpers

    private func effective(_ options: CallOptions) throws(RPCError) -> (Metadata, ContinuousClock.Instant?) {
        var metadata = Metadata()
        if let authorization { metadata[Metadata.authorizationKey] = authorization }
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

/// A server-streaming call's start and its consumer's stop, which may come in either order:
/// whichever comes second cancels (the task starting the call, and the call on the server).
private final class StreamCall: Sendable {
    private struct State {
        var stopped = false
        var task: Task<Void, Never>?
        var cancel: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// The consumer stopped.
    func stop() {
        let (task, cancel) = state.withLock { state in
            state.stopped = true
            return (state.task, state.cancel)
        }
        task?.cancel()
        cancel?()
    }

    /// The task starting the call runs.
    func running(_ task: Task<Void, Never>) {
        let stopped = state.withLock { state in
            state.task = task
            return state.stopped
        }
        if stopped { task.cancel() }
    }

    /// The call started on the server; `cancel` cancels it there.
    func started(_ cancel: @escaping @Sendable () -> Void) {
        let stopped = state.withLock { state in
            state.cancel = cancel
            return state.stopped
        }
        if stopped { cancel() }
    }
}
