import Wire

/// How a client reaches a server and how it backs off when it cannot.
public struct ClientConfiguration: Sendable {
    /// The server's host.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The largest response frame accepted.
    public var maximumFrameSize: Int
    /// How long one connection attempt may take.
    public var connectTimeout: Duration
    /// The wait after the first failed attempt; it doubles with each failure.
    public var initialBackoff: Duration
    /// The longest wait between attempts.
    public var maximumBackoff: Duration
    /// The time budget of calls that set none (nil: none).
    public var defaultTimeout: Duration?
    /// Presented with every call (`authorization` metadata); servers with a secret refuse calls
    /// without it.
    public var credential: ServiceCredential?
    /// TLS to the server (nil: plaintext).
    public var tls: TLSSettings?

    /// Creates a configuration.
    public init(
        host: String,
        port: Int,
        maximumFrameSize: Int = defaultMaximumFrameSize,
        connectTimeout: Duration = .seconds(5),
        initialBackoff: Duration = .milliseconds(50),
        maximumBackoff: Duration = .seconds(2),
        defaultTimeout: Duration? = nil,
        credential: ServiceCredential? = nil,
        tls: TLSSettings? = nil
    ) {
        self.host = host
        self.port = port
        self.maximumFrameSize = maximumFrameSize
        self.connectTimeout = connectTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.defaultTimeout = defaultTimeout
        self.credential = credential
        self.tls = tls
    }

    /// `host:port`.
    public var address: String { "\(host):\(port)" }
}

/// Per-call options.
public struct CallOptions: Sendable {
    /// The call's time budget; the effective deadline is the earlier of this and the deadline
    /// of the call being served (`CallContext.current`).
    public var timeout: Duration?
    /// Metadata to send, on top of the trace id and principal inherited from the call being served.
    public var metadata: Metadata

    /// Creates options.
    public init(timeout: Duration? = nil, metadata: Metadata = [:]) {
        self.timeout = timeout
        self.metadata = metadata
    }
}
