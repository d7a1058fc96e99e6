/// Whom a call acts for: the person or system the gateway authenticated. It travels with every
/// call as metadata `principal` (`Metadata.principalKey`), heeded only from a caller holding the
/// service credential, so each service can apply the rules itself (docs/security.md).
///
/// In metadata it is `key=value` pairs joined by `;`: `sub` the token's subject (always),
/// `member` the member it is mapped to, `admin` the networks it administers (joined by `,`).
/// Values are percent-encoded where they hold `%`, `;`, `,` or `=`.
public struct Principal: Sendable, Equatable {
    /// The subject the identity provider vouched for (`sub`).
    public var subject: String
    /// The member the subject is, if it is one.
    public var member: String?
    /// The networks whose admin the subject is (an API key: its network).
    public var adminNetworks: [String]
    /// The API key the call is made with, if it is one: its id. A key acts as an admin of its
    /// network, but only in the methods whose scope it holds.
    public var apiKey: String?
    /// The API key's scopes (`members:read`).
    public var scopes: [String]

    /// A principal.
    public init(
        subject: String, member: String? = nil, adminNetworks: [String] = [], apiKey: String? = nil,
        scopes: [String] = []
    ) {
        self.subject = subject
        self.member = member
        self.adminNetworks = adminNetworks
        self.apiKey = apiKey
        self.scopes = scopes
    }

    /// What a call made with an API key acts as: an admin of the key's network, only in the
    /// methods its scopes allow (`Access`).
    public static func apiKey(id: String, network: String, scopes: [String]) -> Principal {
        Principal(subject: "apikey:" + id, adminNetworks: [network], apiKey: id, scopes: scopes)
    }

    /// Whether the principal administers `network`.
    public func administers(_ network: String) -> Bool { adminNetworks.contains(network) }

    /// The metadata value.
    public var metadataValue: String {
        var pairs = ["sub=" + Self.escape(subject)]
        if let member { pairs.append("member=" + Self.escape(member)) }
        if !adminNetworks.isEmpty { pairs.append("admin=" + adminNetworks.map(Self.escape).joined(separator: ",")) }
        if let apiKey {
            pairs.append("key=" + Self.escape(apiKey))
            pairs.append("scope=" + scopes.map(Self.escape).joined(separator: ","))
        }
        return pairs.joined(separator: ";")
    }

    /// Reads a metadata value; nil when it is not one.
    public init?(metadataValue: String) {
        var subject: String?
        var member: String?
        var admin: [String] = []
        var apiKey: String?
        var scopes: [String] = []
        for pair in metadataValue.split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let value = pair[pair.index(after: equals)...]
            switch pair[..<equals] {
            case "sub": subject = Self.unescape(value)
            case "member": member = Self.unescape(value)
            case "admin": admin = value.split(separator: ",").compactMap(Self.unescape)
            case "key": apiKey = Self.unescape(value)
            case "scope": scopes = value.split(separator: ",").compactMap(Self.unescape)
            default: continue  // a later version's key
            }
        }
        guard let subject, !subject.isEmpty else { return nil }
        self.init(subject: subject, member: member, adminNetworks: admin, apiKey: apiKey, scopes: scopes)
    }

    private static let reserved: Set<Character> = ["%", ";", ",", "="]

    static func escape(_ value: String) -> String {
        guard value.contains(where: reserved.contains) else { return value }
        var out = ""
        for character in value {
            if reserved.contains(character) {
                for byte in String(character).utf8 { out += "%" + String(byte, radix: 16, uppercase: true) }
            } else {
                out.append(character)
            }
        }
        return out
    }

    static func unescape(_ value: Substring) -> String? {
        guard value.contains("%") else { return String(value) }
        var bytes: [UInt8] = []
        var index = value.utf8.startIndex
        let utf8 = value.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high < utf8.endIndex, utf8.index(after: high) < utf8.endIndex,
                    let decoded = UInt8(String(value[high..<utf8.index(high, offsetBy: 2)]), radix: 16)
                else { return nil }
                bytes.append(decoded)
                index = utf8.index(high, offsetBy: 2)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension CallContext {
    /// Whom the call acts for, as the calling service said; nil when the call acts for no one but
    /// the calling service itself (a feed follower, a job).
    public var principal: Principal? {
        metadata.principal.flatMap(Principal.init(metadataValue:))
    }
}

/// Who is looking at a resource, for the checks a handler makes inside it (docs/security.md,
/// "Inside resources"): a person sees a match, session or round only when they take part in it
/// or administer its network; a service (a call with no principal) sees everything. A resource
/// someone may not see does not exist, as far as they can tell: handlers answer NOT_FOUND, with the
/// message a missing one gets.
public struct Viewer: Sendable {
    /// The person, or nil for a service acting for itself.
    public let principal: Principal?

    /// A service acting for itself: sees everything.
    public static let service = Viewer(principal: nil)

    /// A viewer.
    public init(principal: Principal?) { self.principal = principal }

    /// Whom `context`'s call acts for. A principal that does not parse sees nothing (the router
    /// refuses such a call before any handler that checks anything runs).
    public init(_ context: CallContext) {
        guard let value = context.metadata.principal else {
            self.principal = nil
            return
        }
        self.principal = Principal(metadataValue: value) ?? Principal(subject: "")
    }

    /// Whether the call acts for no person.
    public var isService: Bool { principal == nil }

    /// The member the viewer is, if a person who is one.
    public var member: String? { principal?.member }

    /// Whether the viewer is `member` (a service is everyone).
    public func `is`(_ member: String) -> Bool {
        guard let principal else { return true }
        return principal.member == member
    }

    /// Whether the viewer administers `network` (a service does).
    public func administers(_ network: String) -> Bool {
        principal?.administers(network) ?? true
    }

    /// Whether the viewer may see a resource of `network` that `members` take part in.
    public func sees(members: some Sequence<String>, network: String) -> Bool {
        guard let principal else { return true }
        if principal.administers(network) { return true }
        guard let member = principal.member else { return false }
        return members.contains(member)
    }
}
