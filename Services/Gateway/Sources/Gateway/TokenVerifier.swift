import AsyncHTTPClient
import Foundation
import HTTPTypes
import JWTKit
import NIOCore
import NIOHTTP1
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
    /// Where to fetch the JSON Web Key Set instead (an identity provider's `jwks_uri`): fetched at
    /// start, again every `jwksRefresh`, and at once (at most every `jwksRefetchInterval`) when a
    /// token names a key id the set lacks, so a provider's key rotation needs no restart.
    public var jwksURL: String?
    /// How often the key set is fetched again.
    public var jwksRefresh: Duration = .seconds(3600)
    /// The least time between fetches a token with an unknown key id may cause.
    public var jwksRefetchInterval: Duration = .seconds(30)
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
    /// How a token's holder is found to be a member.
    public var memberMapping: MemberMapping = .claim
    /// The claim holding the holder's email (`memberMapping` `.email`); it counts only with
    /// `email_verified: true` beside it.
    public var emailClaim = "email"

    /// Settings; at least one of `hmacSecret`, `jwks` and `jwksURL` is needed.
    public init(
        hmacSecret: String? = nil, jwks: String? = nil, jwksURL: String? = nil, issuer: String, audience: String,
        leeway: Duration = .seconds(60), memberClaim: String = "sub", adminClaim: String = "mentornet_admin",
        memberMapping: MemberMapping = .claim
    ) {
        self.hmacSecret = hmacSecret
        self.jwks = jwks
        self.jwksURL = jwksURL
        self.memberMapping = memberMapping
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.memberClaim = memberClaim
        self.adminClaim = adminClaim
    }

    /// The fewest characters an HS256 secret may have (256 bits as hex).
    public static let minimumSecretLength = 32
}

/// How the gateway finds the member a token's holder is (docs/security.md, "Mapped").
public enum MemberMapping: String, Sendable, CaseIterable {
    /// The member claim holds the member id (the identity provider knows MentorNet's ids).
    case claim
    /// The token's subject, linked to a member when the person signed up
    /// (CreateMember with `link_sign_in`).
    case subject
    /// The token's verified email claim, equal to a member's email.
    case email
}

/// What the gateway asks profiles to find the member a token's holder is.
public enum MemberLookup: Hashable, Sendable {
    case subject(String)
    case email(String)
}

/// A token that verified: whom it is for, and, when members are mapped by a stored link or an
/// email, what finds the member (the principal then names none yet).
public struct VerifiedToken: Sendable, Equatable {
    public var principal: Principal
    public var lookup: MemberLookup?
}

/// Checks a bearer token and says whom it is for. Every failure is UNAUTHENTICATED with a reason
/// a developer can act on, and nothing about the keys.
public final class TokenVerifier: Sendable {
    private let settings: TokenSettings
    /// The HS256 key alone: a token naming HS256 is never checked against a public key.
    private let hmacKeys: JWTKeyCollection?
    /// The JWKS's keys (nil until a key set fetched from a URL first arrives), swapped whole when
    /// a fetch brings a different set.
    private let publicKeys: Mutex<PublicKeys?>
    /// Where the key set is fetched from, and how that is going; nil for a set given as text.
    private let keySource: KeySource?
    /// Tokens whose signature and claims verified, with what they said, their expiry and the key
    /// set's generation: a client sends the same token with every request, and checking a
    /// signature costs far more than the rest of a request. A hit still has its expiry checked,
    /// and misses once the key set changed (a token of a withdrawn key stops working); the exact
    /// token string is the key, so any change to a token misses. At most `verifiedLimit` are
    /// kept (then the cache starts over).
    private let verified = Mutex<[String: (token: VerifiedToken, expiry: Double, generation: Int)]>([:])
    /// The generation of the key set in use, read without a lock on every request.
    private let keysGeneration = Atomic<Int>(0)
    static let verifiedLimit = 10_000

    /// The asymmetric algorithms accepted from a JWKS, by the key type they need.
    static let publicAlgorithms: [String: String] = [
        "RS256": "RSA", "RS384": "RSA", "RS512": "RSA", "PS256": "RSA", "PS384": "RSA", "PS512": "RSA",
        "ES256": "EC", "ES384": "EC", "ES512": "EC",
    ]

