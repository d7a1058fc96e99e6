import Foundation
import Hummingbird
import ProfilesV1
import RPC
import Wire

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
    /// Where API keys (`Bearer mnk_…`) are checked: the profiles service, asked on every request
    /// made with one, so a revocation takes effect at once.
    let backends: Backends

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
        let authorization = request.headers[.authorization]
        let principal: Principal
        if let key = Self.apiKey(authorization) {
            principal = try await apiKeyPrincipal(key)
        } else {
            principal = try await verifier.principal(authorization: authorization)
        }
        return try await RequestPrincipal.$current.withValue(principal) { try await next(request, context) }
    }

    /// The API key in `Authorization: Bearer mnk_…`, if that is what it holds.
    static func apiKey(_ authorization: String?) -> String? {
        guard let authorization, authorization.utf8.count > 11 else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].hasPrefix("mnk_") else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// The principal of an API key: an admin of its network within its scopes.
    private func apiKeyPrincipal(_ secret: String) async throws(APIError) -> Principal {
        let key: ApiKey
        do {
            // As the gateway itself (no principal is set yet).
            key = try await backends.call(
                backends.client("profiles"), "profiles", ProfilesAPI.authenticateApiKey,
                AuthenticateApiKeyRequest(key: secret))
        } catch  where error.code == .unauthenticated {
            throw TokenVerifier.unauthenticated(error.message)
        }
        return Principal(
            subject: "apikey:" + key.id, adminNetworks: [key.network], apiKey: key.id, scopes: key.scopes)
    }
}
