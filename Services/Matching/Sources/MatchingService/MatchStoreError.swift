import RPC
import Wire

/// What the match and round stores refuse; each case chooses the status callers see (converted
/// where the RPC runtime answers the call, through `RPCErrorConvertible`).
enum MatchStoreError: RPCErrorConvertible, Equatable {
    /// The idempotency key was used before with another request.
    case idempotencyKeyReused
    /// The pair already has a proposed or active match.
    case openMatchExists(mentorID: String, menteeID: String, matchID: String)
    /// The scoring rules do not allow the pair; `reason` says which rule.
    case ineligible(String)
    /// A partner left the member read model (should not happen: members are never deleted).
    case partnerUnknown(matchID: String)
    /// The member is paused or deactivated.
    case memberNotActive(memberID: String, status: String)
    /// The member is not known to matching (yet: members arrive through the profiles feed).
    case memberNotFound(memberID: String)
    /// The member is not in the network.
    case notInNetwork(memberID: String, network: String)
    /// No match has the id.
    case matchNotFound(matchID: String)
    /// The member acting is not a partner of the match: to them it does not exist (the answer is
    /// the one a missing match gets, so that a match's existence stays private).
    case notAPartner(memberID: String, matchID: String)
    /// The match changed since the caller read it.
    case staleVersion(matchID: String, current: UInt64, expected: UInt64)
    /// The match is not in the state the action needs.
    case wrongState(matchID: String, state: String, needed: String)
    /// The proposal expired before both accepted.
    case expired(matchID: String)
    /// The mentor has no open slot.
    case noOpenSlot(mentorID: String, taken: Int, capacity: UInt32)
    /// A learner already has the most mentors allowed.
    case mentorLimit(memberID: String, count: Int, maximum: Int)
    /// No round has the id.
    case roundNotFound(roundID: String)
    /// The round was published before.
    case roundPublished(roundID: String)

    var rpcError: RPCError {
        switch self {
        case .idempotencyKeyReused:
            RPCError.invalidArgument([
                FieldViolation(field: "idempotency-key", description: "was already used with a different request")
            ])
        case .openMatchExists(let mentor, let mentee, let open):
            RPCError(.alreadyExists, "\(mentor) and \(mentee) already have an open match: \(open)")
        case .ineligible(let reason):
            RPCError(.failedPrecondition, reason)
        case .partnerUnknown(let match):
            RPCError(.failedPrecondition, "a partner of \(match) is no longer known")
        case .memberNotActive(let member, let status):
            RPCError(.failedPrecondition, "\(member) is \(status): no new matches")
        case .memberNotFound(let member):
            RPCError(.notFound, "no member \(member) (members reach matching through the profiles change feed)")
        case .notInNetwork(let member, let network):
            RPCError(.failedPrecondition, "\(member) is not in network \(network)")
        case .matchNotFound(let match), .notAPartner(_, let match):
            RPCError(.notFound, "no match \(match)")
        case .staleVersion(let match, let current, let expected):
            RPCError(.aborted, "match \(match) is at version \(current), not \(expected): read it again")
        case .wrongState(let match, let state, let needed):
            RPCError(.failedPrecondition, "match \(match) is \(state), not \(needed)")
        case .expired(let match):
            RPCError(.failedPrecondition, "match \(match) expired: it was not accepted in time")
        case .noOpenSlot(let mentor, let taken, let capacity):
            RPCError(.failedPrecondition, "\(mentor) has no open slot: \(taken) of \(capacity) taken")
        case .mentorLimit(let member, let count, let maximum):
            RPCError(.failedPrecondition, "\(member) already has \(count) mentor(s), the most allowed (\(maximum))")
        case .roundNotFound(let round):
            RPCError(.notFound, "no round \(round)")
        case .roundPublished(let round):
            RPCError(.failedPrecondition, "round \(round) is published already")
        }
    }
}
