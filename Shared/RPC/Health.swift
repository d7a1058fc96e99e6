import Synchronization
import Wire

/// gRPC health semantics over a deep check: the server is SERVING only while `probe` passes
/// (e.g. its database answers) and it has not begun shutting down.
public final class HealthService: HealthHandler {
    private let probe: @Sendable () async -> Bool
    private let pollInterval: Duration
    private let limits: (calls: UInt32, frameSize: UInt32)
    private let state = Mutex(State())

    private struct State {
        var services: [String: HealthCheckResponse.ServingStatus] = ["": .serving]
        var shuttingDown = false
    }

    /// A health service; `probe` is the deep check, run on every Check and every poll of a Watch.
    /// Its answers advertise the connection limits of `configuration` (the server's).
    public init(
        services: [String] = [],
        pollInterval: Duration = .seconds(1),
        configuration: ServerConfiguration = ServerConfiguration(),
        probe: @escaping @Sendable () async -> Bool = { true }
    ) {
        self.probe = probe
        self.pollInterval = pollInterval
        self.limits = (
            UInt32(clamping: configuration.maximumConcurrentCalls), UInt32(clamping: configuration.maximumFrameSize)
        )
        state.withLock { state in
            for service in services { state.services[service] = .serving }
        }
    }

    /// Sets a service's status by hand (e.g. NOT_SERVING while a migration runs).
    public func setStatus(_ status: HealthCheckResponse.ServingStatus, for service: String = "") {
        state.withLock { $0.services[service] = status }
    }

    /// Reports NOT_SERVING from now on: the server is shutting down.
    public func enterShutdown() {
        state.withLock { $0.shuttingDown = true }
    }

    /// The status of `service` now, running the deep check; nil when the service is unknown.
    public func status(of service: String) async -> HealthCheckResponse.ServingStatus? {
        let (declared, shuttingDown) = state.withLock { ($0.services[service], $0.shuttingDown) }
        guard let declared else { return nil }
        if shuttingDown { return .notServing }
        guard declared == .serving else { return declared }
        return await probe() ? .serving : .notServing
    }

    /// Check: the current status; NOT_FOUND when the service is unknown.
    public nonisolated(nonsending) func check(
        _ request: HealthCheckRequest, context: CallContext
    ) async throws -> HealthCheckResponse {
        guard let status = await status(of: request.service) else {
            throw RPCError(.notFound, "unknown service \"\(request.service)\"")
        }
        return response(status)
    }

    private func response(_ status: HealthCheckResponse.ServingStatus) -> HealthCheckResponse {
        HealthCheckResponse(status: status, maxCallsInFlight: limits.calls, maxFrameSize: limits.frameSize)
    }

    /// Watch: the current status, then every change until the call ends.
    public nonisolated(nonsending) func watch(
        _ request: HealthCheckRequest, writer: ResponseStreamWriter<HealthCheckResponse>, context: CallContext
    ) async throws {
        var last: HealthCheckResponse.ServingStatus?
        while !Task.isCancelled {
            let now = await status(of: request.service) ?? .serviceUnknown
            if now != last {
                try await writer.write(response(now))
                last = now
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
