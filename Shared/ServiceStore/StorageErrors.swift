import GRDB
import RPC
import Wire

/// What a caller is told when the database cannot do what a call asked (docs/reliability.md,
/// "Disk faults"): a full disk or failing storage is UNAVAILABLE — the service is sound, the
/// change was not made (its transaction rolled back), and the same call may work later — not an
/// INTERNAL error. Reads go on meanwhile; a full disk's writes resume once there is space.
extension DatabaseError: RPCErrorConvertible {
    /// The error as the caller should see it.
    public var rpcError: RPCError {
        switch resultCode {
        case .SQLITE_FULL:
            RPCError(
                .unavailable, "the service's disk is full: nothing was changed; retry once space is freed",
                cause: self)
        case .SQLITE_IOERR:
            RPCError(.unavailable, "the service's storage failed to read or write: nothing was changed", cause: self)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            RPCError(.unavailable, "the service's database is busy: nothing was changed; retry", cause: self)
        case .SQLITE_READONLY:
            RPCError(.unavailable, "the service's storage is read-only: nothing was changed", cause: self)
        default:
            RPCError(.internal, "internal error", cause: self)
        }
    }
}
