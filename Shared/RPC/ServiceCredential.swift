import Wire

/// What a MentorNet service presents on every call it makes to another: its name and the secret
/// all of a deployment's services share (`MENTORNET_SERVICE_SECRET`). It travels as call metadata
/// `authorization: Service <name> <secret>` (docs/protocol.md, "Authentication").
///
/// The secret proves the caller is one of the deployment's services; the name is what it says it
/// is, for logs. Only such a caller may say whom a call acts for (`principal`).
public struct ServiceCredential: Sendable, Equatable {
    /// The fewest characters a secret may have.
    public static let minimumSecretLength = 32

    /// The calling service's name (`gateway`, `matching`, ...): letters, digits, `-`, `_`, `.`.
    public var name: String
    /// The shared secret.
    public var secret: String

    /// A credential.
    public init(name: String, secret: String) {
        self.name = name
        self.secret = secret
    }

    /// The `authorization` metadata value.
    public var metadataValue: String { "\(ServiceCredential.scheme) \(name) \(secret)" }

    /// The scheme word of the metadata value.
    static let scheme = "Service"

    /// Why `secret` cannot be a service secret, or nil when it can.
    public static func problem(withSecret secret: String) -> String? {
        if secret.count < minimumSecretLength {
            return "must be at least \(minimumSecretLength) characters (make one with `openssl rand -hex 32`)"
        }
        if secret.contains(where: { $0.isWhitespace }) { return "must not contain spaces or line breaks" }
        return nil
    }
}

/// How a server checks who calls it: every method but health needs a valid `ServiceCredential`,
/// or, where the server checks them, an API key (`authorization: Bearer mnk_…`); a call with
/// neither is refused with UNAUTHENTICATED before its request is decoded.
public struct CallAuthenticator: Sendable {
    /// Says whom an API key acts for (an admin of its network within its scopes); throws
    /// UNAUTHENTICATED when the key does not work now (unknown, revoked, expired). Asked on every
    /// call made with a key, so a revocation holds at once.
    public typealias APIKeyCheck = @Sendable (String) async throws(RPCError) -> Principal

    private let secret: [UInt8]
    /// Checks API keys; nil: this server takes none.
    let apiKeys: APIKeyCheck?

    /// Checks calls against `secret` (see `ServiceCredential.problem(withSecret:)`), and API keys
    /// with `apiKeys` when given.
    public init(secret: String, apiKeys: APIKeyCheck? = nil) {
        precondition(ServiceCredential.problem(withSecret: secret) == nil, "not a usable service secret")
        self.secret = Array(secret.utf8)
        self.apiKeys = apiKeys
    }

    /// What a call's credentials are.
    enum Verdict {
        /// A valid service credential: the call acts for its `principal` metadata, or itself.
        case service
        /// An API key, still to be checked before the handler runs; the call acts for the key.
        case apiKey(String)
        /// Refused with this status.
        case refused(Status)
    }

    /// The verdict on `metadata`'s credentials, on a connection whose client certificate (mutual
    /// TLS) is for `certificateNames`: a service credential must then name one of them, so that a
    /// service is who its certificate says, not only who it says. The secret is compared in time
    /// that depends on its length only.
    func check(_ metadata: Metadata, certificateNames: [String]? = nil) -> Verdict {
        guard let value = metadata[Metadata.authorizationKey] else {
            return .refused(
                Status(
                    code: .unauthenticated,
                    message: "this method needs credentials: send metadata authorization: Service <name> <secret>"
                        + (apiKeys == nil ? "" : " or Bearer <API key>")))
        }
        if value.hasPrefix("Bearer ") {
            let key = value.dropFirst("Bearer ".count)
            guard apiKeys != nil else {
                return .refused(Status(code: .unauthenticated, message: "this server takes no API keys"))
            }
            guard key.hasPrefix("mnk_") else {
                return .refused(
                    Status(
                        code: .unauthenticated,
                        message:
                            "a bearer credential here must be an API key (mnk_…); people's tokens go to the gateway"
                    ))
            }
            return .apiKey(String(key))
        }
        let parts = value.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == ServiceCredential.scheme, !parts[1].isEmpty else {
            return .refused(
                Status(code: .unauthenticated, message: "authorization must be \"Service <name> <secret>\""))
        }
        guard Self.equal(Array(parts[2].utf8), secret) else {
            return .refused(Status(code: .unauthenticated, message: "the service credential is not valid"))
        }
        if let certificateNames, !certificateNames.contains(String(parts[1])) {
            return .refused(
                Status(
                    code: .unauthenticated,
                    message: "the credential names service \(parts[1]), but the connection's certificate is for "
                        + (certificateNames.isEmpty ? "no name" : certificateNames.joined(separator: ", "))))
        }
        return .service
    }

    /// Whether `a` and `b` are equal, looking at every byte of `b` whatever `a` holds.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in b.indices {
            difference |= b[index] ^ (index < a.count ? a[index] : 0)
        }
        return difference == 0
    }
}
