import Synchronization

/// A session the journey booked, and the partner who handles it.
struct BookedSession: Sendable, Equatable {
    var sessionID: String
    var matchID: String
    var memberID: String
}

/// One sessions call's answer, as a target reports it to the flow.
struct SessionCallResult: Sendable {
    /// The status as the protocol names it (`201`, `409`, `ABORTED`…).
    var status: String
    var succeeded: Bool
    /// The session's id (a booking or a move).
    var sessionID: String?
    /// The first slot's start, as the target writes it back (FindSlots).
    var slot: String?
    /// The error message, when the call failed.
    var message: String?
}

/// The sessions calls the journey makes, over one protocol.
protocol SessionCalls: Sendable {
    /// The first 30-minute slot both partners of the match have (nil `slot`: none).
    func firstSlot(matchID: String, memberID: String) async -> SessionCallResult
    /// Books 30 minutes at `slot`.
    func schedule(matchID: String, memberID: String, slot: String) async -> SessionCallResult
    /// Moves a session to `slot`.
    func reschedule(_ sessionID: String, by memberID: String, slot: String) async -> SessionCallResult
    /// Marks a session as having taken place.
    func complete(_ sessionID: String, by memberID: String) async -> SessionCallResult
}

/// The journey's sessions, as partners live them: the mentee of an active match finds the first
/// slot both have and books it; later someone moves a session to the next free slot, or marks it
/// done. An operation drawn when what it needs is missing does what is possible instead and is
/// recorded under that name: booking with no active match goes on with the match flow; moving or
/// completing with nothing booked books. Answers the service gives by its rules — the slot was
/// just taken, the match ended meanwhile, sessions has not read the match from the feed yet, a
/// session that has not started cannot be completed (in a short run none has) — count as refused.
final class SessionBook: Sendable {
    private let booked = Mutex<[BookedSession]>([])
    let matches: MatchBook

    init(matches: MatchBook) {
        self.matches = matches
    }

    /// One of the sessions the run booked (left in the book), or nil.
    func booked(index: Int) -> BookedSession? {
        booked.withLock { $0.isEmpty ? nil : $0[index % $0.count] }
    }

    /// Performs `operation` (`schedule-session`, `reschedule-session`, `complete-session`).
    func perform(_ operation: String, index: Int, calls: some SessionCalls, matchCalls: some MatchCalls) async
        -> Outcome
    {
        let session: BookedSession? = booked.withLock { sessions in
            guard operation != "schedule-session", !sessions.isEmpty else { return nil }
            return sessions.remove(at: index % sessions.count)
        }
        guard let session else { return await schedule(index: index, calls: calls, matchCalls: matchCalls) }
        if operation == "complete-session" {
            let result = await calls.complete(session.sessionID, by: session.memberID)
            if !result.succeeded { keep(session, unless: result) }
            return Self.outcome(result, operation)
        }
        let slot = await calls.firstSlot(matchID: session.matchID, memberID: session.memberID)
        guard slot.succeeded, let start = slot.slot else {
            keep(session, unless: slot)
            return Self.outcome(slot, operation, noSlot: slot.succeeded)
        }
        let result = await calls.reschedule(session.sessionID, by: session.memberID, slot: start)
        if result.succeeded, let id = result.sessionID {
            booked.withLock {
                $0.append(BookedSession(sessionID: id, matchID: session.matchID, memberID: session.memberID))
            }
        } else {
            keep(session, unless: result)
        }
        return Self.outcome(result, operation)
    }

    /// The mentee of an active match books the first slot both have.
    private func schedule(index: Int, calls: some SessionCalls, matchCalls: some MatchCalls) async -> Outcome {
        guard let pair = matches.activePair(index: index) else {
            return await matches.perform("accept-match", index: index, calls: matchCalls)
        }
        let slot = await calls.firstSlot(matchID: pair.matchID, memberID: pair.menteeID)
        guard slot.succeeded, let start = slot.slot else {
            return Self.outcome(slot, "schedule-session", noSlot: slot.succeeded)
        }
        let result = await calls.schedule(matchID: pair.matchID, memberID: pair.menteeID, slot: start)
        if result.succeeded, let id = result.sessionID {
            booked.withLock { $0.append(BookedSession(sessionID: id, matchID: pair.matchID, memberID: pair.menteeID)) }
        }
        return Self.outcome(result, "schedule-session")
    }

    /// Puts a session back for later steps unless the answer says it is no longer scheduled.
    private func keep(_ session: BookedSession, unless result: SessionCallResult) {
        let gone = ["not scheduled", "no session", "moved"].contains { result.message?.contains($0) == true }
        if !gone { booked.withLock { $0.append(session) } }
    }

    private static func outcome(_ result: SessionCallResult, _ operation: String, noSlot: Bool = false) -> Outcome {
        if noSlot { return Outcome(status: "no free slot", succeeded: true, refused: true, operation: operation) }
        if result.succeeded { return Outcome(status: result.status, succeeded: true, operation: operation) }
        if let message = result.message, isRefusal(message) {
            return Outcome(status: result.status, succeeded: true, refused: true, operation: operation)
        }
        return Outcome(status: result.status, succeeded: false, operation: operation)
    }

    /// Whether an error message is the sessions service saying no by its rules.
    static func isRefusal(_ message: String) -> Bool {
        [
            "overlaps session", "held for another booking", "weekly availability", "has not started", "not active",
            "no match", "not known to sessions", "not scheduled", "the most allowed", "minimum notice",
        ].contains { message.contains($0) }
    }
}