    /// A verifier; throws when the settings cannot work (no key, a short secret, a bad JWKS).
    public init(settings: TokenSettings) async throws {
        guard settings.hmacSecret != nil || settings.jwks != nil || settings.jwksURL != nil else {
            throw TokenSettingsError("no token keys: give an HS256 secret, a JWKS (or its URL), or both")
        }
        guard settings.jwks == nil || settings.jwksURL == nil else {
            throw TokenSettingsError("give the JWKS as a file or as a URL, not both")
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
            publicKeys = Mutex(try await PublicKeys(jwks: jwks, generation: 0))
        } else {
            publicKeys = Mutex(nil)
        }
        if let url = settings.jwksURL {
            keySource = try KeySource(url: url, settings: settings)
            // A provider that cannot be reached now is tried again by the refresh loop; until then
            // its tokens are refused with 503 and /readyz says why.
            await refreshKeys()
        } else {
            keySource = nil
        }
    }

    // MARK: Keys from a URL

    /// Fetches the key set from its URL and uses it if it differs from the one in use; a failure
    /// keeps the keys in use (and is reported by `keyProblem`). Answers whether keys are loaded.
    @discardableResult
    public func refreshKeys() async -> Bool {
        guard let keySource else { return publicKeys.withLock { $0 != nil } }
        keySource.attempted()
        do {
            let text = try await keySource.fetch()
            let current = publicKeys.withLock { $0 }
            if current?.text != text {
                let keys = try await PublicKeys(jwks: text, generation: (current?.generation ?? 0) + 1)
                publicKeys.withLock { $0 = keys }
                keysGeneration.store(keys.generation, ordering: .releasing)
            }
            keySource.succeeded()
            return true
        } catch {
            keySource.failed("\(error)")
            return publicKeys.withLock { $0 != nil }
        }
    }

    /// Fetches the key set again every `jwksRefresh` (sooner, with backoff, while fetches fail)
    /// until the task is cancelled. Nothing to do without a URL.
    public func refreshKeysPeriodically() async {
        guard let keySource else { return }
        var retry = Duration.seconds(1)
        while !Task.isCancelled {
            let loaded = keySource.problem == nil
            let wait = loaded ? keySource.refresh : min(retry, keySource.refresh)
            retry = loaded ? .seconds(1) : min(retry * 2, .seconds(60))
            guard (try? await Task.sleep(for: wait)) != nil else { return }
            await refreshKeys()
        }
    }

    /// Whether the key set is fetched from a URL (and so refreshed).
    public var fetchesKeys: Bool { keySource != nil }

    /// Why tokens signed by the identity provider's keys cannot be checked now (its key set could
    /// not be fetched, and none was before), for readiness; nil when they can.
    public var keyProblem: String? {
        guard let keySource, let problem = keySource.problem else { return nil }
        return publicKeys.withLock { $0 == nil } ? problem : nil
    }

    /// The principal of an `Authorization` header's bearer token (the member it names with the
    /// member claim; nil when members are mapped otherwise).
    public func principal(authorization: String?, now: Date = Date()) async throws(APIError) -> Principal {
        try await verify(authorization: authorization, now: now).principal
    }

    /// The principal of a token (see `principal(authorization:now:)`).
    public func principal(token: String, now: Date = Date()) async throws(APIError) -> Principal {
        try await verify(token: token, now: now).principal
    }

    /// What an `Authorization` header's bearer token says.
    public func verify(authorization: String?, now: Date = Date()) async throws(APIError) -> VerifiedToken {
        guard let authorization, !authorization.isEmpty else {
            throw Self.unauthenticated("this route needs a token: send Authorization: Bearer <token>")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw Self.unauthenticated("Authorization must be \"Bearer <token>\"")
        }
        return try await verify(token: String(parts[1]).trimmingCharacters(in: .whitespaces), now: now)
    }

