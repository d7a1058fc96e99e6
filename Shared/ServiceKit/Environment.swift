#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process environment, or a fixed one in tests.
public struct Environment: Sendable {
    private let values: [String: String]?

    /// The real process environment.
    public static var current: Environment { Environment(values: nil) }

    /// A fixed environment.
    public init(_ values: [String: String]) {
        self.values = values
    }

    private init(values: [String: String]?) {
        self.values = values
    }

    /// The value of `name`, nil when unset or empty.
    public subscript(name: String) -> String? {
        let value: String? = values.map { $0[name] } ?? getenv(name).map { String(cString: $0) }
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}

/// Where a service finds its peers (`MENTORNET_PROFILES_ADDR` and the like).
public struct PeerAddresses: Sendable, Equatable {
    /// The profiles service.
    public var profiles: ListenAddress
    /// The matching service.
    public var matching: ListenAddress
    /// The sessions service.
    public var sessions: ListenAddress
    /// The notifications service.
    public var notifications: ListenAddress

    /// Reads the variables, defaulting to the documented loopback ports.
    public init(environment: Environment = .current) throws {
        func read(_ name: String, _ defaultPort: Int) throws -> ListenAddress {
            guard let value = environment[name] else { return ListenAddress(host: "127.0.0.1", port: defaultPort) }
            return try ListenAddress(parsing: value, option: name)
        }
        profiles = try read("MENTORNET_PROFILES_ADDR", 7101)
        matching = try read("MENTORNET_MATCHING_ADDR", 7102)
        sessions = try read("MENTORNET_SESSIONS_ADDR", 7103)
        notifications = try read("MENTORNET_NOTIFICATIONS_ADDR", 7104)
    }
}
