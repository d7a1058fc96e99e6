import RPC
import Wire

/// What the notification store refuses; each case chooses the status callers see, naming the
/// rule it broke.
enum NotificationStoreError: RPCErrorConvertible, Equatable {
    /// No notification of the member has the id (or it is not in their inbox).
    case notificationNotFound(id: String, memberID: String)
    /// The preferences changed since the caller read them.
    case stalePreferences(memberID: String, current: UInt64, expected: UInt64)
    /// The rules changed since the caller read them.
    case staleRules(network: String, current: UInt64, expected: UInt64)

    var rpcError: RPCError {
        switch self {
        case .notificationNotFound(let id, let member):
            RPCError(.notFound, "no notification \(id) in the inbox of \(member)")
        case .stalePreferences(let member, let current, let expected):
            RPCError(
                .aborted, "the preferences of \(member) are at version \(current), not \(expected): read them again")
        case .staleRules(let network, let current, let expected):
            RPCError(
                .aborted,
                "the notification rules of \(network) are at version \(current), not \(expected): read them again")
        }
    }
}
