import RPC
import Wire

/// What the member store refuses; each case chooses the status callers see (converted where the
/// RPC runtime answers the call, through `RPCErrorConvertible`).
enum MemberStoreError: RPCErrorConvertible, Equatable {
    /// No member has the id.
    case notFound(id: String)
    /// Another member has the email (compared case-insensitively).
    case emailTaken(email: String)
    /// The member changed since the caller read it.
    case staleVersion(id: String, current: UInt64, expected: UInt64)
    /// The idempotency key was used before with another request.
    case idempotencyKeyReused
    /// The caller's sign-in is already linked to a member.
    case subjectLinked(member: String)
    /// An admin links a subject that another member's sign-in has.
    case subjectTaken

    var rpcError: RPCError {
        switch self {
        case .notFound(let id):
            RPCError(.notFound, "no member \(id)")
        case .emailTaken(let email):
            RPCError(.alreadyExists, "a member with email \(email) already exists")
        case .staleVersion(let id, let current, let expected):
            RPCError(.aborted, "member \(id) is at version \(current), not \(expected): read it again and retry")
        case .idempotencyKeyReused:
            RPCError.invalidArgument([
                FieldViolation(field: "idempotency-key", description: "was already used with a different request")
            ])
        case .subjectLinked(let member):
            RPCError(.alreadyExists, "your sign-in is already linked to member \(member)")
        case .subjectTaken:
            RPCError(.alreadyExists, "this subject is already linked to another member: unlink it there first")
        }
    }
}
