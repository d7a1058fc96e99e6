import Foundation
import HTTPTypes
import JWTKit
import RPC
import Synchronization
import Wire

/// How the gateway authenticates people: which tokens it accepts and what it reads from them
/// (docs/security.md).
public struct TokenSettings: Sendable {
    /// HS256 with this secret (development; `mentornet-token` mints such tokens).
    public var hmacSecret: String?
    /// A JSON Web Key Set (the text of one): RS256/RS384/RS512/PS256/ES256/ES384 tokens signed by
    /// one of its keys, named by the token's `kid` (an organisation's identity provider).
    public var jwks: String?
    /// The `iss` every token must carry.
    public var issuer: String
    /// The `aud` every token must carry (or list).
    public var audience: String
    /// How far `exp` and `nbf` may be off, for clocks that disagree.
    public var leeway: Duration
    /// The claim holding the member id the token is for (`sub` by default).
    public var memberClaim: String
    /// The claim listing the networks the token's holder administers.
    public var adminClaim: String

    /// Settings; at least one of `hmacSecret` and `jwks` is needed.
    public init(
        hmacSecret: String? = nil, jwks: String? = nil, issuer: String, audience: String,
        leeway: Duration = .seconds(60), memberClaim: String = "sub", adminClaim: String = "mentornet_admin"
    ) {
        self.hmacSecret = hmacSecret
        self.jwks = jwks
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.memberClaim = memberClaim
        self.adminClaim = adminClaim
    }

    /// The fewest characters an HS256 secret may have (256 bits as hex).
    public static let minimumSecretLength = 32
}

/// Checks a bearer token and says whom it is for. Every failure is UNAUTHENTICATED with a reason
/// a developer can act on, and nothing about the keys.
public final class TokenVerifier: Sendable {
    private let settings: TokenSettings
    /// The HS256 key alone: a token naming HS256 is never checked against a public key.
    private let hmacKeys: JWTKeyCollection?
    /// The JWKS keys by kid, with no default: a token must name one of them.
    private let publicKeys: JWTKeyCollection?
    /// The JWKS's key ids and types, to refuse what no key could verify before trying.
    private let keyTypes: [String: String]
    /// Tokens whose signature and claims verified, with their principal and expiry: a client sends
    /// the same token with every request, and checking a signature costs far more than the rest of
    /// a request. A hit still has its expiry checked; the exact token string is the key, so any
    /// change to a token misses. At most `verifiedLimit` are kept (then the cache starts over).
    private let verified = Mutex<[String: (principal: Principal, expiry: Double)]>([:])
    static let verifiedLimit = 10_000

    /// The asymmetric algorithms accepted from a JWKS, by the key type they need.
    static let publicAlgorithms: [String: String] = [
        "RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA", "PS384": "RSA", "PS512": "RSA",
        "ES256": "EC", "ES384": "EC", "ES512": "EC",
    ]

    /// A verifier; throws when the settings cannot work (no key, a short secret, a bad JWKS).
    public init(settings: TokenSettings) async throws {
        guard settings.hmacSecret != nil || settings.jwks != nil else {
            throw TokenSettingsError("no token keys: give an HS256 secret, a JWKS, or both")
        }
        guard !settings.issuer.isEmpty, !settings.audience.isEmpty else {
            throw TokenSettingsError("the token issuer and audience must both be set")
        }
        self.settings = settings
        if let secret = settings.hmacSecret {
            guard secret.utf8.count >= TokenSettings.minimumSecretLength else {
                throw TokenSettingsError(
                    "the HS256 secret must be at least \(TokenSettings.minimumSecretLength) characters")
            }
            hmacKeys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        } else {
            hmacKeys = nil
        }
        if let jwks = settings.jwks {
            let set: JWKS
            do {
                set = try JSONDecoder().decode(JWKS.self, from: Data(jwks.utf8))
            } catch {
                throw TokenSettingsError("the JWKS is not a JSON Web Key Set: \(error)")
            }
            var types: [String: String] = [:]
            let keys = JWTKeyCollection()
            for key in set.keys {
                guard let kid = key.keyIdentifier?.string, !kid.isEmpty else {
                    throw TokenSettingsError("every key of the JWKS needs a kid")
                }
                types[kid] = key.keyType.rawValue.uppercased()
                do {
                    try await keys.add(jwk: key, isDefault: false)
                } catch {
                    throw TokenSettingsError("the JWKS key \(kid) cannot be used: \(error)")
                }
            }
            guard !types.isEmpty else { throw TokenSettingsError("the JWKS has no keys") }
            publicKeys = keys
            keyTypes = types
        } else {
            publicKeys = nil
            keyTypes = [:]
        }
    }

    /// The principal of an `Authorization` header's bearer token.
    public func principal(authorization: String?, now: Date = Date()) async throws(APIError) -> Principal {
        guard let authorization, !authorization.isEmpty else {
            throw Self.unauthenticated("this route needs a token: send Authorization: Bearer <token>")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Self.unauthenticated("Authorization must be \"Bearer <token>\"")
        }
        return try await principal(token: String(parts[1]).trimmingCharacters(in: .whitespaces), now: now)
    }

