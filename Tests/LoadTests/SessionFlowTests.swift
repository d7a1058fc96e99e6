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
