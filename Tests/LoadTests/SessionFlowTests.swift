import Foundation
import Testing

@testable import LoadKit

/// The sessions service's rules that bear on the journey, in memory: a slot is free until booked
/// (slots are numbered), a move frees the old slot, nothing can be completed before it starts.
actor FakeSessions {
    var taken: Set<Int> = []
    var sessions: [String: Int] = [:]
    var next = 0

    func firstSlot() -> SessionCallResult {
        let slot = (0...).first { !taken.contains($0) }!
        return SessionCallResult(status: "200", succeeded: true, slot: String(slot))
    }

    func schedule(_ slot: String) -> SessionCallResult {
        let number = Int(slot)!
        guard !taken.contains(number) else { return refusal("409", "overlaps session x of y") }
        taken.insert(number)
        next += 1
        sessions["ses_\(next)"] = number
        return SessionCallResult(status: "201", succeeded: true, sessionID: "ses_\(next)")
    }

    func reschedule(_ id: String, to slot: String) -> SessionCallResult {
        guard let old = sessions.removeValue(forKey: id) else {
            return refusal("400", "session \(id) is rescheduled, not scheduled")
        }
        taken.remove(old)
        return schedule(slot)
    }

    func complete(_ id: String) -> SessionCallResult {
        sessions[id] == nil ? refusal("404", "no session \(id)") : refusal("400", "session \(id) has not started")
    }

    private func refusal(_ status: String, _ message: String) -> SessionCallResult {
        SessionCallResult(status: status, succeeded: false, message: message)
    }
}

struct FakeSessionCalls: SessionCalls {
    let service: FakeSessions

    func firstSlot(matchID: String, memberID: String) async -> SessionCallResult { await service.firstSlot() }
    func schedule(matchID: String, memberID: String, slot: String) async -> SessionCallResult {
        await service.schedule(slot)
    }
    func reschedule(_ sessionID: String, by memberID: String, slot: String) async -> SessionCallResult {
        await service.reschedule(sessionID, to: slot)
    }
    func complete(_ sessionID: String, by memberID: String) async -> SessionCallResult {
        await service.complete(sessionID)
    }
}

@Suite("the journey's sessions")
struct SessionFlowTests {
    @Test("booking waits for an active match (doing the match flow meanwhile); moves and completions need a booking")
    func fallsBackToWhatIsPossible() async {
        let matching = FakeMatchCalls(service: FakeMatching(capacity: 3))
        let sessions = FakeSessions()
        let calls = FakeSessionCalls(service: sessions)
        let book = SessionBook(matches: MatchBook(seeded(12)))
        // No active match: the request and the acceptance come first, under their own names.
        #expect(
            await book.perform("schedule-session", index: 0, calls: calls, matchCalls: matching).operation
                == "request-match")
        #expect(
            await book.perform("schedule-session", index: 0, calls: calls, matchCalls: matching).operation
                == "accept-match")
        // Nothing booked: moving and completing book.
        let booked = await book.perform("reschedule-session", index: 0, calls: calls, matchCalls: matching)
        #expect(booked == Outcome(status: "201", succeeded: true, operation: "schedule-session"))
        let moved = await book.perform("reschedule-session", index: 0, calls: calls, matchCalls: matching)
        #expect(moved == Outcome(status: "201", succeeded: true, operation: "reschedule-session"))
        let taken = await sessions.taken
        let held = await sessions.sessions
        #expect(taken == [1] && held.count == 1)
        // A completion before the start is the service's rule: refused, not failed; the session stays.
        let completed = await book.perform("complete-session", index: 0, calls: calls, matchCalls: matching)
        #expect(completed == Outcome(status: "400", succeeded: true, refused: true, operation: "complete-session"))
        let again = await book.perform("reschedule-session", index: 0, calls: calls, matchCalls: matching)
        #expect(again.operation == "reschedule-session" && again.succeeded && !again.refused)
    }

    @Test("a long run keeps within the rules: bookings never collide, nothing fails")
    func staysWithinTheRules() async throws {
        let sessions = FakeSessions()
        let book = SessionBook(matches: MatchBook(seeded(40)))
        struct Target: LoadTarget {
            let book: SessionBook
            let calls: FakeSessionCalls
            let matching: FakeMatchCalls
            func perform(_ operation: String, index: Int) async -> Outcome {
                if operation.hasSuffix("-match") {
                    return await book.matches.perform(operation, index: index, calls: matching)
                }
                return await book.perform(operation, index: index, calls: calls, matchCalls: matching)
            }
        }
        let recorder = Recorder()
        let plan = LoadPlan(mode: .closed(concurrency: 1), duration: nil, requests: 2000, warmup: .zero)
        let scenario = try #require(Scenarios.named("sessions", matching: true, sessions: true))
        _ = await Driver.run(
            plan, scenario: scenario,
            target: Target(
                book: book, calls: FakeSessionCalls(service: sessions),
                matching: FakeMatchCalls(service: FakeMatching(capacity: LoadMembers.mentorCapacity))),
            recorder: recorder)
        let report = Report(
            target: "fake", scenario: "sessions", mode: plan.mode, warmup: .zero, measured: .seconds(1),
            snapshot: recorder.snapshot())
        #expect(report.failed == 0, "\(report.text)")
        // One at a time, nothing is taken between finding a slot and booking it; only completions
        // (before the start) are refused.
        #expect(report.refused == report.operations["complete-session"]?.refused, "\(report.text)")
        #expect((report.operations["schedule-session"]?.succeeded ?? 0) > 0)
        let taken = await sessions.taken
        let held = await sessions.sessions
        #expect(taken.count == held.count)
        #expect(Scenarios.named("sessions", matching: true) == nil)
    }
}

