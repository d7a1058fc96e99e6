/// Where the gateway listens and where its backends are.
public struct GatewayConfiguration: Sendable {
    /// The HTTP host to bind.
    public var host: String
    /// The HTTP port; 0 picks a free one.
    public var port: Int
    /// The profiles service.
    public var profilesHost: String
    /// The profiles service's port.
    public var profilesPort: Int
    /// The matching service.
    public var matchingHost: String
    /// The matching service's port.
    public var matchingPort: Int
    /// The budget of each backend call.
    public var backendTimeout: Duration
    /// The largest request body accepted.
    public var maximumBodySize: Int

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        profilesHost: String = "127.0.0.1",
        profilesPort: Int = 7101,
        matchingHost: String = "127.0.0.1",
        matchingPort: Int = 7102,
        backendTimeout: Duration = .seconds(5),
        maximumBodySize: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.profilesHost = profilesHost
        self.profilesPort = profilesPort
        self.matchingHost = matchingHost
        self.matchingPort = matchingPort
        self.backendTimeout = backendTimeout
        self.maximumBodySize = maximumBodySize
    }
}
