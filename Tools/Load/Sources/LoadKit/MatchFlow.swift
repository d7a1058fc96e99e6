import Synchronization

/// A member the seed phase created: their id and their number in `LoadMembers`, from which the
/// tool knows their role and skills.
public struct SeededMember: Sendable, Equatable {
    /// The member's id.
    public var id: String
    /// Their number in `LoadMembers`.
    public var index: Int

    /// A seeded member.
    public init(id: String, index: Int) {
        self.id = id
        self.index = index
    }
}

/// A match the journey proposed or made, and its partners.
struct MatchPair: Sendable, Equatable {
    var matchID: String
    var mentorID: String
    var menteeID: String
}

/// One matching call's answer, as a target reports it to the flow.
struct MatchCallResult: Sendable {
    /// The status as the protocol names it (`201`, `409`, `FAILED_PRECONDITION`…).
    var status: String
    var succeeded: Bool
    /// The match's id (a successful proposal).
    var matchID: String?
    /// The error message, when the call failed.
    var message: String?
}

/// The three matching calls the journey makes, over one protocol.
protocol MatchCalls: Sendable {
    /// The mentee asks the mentor (and so has accepted).
    func propose(mentorID: String, menteeID: String) async -> MatchCallResult
    /// `memberID` accepts; the answer's match is active when both have.
    func accept(_ matchID: String, by memberID: String) async -> MatchCallResult
    /// `memberID` ends an active match as completed.
    func end(_ matchID: String, by memberID: String) async -> MatchCallResult
}

/// The journey's matching, as its members live it: a mentee without a mentor asks a mentor who
/// teaches their goal and has room, the mentor accepts, and later the pair completes. The book
/// tracks which seeded mentees are taken and how full each seeded mentor is (proposals and
/// active matches both count, so the tool stays below the service's limits), which proposals
/// wait for the mentor and which matches are active.
///
/// Capacity fills up in any long run, so an operation drawn when nothing is waiting for it
/// performs the step that is possible instead and is recorded under that name: accepting with no
/// proposal waiting proposes, ending with no active match accepts or proposes, and proposing when
/// every mentee is taken or every fitting mentor full ends or accepts. When the service
/// still says no by its rules (no open slot, already matched — e.g. members changed behind the
/// tool's back), the answer is counted as refused: a correct answer, kept apart from errors.
final class MatchBook: Sendable {
    /// What the flow does next.
    enum Step: Equatable {
        case propose(mentorID: String, menteeID: String, reserved: Bool)
        case accept(MatchPair)
        case end(MatchPair)
    }

    private struct State {
        /// Mentors by the skills they teach.
        var mentorsBySkill: [String: [String]] = [:]
        /// Mentees and the skill they want.
        var mentees: [(id: String, skill: String)] = []
        /// Mentees with a proposal or match (or one on its way).
        var busy: Set<String> = []
        /// Proposals and matches per mentor (and those on their way).
        var load: [String: Int] = [:]
        var waiting: [MatchPair] = []
        var active: [MatchPair] = []
    }

    private let state: Mutex<State>

    /// A book over the seeded members.
    init(_ members: [SeededMember]) {
        var state = State()
        for member in members.sorted(by: { $0.index < $1.index }) {
            if LoadMembers.isMentor(member.index) {
                for skill in LoadMembers.taught(member.index) {
                    state.mentorsBySkill[skill, default: []].append(member.id)
                }
            } else {
                state.mentees.append((member.id, LoadMembers.skill(member.index)))
            }
        }
        // Only mentees someone can teach take part.
        state.mentees.removeAll { state.mentorsBySkill[$0.skill] == nil }
        self.state = Mutex(state)
    }

    /// Whether the seed has a mentee and a mentor who teaches their goal.
    var canMatch: Bool {
        state.withLock { !$0.mentees.isEmpty }
    }

    /// One of the active matches (the session flow books their sessions), or nil.
    func activePair(index: Int) -> MatchPair? {
        state.withLock { $0.active.isEmpty ? nil : $0.active[index % $0.active.count] }
    }

