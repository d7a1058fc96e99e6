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

/// How a server checks who calls it: every method but health needs a valid `ServiceCredential`;
/// a call without one is refused with UNAUTHENTICATED before its request is decoded.
public struct CallAuthenticator: Sendable {
    private let secret: [UInt8]

    /// Checks calls against `secret` (see `ServiceCredential.problem(withSecret:)`).
    public init(secret: String) {
        precondition(ServiceCredential.problem(withSecret: secret) == nil, "not a usable service secret")
        self.secret = Array(secret.utf8)
    }

    /// Nil when `metadata` carries a valid credential, else the status that refuses the call.
    /// The secret is compared in time that depends on its length only.
    func refusal(_ metadata: Metadata) -> Status? {
        guard let value = metadata[Metadata.authorizationKey] else {
            return Status(
                code: .unauthenticated,
                message: "this method needs credentials: send metadata authorization: Service <name> <secret>")
        }
        let parts = value.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == ServiceCredential.scheme, !parts[1].isEmpty else {
            return Status(
                code: .unauthenticated, message: "authorization must be \"Service <name> <secret>\"")
        }
        guard Self.equal(Array(parts[2].utf8), secret) else {
            return Status(code: .unauthenticated, message: "the service credential is not valid")
        }
        return nil
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
