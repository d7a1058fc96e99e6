import RPC

/// Where the gateway listens and where its backends are.
public struct GatewayConfiguration: Sendable {
    /// A backend service's address.
    public struct Backend: Sendable, Equatable {
        /// The host name or address.
        public var host: String
        /// The port.
        public var port: Int

        /// An address.
        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// The services the gateway calls, by name, with their default loopback addresses.
    public static let defaultBackends: [String: Backend] = [
        "profiles": Backend(host: "127.0.0.1", port: 7101),
        "matching": Backend(host: "127.0.0.1", port: 7102),
        "sessions": Backend(host: "127.0.0.1", port: 7103),
        "notifications": Backend(host: "127.0.0.1", port: 7104),
    ]

    /// The HTTP host to bind.
    public var host: String
    /// The HTTP port; 0 picks a free one.
    public var port: Int
    /// Each backend service by name (the keys of `defaultBackends`).
    public var backends: [String: Backend]
    /// The budget of each backend call.
    public var backendTimeout: Duration
    /// How long connecting to a backend may take before its calls fail UNAVAILABLE (503).
    public var backendConnectTimeout: Duration = .seconds(1)
    /// The largest request body accepted.
    public var maximumBodySize: Int
    /// How often a live stream (Server-Sent Events) sends a heartbeat comment.
    public var streamHeartbeat: Duration
    /// Live streams open at once; one more is answered 503.
    public var maximumStreams: Int
    /// HTTP connections held at once; one more is answered 503 and closed (nil: no limit).
    public var maximumConnections: Int?
    /// What the gateway presents to its backends (`MENTORNET_SERVICE_SECRET`).
    public var credential: ServiceCredential?
    /// TLS to the backends (nil: plaintext).
    public var backendTLS: TLSSettings?
    /// Checks the bearer token every route but the open ones needs (`AuthenticationMiddleware`);
    /// nil: no route needs one (in-process tests only: `mentornet-gateway` will not start without).
    public var tokens: TokenVerifier?
    /// Rate limits, CORS origins and trusted proxies (docs/security.md, "Abuse resistance").
    public var traffic: TrafficSettings

    /// Creates a configuration; `backends` replaces the default address of each service it names.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        backends: [String: Backend] = [:],
        backendTimeout: Duration = .seconds(5),
        maximumBodySize: Int = 1 << 20,
        streamHeartbeat: Duration = .seconds(15),
        maximumStreams: Int = 10_000,
        maximumConnections: Int? = nil,
        credential: ServiceCredential? = nil,
        tokens: TokenVerifier? = nil,
        traffic: TrafficSettings = TrafficSettings(),
        backendTLS: TLSSettings? = nil
    ) {
        self.host = host
        self.port = port
        self.backends = Self.defaultBackends.merging(backends) { _, given in given }
        self.backendTimeout = backendTimeout
        self.maximumBodySize = maximumBodySize
        self.streamHeartbeat = streamHeartbeat
        self.maximumStreams = maximumStreams
        self.maximumConnections = maximumConnections
        self.credential = credential
        self.tokens = tokens
        self.traffic = traffic
        self.backendTLS = backendTLS
    }

    /// Every backend at `host:port` (tests: one server answering every service).
    public static func allBackends(host: String = "127.0.0.1", port: Int) -> [String: Backend] {
        defaultBackends.mapValues { _ in Backend(host: host, port: port) }
    }
}
