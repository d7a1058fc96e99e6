import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOCore
import Prometheus
import ProtoJSON
import RPC
import ServiceLifecycle
import Synchronization
import Wire

/// Builds the gateway: the JSON API under `/v1`, `/healthz`, `/readyz`, `/metrics`, `/openapi.json`.
public enum GatewayApplication {
    /// Where `/metrics` reads from; swift-metrics is bootstrapped with it once per process.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Installs the Prometheus metrics backend, once per process.
    public static func bootstrapMetrics() {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
    }

    /// The application; `onListening` hears the bound port.
    public static func build(
        configuration: GatewayConfiguration,
        backends: Backends,
        logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        bootstrapMetrics()
        let router = Hummingbird.Router(context: BasicRequestContext.self)
        let traffic = configuration.traffic
        router.middlewares.add(ResponseHeadersMiddleware(corsOrigins: traffic.corsOrigins))
        router.middlewares.add(ErrorMiddleware(logger: logger))
        router.middlewares.add(RequestMetricsMiddleware())
        // Before anything that costs: under overload, most requests stop here.
        if traffic.maximumRequestsInFlight > 0 {
            router.middlewares.add(
                AdmissionMiddleware(limit: ConcurrencyLimit(maximum: traffic.maximumRequestsInFlight)))
        }
        if traffic.addressRate > 0 {
            router.middlewares.add(
                RateLimitMiddleware(
                    limiter: RateLimiter(
                        rate: traffic.addressRate, burst: max(1, traffic.addressRate * traffic.burstSeconds)),
                    key: .address, trustedProxies: traffic.trustedProxies))
        }
        if let tokens = configuration.tokens {
            router.middlewares.add(AuthenticationMiddleware(verifier: tokens, backends: backends))
        }
        if traffic.principalRate > 0 {
            router.middlewares.add(
                RateLimitMiddleware(
                    limiter: RateLimiter(
                        rate: traffic.principalRate, burst: max(1, traffic.principalRate * traffic.burstSeconds)),
                    key: .principal, trustedProxies: []))
        }
        BindingRoutes.register(
            ServedAPI.all, backends: backends, maximumBodySize: configuration.maximumBodySize, in: router)
        NotificationStream.register(
            in: router, backends: backends, heartbeat: configuration.streamHeartbeat,
            maximumStreams: configuration.maximumStreams)
        router.get("healthz") { _, _ in respondJSON(.object(["status": .string("ok")])) }
        router.get("readyz") { _, _ in try await readiness(backends, tokens: configuration.tokens) }
        router.get("metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        let serverName = "mentornet-gateway"
        return Application(
            router: router,
            server: .directHTTP1(
                responder: router.buildResponder(),
                configuration: .init(
                    serverName: serverName, maximumBodySize: configuration.maximumBodySize,
                    idleTimeout: .nanoseconds(Int64(configuration.traffic.idleTimeoutSeconds * 1e9)),
                    connections: configuration.maximumConnections.map { ConcurrencyLimit(maximum: $0) })),
            configuration: .init(
                // A burst of new connections waits in the kernel rather than having its SYNs dropped
                // (which costs each client a 1 s retransmission); the kernel caps it at somaxconn.
                address: .hostname(configuration.host, port: configuration.port), serverName: serverName,
                backlog: 4096),
            // Only with a key set to fetch: a service that returns would end the application.
            services: configuration.tokens.flatMap { $0.fetchesKeys ? [KeyRefresh(verifier: $0)] : nil } ?? [],
            onServerRunning: { channel in
                // Accept up to 64 connections per read of the listener instead of SwiftNIO's 4: under
                // a flood the event loop's turns grow long, and 4 a turn let new clients wait seconds.
                try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: 64)
                onListening(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger
        )
    }

    /// Fetches the identity provider's key set again from time to time, while the gateway runs.
    struct KeyRefresh: Service {
        let verifier: TokenVerifier
        func run() async throws {
            try await cancelWhenGracefulShutdown { await verifier.refreshKeysPeriodically() }
        }
    }

    /// 200 when every backend says SERVING and tokens can be checked, else 503 naming what is not.
    static func readiness(_ backends: Backends, tokens: TokenVerifier?) async throws -> Response {
        var states: [String: JSONValue] = [:]
        var ready = true
        var fields: [String: JSONValue] = [:]
        if let problem = tokens?.keyProblem {
            ready = false
            fields["tokens"] = .string(problem)
        }
        for (name, client) in backends.all {
            do {
                let response = try await client.unary(
                    HealthAPI.check, HealthCheckRequest(), options: CallOptions(timeout: .seconds(1)))
                states[name] = .string(response.status == .serving ? "SERVING" : "NOT_SERVING")
                ready = ready && response.status == .serving
            } catch {
                states[name] = .string("UNAVAILABLE: \(error.message)")
                ready = false
            }
        }
        fields["status"] = .string(ready ? "ready" : "not ready")
        fields["backends"] = .object(states)
        return respondJSON(.object(fields), status: ready ? .ok : .serviceUnavailable)
    }
}

/// Turns every error into the JSON error body; unexpected ones are logged and become 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as RPCError {
            throw APIError(error)
        } catch let error as JSONError {
            throw APIError(error)
        } catch let error as HTTPError {
            if error.status == .notFound {
                throw APIError(.notFound, "no route \(request.method) \(request.uri.path)", httpStatus: .notFound)
            }
            if error.status == .methodNotAllowed {
                throw APIError(
                    .unimplemented, "\(request.method) is not allowed on \(request.uri.path)",
                    httpStatus: .methodNotAllowed)
            }
            throw APIError(.invalidArgument, error.body ?? "bad request", httpStatus: error.status)
        } catch {
            logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            throw APIError(.internal, "internal error")
        }
    }
}
