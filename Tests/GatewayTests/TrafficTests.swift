import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceKit
import Synchronization
import Testing

/// Abuse resistance at the gateway: rate limits (per principal, per client address, proxies),
/// security headers, CORS, and logs that never hold a secret.
@Suite("abuse resistance: rate limits, security headers, CORS, masked logs")
struct TrafficTests {
    static func verifier() async throws -> TokenVerifier {
        try await TokenVerifier(
            settings: TokenSettings(
                hmacSecret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
                audience: AuthenticationTests.audience, memberClaim: "member"))
    }

    static func bearer(_ subject: String, admin: [String] = []) async throws -> HTTPFields {
        let token = try await TokenMinter.mint(
            secret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
            audience: AuthenticationTests.audience, subject: subject, member: nil, admin: admin, memberClaim: "member")
        var headers = jsonHeaders
        headers[.authorization] = "Bearer \(token)"
        return headers
    }

    @Test("a token bucket: a burst, then refusals saying how long to wait, then a refill")
    func bucket() {
        let now = Mutex(0.0)
        let limiter = RateLimiter(rate: 2, burst: 3, now: { now.withLock { $0 } })
        #expect((0..<3).map { _ in limiter.take("a") } == [nil, nil, nil])
        #expect(limiter.take("a") == 0.5)
        #expect(limiter.take("b") == nil)  // each key its own bucket
        now.withLock { $0 = 0.5 }
        #expect(limiter.take("a") == nil)
        #expect(limiter.take("a") == 0.5)
        now.withLock { $0 = 100 }
        #expect((0..<3).map { _ in limiter.take("a") } == [nil, nil, nil])
    }

    @Test("memory stays bounded however many clients come: quiet clients' buckets go first")
    func bounded() {
        let now = Mutex(0.0)
        let limiter = RateLimiter(rate: 1, burst: 2, maximumKeys: 160, now: { now.withLock { $0 } })
        for index in 0..<10_000 {
            now.withLock { $0 = Double(index) / 1000 }
            _ = limiter.take("client-\(index)")
        }
        #expect(limiter.keyCount <= 160)
        // A client held back keeps its bucket while others come and go... as long as it fits.
        let busy = RateLimiter(rate: 1, burst: 1, maximumKeys: 16_000, now: { now.withLock { $0 } })
        #expect(busy.take("x") == nil && busy.take("x") != nil)
        for index in 0..<100 { _ = busy.take("other-\(index)") }
        #expect(busy.take("x") != nil)
    }

    @Test("per principal: over the limit is 429 with Retry-After, nothing done; other tokens and health unaffected")
    func perPrincipal() async throws {
        // Refilling one request every 100 s: the test never waits long enough to see a refill.
        let traffic = TrafficSettings(principalRate: 0.01, burstSeconds: 300)
        try await withMatchingGateway(tokens: try await Self.verifier(), traffic: traffic) { client, _ in
            let ada = try await Self.bearer("ada", admin: ["acme"])
            for _ in 0..<3 {
                let response = try await client.execute(uri: "/v1/members", method: .get, headers: ada)
                #expect(response.status == .ok)
            }
            let refused = try await client.execute(
                uri: "/v1/members", method: .post, headers: ada, body: try body(memberBody(email: "late@example.org")))
            #expect(refused.status == .tooManyRequests)
            #expect(try errorCode(refused) == "RESOURCE_EXHAUSTED")
            let seconds = try #require(refused.headers[HTTPField.Name("Retry-After")!].flatMap { Int($0) })
            #expect((90...100).contains(seconds))
            let message = try #require((try json(refused)["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("at most 0.01 a second") && message.contains("token"), "\(message)")
            // Another token has its own bucket, and the refused create did not happen.
            let listed = try await client.execute(
                uri: "/v1/members", method: .get, headers: try await Self.bearer("bo", admin: ["acme"]))
            #expect(listed.status == .ok)
            #expect((try json(listed)["members"] as? [Any] ?? []).isEmpty)
            for _ in 0..<5 {
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            }
        }
    }

