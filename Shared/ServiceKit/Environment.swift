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

/// A MentorNet service another process may call, with the port it listens on by default.
/// Adding a service is a case here: its address variable and default follow from it.
public enum PeerService: String, CaseIterable, Sendable {
    case profiles, matching, sessions, notifications

    /// The documented default port on loopback.
    public var defaultPort: Int {
        switch self {
        case .profiles: 7101
        case .matching: 7102
        case .sessions: 7103
        case .notifications: 7104
        }
    }

    /// `MENTORNET_<NAME>_ADDR`, where the service's address is given.
    public var environmentVariable: String { "MENTORNET_\(rawValue.uppercased())_ADDR" }
}

/// Where a service finds its peers: each `PeerService` at its `MENTORNET_<NAME>_ADDR`, or on
/// loopback at its default port.
public struct PeerAddresses: Sendable, Equatable {
    private var addresses: [PeerService: ListenAddress]

    /// Reads the variables, defaulting to the documented loopback ports.
    public init(environment: Environment = .current) throws {
        addresses = [:]
        for service in PeerService.allCases {
            let name = service.environmentVariable
            addresses[service] =
                try environment[name].map { try ListenAddress(parsing: $0, option: name) }
                ?? ListenAddress(host: "127.0.0.1", port: service.defaultPort)
        }
    }

    /// The address of `service`.
    public subscript(_ service: PeerService) -> ListenAddress {
        addresses[service]!
    }
}
