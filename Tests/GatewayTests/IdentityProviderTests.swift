import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import NIOCore
import ProfilesV1
import RPC
import Synchronization
import TestSupport
import Testing
import Wire

/// An organisation's identity provider as the gateway meets it: its key set at a URL, rotated
/// while the gateway runs, and people whose tokens name no MentorNet member id — found by the
/// sign-in they linked when they signed up, or by their verified email.
@Suite("an identity provider's keys from a URL, and people mapped to members")
struct IdentityProviderTests {
    typealias Provider = AuthenticationTests.IdentityProvider

    /// A provider's JWKS endpoint on a free port: serves what `keys` holds (or `failing`'s status)
    /// and counts the fetches.
    final class KeyServer: Sendable {
        let keys = Mutex<[(kid: String, provider: Provider)]>([])
        let failing = Mutex<HTTPResponse.Status?>(nil)
        let fetches = Atomic<Int>(0)

        var jwks: String {
            let entries = keys.withLock { keys in
                keys.map { entry -> String in
                    let (x, y) = entry.provider.key.publicKey.parameters!
                    return #"{"kty":"EC","crv":"P-256","kid":"\#(entry.kid)","alg":"ES256","x":"\#(x)","y":"\#(y)"}"#
                }
            }
            return #"{"keys":["# + entries.joined(separator: ",") + "]}"
        }

