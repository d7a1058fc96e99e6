import Foundation
import MatchingService
import MatchingV1
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

@Suite("matching rounds in the service")
struct RoundServiceTests {
    func run(_ fixture: MatchingFixture, minimumScore: Double = 10) async throws -> MatchingV1.Round {
        try await fixture.client.unary(
            MatchingAPI.runRound, RunRoundRequest(network: "guild", minimumScore: minimumScore, seed: 7))
    }

    @Test("a round is a stored dry run; publishing proposes its pairs once; partners accept them")
    func dryRunThenPublish() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada", capacity: 1, skills: ["go": 5])
            let cy = mentor("cy", capacity: 1, skills: ["rust": 5])
            let bo = mentee("bo", goals: ["go": 1])
            let dee = mentee("dee", goals: ["rust": 1])
            let eve = mentee("eve", goals: ["go": 1, "cobol": 1])  // ada covers less of eve's goals than bo's
            try await fixture.add(ada, cy, bo, dee, eve)
            let round = try await run(fixture)
            let position = try await fixture.directory.position()
            #expect(round.state == .dryRun && round.feedPosition == position)
            #expect(round.menteeCount == 3 && round.mentorCount == 2 && round.matchedMentees == 2)
            #expect(
                Set(round.pairs.map { "\($0.mentorID)>\($0.menteeID)" }) == [
                    "\(ada.id)>\(bo.id)", "\(cy.id)>\(dee.id)",
                ])
            #expect(round.unmatched.map(\.memberID) == [eve.id])
            #expect(round.unmatched[0].reason.contains("every compatible mentor is full"))
            #expect(try await fixture.feed().isEmpty)  // a dry run proposes nothing
            #expect(try await fixture.client.unary(MatchingAPI.getRound, GetRoundRequest(id: round.id)) == round)

            let published = try await fixture.client.unary(MatchingAPI.publishRound, GetRoundRequest(id: round.id))
            #expect(published.state == .published && published.publishedAtMicros > 0)
            #expect(published.pairs.allSatisfy { !$0.matchID.isEmpty && $0.notProposedReason.isEmpty })
            let changes = try await fixture.feed()
            #expect(changes.count == 2 && changes.allSatisfy { $0.kind == .proposed })
            #expect(changes.allSatisfy { $0.match?.origin == .round && $0.match?.roundID == round.id })
            await #expect {
                _ = try await fixture.client.unary(MatchingAPI.publishRound, GetRoundRequest(id: round.id))
            } throws: { isRPCError($0, .failedPrecondition, "published already") }

            let match = try #require(changes.first?.match)
            let partners = [ada, cy, bo, dee].filter { [match.mentorID, match.menteeID].contains($0.id) }
            for partner in partners { _ = try await fixture.accept(match, by: partner) }
            #expect(try await fixture.get(match).state == .active)
        }
    }

    @Test("the next round leaves out open pairs and full mentors, and says how it differs")
    func nextRound() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada", capacity: 1, skills: ["go": 5])
            let cy = mentor("cy", capacity: 2, skills: ["go": 3])
            let bo = mentee("bo", goals: ["go": 1])
            let eve = mentee("eve", goals: ["go": 2])
            try await fixture.add(ada, cy, bo, eve)
            let first = try await run(fixture)
            #expect(first.pairs.count == 2)
            let published = try await fixture.client.unary(MatchingAPI.publishRound, GetRoundRequest(id: first.id))
            // Make ada's pair active: ada is then full, and her mentee has their one mentor.
            let adaPair = try #require(published.pairs.first { $0.mentorID == ada.id })
            let match = try await fixture.client.unary(MatchingAPI.getMatch, GetMatchRequest(id: adaPair.matchID))
            _ = try await fixture.accept(match, by: ada)
            let learner = adaPair.menteeID == bo.id ? bo : eve
            _ = try await fixture.accept(match, by: learner)

            let second = try await run(fixture)
            #expect(second.previousRoundID == first.id)
            // The other pair is still proposed (excluded), ada is full, her mentee has a mentor: nothing new.
            #expect(second.pairs.isEmpty)
            #expect(second.removed.count == 2 && second.added.isEmpty && second.kept == 0)
            #expect(second.menteeCount == 1 && second.mentorCount == 1)
        }
    }

    @Test("publishing keeps, with the reason, a pair that can no longer be proposed")
    func staleRound() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada", capacity: 1)
            var bo = mentee("bo")
            try await fixture.add(ada, bo)
            let round = try await run(fixture)
            #expect(round.pairs.count == 1)
            bo.status = .paused
            bo.version = 2
            try await fixture.add(bo)
            let published = try await fixture.client.unary(MatchingAPI.publishRound, GetRoundRequest(id: round.id))
            #expect(published.pairs[0].matchID.isEmpty)
            #expect(published.pairs[0].notProposedReason.contains("is paused"))
            #expect(try await fixture.feed().isEmpty)
        }
    }

    @Test("bad round requests name the field")
    func badRequests() async throws {
        try await withMatching { fixture in
            try await fixture.add(mentor("ada"))
            await #expect {
                _ = try await fixture.client.unary(
                    MatchingAPI.runRound, RunRoundRequest(network: "guild", minimumScore: 101))
            } throws: { names($0, "minimum_score") }
            await #expect {
                _ = try await fixture.client.unary(MatchingAPI.runRound, RunRoundRequest(network: ""))
            } throws: { names($0, "network") }
            await #expect {
                _ = try await fixture.client.unary(MatchingAPI.getRound, GetRoundRequest(id: "round-1"))
            } throws: { names($0, "id") }
            await #expect {
                _ = try await fixture.client.unary(
                    MatchingAPI.publishRound, GetRoundRequest(id: "rnd_" + String(repeating: "0", count: 26)))
            } throws: { isRPCError($0, .notFound) }
        }
    }
}
