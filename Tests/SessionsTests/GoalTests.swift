import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("goals and progress reviews")
struct GoalTests {
    /// A mentor, a mentee and their active one-way match.
    func pair(_ fixture: SessionsFixture, kind: MatchKind = .oneWay) async throws -> (Member, Member, String) {
        let mentor = member("mira")
        let mentee = member("olly")
        try await fixture.add(mentor, mentee)
        return (mentor, mentee, try await fixture.match(mentor, mentee, kind: kind))
    }

    func goal(
        _ fixture: SessionsFixture, _ match: String, by owner: Member, visibility: GoalVisibility = .shared,
        cadence: UInt32 = 0
    ) async throws -> Goal {
        try await fixture.client.createGoal(
            CreateGoalRequest(
                matchID: match, memberID: owner.id, title: "Ship a Swift package", successCriteria: "Tagged 1.0",
                targetDate: "2027-03-31", visibility: visibility, reviewCadenceDays: cadence))
    }

    func review(_ fixture: SessionsFixture, _ goal: Goal, by member: Member, _ progress: UInt32) async throws
        -> ProgressReview
    {
        try await fixture.client.reviewGoal(
            ReviewGoalRequest(
                goalID: goal.id, memberID: member.id, progress: progress, confidence: .medium, note: "steady",
                evidenceUrl: "https://example.org/pr/1"))
    }

