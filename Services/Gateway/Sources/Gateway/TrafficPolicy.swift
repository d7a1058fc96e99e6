import Foundation
import HTTPTypes
import Hummingbird
import RPC
import Wire

/// What the gateway does about abuse and browsers (docs/security.md, "Abuse resistance"): rate
/// limits per principal and per client address, the web origins allowed to call it (CORS), and
/// which proxies may say who the client is.
public struct TrafficSettings: Sendable {
    /// Requests a second each principal (token subject) may make on average; 0: no limit.
    public var principalRate: Double
    /// Requests a second each client address may make on average; 0: no limit.
    public var addressRate: Double
    /// How many seconds of requests a client may send at once (the bucket holds rate × this).
    public var burstSeconds: Double
    /// Web origins (`https://app.example.org`) whose pages may call the API; `*` for any.
    public var corsOrigins: [String]
    /// Addresses of the proxies in front of the gateway: from them, the client's address is the
    /// last one in `X-Forwarded-For` that is not a trusted proxy's.
    public var trustedProxies: Set<String>
    /// Seconds a connection may hold the gateway without a request to answer: idle between
    /// requests, or sending one too slowly to finish it. Then it is closed (408 when a request had
    /// begun). A request being answered, a live stream included, is never timed out.
    public var idleTimeoutSeconds: Double
    /// Requests answered at once (health, readiness and metrics apart; a live stream counts until
    /// it starts); one more is answered 503 at once, so that under overload the requests taken
    /// are answered in bounded time and the rest are told to come back; 0: no limit.
    public var maximumRequestsInFlight: Int

    /// Settings; the defaults limit no rate and no concurrency (`mentornet-gateway` reads its
    /// limits from the environment, with defaults of its own).
    public init(
        principalRate: Double = 0, addressRate: Double = 0, burstSeconds: Double = 2, corsOrigins: [String] = [],
        trustedProxies: Set<String> = [], idleTimeoutSeconds: Double = 60, maximumRequestsInFlight: Int = 0
    ) {
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maximumRequestsInFlight = maximumRequestsInFlight
        self.principalRate = principalRate
        self.addressRate = addressRate
        self.burstSeconds = burstSeconds
        self.corsOrigins = corsOrigins
        self.trustedProxies = trustedProxies
    }

    /// The environment variables read.
    public enum Variable {
        public static let principalRate = "MENTORNET_RATE_LIMIT_PER_PRINCIPAL"
        public static let addressRate = "MENTORNET_RATE_LIMIT_PER_ADDRESS"
        public static let burstSeconds = "MENTORNET_RATE_LIMIT_BURST_SECONDS"
        public static let corsOrigins = "MENTORNET_CORS_ORIGINS"
        public static let trustedProxies = "MENTORNET_TRUSTED_PROXIES"
        public static let idleTimeoutSeconds = "MENTORNET_HTTP_IDLE_TIMEOUT_SECONDS"
        public static let maximumRequestsInFlight = "MENTORNET_MAX_REQUESTS_IN_FLIGHT"
    }

    /// `mentornet-gateway`'s defaults: 50 requests a second per principal, 200 per address, 2
    /// seconds of burst, no CORS origin, no trusted proxy, connections idle for 60 s closed, 256
    /// requests answered at once.
    public static let defaults = TrafficSettings(
        principalRate: 50, addressRate: 200, burstSeconds: 2, maximumRequestsInFlight: 256)

    /// Reads the settings from the environment; a bad value names its variable.
    public static func fromEnvironment(_ value: (String) -> String?) throws(TokenSettingsError) -> TrafficSettings {
        func read(_ name: String) -> String? {
            value(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        func number(_ name: String, _ range: ClosedRange<Double>, _ fallback: Double) throws(TokenSettingsError)
            -> Double
        {
            guard let text = read(name) else { return fallback }
            guard let number = Double(text), number.isFinite, range.contains(number) else {
                throw TokenSettingsError(
                    "\(name) must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)), not \"\(text)\""
                )
            }
            return number
        }
        var settings = defaults
        settings.principalRate = try number(Variable.principalRate, 0...1_000_000, defaults.principalRate)
        settings.addressRate = try number(Variable.addressRate, 0...1_000_000, defaults.addressRate)
        settings.burstSeconds = try number(Variable.burstSeconds, 1...3600, defaults.burstSeconds)
        settings.idleTimeoutSeconds = try number(Variable.idleTimeoutSeconds, 1...3600, defaults.idleTimeoutSeconds)
        if let text = read(Variable.maximumRequestsInFlight) {
            guard let limit = Int(text), (0...1_000_000).contains(limit) else {
                throw TokenSettingsError(
                    "\(Variable.maximumRequestsInFlight) must be a whole number from 0 (no limit) to 1000000, not \"\(text)\""
                )
            }
            settings.maximumRequestsInFlight = limit
        }
        let origins =
            read(Variable.corsOrigins)?.split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty } ?? []
        for origin in origins where origin != "*" {
            guard let url = URL(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host != nil, url.path.isEmpty, url.query == nil
            else {
                throw TokenSettingsError(
                    "\(Variable.corsOrigins) takes origins such as https://app.example.org (scheme, host, port; no path), "
                        + "or *; not \"\(origin)\"")
            }
        }
        settings.corsOrigins = origins
        settings.trustedProxies = Set(
            read(Variable.trustedProxies)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty } ?? [])
        return settings
    }
}

/// The address of the client of the connection being served (set per connection by the HTTP
/// server).
enum ClientAddress {
    @TaskLocal static var current: String?

