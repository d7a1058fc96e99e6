import RPC
import Wire

/// What the session store refuses; each case chooses the status callers see (converted where the
/// RPC runtime answers the call, through `RPCErrorConvertible`), naming the rule it broke.
enum SessionStoreError: RPCErrorConvertible, Equatable {
    /// The idempotency key was used before with another request.
    case idempotencyKeyReused
    /// The match is not known to sessions (yet: matches arrive through the matching change feed).
    case matchNotFound(matchID: String)
    /// The match is not active.
    case matchNotActive(matchID: String, state: String)
    /// The member acting is not a partner of the match (answered as `matchNotFound`).
    case notAPartner(memberID: String, matchID: String)
    /// A partner is not known to sessions (yet: members arrive through the profiles feed).
    case memberNotFound(memberID: String)
    /// A partner is paused or deactivated.
    case memberNotActive(memberID: String, status: String)
    /// The session falls outside a partner's weekly availability.
    case outsideAvailability(memberID: String, local: String)
    /// The session starts too soon.
    case tooSoon(minimumNoticeMinutes: Int)
    /// The session overlaps (with the buffer) another of a participant's sessions.
    case overlaps(sessionID: String, memberID: String, bufferMinutes: Int)
    /// No session has the id.
    case sessionNotFound(sessionID: String)
    /// The member acting is not a participant (answered as `sessionNotFound`).
    case notAParticipant(memberID: String, sessionID: String)
    /// The attendee named is not a participant (the one acting is).
    case attendeeNotParticipant(memberID: String, sessionID: String)
    /// The session changed since the caller read it.
    case staleVersion(sessionID: String, current: UInt64, expected: UInt64)
    /// The session is not in the state the action needs.
    case wrongState(sessionID: String, state: String, needed: String)
    /// Too close to the start to move or cancel.
    case pastCutoff(sessionID: String, cutoffMinutes: Int)
    /// Moved the most times allowed.
    case rescheduleLimit(sessionID: String, maximum: Int)
    /// A session cannot be completed before it starts.
    case notStarted(sessionID: String)
    /// The time is held for another booking.
    case held(holdID: String, memberID: String)
    /// No live hold has the id.
    case holdNotFound(holdID: String)
    /// The token is not the hold's.
    case wrongToken(holdID: String)
    /// The hold lapsed.
    case holdLapsed(holdID: String)
    /// No calendar feed has the token.
    case feedNotFound
    /// The member may not own or change the goal; `rule` says why.
    case notTheOwner(memberID: String, rule: String)
    /// No goal has the id (or the caller may not see it).
    case goalNotFound(goalID: String)
    /// The goal is achieved or dropped.
    case goalClosed(goalID: String, status: String)
    /// The goal changed since the caller read it.
    case staleGoal(goalID: String, current: UInt64, expected: UInt64)
    /// The match is no longer active: its goals are read-only.
    case goalsReadOnly(matchID: String, state: String)
    /// Another review of the goal waits for an answer.
    case reviewPending(reviewID: String)
    /// No review has the id.
    case reviewNotFound(reviewID: String)
    /// The review was answered already.
    case reviewAnswered(reviewID: String, state: String)
    /// A reviewer cannot answer their own review.
    case ownReview(reviewID: String)
    /// The feedback is revealed (or its deadline passed): it is final.
    case feedbackRevealed(sessionID: String)
    /// No series has the id.
    case seriesNotFound(seriesID: String)
    /// The series changed since the caller read it.
    case staleSeries(seriesID: String, current: UInt64, expected: UInt64)
    /// The series has fewer occurrences.
    case noSuchOccurrence(seriesID: String, occurrence: Int, count: Int)
    /// Occurrences that cannot be booked, each with why.
    case seriesConflicts([String], overlap: Bool)
    /// The network's policy wants a reason to move a session.
    case reasonRequired(network: String)
    /// The policy changed since the caller read it.
    case stalePolicy(network: String, current: UInt64, expected: UInt64)

