import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import RPC
import TestSupport
import Testing
import Wire

/// Bearer tokens at the gateway: which are accepted, what is refused and why, which routes are open.
@Suite("the gateway authenticates people by bearer tokens")
struct AuthenticationTests {
    static let secret = "gateway-tests-hs256-secret-0123456789"
    static let issuer = "https://id.example.org"
    static let audience = "mentornet"

    /// An ES256 key with its JWKS (kid `k1`), as an identity provider would publish it.
    struct IdentityProvider {
        let key = ES256PrivateKey()
        var jwks: String {
            let (x, y) = key.publicKey.parameters!
            return """
                {"keys":[{"kty":"EC","crv":"P-256","kid":"k1","use":"sig","alg":"ES256","x":"\(x)","y":"\(y)"}]}
                """
        }

        func sign(_ claims: [String: TokenClaims.Value], kid: String = "k1") async throws -> String {
            let keys = await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: kid))
            return try await keys.sign(TokenClaims(claims), kid: JWKIdentifier(string: kid))
        }
    }

    static func claims(
        sub: String = "m-1", iss: String = issuer, aud: String = audience, expiresIn: Double = 600,
        notBefore: Double = -10, extra: [String: TokenClaims.Value] = [:]
    ) -> [String: TokenClaims.Value] {
        let now = Date().timeIntervalSince1970.rounded(.down)
        return [
            "sub": .string(sub), "iss": .string(iss), "aud": .string(aud), "exp": .number(now + expiresIn),
            "nbf": .number(now + notBefore),
        ].merging(extra) { _, new in new }
    }

    static func hmacToken(_ claims: [String: TokenClaims.Value], secret: String = secret) async throws -> String {
        try await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256).sign(
            TokenClaims(claims))
    }

    func verifier(_ provider: IdentityProvider, hmac: Bool = true) async throws -> TokenVerifier {
        try await TokenVerifier(
            settings: TokenSettings(
                hmacSecret: hmac ? Self.secret : nil, jwks: provider.jwks, issuer: Self.issuer,
                audience: Self.audience))
    }

    /// `token` with its payload replaced by `claims`, the signature kept.
    static func tampered(_ token: String, _ claims: [String: TokenClaims.Value]) throws -> String {
        let parts = token.split(separator: ".")
        let payload = try JSONEncoder().encode(TokenClaims(claims)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "\(parts[0]).\(payload).\(parts[2])"
    }

    static func base64URL(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test("a good HS256 or ES256 token gives its subject, member and admin networks")
    func accepted() async throws {
        let provider = IdentityProvider()
        let verifier = try await verifier(provider)
        let dev = try await Self.hmacToken(Self.claims(extra: ["mentornet_admin": .strings(["acme", "globex"])]))
        #expect(
            try await verifier.principal(authorization: "Bearer \(dev)")
                == Principal(subject: "m-1", member: "m-1", adminNetworks: ["acme", "globex"]))
        let idp = try await provider.sign(Self.claims(sub: "m-2"))
        #expect(try await verifier.principal(authorization: "bearer \(idp)").member == "m-2")
        // Clocks may disagree by the leeway (60 s): just expired and nearly valid still pass.
        let late = try await Self.hmacToken(Self.claims(expiresIn: -30))
        #expect(try await verifier.principal(token: late).subject == "m-1")
        let early = try await Self.hmacToken(Self.claims(notBefore: 30))
        #expect(try await verifier.principal(token: early).subject == "m-1")
        // The minter makes what the verifier accepts.
        let minted = try await TokenMinter.mint(
            secret: Self.secret, issuer: Self.issuer, audience: Self.audience, subject: "s", member: "m-9")
        #expect(try await verifier.principal(token: minted) == Principal(subject: "m-9", member: "m-9"))
    }

    @Test(
        "every bad token is refused with a reason: signature, iss, aud, exp, nbf, alg none, unknown kid, HS/ES confusion"
    )
    func refused() async throws {
        let provider = IdentityProvider()
        let verifier = try await verifier(provider)
        let good = try await Self.hmacToken(Self.claims())
        let none = "\(Self.base64URL(#"{"alg":"none","typ":"JWT"}"#)).\(Self.base64URL(#"{"sub":"m-1"}"#))."
        let publicPEM = provider.key.publicKey.pemRepresentation
        let cases: [(String, String)] = [
            (try await Self.hmacToken(Self.claims(), secret: Self.secret + "x"), "signature does not verify"),
            (try Self.tampered(good, Self.claims(sub: "someone-else")), "signature does not verify"),
            (try await Self.hmacToken(Self.claims(iss: "https://evil.example")), "issuer (iss)"),
            (try await Self.hmacToken(Self.claims(aud: "other-app")), "audience (aud)"),
            (try await Self.hmacToken(Self.claims(expiresIn: -120)), "expired"),
            (try await Self.hmacToken(Self.claims(notBefore: 120)), "not valid yet"),
            (try await Self.hmacToken(Self.claims().filter { $0.key != "exp" }), "no expiry"),
            (none, "alg \"none\""),
            (try await provider.sign(Self.claims(), kid: "k2"), "not in the JWKS"),
            // HS256 signed with the public key as the HMAC secret: HS256 is only ever checked
            // against the configured secret, never against a JWKS key.
            (try await Self.hmacToken(Self.claims(), secret: publicPEM), "signature does not verify"),
            ("not-a-token", "three dot-separated parts"),
        ]
        for (token, reason) in cases {
            do {
                _ = try await verifier.principal(authorization: "Bearer \(token)")
                Issue.record("accepted a token that should fail with \(reason)")
            } catch {
                #expect(error.code == .unauthenticated)
                #expect(error.message.contains(reason), "\(error.message) (expected \(reason))")
                #expect(error.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"mentornet\"") == true)
            }
        }
        for header in [nil, "", "Basic dXNlcjpwYXNz", "Bearer"] {
            await #expect(throws: APIError.self) { _ = try await verifier.principal(authorization: header) }
        }
        // Without an HS256 secret, HS256 tokens are not accepted at all.
        let jwksOnly = try await self.verifier(provider, hmac: false)
        do {
            _ = try await jwksOnly.principal(token: good)
            Issue.record("accepted HS256 without a secret")
        } catch {
            #expect(error.message.contains("HS256 tokens are not accepted"))
        }
    }

    @Test("a verified token is remembered, but its expiry still holds and a changed token is checked anew")
    func remembered() async throws {
        let provider = IdentityProvider()
        let verifier = try await verifier(provider)
        let token = try await Self.hmacToken(Self.claims(expiresIn: 120))
        let first = try await verifier.principal(token: token)
        #expect(try await verifier.principal(token: token) == first)
        // 120 s of life and 60 s of leeway: three minutes on, the remembered token has expired.
        await #expect {
            _ = try await verifier.principal(token: token, now: Date().addingTimeInterval(181))
        } throws: { "\($0)".contains("expired") }
        let fresh = try await Self.hmacToken(Self.claims(sub: "m-2"))
        _ = try await verifier.principal(token: fresh)
        let forged = try Self.tampered(fresh, Self.claims(sub: "m-3"))
        await #expect { _ = try await verifier.principal(token: forged) } throws: { "\($0)".contains("signature") }
    }

    @Test("settings that cannot work are refused, naming the variable")
    func settings() async throws {
        let cases: [([String: String], String)] = [
            ([:], "needs token keys"),
            (["MENTORNET_JWT_SECRET": Self.secret], "MENTORNET_JWT_ISSUER and MENTORNET_JWT_AUDIENCE"),
            (
                [
                    "MENTORNET_JWT_SECRET": Self.secret, "MENTORNET_JWT_ISSUER": "i", "MENTORNET_JWT_AUDIENCE": "a",
                    "MENTORNET_JWT_LEEWAY_SECONDS": "lots",
                ], "MENTORNET_JWT_LEEWAY_SECONDS"
            ),
            (["MENTORNET_JWKS_FILE": "/nonexistent/jwks.json"], "cannot read /nonexistent/jwks.json"),
        ]
        for (environment, message) in cases {
            #expect(throws: TokenSettingsError.self) {
                do {
                    _ = try TokenSettings.fromEnvironment { environment[$0] }
                } catch let error as TokenSettingsError {
                    #expect(error.description.contains(message), "\(error.description)")
                    throw error
                }
            }
        }
        await #expect(throws: TokenSettingsError.self) {
            _ = try await TokenVerifier(
                settings: TokenSettings(hmacSecret: "short", issuer: Self.issuer, audience: Self.audience))
        }
    }

    @Test("through the gateway: no token is 401 and changes nothing; a token works; open routes stay open")
    func gateway() async throws {
        let provider = IdentityProvider()
        let tokens = try await verifier(provider)
        let token = try await Self.hmacToken(Self.claims(sub: "admin", extra: ["mentornet_admin": .strings(["acme"])]))
        try await withMatchingGateway(tokens: tokens) { client, _ in
            let anonymous = try await client.execute(
                uri: "/v1/members", method: .post, headers: jsonHeaders, body: try body(memberBody()))
            #expect(anonymous.status == .unauthorized)
            #expect(try errorCode(anonymous) == "UNAUTHENTICATED")
            #expect(anonymous.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            var authorized = jsonHeaders
            authorized[.authorization] = "Bearer \(token)"
            let list = try await client.execute(uri: "/v1/members?network=acme", method: .get, headers: authorized)
            #expect(list.status == .ok)
            #expect((try json(list)["members"] as? [Any] ?? []).isEmpty, "the refused create made nothing")
            let created = try await client.execute(
                uri: "/v1/members", method: .post, headers: authorized, body: try body(memberBody()))
            #expect(created.status == .created)
            let expired = try await Self.hmacToken(Self.claims(expiresIn: -3600))
            var stale = jsonHeaders
            stale[.authorization] = "Bearer \(expired)"
            let refused = try await client.execute(uri: "/v1/members?network=acme", method: .get, headers: stale)
            #expect(refused.status == .unauthorized)
            #expect(try json(refused).description.contains("expired"))
            for path in ["/healthz", "/readyz", "/openapi.json", "/metrics"] {
                #expect(try await client.execute(uri: path, method: .get).status == .ok, "\(path)")
            }
            // A calendar feed's URL token is its credential: no bearer token is asked for.
            let calendar = try await client.execute(uri: "/v1/calendars/nosuchtoken", method: .get)
            #expect(calendar.status != .unauthorized && calendar.status.code < 500, "\(calendar.status)")
        }
    }
}