    /// The principal of a token.
    public func principal(token: String, now: Date = Date()) async throws(APIError) -> Principal {
        if let hit = verified.withLock({ $0[token] }) {
            guard now.timeIntervalSince1970 < hit.expiry + Double(settings.leeway.components.seconds) else {
                _ = verified.withLock { $0.removeValue(forKey: token) }
                throw Self.unauthenticated("the token has expired")
            }
            return hit.principal
        }
        let header = try Self.header(of: token)
        guard let algorithm = header["alg"] as? String else { throw Self.unauthenticated("the token names no alg") }
        let claims: TokenClaims
        do {
            if algorithm == "HS256" {
                guard let hmacKeys else {
                    throw Self.unauthenticated("HS256 tokens are not accepted here (only tokens signed by the JWKS)")
                }
                claims = try await hmacKeys.verify(token, as: TokenClaims.self)
            } else if let needed = Self.publicAlgorithms[algorithm] {
                guard let publicKeys else {
                    throw Self.unauthenticated("\(algorithm) tokens are not accepted here (no JWKS is configured)")
                }
                guard let kid = header["kid"] as? String, let type = keyTypes[kid] else {
                    throw Self.unauthenticated("the token's key id (kid) is not in the JWKS")
                }
                guard type == needed else {
                    throw Self.unauthenticated("the token's alg \(algorithm) does not fit its key \(kid) (\(type))")
                }
                claims = try await publicKeys.verify(token, as: TokenClaims.self)
            } else {
                throw Self.unauthenticated("tokens signed with alg \"\(algorithm)\" are not accepted")
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw Self.unauthenticated("the token's signature does not verify")
        }
        let principal = try check(claims, now: now)
        if case .number(let expiry)? = claims.values["exp"] {
            verified.withLock { cache in
                if cache.count >= Self.verifiedLimit { cache.removeAll(keepingCapacity: true) }
                cache[token] = (principal, expiry)
            }
        }
        return principal
    }

    /// The claims' checks: issuer, audience, expiry and not-before with the leeway; the mapping.
    private func check(_ claims: TokenClaims, now: Date) throws(APIError) -> Principal {
        let leeway = Double(settings.leeway.components.seconds)
        guard case .string(let issuer)? = claims.values["iss"], issuer == settings.issuer else {
            throw Self.unauthenticated("the token's issuer (iss) is not \(settings.issuer)")
        }
        let audiences: [String] =
            switch claims.values["aud"] {
            case .string(let one)?: [one]
            case .strings(let many)?: many
            default: []
            }
        guard audiences.contains(settings.audience) else {
            throw Self.unauthenticated("the token's audience (aud) does not include \(settings.audience)")
        }
        guard case .number(let expiry)? = claims.values["exp"] else {
            throw Self.unauthenticated("the token has no expiry (exp)")
        }
        guard now.timeIntervalSince1970 < expiry + leeway else { throw Self.unauthenticated("the token has expired") }
        if let notBefore = claims.values["nbf"] {
            guard case .number(let start) = notBefore, now.timeIntervalSince1970 >= start - leeway else {
                throw Self.unauthenticated("the token is not valid yet (nbf)")
            }
        }
        guard case .string(let subject)? = claims.values["sub"], !subject.isEmpty else {
            throw Self.unauthenticated("the token has no subject (sub)")
        }
        var member: String?
        switch claims.values[settings.memberClaim] {
        case .string(let id)? where !id.isEmpty: member = id
        case nil: member = nil
        default: throw Self.unauthenticated("the token's \(settings.memberClaim) claim is not a member id")
        }
        var admin: [String] = []
        switch claims.values[settings.adminClaim] {
        case .strings(let networks)?: admin = networks
        case .string(let network)?: admin = [network]
        case nil: admin = []
        default: throw Self.unauthenticated("the token's \(settings.adminClaim) claim is not a list of networks")
        }
        return Principal(subject: subject, member: member, adminNetworks: admin)
    }

    /// The token's header, read before its signature is checked (to pick the key).
    private static func header(of token: String) throws(APIError) -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw unauthenticated("the token is not a JWS (three dot-separated parts)") }
        guard let data = base64URLDecode(parts[0]),
            let header = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw unauthenticated("the token's header is not base64url JSON")
        }
        if header["crit"] != nil {
            throw unauthenticated("the token names critical header extensions (crit), which are not supported")
        }
        return header
    }

    static func base64URLDecode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    static func unauthenticated(_ message: String) -> APIError {
        var error = APIError(.unauthenticated, message)
        error.headers[.wwwAuthenticate] =
            "Bearer realm=\"mentornet\", error=\"invalid_token\", error_description=\"\(message.replacingOccurrences(of: "\"", with: "'"))\""
        return error
    }
}

