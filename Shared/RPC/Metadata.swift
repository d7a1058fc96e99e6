import Wire

/// Call metadata: ordered string pairs with lower-case keys.
public struct Metadata: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The pairs in order.
    public private(set) var entries: [MetadataEntry]

    /// Metadata with these pairs.
    public init(_ entries: [MetadataEntry] = []) {
        self.entries = entries
    }

    /// Metadata from a literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.entries = elements.map { MetadataEntry(key: $0.0.lowercased(), value: $0.1) }
    }

    /// The first value for `key`.
    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append(MetadataEntry(key: key, value: newValue)) }
        }
    }

    /// Whether there are no pairs.
    public var isEmpty: Bool { entries.isEmpty }
}

extension Metadata {
    /// Follows a request across every hop; the server makes one when the caller sent none.
    public static let traceIDKey = "trace-id"
    /// Makes a creating call safe to retry: the same key returns the first result.
    public static let idempotencyKeyKey = "idempotency-key"
    /// Whom the call acts for (`Principal`), said by the calling service: the gateway for the
    /// member, admin or API key it authenticated. Heeded only from a caller with a service credential.
    public static let principalKey = "principal"
    /// The caller's credential: `Service <name> <secret>` (`ServiceCredential`).
    public static let authorizationKey = "authorization"

    /// The trace id.
    public var traceID: String? {
        get { self[Self.traceIDKey] }
        set { self[Self.traceIDKey] = newValue }
    }

    /// The idempotency key.
    public var idempotencyKey: String? {
        get { self[Self.idempotencyKeyKey] }
        set { self[Self.idempotencyKeyKey] = newValue }
    }

    /// The principal.
    public var principal: String? {
        get { self[Self.principalKey] }
        set { self[Self.principalKey] = newValue }
    }
}