    /// The step for a drawn operation (`request-match`, `accept-match` or `end-match`).
    func step(for operation: String, index: Int) -> Step {
        state.withLock { state in
            if operation == "end-match", !state.active.isEmpty { return .end(state.active.removeFirst()) }
            if operation != "request-match", !state.waiting.isEmpty { return .accept(state.waiting.removeFirst()) }
            return Self.proposal(index: index, in: &state)
        }
    }

    /// A free mentee and a mentor with room who teaches what they want, both reserved. When every
    /// pair is taken, the next step of a match already under way instead (ending one, or
    /// accepting one); when all of those are in flight, some pair without a reservation (the
    /// service will say no, and that is recorded as refused).
    private static func proposal(index: Int, in state: inout State) -> Step {
        let count = state.mentees.count
        for offset in 0..<count {
            let mentee = state.mentees[(index + offset) % count]
            guard !state.busy.contains(mentee.id), let mentors = state.mentorsBySkill[mentee.skill] else { continue }
            for turn in 0..<mentors.count {
                let mentor = mentors[(index + turn) % mentors.count]
                if state.load[mentor, default: 0] < LoadMembers.mentorCapacity {
                    state.busy.insert(mentee.id)
                    state.load[mentor, default: 0] += 1
                    return .propose(mentorID: mentor, menteeID: mentee.id, reserved: true)
                }
            }
        }
        if !state.active.isEmpty { return .end(state.active.removeFirst()) }
        if !state.waiting.isEmpty { return .accept(state.waiting.removeFirst()) }
        let mentee = state.mentees[index % count]
        let mentors = state.mentorsBySkill[mentee.skill]!
        return .propose(mentorID: mentors[index % mentors.count], menteeID: mentee.id, reserved: false)
    }

    /// Performs the step for `operation` with `calls` and records what it changed.
    func perform(_ operation: String, index: Int, calls: some MatchCalls) async -> Outcome {
        guard canMatch else { return Outcome(status: "no mentee with a fitting mentor seeded", succeeded: false) }
        switch step(for: operation, index: index) {
        case .propose(let mentorID, let menteeID, let reserved):
            let result = await calls.propose(mentorID: mentorID, menteeID: menteeID)
            state.withLock { state in
                if result.succeeded, let matchID = result.matchID {
                    state.waiting.append(MatchPair(matchID: matchID, mentorID: mentorID, menteeID: menteeID))
                    if !reserved {  // the service took it after all: it counts like the others
                        state.busy.insert(menteeID)
                        state.load[mentorID, default: 0] += 1
                    }
                } else if reserved {
                    Self.release(mentorID: mentorID, menteeID: menteeID, in: &state)
                }
            }
            return Self.outcome(result, "request-match")
        case .accept(let pair):
            let result = await calls.accept(pair.matchID, by: pair.mentorID)
            state.withLock { state in
                if result.succeeded {
                    state.active.append(pair)
                } else {
                    Self.release(mentorID: pair.mentorID, menteeID: pair.menteeID, in: &state)
                }
            }
            return Self.outcome(result, "accept-match")
        case .end(let pair):
            let result = await calls.end(pair.matchID, by: pair.menteeID)
            state.withLock { Self.release(mentorID: pair.mentorID, menteeID: pair.menteeID, in: &$0) }
            return Self.outcome(result, "end-match")
        }
    }

    private static func release(mentorID: String, menteeID: String, in state: inout State) {
        state.busy.remove(menteeID)
        state.load[mentorID, default: 1] -= 1
    }

    private static func outcome(_ result: MatchCallResult, _ operation: String) -> Outcome {
        if result.succeeded { return Outcome(status: result.status, succeeded: true, operation: operation) }
        if let message = result.message, isRefusal(message) {
            return Outcome(status: result.status, succeeded: true, refused: true, operation: operation)
        }
        return Outcome(status: result.status, succeeded: false, operation: operation)
    }

    /// Whether an error message is the service saying no by its capacity and pairing rules (or a
    /// proposal those rules withdrew before it was accepted).
    static func isRefusal(_ message: String) -> Bool {
        ["has no open slot", "the most allowed", "already have an open match", "is withdrawn, not proposed"].contains {
            message.contains($0)
        }
    }
}