    @Test("per address: before the token is checked; behind a trusted proxy, per forwarded client")
    func perAddress() async throws {
        let traffic = TrafficSettings(addressRate: 0.01, burstSeconds: 200)
        try await withMatchingGateway(tokens: try await Self.verifier(), traffic: traffic) { client, _ in
            var statuses: [Int] = []
            for index in 0..<3 {
                // Bad tokens count too: a flood of them is stopped before any is verified.
                var headers = jsonHeaders
                headers[.authorization] = "Bearer not-a-token-\(index)"
                statuses.append(
                    try await client.execute(uri: "/v1/members", method: .get, headers: headers).status.code)
            }
            #expect(statuses == [401, 401, 429])
            // X-Forwarded-For is not heeded from a peer that is not a trusted proxy.
            var forwarded = try await Self.bearer("ada")
            forwarded[HTTPField.Name("X-Forwarded-For")!] = "203.0.113.9"
            #expect(try await client.execute(uri: "/v1/members", method: .get, headers: forwarded).status.code == 429)
        }
        let proxied = TrafficSettings(addressRate: 0.01, burstSeconds: 100, trustedProxies: ["127.0.0.1"])
        try await withMatchingGateway(tokens: try await Self.verifier(), traffic: proxied) { client, _ in
            func status(from address: String) async throws -> Int {
                var headers = try await Self.bearer("ada")
                headers[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.1, \(address)"
                return try await client.execute(uri: "/v1/members", method: .get, headers: headers).status.code
            }
            let first = try await status(from: "203.0.113.1")
            let again = try await status(from: "203.0.113.1")
            let other = try await status(from: "203.0.113.2")
            #expect(first == 200)
            #expect(again == 429)
            #expect(other == 200)
        }
    }

    @Test("security headers on every answer; CORS only for the allowed origins, preflight without a token")
    func headersAndCORS() async throws {
        let traffic = TrafficSettings(corsOrigins: ["https://app.example.org"])
        try await withMatchingGateway(tokens: try await Self.verifier(), traffic: traffic) { client, _ in
            let token = try await Self.bearer("ada", admin: ["acme"])
            for (uri, headers, expected) in [
                ("/v1/members", token, 200), ("/v1/members", jsonHeaders, 401),
                ("/v1/members/mbr_00000000000000000000000000", token, 404), ("/healthz", jsonHeaders, 200),
                ("/v1/nowhere", token, 404),
            ] {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                #expect(response.status.code == expected, "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(uri)")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                #expect(response.headers[HTTPField.Name("Content-Security-Policy")!] != nil, "\(uri)")
                if uri.hasPrefix("/v1/") { #expect(response.headers[.cacheControl] == "no-store", "\(uri)") }
                #expect(response.headers[.accessControlAllowOrigin] == nil, "no Origin, no CORS: \(uri)")
            }
            var preflight: HTTPFields = [:]
            preflight[.origin] = "https://app.example.org"
            preflight[.accessControlRequestMethod] = "POST"
            preflight[.accessControlRequestHeaders] = "authorization, content-type"
            let allowed = try await client.execute(uri: "/v1/members", method: .options, headers: preflight)
            #expect(allowed.status == .noContent)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.org")
            #expect(allowed.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(allowed.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            preflight[.origin] = "https://evil.example.com"
            let refused = try await client.execute(uri: "/v1/members", method: .options, headers: preflight)
            #expect(refused.status == .forbidden && refused.headers[.accessControlAllowOrigin] == nil)
            #expect(try errorCode(refused) == "PERMISSION_DENIED")

            var fromApp = token
            fromApp[.origin] = "https://app.example.org"
            let read = try await client.execute(uri: "/v1/members", method: .get, headers: fromApp)
            #expect(read.headers[.accessControlAllowOrigin] == "https://app.example.org")
            #expect(read.headers[.vary] == "Origin")
            #expect(read.headers[.accessControlExposeHeaders]?.contains("ETag") == true)
            fromApp[.origin] = "https://evil.example.com"
            let foreign = try await client.execute(uri: "/v1/members", method: .get, headers: fromApp)
            #expect(foreign.status == .ok && foreign.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("settings from the environment: defaults, and a bad value names its variable")
    func settings() throws {
        let defaults = try TrafficSettings.fromEnvironment { _ in nil }
        #expect(defaults.principalRate == 50 && defaults.addressRate == 200 && defaults.corsOrigins.isEmpty)
        #expect(defaults.idleTimeoutSeconds == 60 && defaults.maximumRequestsInFlight == 256)
        let set = try TrafficSettings.fromEnvironment {
            [
                "MENTORNET_RATE_LIMIT_PER_PRINCIPAL": "0", "MENTORNET_RATE_LIMIT_PER_ADDRESS": "12.5",
                "MENTORNET_CORS_ORIGINS": "https://app.example.org, http://localhost:3000",
                "MENTORNET_TRUSTED_PROXIES": "10.0.0.1,10.0.0.2", "MENTORNET_HTTP_IDLE_TIMEOUT_SECONDS": "5",
                "MENTORNET_MAX_REQUESTS_IN_FLIGHT": "0",
            ][$0]
        }
        #expect(set.principalRate == 0 && set.addressRate == 12.5)
        #expect(set.corsOrigins == ["https://app.example.org", "http://localhost:3000"])
        #expect(set.trustedProxies == ["10.0.0.1", "10.0.0.2"])
        #expect(set.idleTimeoutSeconds == 5 && set.maximumRequestsInFlight == 0)
        for (name, value) in [
            ("MENTORNET_RATE_LIMIT_PER_PRINCIPAL", "-1"), ("MENTORNET_RATE_LIMIT_PER_ADDRESS", "lots"),
            ("MENTORNET_RATE_LIMIT_BURST_SECONDS", "0"), ("MENTORNET_CORS_ORIGINS", "https://app.example.org/path"),
            ("MENTORNET_CORS_ORIGINS", "app.example.org"), ("MENTORNET_HTTP_IDLE_TIMEOUT_SECONDS", "0"),
            ("MENTORNET_HTTP_IDLE_TIMEOUT_SECONDS", "forever"), ("MENTORNET_MAX_REQUESTS_IN_FLIGHT", "-5"),
            ("MENTORNET_MAX_REQUESTS_IN_FLIGHT", "many"), ("MENTORNET_MAX_REQUESTS_IN_FLIGHT", "2.5"),
        ] {
            #expect { _ = try TrafficSettings.fromEnvironment { $0 == name ? value : nil } } throws: {
                "\($0)".contains(name)
            }
        }
    }

    @Test("log lines never hold a token, a key, the service secret, a calendar URL or a whole email")
    func maskedLogs() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVz"
        let cases: [(String, String, String)] = [
            ("authorization=Bearer \(jwt)", jwt, "[jwt]"),
            ("header Bearer opaque-token-123", "opaque-token-123", "Bearer [redacted]"),
            ("key mnk_4f3a9b8c7d6e5f", "4f3a9b8c7d6e5f", "mnk_[redacted]"),
            (
                "authorization: Service gateway 0123456789abcdef0123456789abcdef", "0123456789abcdef",
                "Service gateway [redacted]"
            ),
            ("GET /v1/calendars/cal_secret123abc failed", "cal_secret123abc", "/v1/calendars/[redacted]"),
            ("url ?token=hold-token-x&x=1", "hold-token-x", "token=[redacted]"),
            ("email ada.lovelace@example.org is taken", "ada.lovelace@", "a***@example.org"),
        ]
        for (line, secret, replacement) in cases {
            let masked = LogRedaction.mask(line)
            #expect(!masked.contains(secret), "\(masked)")
            #expect(masked.contains(replacement), "\(masked)")
        }
        let plain = "listening on 127.0.0.1:7101 member mbr_01abc version=3"
        #expect(LogRedaction.mask(plain) == plain)
    }
}
