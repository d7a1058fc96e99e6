import Foundation
import Hummingbird
import ProfilesV1
import RPC
import Synchronization
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
    /// Finds the member a token's holder is, when tokens do not name members themselves.
    let members: MemberResolver

    init(verifier: TokenVerifier, backends: Backends) {
        self.verifier = verifier
        self.backends = backends
        members = MemberResolver(backends: backends)
    }

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
            let token = try await verifier.verify(authorization: authorization)
            principal = try await members.principal(of: token)
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
        return Principal.apiKey(id: key.id, network: key.network, scopes: key.scopes)
    }
}

/// Finds the member a token's holder is by the subject linked at sign-up or a verified email
/// (`MENTORNET_JWT_MEMBER_MAPPING`), asking profiles. A member found is remembered for a minute
/// (a link never changes; an email can, and a minute bounds how long the old owner keeps it); a
/// holder who is no member yet is asked about again on each request, so the request after
/// signing up acts as the new member.
final class MemberResolver: Sendable {
    private let backends: Backends
    private let found = Mutex<[MemberLookup: (member: String, until: ContinuousClock.Instant)]>([:])
    static let remembered = Duration.seconds(60)
    static let limit = 10_000

    init(backends: Backends) {
        self.backends = backends
    }

    /// The token's principal, with its member when one is found.
    func principal(of token: VerifiedToken) async throws(APIError) -> Principal {
        guard let lookup = token.lookup else { return token.principal }
        var principal = token.principal
        principal.member = try await member(for: lookup)
        return principal
    }

    private func member(for lookup: MemberLookup) async throws(APIError) -> String? {
        let now = ContinuousClock.now
        if let hit = found.withLock({ $0[lookup] }), hit.until > now { return hit.member }
        var request = ResolveMemberRequest()
        switch lookup {
        case .subject(let subject): request.subject = subject
        case .email(let email): request.email = email
        }
        let member: String
        do {
            // As the gateway itself: the principal is what is being found.
            member = try await backends.call(
                backends.client("profiles"), "profiles", ProfilesAPI.resolveMember, request
            ).memberID
        } catch  where error.code == .notFound {
            return nil
        }
        found.withLock { cache in
            if cache.count >= Self.limit { cache.removeAll(keepingCapacity: true) }
            cache[lookup] = (member, now + Self.remembered)
        }
        return member
    }
}
