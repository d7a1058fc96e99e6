import Hummingbird
import RPC

/// The principal of the request being answered, set by `AuthenticationMiddleware`; `Backends`
/// sends it with every backend call the request makes.
enum RequestPrincipal {
    @TaskLocal static var current: Principal?
}

/// Every route needs a valid bearer token (401 with `WWW-Authenticate` otherwise) but the open
/// ones: health, readiness, metrics, the OpenAPI document, and calendar feeds, whose unguessable
/// token in the URL is their credential (calendar apps send no headers).
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let verifier: TokenVerifier

    /// Paths answered without a token.
    static let openPaths: Set<String> = ["/healthz", "/readyz", "/metrics", "/openapi.json"]
    /// Path prefixes answered without a token, for GET.
    static let openPrefixes = ["/v1/calendars/"]

    /// Whether `method path` is answered without a token.
    static func isOpen(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        if openPaths.contains(path) { return true }
        return method == .get && openPrefixes.contains { path.hasPrefix($0) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.isOpen(request.method, request.uri.path) { return try await next(request, context) }
        let principal = try await verifier.principal(authorization: request.headers[.authorization])
        return try await RequestPrincipal.$current.withValue(principal) { try await next(request, context) }
    }
}
