import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("double-blind session feedback")
struct FeedbackTests {
    /// A completed session of the pair, an hour long, just ended.
    func completed(_ fixture: SessionsFixture, _ ada: Member, _ bo: Member, _ match: String) async throws -> Session {
        let session = try await fixture.schedule(match, by: ada, at: fixture.clock.now + Times.hour)
        fixture.clock.advance(.seconds(2 * 3600))
        return try await fixture.client.completeSession(CompleteSessionRequest(sessionID: session.id, memberID: ada.id))
    }

    func pair(_ fixture: SessionsFixture) async throws -> (Member, Member, String) {
        let ada = member("ada")
        let bo = member("bo")
        try await fixture.add(ada, bo)
        return (ada, bo, try await fixture.match(ada, bo))
    }

    func give(
        _ fixture: SessionsFixture, _ session: Session, by member: Member, rating: UInt32 = 4,
        fit: FitAnswer = .yes, text: String = "clear and kind"
    ) async throws -> SessionFeedback {
        try await fixture.client.giveFeedback(
            GiveFeedbackRequest(
                sessionID: session.id, memberID: member.id, rating: rating, wentWell: text, toChange: "more time",
                goodFit: fit))
    }

    func view(_ fixture: SessionsFixture, _ session: Session, as member: Member) async throws -> SessionFeedback {
        try await fixture.client.getFeedback(GetFeedbackRequest(sessionID: session.id, memberID: member.id))
    }

