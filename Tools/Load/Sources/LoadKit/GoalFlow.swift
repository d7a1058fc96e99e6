import Synchronization

/// A goal the journey set, and the review that waits on it.
struct SetGoal: Sendable, Equatable {
    var goalID: String
    var ownerID: String
    var partnerID: String
    var progress: UInt32
    var pendingReviewID: String?
}

/// One goals or feedback call's answer, as a target reports it to the flow.
struct GoalCallResult: Sendable {
    var status: String
    var succeeded: Bool
    /// The goal's or review's id.
    var id: String?
    var message: String?
}

/// The goals and feedback calls the journey makes, over one protocol.
protocol GoalCalls: Sendable {
    func setGoal(matchID: String, ownerID: String) async -> GoalCallResult
    func review(goalID: String, by memberID: String, progress: UInt32) async -> GoalCallResult
    func confirm(reviewID: String, by memberID: String) async -> GoalCallResult
    func giveFeedback(sessionID: String, by memberID: String, rating: UInt32) async -> GoalCallResult
}

/// The journey's goals and feedback: the mentee of an active match sets a goal, states progress,
/// the mentor confirms it; participants give feedback on their sessions. A step with nothing to
/// act on does what is possible instead, recorded under that name (reviewing with no goal sets
/// one; confirming with nothing pending reviews; setting a goal with no active match goes on with
/// the match flow; feedback with nothing booked books). The services' rule answers count as
/// refused — among them every feedback in a short run, since feedback needs a session that took
/// place and the run's sessions lie ahead.
final class GoalBook: Sendable {
    private let goals = Mutex<[SetGoal]>([])
    let sessions: SessionBook

    init(sessions: SessionBook) {
        self.sessions = sessions
    }

    /// Performs `operation` (`set-goal`, `review-goal`, `confirm-review`, `give-feedback`).
    func perform(
        _ operation: String, index: Int, calls: some GoalCalls, sessionCalls: some SessionCalls,
        matchCalls: some MatchCalls
    ) async -> Outcome {
        switch operation {
        case "give-feedback":
            guard let session = sessions.booked(index: index) else {
                return await sessions.perform(
                    "schedule-session", index: index, calls: sessionCalls, matchCalls: matchCalls)
            }
            let result = await calls.giveFeedback(
                sessionID: session.sessionID, by: session.memberID, rating: UInt32(1 + index % 5))
            return Self.outcome(result, operation)
        case "confirm-review":
            if let goal = take(index: index, where: { $0.pendingReviewID != nil }) {
                let result = await calls.confirm(reviewID: goal.pendingReviewID!, by: goal.partnerID)
                var next = goal
                next.pendingReviewID = nil
                if result.succeeded { next.progress = min(100, goal.progress + 10) }
                put(next)
                return Self.outcome(result, operation)
            }
            return await review(index: index, calls: calls, matchCalls: matchCalls)
        case "review-goal":
            return await review(index: index, calls: calls, matchCalls: matchCalls)
        default:
            return await setGoal(index: index, calls: calls, matchCalls: matchCalls)
        }
    }

    private func review(index: Int, calls: some GoalCalls, matchCalls: some MatchCalls) async -> Outcome {
        guard let goal = take(index: index, where: { $0.pendingReviewID == nil }) else {
            return await setGoal(index: index, calls: calls, matchCalls: matchCalls)
        }
        let result = await calls.review(goalID: goal.goalID, by: goal.ownerID, progress: min(100, goal.progress + 10))
        var next = goal
        if result.succeeded { next.pendingReviewID = result.id }
        put(next)
        return Self.outcome(result, "review-goal")
    }

    private func setGoal(index: Int, calls: some GoalCalls, matchCalls: some MatchCalls) async -> Outcome {
        guard let pair = sessions.matches.activePair(index: index) else {
            return await sessions.matches.perform("accept-match", index: index, calls: matchCalls)
        }
        let result = await calls.setGoal(matchID: pair.matchID, ownerID: pair.menteeID)
        if result.succeeded, let id = result.id {
            put(SetGoal(goalID: id, ownerID: pair.menteeID, partnerID: pair.mentorID, progress: 0))
        }
        return Self.outcome(result, "set-goal")
    }

    private func take(index: Int, where matches: (SetGoal) -> Bool) -> SetGoal? {
        goals.withLock { goals in
            let candidates = goals.indices.filter { matches(goals[$0]) }
            guard !candidates.isEmpty else { return nil }
            return goals.remove(at: candidates[index % candidates.count])
        }
    }

    private func put(_ goal: SetGoal) {
        goals.withLock { $0.append(goal) }
    }

    private static func outcome(_ result: GoalCallResult, _ operation: String) -> Outcome {
        if result.succeeded { return Outcome(status: result.status, succeeded: true, operation: operation) }
        if let message = result.message, isRefusal(message) {
            return Outcome(status: result.status, succeeded: true, refused: true, operation: operation)
        }
        return Outcome(status: result.status, succeeded: false, operation: operation)
    }

    /// Whether an error message is the sessions service saying no by its rules.
    static func isRefusal(_ message: String) -> Bool {
        [
            "not completed", "read-only", "is pending", "not open", "no match", "not known to sessions",
            "in a one-way match", "is revealed", "already",
        ].contains { message.contains($0) }
    }
}