    /// What a token says.
    public func verify(token: String, now: Date = Date()) async throws(APIError) -> VerifiedToken {
        if let hit = verified.withLock({ $0[token] }),
            hit.generation == keysGeneration.load(ordering: .acquiring)
        {
            guard now.timeIntervalSince1970 < hit.expiry + Double(settings.leeway.components.seconds) else {
                _ = verified.withLock { $0.removeValue(forKey: token) }
                throw Self.unauthenticated("the token has expired")
            }
            return hit.token
        }
        let header = try Self.header(of: token)
        guard let algorithm = header["alg"] as? String else { throw Self.unauthenticated("the token names no alg") }
        let claims: TokenClaims
        var generation = keysGeneration.load(ordering: .acquiring)
        do {
            if algorithm == "HS256" {
                guard let hmacKeys else {
                    throw Self.unauthenticated("HS256 tokens are not accepted here (only tokens signed by the JWKS)")
                }
                claims = try await hmacKeys.verify(token, as: TokenClaims.self)
            } else if let needed = Self.publicAlgorithms[algorithm] {
                guard settings.jwks != nil || keySource != nil else {
                    throw Self.unauthenticated("\(algorithm) tokens are not accepted here (no JWKS is configured)")
                }
                guard let kid = header["kid"] as? String else {
                    throw Self.unauthenticated("the token's key id (kid) is not in the JWKS")
                }
                var keys = publicKeys.withLock { $0 }
                // A key the set lacks may be one the provider has just started signing with.
                if keys?.types[kid] == nil, let keySource, keySource.mayRefetch() {
                    await refreshKeys()
                    keys = publicKeys.withLock { $0 }
                }
                guard let keys else {
                    throw APIError(
                        .unavailable,
                        "the identity provider's keys (JWKS) could not be fetched yet: \(keySource?.problem ?? "")")
                }
                guard let type = keys.types[kid] else {
                    throw Self.unauthenticated("the token's key id (kid) is not in the JWKS")
                }
                guard type == needed else {
                    throw Self.unauthenticated("the token's alg \(algorithm) does not fit its key \(kid) (\(type))")
                }
                generation = keys.generation
                claims = try await keys.keys.verify(token, as: TokenClaims.self)
            } else {
                throw Self.unauthenticated("tokens signed with alg \"\(algorithm)\" are not accepted")
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw Self.unauthenticated("the token's signature does not verify")
        }
        let result = try check(claims, now: now)
        if case .number(let expiry)? = claims.values["exp"] {
            verified.withLock { cache in
                if cache.count >= Self.verifiedLimit { cache.removeAll(keepingCapacity: true) }
                cache[token] = (result, expiry, generation)
            }
        }
        return result
    }

    /// The claims' checks: issuer, audience, expiry and not-before with the leeway; the mapping.
    private func check(_ claims: TokenClaims, now: Date) throws(APIError) -> VerifiedToken {
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
        var lookup: MemberLookup?
        switch settings.memberMapping {
        case .claim:
            switch claims.values[settings.memberClaim] {
            case .string(let id)? where !id.isEmpty: member = id
            case nil: member = nil
            default: throw Self.unauthenticated("the token's \(settings.memberClaim) claim is not a member id")
            }
        case .subject:
            lookup = .subject(subject)
        case .email:
            // An email the provider has not verified could be anyone's: it maps to no member.
            if case .string(let email)? = claims.values[settings.emailClaim], !email.isEmpty,
                claims.values["email_verified"] == .bool(true)
            {
                lookup = .email(email)
            }
        }
        var admin: [String] = []
        switch claims.values[settings.adminClaim] {
        case .strings(let networks)?: admin = networks
        case .string(let network)?: admin = [network]
        case nil: admin = []
        default: throw Self.unauthenticated("the token's \(settings.adminClaim) claim is not a list of networks")
        }
        return VerifiedToken(
            principal: Principal(subject: subject, member: member, adminNetworks: admin), lookup: lookup)
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

/// A JSON Web Key Set's keys, ready to verify with.
struct PublicKeys: Sendable {
    /// The keys by kid, with no default: a token must name one of them.
    let keys: JWTKeyCollection
    /// The key ids and types, to refuse what no key could verify before trying.
    let types: [String: String]
    /// The set as it came, to tell whether a fetch brought a different one.
    let text: String
    /// Counts the sets used since start: tokens verified with an earlier one are checked again.
    let generation: Int

    init(jwks text: String, generation: Int) async throws(TokenSettingsError) {
        let set: JWKS
        do {
            set = try JSONDecoder().decode(JWKS.self, from: Data(text.utf8))
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
        self.keys = keys
        self.types = types
        self.text = text
        self.generation = generation
    }
}

/// Where an identity provider's key set is fetched from, and how fetching goes.
final class KeySource: Sendable {
    let url: String
    let refresh: Duration
    let refetchInterval: Duration
    private struct State {
        var lastAttempt: ContinuousClock.Instant?
        var problem: String?
    }
    private let state = Mutex(State())
    /// The most a key set may weigh.
    static let maximumSize = 1 << 20

    /// A source; the URL must be https (http only to this machine, where nobody can change the
    /// keys on the way).
    init(url: String, settings: TokenSettings) throws(TokenSettingsError) {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
            !host.isEmpty
        else {
            throw TokenSettingsError("the JWKS URL \"\(url)\" is not an absolute URL")
        }
        let local = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && local) else {
            throw TokenSettingsError(
                "the JWKS URL must be https (http only to localhost), or anyone on the way could swap the keys: \(url)")
        }
        guard settings.jwksRefresh >= .seconds(1), settings.jwksRefetchInterval >= .zero else {
            throw TokenSettingsError("the JWKS refresh interval must be at least a second")
        }
        self.url = url
        refresh = settings.jwksRefresh
        refetchInterval = settings.jwksRefetchInterval
    }

    /// Why the last fetch failed; nil after a success.
    var problem: String? { state.withLock { $0.problem } }

    func attempted() { state.withLock { $0.lastAttempt = .now } }
    func succeeded() { state.withLock { $0.problem = nil } }
    func failed(_ reason: String) { state.withLock { $0.problem = "fetching \(url) failed: \(reason)" } }

    /// Whether a token naming an unknown key may cause a fetch now; claims it when so, so that
    /// many such tokens at once cause one fetch.
    func mayRefetch() -> Bool {
        state.withLock { state in
            let now = ContinuousClock.now
            if let last = state.lastAttempt, now - last < refetchInterval { return false }
            state.lastAttempt = now
            return true
        }
    }

    /// The key set's text.
    func fetch() async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status == .ok else {
            throw TokenSettingsError("the server answered HTTP \(response.status.code)")
        }
        return String(buffer: try await response.body.collect(upTo: Self.maximumSize))
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
        case bool(Bool)
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
            } else if let flag = try? container.decode(Bool.self, forKey: key) {
                values[key.stringValue] = .bool(flag)
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
            case .bool(let flag): try container.encode(flag, forKey: key)
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
        public static let jwksURL = "MENTORNET_JWKS_URL"
        public static let jwksRefresh = "MENTORNET_JWKS_REFRESH_SECONDS"
        public static let memberMapping = "MENTORNET_JWT_MEMBER_MAPPING"
        public static let emailClaim = "MENTORNET_JWT_EMAIL_CLAIM"
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
        let jwksURL = read(Variable.jwksURL)
        if read(Variable.jwksFile) != nil, jwksURL != nil {
            throw TokenSettingsError("set \(Variable.jwksFile) or \(Variable.jwksURL), not both")
        }
        let jwks = try file(Variable.jwksFile)
        guard secret != nil || jwks != nil || jwksURL != nil else {
            throw TokenSettingsError(
                "mentornet-gateway needs token keys: \(Variable.jwksURL) or \(Variable.jwksFile) "
                    + "(your identity provider's JWKS) and/or "
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
        var mapping = MemberMapping.claim
        if let text = read(Variable.memberMapping) {
            guard let chosen = MemberMapping(rawValue: text) else {
                throw TokenSettingsError(
                    "\(Variable.memberMapping) must be one of "
                        + "\(MemberMapping.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            }
            mapping = chosen
        }
        var settings = TokenSettings(
            hmacSecret: secret, jwks: jwks, jwksURL: jwksURL, issuer: issuer, audience: audience, leeway: leeway,
            memberClaim: read(Variable.memberClaim) ?? "sub",
            adminClaim: read(Variable.adminClaim) ?? "mentornet_admin",
            memberMapping: mapping)
        if let text = read(Variable.jwksRefresh) {
            guard let seconds = Int(text), (10...86_400).contains(seconds) else {
                throw TokenSettingsError("\(Variable.jwksRefresh) must be 10 to 86400 seconds, not \"\(text)\"")
            }
            settings.jwksRefresh = .seconds(seconds)
        }
        if let claim = read(Variable.emailClaim) { settings.emailClaim = claim }
        return settings
    }
}

/// Mints HS256 tokens the gateway accepts (`mentornet-token`, tests, the demo).
public enum TokenMinter {
    /// A token for `subject` (member `member`, admin of `admin`), valid from now for `lifetime`.
    /// With the member claim `sub` (the default) the member id is the subject.
    public static func mint(
        secret: String, issuer: String, audience: String, subject: String, member: String?,
        admin: [String] = [], memberClaim: String = "sub", adminClaim: String = "mentornet_admin",
        extra: [String: TokenClaims.Value] = [:], lifetime: Duration = .seconds(3600), now: Date = Date()
    ) async throws -> String {
        let start = now.timeIntervalSince1970.rounded(.down)
        var values: [String: TokenClaims.Value] = [
            "iss": .string(issuer), "aud": .string(audience), "sub": .string(subject),
            "iat": .number(start), "nbf": .number(start), "exp": .number(start + Double(lifetime.components.seconds)),
        ]
        if let member { values[memberClaim] = .string(member) }
        if !admin.isEmpty { values[adminClaim] = .strings(admin) }
        values.merge(extra) { _, given in given }
        let keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(TokenClaims(values))
    }
}