    @Test(
        "sealed until both gave theirs, in either order; then both see both, at once, once", arguments: [false, true])
    func bothOrders(boFirst: Bool) async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let session = try await completed(fixture, ada, bo, match)
            let (first, second) = boFirst ? (bo, ada) : (ada, bo)
            let sealed = try await give(fixture, session, by: first, text: "secret from \(first.displayName)")
            #expect(!sealed.revealed && sealed.partnerState == .notGiven && sealed.mine?.memberID == first.id)
            let other = try await view(fixture, session, as: second)
            #expect(other.partnerState == .submitted && other.partner == nil && other.mine == nil && !other.revealed)
            // Changeable until revealed.
            _ = try await give(fixture, session, by: first, rating: 5, text: "secret from \(first.displayName)")
            let revealed = try await give(fixture, session, by: second, text: "secret from \(second.displayName)")
            #expect(revealed.revealed && revealed.partnerState == .revealed)
            #expect(revealed.partner?.wentWell == "secret from \(first.displayName)" && revealed.partner?.rating == 5)
            let firstView = try await view(fixture, session, as: first)
            #expect(firstView.partner?.wentWell == "secret from \(second.displayName)")
            #expect(
                firstView.revealedAtMicros == revealed.revealedAtMicros
                    && firstView.revealedAtMicros == fixture.clock.now)
            let reveals = try await fixture.feed().filter { $0.kind == .feedbackRevealed }
            #expect(reveals.count == 1 && reveals.first?.feedback.count == 2)
            // Each giver once on the feed, sealed: who and when, not what.
            let given = try await fixture.feed().filter { $0.kind == .feedbackGiven }
            #expect(Set(given.compactMap { $0.feedback.first?.memberID }) == [first.id, second.id])
            #expect(given.count == 2 && given.allSatisfy { $0.feedback.first?.wentWell == "" })
            #expect(given.allSatisfy { $0.feedback.first?.rating == 0 && $0.session?.id == session.id })
            await #expect { _ = try await give(fixture, session, by: first) } throws: {
                isRPCError($0, .failedPrecondition, "is revealed")
            }
            #expect(try await fixture.service.revealDueFeedback() == 0)
        }
    }

    @Test("seven days after the session ended, one partner's feedback is revealed on its own, exactly once")
    func deadline() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let session = try await completed(fixture, ada, bo, match)
            let given = try await give(fixture, session, by: ada)
            #expect(given.revealDueAtMicros == session.startAtMicros + Times.hour + 7 * 86_400_000_000)
            fixture.clock.advance(.seconds(7 * 86_400 - 2 * 3600))  // just before the deadline
            #expect(try await fixture.service.revealDueFeedback() == 0)
            #expect(try await view(fixture, session, as: bo).partner == nil)
            fixture.clock.advance(.seconds(2 * 3600))  // the deadline
            // A read after the deadline reveals it (before the job does); the job then finds nothing.
            let seen = try await view(fixture, session, as: bo)
            #expect(seen.revealed && seen.partner?.wentWell == "clear and kind" && seen.mine == nil)
            #expect(try await fixture.service.revealDueFeedback() == 0)
            await #expect { _ = try await give(fixture, session, by: bo) } throws: {
                isRPCError($0, .failedPrecondition, "is revealed")
            }
            #expect(try await fixture.feed().filter { $0.kind == .feedbackRevealed }.count == 1)
        }
    }

    @Test("the reveal job reveals what is due, once")
    func revealJob() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let session = try await completed(fixture, ada, bo, match)
            _ = try await give(fixture, session, by: bo)
            fixture.clock.advance(.seconds(8 * 86_400))
            #expect(try await fixture.service.revealDueFeedback() == 1)
            #expect(try await fixture.service.revealDueFeedback() == 0)
            #expect(try await view(fixture, session, as: ada).partner?.memberID == bo.id)
        }
    }

    @Test(
        "at risk: a \"no\" to good fit, or two ratings of 2 or lower in a row from one partner; one event each, at the reveal"
    )
    func atRisk() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0, bufferMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            func round(_ adaRating: UInt32, _ boRating: UInt32, boFit: FitAnswer = .yes) async throws -> [SessionChange]
            {
                let session = try await completed(fixture, ada, bo, match)
                _ = try await give(fixture, session, by: ada, rating: adaRating)
                _ = try await give(fixture, session, by: bo, rating: boRating, fit: boFit)
                return try await fixture.feed().filter { $0.kind == .matchAtRisk && $0.session?.id == session.id }
            }
            #expect(try await round(2, 4).isEmpty)  // one low rating: not yet
            let twice = try await round(1, 5)
            #expect(twice.count == 1 && twice[0].atRiskReason.contains("\(ada.id) rated two sessions in a row 2 and 1"))
            #expect(try await round(4, 3).isEmpty)
            let no = try await round(5, 5, boFit: .no)
            #expect(
                no.count == 1 && no[0].atRiskReason.contains("not a good fit")
                    && no[0].feedback.first?.memberID == bo.id)
            #expect(try await fixture.service.revealDueFeedback() == 0)
        }
    }

    @Test("feedback needs a completed session and a participant; malformed feedback names the field")
    func rules() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let upcoming = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(5))
            await #expect { _ = try await give(fixture, upcoming, by: ada) } throws: {
                isRPCError($0, .failedPrecondition, "is scheduled, not completed")
            }
            let session = try await completed(fixture, ada, bo, match)
            await #expect { _ = try await give(fixture, session, by: member("cy")) } throws: {
                isRPCError($0, .notFound, "no session \(session.id)")
            }
            for (field, request) in [
                ("rating", GiveFeedbackRequest(sessionID: session.id, memberID: ada.id, rating: 6, goodFit: .yes)),
                ("good_fit", GiveFeedbackRequest(sessionID: session.id, memberID: ada.id, rating: 3)),
                (
                    "went_well",
                    GiveFeedbackRequest(
                        sessionID: session.id, memberID: ada.id, rating: 3,
                        wentWell: String(repeating: "w", count: 2001),
                        goodFit: .yes)
                ),
            ] {
                await #expect { _ = try await fixture.client.giveFeedback(request) } throws: { names($0, field) }
            }
            #expect(try await view(fixture, session, as: bo).partnerState == .notGiven)
        }
    }
}
