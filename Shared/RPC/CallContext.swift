import Logging
import NIOCore

/// What a handler knows about the call it serves.
///
/// A context is one reference: the server makes it once per call and it is copied several times
/// on the way to the handler and into `CallContext.current`, each copy a single retain. Nothing
/// in it has a resilient layout (the deadline is held on the event loops' clock, not as a
/// `ContinuousClock.Instant`), so async code holding it needs no run-time layout work.
public struct CallContext: Sendable {
    private let storage: Storage

    /// What a context holds. On a server it is the call itself (`ServerCall`, a subclass), so a
    /// call and its context are one allocation.
    @usableFromInline
    class Storage: @unchecked Sendable {
        // @unchecked: only immutable properties here, but for `metadata`, which a server changes
        // only on its connection's event loop before the call's handler starts (an API key's
        // principal replaces the one the caller sent); a subclass's own state is confined to its
        // connection's event loop and never reached through a context.
        let method: String
        @exclusivity(unchecked) var metadata: Metadata
        /// The deadline on NIO's clock (`NIODeadline`, the event loops' timers' clock).
        let expiry: NIODeadline?
        let connection: ConnectionInfo
        let callID: UInt64

        init(method: String, metadata: Metadata, expiry: NIODeadline?, connection: ConnectionInfo, callID: UInt64) {
            self.method = method
            self.metadata = metadata
            self.expiry = expiry
            self.connection = connection
            self.callID = callID
        }
    }

    /// What a context knows of the connection its call came on.
    @usableFromInline
    final class ConnectionInfo: Sendable {
        let peer: String
        let logger: Logger
        /// The connection's serial number in this process; nil for a context made outside a server.
        let serial: UInt64?
        /// The names the client's certificate is for (its DNS names and common name), when mutual
        /// TLS verified one; nil without.
        let certificateNames: [String]?

        init(peer: String, logger: Logger, serial: UInt64?, certificateNames: [String]? = nil) {
            self.peer = peer
            self.logger = logger
            self.serial = serial
            self.certificateNames = certificateNames
        }
    }

    /// The context of a call on a server connection.
    init(_ storage: Storage) {
        self.storage = storage
    }

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

    /// Creates a context (to run a handler outside a server, in a test say).
    public init(
        method: String,
        metadata: Metadata = [:],
        deadline: ContinuousClock.Instant? = nil,
        peer: String = "",
        logger: Logger = Logger(label: "mentornet.rpc"),
        origin: Origin? = nil
    ) {
        let expiry = deadline.map { NIODeadline.now() + TimeAmount($0 - ContinuousClock.now) }
        self.init(
            Storage(
                method: method, metadata: metadata, expiry: expiry,
                connection: ConnectionInfo(peer: peer, logger: logger, serial: origin?.connection),
                callID: origin?.call ?? 0))
    }

    /// The method, `/package.Service/Method`.
    public var method: String { storage.method }

    /// The caller's metadata.
    public var metadata: Metadata { storage.metadata }

    /// When the caller stops waiting; nil for no deadline.
    public var deadline: ContinuousClock.Instant? {
        storage.expiry.map { ContinuousClock.now + Duration($0 - .now()) }
    }

    /// The caller's address, e.g. `127.0.0.1:51234`.
    public var peer: String { storage.connection.peer }

    /// Which connection and call this is, for a trace id when the caller sent none.
    public var origin: Origin? {
        storage.connection.serial.map { Origin(connection: $0, call: storage.callID) }
    }

    /// The caller's trace id, or one made for this call (unique in the process's lifetime).
    public var traceID: String {
        if let traceID = metadata.traceID { return traceID }
        guard let origin else { return TraceIDs.make() }
        return "\(TraceIDs.processPrefix)-\(String(origin.connection, radix: 16))-\(String(origin.call, radix: 16))"
    }

    /// A logger carrying `call.method` and `trace.id`.
    public var logger: Logger {
        var logger = storage.connection.logger
        logger[metadataKey: "call.method"] = .string(method)
        logger[metadataKey: "trace.id"] = .string(traceID)
        return logger
    }

    /// The time left before the deadline (never negative), or nil for none.
    public var remaining: Duration? {
        storage.expiry.map { max(.zero, Duration($0 - .now())) }
    }

    /// The context of the call being served by this task, if any. Clients read it so that a
    /// call made while serving a call inherits its deadline, trace id and principal.
    @TaskLocal public static var current: CallContext?
}
