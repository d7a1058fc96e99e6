import Wire

/// Where a server listens and the limits it holds every connection to.
public struct ServerConfiguration: Sendable {
    /// The host to bind, e.g. `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The port to bind; 0 picks a free one.
    public var port: Int
    /// The largest frame body accepted, checked from the length field before buffering.
    public var maximumFrameSize: Int
    /// Calls in flight per connection; more are refused with RESOURCE_EXHAUSTED and a
    /// `retry_after_micros` of `retryAfterMicros`.
    public var maximumConcurrentCalls: Int
    /// Connections a server holds at once unless told otherwise (`MENTORNET_MAX_CONNECTIONS`).
    public static let defaultMaximumConnections = 10_000
    /// How long a client refused for calls in flight waits at least before its first retry (1 ms);
    /// docs/protocol.md, "Flow control", has the whole rule.
    public static let retryAfterMicros: UInt64 = 1000
    /// Connections held at once; one more is sent GOAWAY RESOURCE_EXHAUSTED and closed at once.
    public var maximumConnections: Int
    /// A connection with no calls and no frames for this long is sent GOAWAY and closed.
    public var idleTimeout: Duration
    /// A connection must send its first complete frame within this time.
    public var handshakeTimeout: Duration
    /// How long in-flight calls may run on after shutdown begins.
    public var shutdownGracePeriod: Duration
    /// Checks each call's service credential (every method but `mentornet.health.v1.Health`);
    /// nil: calls need none (tests, the echo server without a secret).
    public var authenticator: CallAuthenticator?
    /// TLS for every connection (nil: plaintext).
    public var tls: TLSSettings?

    /// Creates a configuration with the documented defaults.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        maximumFrameSize: Int = defaultMaximumFrameSize,
        maximumConcurrentCalls: Int = 256,
        maximumConnections: Int = defaultMaximumConnections,
        idleTimeout: Duration = .seconds(300),
        handshakeTimeout: Duration = .seconds(10),
        shutdownGracePeriod: Duration = .seconds(10),
        authenticator: CallAuthenticator? = nil,
        tls: TLSSettings? = nil
    ) {
        self.host = host
        self.port = port
        self.maximumFrameSize = maximumFrameSize
        self.maximumConcurrentCalls = maximumConcurrentCalls
        self.maximumConnections = maximumConnections
        self.idleTimeout = idleTimeout
        self.handshakeTimeout = handshakeTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.authenticator = authenticator
        self.tls = tls
    }
}

extension Duration {
    /// The duration as whole microseconds (saturating).
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? Int64.max : product.addingReportingOverflow(attoseconds / 1_000_000_000_000).partialValue
    }
}