/// The sessions service's goal rules that bear on the journey, in memory: one pending review per
/// goal, answered by the partner; feedback only on a session that took place (none has).
actor FakeGoals {
    var goals: [String: (owner: String, pending: String?)] = [:]
    var reviews: [String: String] = [:]  // review → goal
    var confirmed = 0

    func setGoal(owner: String) -> GoalCallResult {
        let id = "gol_\(goals.count)"
        goals[id] = (owner, nil)
        return GoalCallResult(status: "201", succeeded: true, id: id)
    }

    func review(_ goal: String, by member: String) -> GoalCallResult {
        guard let entry = goals[goal], entry.owner == member else { return refusal("404", "no goal \(goal)") }
        if let pending = entry.pending { return refusal("400", "review \(pending) is pending") }
        let id = "rev_\(reviews.count)"
        reviews[id] = goal
        goals[goal]?.pending = id
        return GoalCallResult(status: "200", succeeded: true, id: id)
    }

    func confirm(_ review: String, by member: String) -> GoalCallResult {
        guard let goal = reviews[review], let entry = goals[goal], entry.pending == review, entry.owner != member else {
            return refusal("400", "review \(review) is confirmed already")
        }
        goals[goal]?.pending = nil
        confirmed += 1
        return GoalCallResult(status: "200", succeeded: true, id: review)
    }

    private func refusal(_ status: String, _ message: String) -> GoalCallResult {
        GoalCallResult(status: status, succeeded: false, message: message)
    }
}

struct FakeGoalCalls: GoalCalls {
    let service: FakeGoals

    func setGoal(matchID: String, ownerID: String) async -> GoalCallResult { await service.setGoal(owner: ownerID) }
    func review(goalID: String, by memberID: String, progress: UInt32) async -> GoalCallResult {
        await service.review(goalID, by: memberID)
    }
    func confirm(reviewID: String, by memberID: String) async -> GoalCallResult {
        await service.confirm(reviewID, by: memberID)
    }
    func giveFeedback(sessionID: String, by memberID: String, rating: UInt32) async -> GoalCallResult {
        GoalCallResult(status: "400", succeeded: false, message: "session \(sessionID) is scheduled, not completed")
    }
}

@Suite("the journey's goals and feedback")
struct GoalFlowTests {
    @Test(
        "a long run sets goals, reviews and confirms within the rules; feedback before a session took place is refused")
    func staysWithinTheRules() async throws {
        let goalsService = FakeGoals()
        let book = GoalBook(sessions: SessionBook(matches: MatchBook(seeded(40))))
        struct Target: LoadTarget {
            let book: GoalBook
            let goals: FakeGoalCalls
            let sessions: FakeSessionCalls
            let matching: FakeMatchCalls
            func perform(_ operation: String, index: Int) async -> Outcome {
                if operation.hasSuffix("-match") {
                    return await book.sessions.matches.perform(operation, index: index, calls: matching)
                }
                if operation.hasSuffix("-session") {
                    return await book.sessions.perform(operation, index: index, calls: sessions, matchCalls: matching)
                }
                return await book.perform(
                    operation, index: index, calls: goals, sessionCalls: sessions, matchCalls: matching)
            }
        }
        let recorder = Recorder()
        let plan = LoadPlan(mode: .closed(concurrency: 1), duration: nil, requests: 2000, warmup: .zero)
        let scenario = try #require(Scenarios.named("goals", matching: true, sessions: true))
        _ = await Driver.run(
            plan, scenario: scenario,
            target: Target(
                book: book, goals: FakeGoalCalls(service: goalsService),
                sessions: FakeSessionCalls(service: FakeSessions()),
                matching: FakeMatchCalls(service: FakeMatching(capacity: LoadMembers.mentorCapacity))),
            recorder: recorder)
        let report = Report(
            target: "fake", scenario: "goals", mode: plan.mode, warmup: .zero, measured: .seconds(1),
            snapshot: recorder.snapshot())
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.refused == report.operations["give-feedback"]?.refused, "\(report.text)")
        #expect(await goalsService.confirmed == report.operations["confirm-review"]?.succeeded)
        #expect((report.operations["confirm-review"]?.succeeded ?? 0) > 100)
    }
}