    var rpcError: RPCError {
        switch self {
        case .idempotencyKeyReused:
            RPCError.invalidArgument([
                FieldViolation(field: "idempotency-key", description: "was already used with a different request")
            ])
        // Someone who is not a partner (a participant) is told what a missing match (session) gets:
        // whether it exists is its partners' business (docs/security.md).
        case .matchNotFound(let match), .notAPartner(_, let match):
            RPCError(.notFound, "no match \(match) (matches reach sessions through the matching change feed)")
        case .matchNotActive(let match, let state):
            RPCError(.failedPrecondition, "match \(match) is \(state), not active: only an active match meets")
        case .memberNotFound(let member):
            RPCError(
                .failedPrecondition, "\(member) is not known to sessions yet (members arrive through the profiles feed)"
            )
        case .memberNotActive(let member, let status):
            RPCError(.failedPrecondition, "\(member) is \(status): no new sessions")
        case .outsideAvailability(let member, let local):
            RPCError(
                .failedPrecondition,
                "outside \(member)'s weekly availability (\(local) in their time); "
                    + "find a slot, or book with override_availability and a reason")
        case .tooSoon(let minutes):
            RPCError(.failedPrecondition, "must start at least \(minutes) minutes from now (minimum notice)")
        case .overlaps(let session, let member, let buffer):
            RPCError(
                .aborted,
                "overlaps session \(session) of \(member)"
                    + (buffer > 0 ? " (sessions keep \(buffer) minutes apart)" : ""))
        case .sessionNotFound(let session), .notAParticipant(_, let session):
            RPCError(.notFound, "no session \(session)")
        case .attendeeNotParticipant(let member, let session):
            RPCError.invalidArgument([
                FieldViolation(field: "attendee_id", description: "\(member) is not a participant of \(session)")
            ])
        case .staleVersion(let session, let current, let expected):
            RPCError(.aborted, "session \(session) is at version \(current), not \(expected): read it again")
        case .wrongState(let session, let state, let needed):
            RPCError(.failedPrecondition, "session \(session) is \(state), not \(needed)")
        case .pastCutoff(let session, let cutoff):
            RPCError(
                .failedPrecondition, "session \(session) starts in less than \(cutoff) minutes: too late to change it")
        case .rescheduleLimit(let session, let maximum):
            RPCError(.failedPrecondition, "session \(session) was moved \(maximum) times, the most allowed")
        case .notStarted(let session):
            RPCError(.failedPrecondition, "session \(session) has not started: it cannot be completed yet")
        case .held(let hold, let member):
            RPCError(.aborted, "the time is held for another booking of \(member) (hold \(hold)); find another slot")
        case .holdNotFound(let hold):
            RPCError(.notFound, "no hold \(hold) (it was confirmed, released, or lapsed and was cleared)")
        case .wrongToken(let hold):
            RPCError(.permissionDenied, "the token is not hold \(hold)'s")
        case .holdLapsed(let hold):
            RPCError(.failedPrecondition, "hold \(hold) lapsed: hold the time again")
        case .reasonRequired(let network):
            RPCError(.failedPrecondition, "network \(network) requires a reason to move a session (its session policy)")
        case .stalePolicy(let network, let current, let expected):
            RPCError(
                .aborted, "the session policy of \(network) is at version \(current), not \(expected): read it again")
        case .seriesNotFound(let series):
            RPCError(.notFound, "no series \(series)")
        case .staleSeries(let series, let current, let expected):
            RPCError(.aborted, "series \(series) is at version \(current), not \(expected): read it again")
        case .noSuchOccurrence(let series, let occurrence, let count):
            RPCError.invalidArgument([
                FieldViolation(
                    field: "from_occurrence",
                    description: "must be 1 to \(count): series \(series) has \(count), not \(occurrence)")
            ])
        case .seriesConflicts(let conflicts, let overlap):
            RPCError(
                overlap ? .aborted : .failedPrecondition,
                "\(conflicts.count) occurrence(s) cannot be booked, so none is: " + conflicts.joined(separator: "; "))
        case .notTheOwner(let member, let rule):
            RPCError(.permissionDenied, "\(member) may not: \(rule)")
        case .goalNotFound(let goal):
            RPCError(.notFound, "no goal \(goal)")
        case .goalClosed(let goal, let status):
            RPCError(.failedPrecondition, "goal \(goal) is \(status), not open")
        case .staleGoal(let goal, let current, let expected):
            RPCError(.aborted, "goal \(goal) is at version \(current), not \(expected): read it again")
        case .goalsReadOnly(let match, let state):
            RPCError(.failedPrecondition, "match \(match) is \(state): its goals are read-only")
        case .reviewPending(let review):
            RPCError(.failedPrecondition, "review \(review) is pending: it must be confirmed or disputed first")
        case .reviewNotFound(let review):
            RPCError(.notFound, "no review \(review)")
        case .reviewAnswered(let review, let state):
            RPCError(.failedPrecondition, "review \(review) is \(state) already")
        case .feedbackRevealed(let session):
            RPCError(
                .failedPrecondition,
                "the feedback on session \(session) is revealed (or its 7 days passed): it is final")
        case .ownReview(let review):
            RPCError(.permissionDenied, "review \(review) is answered by the other partner, not its writer")
        case .feedNotFound:
            RPCError(.notFound, "no calendar feed has this token (it may have been revoked or replaced)")
        }
    }
}