/// Token settings that cannot work.
public struct TokenSettingsError: Error, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A token's claims, as far as the gateway reads them: strings, lists of strings and numbers.
public struct TokenClaims: JWTPayload {
    /// A claim's value.
    public enum Value: Sendable, Equatable {
        case string(String)
        case strings([String])
        case number(Double)
        case other
    }

    /// The claims by name.
    public var values: [String: Value]

    /// Claims to sign (`mentornet-token`).
    public init(_ values: [String: Value]) {
        self.values = values
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var values: [String: Value] = [:]
        for key in container.allKeys {
            if let text = try? container.decode(String.self, forKey: key) {
                values[key.stringValue] = .string(text)
            } else if let list = try? container.decode([String].self, forKey: key) {
                values[key.stringValue] = .strings(list)
            } else if let number = try? container.decode(Double.self, forKey: key) {
                values[key.stringValue] = .number(number)
            } else {
                values[key.stringValue] = .other
            }
        }
        self.values = values
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            let key = Key(stringValue: name)
            switch value {
            case .string(let text): try container.encode(text, forKey: key)
            case .strings(let list): try container.encode(list, forKey: key)
            case .number(let number): try container.encode(number, forKey: key)
            case .other: continue
            }
        }
    }

    /// The verifier checks the claims itself, with its settings (`TokenVerifier`).
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension TokenSettings {
    /// The variables `mentornet-gateway` reads (docs/configuration.md).
    public enum Variable {
        public static let secret = "MENTORNET_JWT_SECRET"
        public static let secretFile = "MENTORNET_JWT_SECRET_FILE"
        public static let jwksFile = "MENTORNET_JWKS_FILE"
        public static let issuer = "MENTORNET_JWT_ISSUER"
        public static let audience = "MENTORNET_JWT_AUDIENCE"
        public static let leeway = "MENTORNET_JWT_LEEWAY_SECONDS"
        public static let memberClaim = "MENTORNET_JWT_MEMBER_CLAIM"
        public static let adminClaim = "MENTORNET_JWT_ADMIN_CLAIM"
    }

    /// Settings from the environment (`value` reads a variable; empty counts as unset); throws
    /// naming the variable that is missing or wrong.
    public static func fromEnvironment(_ value: (String) -> String?) throws -> TokenSettings {
        func read(_ name: String) -> String? { value(name).flatMap { $0.isEmpty ? nil : $0 } }
        func file(_ name: String) throws -> String? {
            guard let path = read(name) else { return nil }
            guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8)
            else {
                throw TokenSettingsError("\(name): cannot read \(path)")
            }
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        }
        if read(Variable.secret) != nil, read(Variable.secretFile) != nil {
            throw TokenSettingsError("set \(Variable.secret) or \(Variable.secretFile), not both")
        }
        let secret = try read(Variable.secret) ?? file(Variable.secretFile)
        let jwks = try file(Variable.jwksFile)
        guard secret != nil || jwks != nil else {
            throw TokenSettingsError(
                "mentornet-gateway needs token keys: \(Variable.jwksFile) (your identity provider's JWKS) and/or "
                    + "\(Variable.secret) or \(Variable.secretFile) (an HS256 secret for development tokens, "
                    + "which mentornet-token mints); see docs/security.md")
        }
        guard let issuer = read(Variable.issuer), let audience = read(Variable.audience) else {
            throw TokenSettingsError(
                "mentornet-gateway needs \(Variable.issuer) and \(Variable.audience): the iss and aud its tokens carry")
        }
        var leeway = Duration.seconds(60)
        if let text = read(Variable.leeway) {
            guard let seconds = Int(text), (0...600).contains(seconds) else {
                throw TokenSettingsError("\(Variable.leeway) must be 0 to 600 seconds, not \"\(text)\"")
            }
            leeway = .seconds(seconds)
        }
        return TokenSettings(
            hmacSecret: secret, jwks: jwks, issuer: issuer, audience: audience, leeway: leeway,
            memberClaim: read(Variable.memberClaim) ?? "sub", adminClaim: read(Variable.adminClaim) ?? "mentornet_admin"
        )
    }
}

/// Mints HS256 tokens the gateway accepts (`mentornet-token`, tests, the demo).
public enum TokenMinter {
    /// A token for `subject` (member `member`, admin of `admin`), valid from now for `lifetime`.
    /// With the member claim `sub` (the default) the member id is the subject.
    public static func mint(
        secret: String, issuer: String, audience: String, subject: String, member: String?,
        admin: [String] = [], memberClaim: String = "sub", adminClaim: String = "mentornet_admin",
        lifetime: Duration = .seconds(3600), now: Date = Date()
    ) async throws -> String {
        let start = now.timeIntervalSince1970.rounded(.down)
        var values: [String: TokenClaims.Value] = [
            "iss": .string(issuer), "aud": .string(audience), "sub": .string(subject),
            "iat": .number(start), "nbf": .number(start), "exp": .number(start + Double(lifetime.components.seconds)),
        ]
        if let member { values[memberClaim] = .string(member) }
        if !admin.isEmpty { values[adminClaim] = .strings(admin) }
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(TokenClaims(values))
    }
}
