import Synchronization
import Wire

/// The health methods every MentorNet server answers (`mentornet.health.v1.Health`).
public enum HealthMethods {
    /// The service's full name.
    public static let service = "mentornet.health.v1.Health"
    /// `Check`: the current status.
    public static let check = MethodDescriptor<HealthCheckRequest, HealthCheckResponse>(service: service, name: "Check")
    /// `Watch`: the status now and at every change.
    public static let watch = MethodDescriptor<HealthCheckRequest, HealthCheckResponse>(service: service, name: "Watch")
}

/// gRPC health semantics over a deep check: the server is SERVING only while `probe` passes
/// (e.g. its database answers) and it has not begun shutting down.
public final class HealthService: RPCService {
    private let probe: @Sendable () async -> Bool
    private let pollInterval: Duration
    private let state = Mutex(State())

    private struct State {
        var services: [String: HealthCheckResponse.ServingStatus] = ["": .serving]
        var shuttingDown = false
    }

    /// A health service; `probe` is the deep check, run on every Check and every poll of a Watch.
    public init(
        services: [String] = [],
        pollInterval: Duration = .seconds(1),
        probe: @escaping @Sendable () async -> Bool = { true }
    ) {
        self.probe = probe
        self.pollInterval = pollInterval
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

    /// Registers Check and Watch.
    public func register(in router: inout Router) {
        router.unary(HealthMethods.check) { request, _ in
            guard let status = await self.status(of: request.service) else {
                throw RPCError(.notFound, "unknown service \"\(request.service)\"")
            }
            return HealthCheckResponse(status: status)
        }
        router.serverStreaming(HealthMethods.watch) { request, writer, _ in
            var last: HealthCheckResponse.ServingStatus?
            while !Task.isCancelled {
                let now = await self.status(of: request.service) ?? .serviceUnknown
                if now != last {
                    try await writer.write(HealthCheckResponse(status: now))
                    last = now
                }
                try await Task.sleep(for: self.pollInterval)
            }
        }
    }
}
