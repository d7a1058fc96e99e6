import Foundation
import Metrics
import RPC
import Wire

/// The gateway's clients of the services, with a deadline and metrics on every call.
public struct Backends: Sendable {
    /// A client per backend service, by name.
    private let clients: [String: Client]
    private let timeout: Duration
    private let timers = MetricCache<TimerKey, Timer>()

    private struct TimerKey: Hashable, Sendable {
        let backend: String
        let method: String
        let code: StatusCode
    }

    /// Clients for `configuration`'s addresses; they connect on first use and reconnect by themselves.
    public init(configuration: GatewayConfiguration) {
        func client(_ host: String, _ port: Int) -> Client {
            Client(
                configuration: ClientConfiguration(
                    host: host, port: port, connectTimeout: configuration.backendConnectTimeout,
                    initialBackoff: .milliseconds(50),
                    maximumBackoff: .seconds(1), credential: configuration.credential, tls: configuration.backendTLS))
        }
        clients = configuration.backends.mapValues { client($0.host, $0.port) }
        timeout = configuration.backendTimeout
    }

    /// The client of backend `name` (a key of `GatewayConfiguration.backends`).
    func client(_ name: String) -> Client {
        guard let client = clients[name] else { preconditionFailure("no backend named \(name) is configured") }
        return client
    }

    /// Every backend by name, for readiness.
    var all: [(name: String, client: Client)] { clients.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

    /// Calls `method` on `client`, timing it by backend, method and outcome.
    func call<Request, Response>(
        _ client: Client,
        _ backend: String,
        _ method: MethodDescriptor<Request, Response>,
        _ request: Request,
        metadata: Metadata = Metadata()
    ) async throws(APIError) -> Response {
        let start = ContinuousClock.now
        var code = StatusCode.ok
        defer {
            let key = TimerKey(backend: backend, method: method.name, code: code)
            timers.value(for: key) {
                let dimensions = [("backend", backend), ("method", method.name), ("code", code.description)]
                return Timer(
                    label: "mentornet_backend_call_duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
            }.recordInterval(since: start)
        }
        var metadata = metadata
        if let principal = RequestPrincipal.current { metadata.principal = principal.metadataValue }
        do {
            return try await client.unary(method, request, options: CallOptions(timeout: timeout, metadata: metadata))
        } catch {
            code = error.code
            throw APIError(error)
        }
    }

    /// Closes every client.
    public func close() {
        for client in clients.values { client.close() }
    }
}

extension Timer {
    /// Records the time since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
