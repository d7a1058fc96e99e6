import Logging

/// What a handler knows about the call it serves.
public struct CallContext: Sendable {
    /// The method, `/package.Service/Method`.
    public var method: String
    /// The caller's metadata.
    public var metadata: Metadata
    /// When the caller stops waiting; nil for no deadline.
    public var deadline: ContinuousClock.Instant?
    /// The caller's address, e.g. `127.0.0.1:51234`.
    public var peer: String
    /// Which connection and call this is, for a trace id when the caller sent none.
    public var origin: Origin?
    private var baseLogger: Logger

    /// A server connection's serial number and a call id on it.
    public struct Origin: Sendable, Equatable {
        /// The connection's serial number in this process.
        public var connection: UInt64
        /// The call id.
        public var call: UInt64

        /// Creates an origin.
        public init(connection: UInt64, call: UInt64) {
            self.connection = connection
            self.call = call
        }
    }

    /// Creates a context.
    public init(
        method: String,
        metadata: Metadata = [:],
        deadline: ContinuousClock.Instant? = nil,
        peer: String = "",
        logger: Logger = Logger(label: "mentornet.rpc"),
        origin: Origin? = nil
    ) {
        self.method = method
        self.metadata = metadata
        self.deadline = deadline
        self.peer = peer
        self.baseLogger = logger
        self.origin = origin
    }

    /// The caller's trace id, or one made for this call (unique in the process's lifetime).
    public var traceID: String {
        if let traceID = metadata.traceID { return traceID }
        guard let origin else { return TraceIDs.make() }
        return "\(TraceIDs.processPrefix)-\(String(origin.connection, radix: 16))-\(String(origin.call, radix: 16))"
    }

    /// A logger carrying `call.method` and `trace.id`.
    public var logger: Logger {
        var logger = baseLogger
        logger[metadataKey: "call.method"] = .string(method)
        logger[metadataKey: "trace.id"] = .string(traceID)
        return logger
    }

    /// The time left before the deadline (never negative), or nil for none.
    public var remaining: Duration? {
        deadline.map { max(.zero, $0 - ContinuousClock.now) }
    }

    /// The context of the call being served by this task, if any. Clients read it so that a
    /// call made while serving a call inherits its deadline, trace id and principal.
    @TaskLocal public static var current: CallContext?
}
