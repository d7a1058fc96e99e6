import HTTPTypes
import Hummingbird
import Metrics
import Synchronization

/// Counts and times every request by route, method and status, under the names Hummingbird's
/// `MetricsMiddleware` uses (`hb_requests`, `http_server_request_duration`, `hb_request_errors`,
/// `http_server_active_requests`).
///
/// It records when the handler hands back its response rather than after the body has been
/// written: Hummingbird's middleware turns every body into a closure to time the write, which
/// makes the server write the head and the body in two system calls and two trips through the
/// channel's writer. The gateway's bodies are complete buffers, so the difference in what is
/// measured is the copy into the socket.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    private let cache = MetricCache<EndpointKey, EndpointMetrics>()
    private let active = MetricCache<HTTPRequest.Method, Meter>()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let method = request.method
        let activeRequests = active.value(for: method) {
            Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.description)])
        }
        activeRequests.increment()
        defer { activeRequests.decrement() }
        do {
            let response = try await next(request, context)
            metrics(context.endpointPath ?? "Unknown", method, response.status).record(since: start, failed: false)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics(context.endpointPath ?? "NotFound", method, status).record(since: start, failed: true)
            throw error
        }
    }

    private func metrics(_ route: String, _ method: HTTPRequest.Method, _ status: HTTPResponse.Status)
        -> EndpointMetrics
    {
        let key = EndpointKey(route: route, method: method, status: status.code)
        return cache.value(for: key) { EndpointMetrics(key) }
    }
}

private struct EndpointKey: Hashable, Sendable {
    let route: String
    let method: HTTPRequest.Method
    let status: Int
}

private struct EndpointMetrics: Sendable {
    let requests: Counter
    let duration: Timer
    let errors: Counter

    init(_ key: EndpointKey) {
        let dimensions = [
            ("http.route", key.route),
            ("http.request.method", key.method.description),
            ("http.response.status_code", key.status.description),
        ]
        requests = Counter(label: "hb.requests", dimensions: dimensions)
        duration = Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
        errors = Counter(
            label: "hb.request.errors",
            dimensions: [
                ("http.route", key.route), ("http.request.method", key.method.description),
                ("error.type", key.status.description),
            ])
    }

    func record(since start: ContinuousClock.Instant, failed: Bool) {
        requests.increment()
        if failed { errors.increment() } else { duration.recordInterval(since: start) }
    }
}

/// Metric handles made once per key: making one asks the metrics backend to look its series up by
/// label and dimensions, which costs more than recording a value.
final class MetricCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let values = Mutex<[Key: Value]>([:])

    /// The handle for `key`, made by `make` the first time.
    func value(for key: Key, make: () -> Value) -> Value {
        values.withLock { values in
            if let value = values[key] { return value }
            let value = make()
            values[key] = value
            return value
        }
    }
}