    /// The client's address for `request`: the connection's peer, or — when the peer is a trusted
    /// proxy — the last address in `X-Forwarded-For` that is not a trusted proxy's.
    static func of(_ request: Request, trusting proxies: Set<String>) -> String {
        let peer = current ?? "unknown"
        guard proxies.contains(peer), let forwarded = request.headers[.xForwardedFor] else { return peer }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return hops.last { !proxies.contains($0) && !$0.isEmpty } ?? peer
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let retryAfter = HTTPField.Name("Retry-After")!
}

/// Refuses requests over a limit with 429, `Retry-After` and a message saying which limit; health,
/// readiness and metrics are exempt. Keyed by client address (before authentication, so a flood
/// of bad tokens is stopped before they are checked) or by the principal's subject (after).
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    enum Key { case address, principal }
    let limiter: RateLimiter
    let key: Key
    let trustedProxies: Set<String>

    /// Paths never limited: what orchestrators and monitoring poll.
    static let exempt: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if Self.exempt.contains(request.uri.path) { return try await next(request, context) }
        let name: String
        switch key {
        case .address:
            name = ClientAddress.of(request, trusting: trustedProxies)
        case .principal:
            guard let principal = RequestPrincipal.current else { return try await next(request, context) }
            name = principal.subject
        }
        if let wait = limiter.take(name) {
            let seconds = max(1, Int(wait.rounded(.up)))
            var error = APIError(
                .resourceExhausted,
                "too many requests from this \(key == .address ? "address" : "token"): at most "
                    + "\(Self.format(limiter.rate)) a second (bursts of \(Int(limiter.burst))); retry after \(seconds) s"
            )
            error.headers[.retryAfter] = String(seconds)
            throw error
        }
        return try await next(request, context)
    }

    static func format(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}

/// Answers at most a set number of requests at once (`TrafficSettings.maximumRequestsInFlight`):
/// one more is refused at once with 503 and `Retry-After`, before its token is checked. Health,
/// readiness and metrics are exempt, so an overloaded gateway still says how it is.
struct AdmissionMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let limit: ConcurrencyLimit
    /// The refusal, made once: under overload it is most of what the gateway answers.
    private let refusal: Response

    init(limit: ConcurrencyLimit) {
        self.limit = limit
        var error = APIError(
            .unavailable, "the gateway is answering its maximum of \(limit.maximum) requests at once; retry after 1 s")
        error.headers[.retryAfter] = "1"
        refusal = (try? error.response()) ?? Response(status: .serviceUnavailable, headers: [.retryAfter: "1"])
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if RateLimitMiddleware.exempt.contains(request.uri.path) { return try await next(request, context) }
        guard limit.admit() else { return refusal }
        defer { limit.release() }
        return try await next(request, context)
    }
}

/// Headers every response carries, and CORS for the allowed web origins (answering their
/// preflight requests before authentication, since browsers send those without credentials).
struct ResponseHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let corsOrigins: [String]

    /// What a browser should and should not do with an API response.
    static let securityHeaders: [(HTTPField.Name, String)] = [
        (.init("X-Content-Type-Options")!, "nosniff"),
        (.init("X-Frame-Options")!, "DENY"),
        (.init("Content-Security-Policy")!, "default-src 'none'; frame-ancestors 'none'"),
        (.init("Referrer-Policy")!, "no-referrer"),
        (.init("Strict-Transport-Security")!, "max-age=31536000"),
    ]
    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE"
    static let allowedHeaders = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, Last-Event-ID"
    static let exposedHeaders = "ETag, Location, Retry-After, WWW-Authenticate"

    func allows(_ origin: String) -> Bool { corsOrigins.contains("*") || corsOrigins.contains(origin) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let origin = request.headers[.origin]
        var response: Response
        if request.method == .options, let origin, request.headers[.accessControlRequestMethod] != nil {
            // A preflight: allowed origins learn what they may send; others are told no.
            if allows(origin) {
                response = Response(status: .noContent)
                response.headers[.accessControlAllowMethods] = Self.allowedMethods
                response.headers[.accessControlAllowHeaders] = Self.allowedHeaders
                response.headers[.accessControlMaxAge] = "600"
            } else {
                response = try APIError(
                    .permissionDenied, "origin \(origin) may not call this API (MENTORNET_CORS_ORIGINS)"
                ).response(from: request, context: context)
            }
        } else {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
        }
        for (name, value) in Self.securityHeaders where response.headers[name] == nil {
            response.headers[name] = value
        }
        if request.uri.path.hasPrefix("/v1/"), response.headers[.cacheControl] == nil,
            !request.uri.path.hasPrefix("/v1/calendars/")
        {
            response.headers[.cacheControl] = "no-store"
        }
        if let origin, allows(origin) {
            response.headers[.accessControlAllowOrigin] = corsOrigins.contains("*") ? "*" : origin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
            if !corsOrigins.contains("*") { response.headers[.vary] = "Origin" }
        }
        return response
    }
}