    @Test("the mentee owns a one-way match's goals; either partner a mutual match's")
    func ownership() async throws {
        try await withSessions { fixture in
            let (mentor, mentee, match) = try await pair(fixture)
            let created = try await goal(fixture, match, by: mentee)
            #expect(created.ownerID == mentee.id && created.status == .open && created.progress == 0)
            #expect(created.visibility == .shared && created.version == 1 && created.targetDate == "2027-03-31")
            await #expect { _ = try await goal(fixture, match, by: mentor) } throws: {
                isRPCError($0, .permissionDenied, "in a one-way match the mentee")
            }
            let (peerA, _, mutual) = try await pair(fixture, kind: .mutual)
            #expect(try await goal(fixture, mutual, by: peerA).ownerID == peerA.id)
        }
    }

    @Test("reviews: each action in each state; the goal's progress follows confirmed reviews only")
    func reviewStateMachine() async throws {
        try await withSessions { fixture in
            let (mentor, mentee, match) = try await pair(fixture)
            let set = try await goal(fixture, match, by: mentee)
            let first = try await review(fixture, set, by: mentee, 80)
            #expect(first.state == .pending && first.reviewerID == mentee.id)
            func progress() async throws -> UInt32 {
                try await fixture.client.getGoal(GetGoalRequest(id: set.id, memberID: mentor.id)).progress
            }
            #expect(try await progress() == 0)  // pending: no progress yet
            await #expect { _ = try await review(fixture, set, by: mentor, 10) } throws: {
                isRPCError($0, .failedPrecondition, "review \(first.id) is pending")
            }
            let respond = { (id: String, who: Member, comment: String) in
                RespondToReviewRequest(reviewID: id, memberID: who.id, comment: comment)
            }
            await #expect { _ = try await fixture.client.confirmReview(respond(first.id, mentee, "")) } throws: {
                isRPCError($0, .permissionDenied, "answered by the other partner")
            }
            await #expect { _ = try await fixture.client.disputeReview(respond(first.id, mentor, " ")) } throws: {
                names($0, "comment")
            }
            let disputed = try await fixture.client.disputeReview(respond(first.id, mentor, "not merged yet"))
            #expect(disputed.state == .disputed && disputed.responseComment == "not merged yet")
            #expect(try await progress() == 0)
            await #expect { _ = try await fixture.client.confirmReview(respond(first.id, mentor, "")) } throws: {
                isRPCError($0, .failedPrecondition, "is disputed already")
            }
            // The mentor may state progress too; the owner answers it.
            let second = try await review(fixture, set, by: mentor, 40)
            let confirmed = try await fixture.client.confirmReview(respond(second.id, mentee, ""))
            #expect(confirmed.state == .confirmed && confirmed.responderID == mentee.id)
            #expect(try await progress() == 40)
            await #expect { _ = try await fixture.client.disputeReview(respond(second.id, mentee, "no")) } throws: {
                isRPCError($0, .failedPrecondition, "is confirmed already")
            }
            let third = try await review(fixture, set, by: mentee, 90)
            _ = try await fixture.client.disputeReview(respond(third.id, mentor, "too soon"))
            #expect(try await progress() == 40)
            let listed = try await fixture.client.listReviews(ListReviewsRequest(goalID: set.id, memberID: mentor.id))
            #expect(listed.reviews.map(\.id) == [third.id, second.id, first.id])
            let kinds = try await fixture.feed().map(\.kind)
            #expect(
                kinds == [
                    .goalCreated, .goalReviewed, .reviewDisputed, .goalReviewed, .reviewConfirmed, .goalReviewed,
                    .reviewDisputed,
                ])
            let changes = try await fixture.feed()
            #expect(changes[4].goal?.progress == 40 && changes[4].review?.id == second.id)
        }
    }

    @Test("achieved needs both partners' agreement; a closed goal takes no reviews")
    func achieving() async throws {
        try await withSessions { fixture in
            let (mentor, mentee, match) = try await pair(fixture)
            let set = try await goal(fixture, match, by: mentee)
            let half = try await fixture.client.achieveGoal(GoalActionRequest(goalID: set.id, memberID: mentee.id))
            #expect(half.status == .open && half.achievedAgreedBy == [mentee.id])
            await #expect {
                _ = try await fixture.client.dropGoal(GoalActionRequest(goalID: set.id, memberID: mentor.id))
            } throws: { isRPCError($0, .permissionDenied, "only its owner drops") }
            let done = try await fixture.client.achieveGoal(
                GoalActionRequest(goalID: set.id, memberID: mentor.id, expectedVersion: half.version))
            #expect(done.status == .achieved)
            await #expect { _ = try await review(fixture, set, by: mentee, 100) } throws: {
                isRPCError($0, .failedPrecondition, "is achieved, not open")
            }
            #expect(try await fixture.feed().last?.kind == .goalAchieved)
        }
    }

    @Test("a private goal is its owner's alone: hidden from the partner, reviews count at once")
    func privateGoals() async throws {
        try await withSessions { fixture in
            let (mentor, mentee, match) = try await pair(fixture)
            let hidden = try await goal(fixture, match, by: mentee, visibility: .private)
            let shared = try await goal(fixture, match, by: mentee)
            await #expect {
                _ = try await fixture.client.getGoal(GetGoalRequest(id: hidden.id, memberID: mentor.id))
            } throws: {
                isRPCError($0, .notFound)
            }
            let seen = try await fixture.client.listGoals(ListGoalsRequest(matchID: match, memberID: mentor.id))
            #expect(seen.goals.map(\.id) == [shared.id])
            let own = try await fixture.client.listGoals(ListGoalsRequest(matchID: match, memberID: mentee.id))
            #expect(own.goals.map(\.id) == [hidden.id, shared.id])
            let counted = try await review(fixture, hidden, by: mentee, 30)
            #expect(counted.state == .confirmed)
            #expect(try await fixture.client.getGoal(GetGoalRequest(id: hidden.id, memberID: mentee.id)).progress == 30)
            await #expect { _ = try await review(fixture, hidden, by: mentor, 50) } throws: {
                isRPCError($0, .notFound)
            }
            let done = try await fixture.client.achieveGoal(GoalActionRequest(goalID: hidden.id, memberID: mentee.id))
            #expect(done.status == .achieved)
        }
    }

    @Test("the goals of a match that ended are read-only")
    func readOnlyWhenEnded() async throws {
        try await withSessions { fixture in
            let (mentor, mentee, match) = try await pair(fixture)
            let set = try await goal(fixture, match, by: mentee)
            try await fixture.match(mentor, mentee, state: .completed, id: match, version: 2)
            await #expect { _ = try await review(fixture, set, by: mentee, 50) } throws: {
                isRPCError($0, .failedPrecondition, "its goals are read-only")
            }
            await #expect { _ = try await goal(fixture, match, by: mentee) } throws: {
                isRPCError($0, .failedPrecondition, "read-only")
            }
            #expect(try await fixture.client.getGoal(GetGoalRequest(id: set.id, memberID: mentor.id)).id == set.id)
        }
    }

    @Test("a review cadence: due once its time has come, announced once per due date, moved on by a confirmed review")
    func cadence() async throws {
        try await withSessions { fixture in
            let (mentor, mentee, match) = try await pair(fixture)
            let set = try await goal(fixture, match, by: mentee, cadence: 7)
            #expect(set.nextReviewDueAtMicros == fixture.clock.now + 7 * 86_400_000_000 && !set.reviewDue)
            let service = fixture
            #expect(try await announce(service) == 0)
            fixture.clock.advance(.seconds(8 * 86_400))
            #expect(try await fixture.client.getGoal(GetGoalRequest(id: set.id, memberID: mentor.id)).reviewDue)
            #expect(try await announce(fixture) == 1)
            #expect(try await announce(fixture) == 0)
            let stated = try await review(fixture, set, by: mentee, 20)
            _ = try await fixture.client.confirmReview(RespondToReviewRequest(reviewID: stated.id, memberID: mentor.id))
            let after = try await fixture.client.getGoal(GetGoalRequest(id: set.id, memberID: mentor.id))
            #expect(!after.reviewDue && after.nextReviewDueAtMicros == fixture.clock.now + 7 * 86_400_000_000)
            fixture.clock.advance(.seconds(7 * 86_400))
            #expect(try await announce(fixture) == 1)
            #expect(try await fixture.feed().filter { $0.kind == .goalReviewDue }.count == 2)
        }
    }

    func announce(_ fixture: SessionsFixture) async throws -> Int {
        try await fixture.service.announceDueReviews()
    }

    @Test(
        "malformed goal requests name the field",
        arguments: [
            ("title", CreateGoalRequest(title: "   ")),
            ("target_date", CreateGoalRequest(title: "t", targetDate: "2027-02-30")),
            ("review_cadence_days", CreateGoalRequest(title: "t", reviewCadenceDays: 91)),
            ("success_criteria", CreateGoalRequest(title: "t", successCriteria: String(repeating: "s", count: 2001))),
        ])
    func malformed(_ field: String, _ request: CreateGoalRequest) async throws {
        try await withSessions { fixture in
            await #expect { _ = try await fixture.client.createGoal(request) } throws: { names($0, field) }
            let changes = try await fixture.feed()
            #expect(changes.isEmpty)
        }
    }

    @Test("malformed reviews name the field")
    func malformedReviews() async throws {
        try await withSessions { fixture in
            for (field, request) in [
                ("progress", ReviewGoalRequest(progress: 101, confidence: .low)),
                ("confidence", ReviewGoalRequest(progress: 10)),
                ("evidence_url", ReviewGoalRequest(progress: 10, confidence: .low, evidenceUrl: "ftp://x/y")),
                ("evidence_url", ReviewGoalRequest(progress: 10, confidence: .low, evidenceUrl: "not a link")),
            ] {
                await #expect { _ = try await fixture.client.reviewGoal(request) } throws: { names($0, field) }
            }
        }
    }
}