        /// Runs `body` with the endpoint's URL.
        func serve<T: Sendable>(_ body: @escaping @Sendable (String) async throws -> T) async throws -> T {
            let router = Hummingbird.Router()
            router.get("jwks") { _, _ -> Response in
                self.fetches.add(1, ordering: .relaxed)
                if let status = self.failing.withLock({ $0 }) { return Response(status: status) }
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: self.jwks)))
            }
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            return try await app.test(.live) { client in
                try await body("http://127.0.0.1:\(try #require(client.port))/jwks")
            }
        }
    }

    static func settings(url: String, refetch: Duration = .zero) -> TokenSettings {
        var settings = TokenSettings(
            jwksURL: url, issuer: AuthenticationTests.issuer, audience: AuthenticationTests.audience)
        settings.jwksRefetchInterval = refetch
        return settings
    }

    /// The reason `token` is refused, or nil when it is accepted.
    static func refusal(_ verifier: TokenVerifier, _ token: String) async -> APIError? {
        do {
            _ = try await verifier.principal(token: token)
            return nil
        } catch {
            return error
        }
    }

    @Test("keys from a URL: a new key works at once, a withdrawn key stops working, though its token was verified")
    func rotation() async throws {
        let server = KeyServer()
        let (first, second) = (Provider(), Provider())
        server.keys.withLock { $0 = [("k1", first)] }
        try await server.serve { url in
            let verifier = try await TokenVerifier(settings: Self.settings(url: url))
            #expect(verifier.keyProblem == nil)
            let old = try await first.sign(AuthenticationTests.claims(sub: "m-1"), kid: "k1")
            #expect(try await verifier.principal(token: old).member == "m-1")
            // The provider starts signing with a second key: its first token fetches the set again.
            server.keys.withLock { $0.append(("k2", second)) }
            let new = try await second.sign(AuthenticationTests.claims(sub: "m-2"), kid: "k2")
            #expect(try await verifier.principal(token: new).member == "m-2")
            // The first key is withdrawn: its token, verified and remembered before, is refused.
            server.keys.withLock { _ = $0.removeFirst() }
            #expect(await verifier.refreshKeys())
            let refused = await Self.refusal(verifier, old)
            #expect(refused?.code == .unauthenticated)
            #expect(refused?.message.contains("not in the JWKS") == true)
            #expect(try await verifier.principal(token: new).member == "m-2")
        }
    }

    @Test("tokens naming keys the set lacks cause at most one fetch per interval")
    func unknownKeysFetchRarely() async throws {
        let server = KeyServer()
        let provider = Provider()
        server.keys.withLock { $0 = [("k1", provider)] }
        try await server.serve { url in
            let verifier = try await TokenVerifier(settings: Self.settings(url: url, refetch: .seconds(3600)))
            #expect(server.fetches.load(ordering: .relaxed) == 1)
            let forged = try await Provider().sign(AuthenticationTests.claims(), kid: "k9")
            for _ in 0..<50 {
                #expect(await Self.refusal(verifier, forged)?.message.contains("not in the JWKS") == true)
            }
            // The fetch at start was within the interval: no token made another.
            #expect(server.fetches.load(ordering: .relaxed) == 1)
        }
    }

    @Test("the set is fetched again on its schedule, without any token asking")
    func periodicRefresh() async throws {
        let server = KeyServer()
        let (first, second) = (Provider(), Provider())
        server.keys.withLock { $0 = [("k1", first)] }
        try await server.serve { url in
            var settings = Self.settings(url: url, refetch: .seconds(3600))
            settings.jwksRefresh = .seconds(1)
            let verifier = try await TokenVerifier(settings: settings)
            let refreshing = Task { await verifier.refreshKeysPeriodically() }
            defer { refreshing.cancel() }
            server.keys.withLock { $0 = [("k2", second)] }
            let token = try await second.sign(AuthenticationTests.claims(sub: "m-2"), kid: "k2")
            // An unknown key makes no fetch (the interval is an hour): only the schedule can.
            let deadline = ContinuousClock.now + .seconds(30)
            while await Self.refusal(verifier, token) != nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await verifier.principal(token: token).member == "m-2")
        }
    }

    @Test("a provider that cannot be reached: its tokens are 503 and the gateway is not ready, until it answers")
    func unreachable() async throws {
        let server = KeyServer()
        let provider = Provider()
        server.keys.withLock { $0 = [("k1", provider)] }
        server.failing.withLock { $0 = .internalServerError }
        try await server.serve { url in
            let verifier = try await TokenVerifier(settings: Self.settings(url: url, refetch: .seconds(3600)))
            #expect(verifier.keyProblem?.contains("HTTP 500") == true)
            let token = try await provider.sign(AuthenticationTests.claims(), kid: "k1")
            let refused = await Self.refusal(verifier, token)
            #expect(refused?.code == .unavailable)
            #expect(refused?.message.contains("could not be fetched") == true)
            try await withMatchingGateway(tokens: verifier) { client, _ in
                try await client.execute(uri: "/readyz", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let tokens = try json(response)["tokens"] as? String
                    #expect(tokens?.contains("HTTP 500") == true)
                }
                server.failing.withLock { $0 = nil }
                #expect(await verifier.refreshKeys())
                #expect(verifier.keyProblem == nil)
                // Ready once every backend also answers its health check within its second
                // (which a loaded machine may miss now and then).
                var ready = (status: HTTPResponse.Status.serviceUnavailable, body: "")
                let deadline = ContinuousClock.now + .seconds(20)
                while ready.status != .ok, ContinuousClock.now < deadline {
                    ready = try await client.execute(uri: "/readyz", method: .get) { response in
                        (response.status, String(buffer: response.body))
                    }
                }
                #expect(ready.status == .ok, "\(ready.body)")
                try await client.execute(
                    uri: "/v1/members/mbr_00000000000000000000000001", method: .get,
                    headers: [.authorization: "Bearer \(token)"]
                ) { response in
                    // Authenticated; the member does not exist.
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test("settings that cannot work name the problem: plain http to another host, file and URL, a bad mapping")
    func badSettings() async throws {
        for url in ["http://id.example.org/jwks", "ftp://127.0.0.1/jwks", "not a url"] {
            let error = await #expect(throws: TokenSettingsError.self) {
                _ = try await TokenVerifier(settings: Self.settings(url: url))
            }
            #expect(error?.description.contains("JWKS URL") == true, "\(String(describing: error))")
        }
        var both = Self.settings(url: "https://id.example.org/jwks")
        both.jwks = Provider().jwks
        let bothError = await #expect(throws: TokenSettingsError.self) { _ = try await TokenVerifier(settings: both) }
        #expect(bothError?.description.contains("not both") == true)
        let base = [
            "MENTORNET_JWKS_URL": "https://id.example.org/jwks", "MENTORNET_JWT_ISSUER": "i",
            "MENTORNET_JWT_AUDIENCE": "a",
        ]
        let cases: [([String: String], String)] = [
            (
                ["MENTORNET_JWT_MEMBER_MAPPING": "name"],
                "MENTORNET_JWT_MEMBER_MAPPING must be one of claim, subject, email"
            ),
            (["MENTORNET_JWKS_REFRESH_SECONDS": "5"], "MENTORNET_JWKS_REFRESH_SECONDS must be 10 to 86400"),
            (["MENTORNET_JWKS_FILE": "/dev/null"], "not both"),
        ]
        for (extra, message) in cases {
            let environment = base.merging(extra) { _, new in new }
            let error = #expect(throws: TokenSettingsError.self) {
                _ = try TokenSettings.fromEnvironment { environment[$0] }
            }
            #expect(error?.description.contains(message) == true, "\(String(describing: error))")
        }
        let chosen = try TokenSettings.fromEnvironment {
            base.merging(["MENTORNET_JWT_MEMBER_MAPPING": "email", "MENTORNET_JWT_EMAIL_CLAIM": "mail"]) { _, new in new
            }[
                $0]
        }
        #expect(chosen.memberMapping == .email && chosen.emailClaim == "mail" && chosen.jwksURL != nil)
    }
}

extension IdentityProviderTests {
    static func verifier(_ mapping: MemberMapping) async throws -> TokenVerifier {
        try await TokenVerifier(
            settings: TokenSettings(
                hmacSecret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
                audience: AuthenticationTests.audience, memberMapping: mapping))
    }

    static func token(_ subject: String, _ extra: [String: TokenClaims.Value] = [:]) async throws -> String {
        try await AuthenticationTests.hmacToken(AuthenticationTests.claims(sub: subject, extra: extra))
    }

    static func headers(_ token: String) -> HTTPFields {
        var headers = jsonHeaders
        headers[.authorization] = "Bearer \(token)"
        return headers
    }

    /// The status of GET /v1/members/{id} for the token's holder, and whether the email showed.
    static func read(_ id: String, _ token: String, _ client: any TestClientProtocol) async throws -> (
        HTTPResponse.Status, Bool
    ) {
        try await client.execute(uri: "/v1/members/\(id)", method: .get, headers: headers(token)) { response in
            (response.status, (try? json(response)["email"]) != nil)
        }
    }

    @Test("by subject: signing up links the sign-in, and the next request acts as the new member")
    func bySubject() async throws {
        let verifier = try await Self.verifier(.subject)
        try await withMatchingGateway(tokens: verifier) { client, harness in
            let alice = try await Self.token("idp|alice")
            let created = try await client.execute(
                uri: "/v1/members?linkSignIn=true", method: .post, headers: Self.headers(alice),
                body: try body(memberBody(email: "alice@example.org", name: "Alice"))
            ) { response in
                #expect(response.status == .created)
                return try json(response)["id"] as? String
            }
            let id = try #require(created)
            // Alice is now that member: she reads herself whole.
            #expect(try await Self.read(id, alice, client) == (.ok, true))
            // Her sign-in is linked once; a second sign-up is refused and stores nothing.
            try await client.execute(
                uri: "/v1/members?linkSignIn=true", method: .post, headers: Self.headers(alice),
                body: try body(memberBody(email: "alice2@example.org"))
            ) { response in
                #expect(response.status == .conflict)
                let error = try json(response)["error"] as? [String: Any]
                #expect(error?["message"] as? String == "your sign-in is already linked to member \(id)")
            }
            let resolve = try await harness.rpc.unary(
                ProfilesAPI.resolveMember, ResolveMemberRequest(subject: "idp|alice"))
            #expect(resolve.memberID == id)
            let list = try await harness.rpc.unary(ProfilesAPI.listMembers, ListMembersRequest(pageSize: 100))
            #expect(list.members.map(\.email) == ["alice@example.org"])
            // Without linkSignIn the member made is not the caller.
            let bob = try await Self.token("idp|bob")
            let other = try await client.execute(
                uri: "/v1/members", method: .post, headers: Self.headers(bob),
                body: try body(memberBody(email: "carol@example.org", name: "Carol", network: "globex"))
            ) { response in try json(response)["id"] as? String }
            #expect(try await Self.read(try #require(other), bob, client).0 == .notFound)
            // A service has no sign-in to link.
            let refused = try await #require(throws: RPCError.self) {
                _ = try await harness.rpc.unary(
                    ProfilesAPI.createMember,
                    CreateMemberRequest(member: Member(email: "dan@example.org"), linkSignIn: true))
            }
            #expect(refused.code == .invalidArgument)
            #expect(refused.violations.map(\.field) == ["link_sign_in"])
            // A member who left maps to nobody.
            _ = try await harness.rpc.unary(ProfilesAPI.deactivateMember, SetMemberStatusRequest(id: id))
            let gone = try await #require(throws: RPCError.self) {
                _ = try await harness.rpc.unary(ProfilesAPI.resolveMember, ResolveMemberRequest(subject: "idp|alice"))
            }
            #expect(gone.code == .notFound)
        }
    }

    @Test("by verified email: the member with that email, compared as emails are; an unverified email maps to nobody")
    func byEmail() async throws {
        let verifier = try await Self.verifier(.email)
        try await withMatchingGateway(tokens: verifier) { client, harness in
            let anyone = try await Self.token("idp|admin")
            let created = try await client.execute(
                uri: "/v1/members", method: .post, headers: Self.headers(anyone),
                body: try body(memberBody(email: "erin@example.org", name: "Erin"))
            ) { response in try json(response)["id"] as? String }
            let id = try #require(created)
            let verified = try await Self.token(
                "idp|erin", ["email": .string("Erin@Example.ORG"), "email_verified": .bool(true)])
            #expect(try await Self.read(id, verified, client) == (.ok, true))
            let unverified = try await Self.token(
                "idp|erin2", ["email": .string("erin@example.org"), "email_verified": .bool(false)])
            #expect(try await Self.read(id, unverified, client).0 == .notFound)
            let unsaid = try await Self.token("idp|erin3", ["email": .string("erin@example.org")])
            #expect(try await Self.read(id, unsaid, client).0 == .notFound)
        }
    }

    @Test("ResolveMember names what is wrong with a malformed request")
    func resolveMalformed() async throws {
        try await withMatchingGateway { _, harness in
            for (request, field) in [
                (ResolveMemberRequest(), "subject"),
                (ResolveMemberRequest(subject: "s", email: "e@example.org"), "email"),
                (ResolveMemberRequest(subject: String(repeating: "s", count: 2000)), "subject"),
            ] {
                let error = try await #require(throws: RPCError.self) {
                    _ = try await harness.rpc.unary(ProfilesAPI.resolveMember, request)
                }
                #expect(error.code == .invalidArgument)
                #expect(error.violations.map(\.field) == [field])
            }
        }
    }
}
