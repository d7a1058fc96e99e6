import Foundation
import MatchingService
import MatchingV1
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

@Suite("the match lifecycle")
struct MatchLifecycleTests {
    @Test("request → accept → active → completed, each step in the change feed")
    func happyPath() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada")
            let bo = mentee("bo")
            try await fixture.add(ada, bo)
            let proposed = try await fixture.propose(ada, bo, origin: .requested, requestedBy: bo.id)
            #expect(proposed.state == .proposed && proposed.menteeAccepted && !proposed.mentorAccepted)
            #expect(proposed.focusSkills == ["go"] && proposed.score > 0 && !proposed.explanation.isEmpty)
            #expect(abs(proposed.scoreParts.map(\.points).reduce(0, +) - proposed.score) < 0.001)
            #expect(proposed.expiresAtMicros > proposed.createdAtMicros)

            let active = try await fixture.accept(proposed, by: ada, version: proposed.version)
            #expect(active.state == .active && active.version == proposed.version + 1)

            let done = try await fixture.client.unary(
                MatchingAPI.endMatch,
                EndMatchRequest(matchID: active.id, memberID: bo.id, outcome: .completed, reason: "goals reached"))
            #expect(done.state == .completed && done.reason == "goals reached")
            #expect(try await fixture.get(done) == done)
            #expect(try await fixture.feed().map(\.kind) == [.proposed, .activated, .completed])

            for member in [ada, bo] {
                let listed = try await fixture.client.unary(
                    MatchingAPI.listMatches, ListMatchesRequest(memberID: member.id))
                #expect(listed.matches.map(\.id) == [done.id])
            }
            let none = try await fixture.client.unary(
                MatchingAPI.listMatches, ListMatchesRequest(memberID: ada.id, state: .active))
            #expect(none.matches.isEmpty)
        }
    }

    @Test("an administrator's proposal needs both partners; one acceptance is recorded as such")
    func bothMustAccept() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada")
            let bo = mentee("bo")
            try await fixture.add(ada, bo)
            let proposed = try await fixture.propose(ada, bo)
            #expect(!proposed.mentorAccepted && !proposed.menteeAccepted)
            let half = try await fixture.accept(proposed, by: bo)
            #expect(half.state == .proposed && half.menteeAccepted)
            #expect(try await fixture.accept(half, by: bo) == half)  // accepting twice changes nothing
            let active = try await fixture.accept(half, by: ada)
            #expect(active.state == .active)
            #expect(try await fixture.feed().map(\.kind) == [.proposed, .accepted, .activated])
        }
    }

    @Test("forbidden transitions are refused and change nothing")
    func forbidden() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada")
            let bo = mentee("bo")
            let eve = mentee("eve")
            try await fixture.add(ada, bo, eve)
            let proposed = try await fixture.propose(ada, bo)
            // Not a partner; a stale version; ending a proposal.
            await #expect { _ = try await fixture.accept(proposed, by: eve) } throws: {
                isRPCError($0, .notFound, "no match \(proposed.id)")
            }
            await #expect { _ = try await fixture.accept(proposed, by: ada, version: 7) } throws: {
                isRPCError($0, .aborted, "version")
            }
            await #expect {
                _ = try await fixture.client.unary(
                    MatchingAPI.endMatch,
                    EndMatchRequest(matchID: proposed.id, memberID: ada.id, outcome: .completed))
            } throws: { isRPCError($0, .failedPrecondition, "is proposed, not active") }
            #expect(try await fixture.get(proposed) == proposed)

            let declined = try await fixture.client.unary(
                MatchingAPI.declineMatch, MatchActionRequest(matchID: proposed.id, memberID: bo.id, reason: "busy"))
            #expect(declined.state == .declined && declined.reason == "busy")
            // Nothing leaves DECLINED.
            for method in [MatchingAPI.acceptMatch, MatchingAPI.declineMatch, MatchingAPI.withdrawMatch] {
                await #expect {
                    _ = try await fixture.client.unary(
                        method, MatchActionRequest(matchID: proposed.id, memberID: ada.id))
                } throws: { isRPCError($0, .failedPrecondition, "is declined, not proposed") }
            }
            // A new proposal for the pair is fine once the old one is closed; withdraw it.
            let again = try await fixture.propose(ada, bo)
            let withdrawn = try await fixture.client.unary(
                MatchingAPI.withdrawMatch, MatchActionRequest(matchID: again.id, memberID: ada.id, reason: "oops"))
            #expect(withdrawn.state == .withdrawn)
            await #expect { _ = try await fixture.accept(withdrawn, by: bo) } throws: {
                isRPCError($0, .failedPrecondition, "is withdrawn")
            }
            // ACTIVE → ENDED needs a reason; then nothing more.
            let third = try await fixture.accept(
                try await fixture.accept(try await fixture.propose(ada, bo), by: ada), by: bo)
            await #expect {
                _ = try await fixture.client.unary(
                    MatchingAPI.endMatch, EndMatchRequest(matchID: third.id, memberID: ada.id, outcome: .ended))
            } throws: { names($0, "reason") }
            let ended = try await fixture.client.unary(
                MatchingAPI.endMatch,
                EndMatchRequest(matchID: third.id, memberID: ada.id, outcome: .ended, reason: "moved teams"))
            #expect(ended.state == .ended)
            await #expect {
                _ = try await fixture.client.unary(
                    MatchingAPI.endMatch,
                    EndMatchRequest(matchID: third.id, memberID: ada.id, outcome: .completed))
            } throws: { isRPCError($0, .failedPrecondition, "is ended, not active") }
        }
    }

    @Test("no self-match, no second open match for a pair, no paused or foreign or unknown members, hard rules hold")
    func proposalRules() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada")
            let bo = mentee("bo")
            let paused = person("pat", roles: [.mentee], goals: ["go": 1], status: .paused)
            let elsewhere = person("eli", roles: [.mentee], goals: ["go": 1], networks: ["other"])
            let french = person("fay", roles: [.mentee], goals: ["go": 1], languages: ["fr"])
            try await fixture.add(ada, bo, paused, elsewhere, french)
            await #expect { _ = try await fixture.propose(ada, ada) } throws: { names($0, "mentee_id") }
            _ = try await fixture.propose(ada, bo)
            await #expect { _ = try await fixture.propose(ada, bo) } throws: {
                isRPCError($0, .alreadyExists, "already have an open match")
            }
            // The same two people as mutual partners are the same pair.
            await #expect { _ = try await fixture.propose(bo, ada, kind: .mutual) } throws: {
                isRPCError($0, .alreadyExists)
            }
            await #expect { _ = try await fixture.propose(ada, paused) } throws: {
                isRPCError($0, .failedPrecondition, "is paused")
            }
            await #expect { _ = try await fixture.propose(ada, elsewhere) } throws: {
                isRPCError($0, .failedPrecondition, "not in network guild")
            }
            await #expect { _ = try await fixture.propose(ada, french) } throws: {
                isRPCError($0, .failedPrecondition, "no shared language")
            }
            await #expect { _ = try await fixture.propose(ada, mentee("ghost")) } throws: {
                isRPCError($0, .notFound)
            }
            #expect(try await fixture.feed().count == 1)
        }
    }

    @Test("many acceptances racing for a mentor's last slot: exactly one wins")
    func capacityRace() async throws {
        try await withMatching(policy: MatchPolicy(maximumMentors: 1)) { fixture in
            let ada = mentor("ada", capacity: 1)
            let mentees = (0..<20).map { mentee("m\($0)") }
            try await fixture.add(ada)
            for one in mentees { try await fixture.add(one) }
            var proposals: [Match] = []
            for one in mentees {
                proposals.append(try await fixture.propose(ada, one, origin: .requested, requestedBy: one.id))
            }
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for proposal in proposals {
                    group.addTask {
                        do {
                            return try await fixture.accept(proposal, by: ada).state == .active
                        } catch let error as RPCError where error.code == .failedPrecondition {
                            #expect(error.message.contains("no open slot"))
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.count(where: { $0 }) == 1)
            let active = try await fixture.client.unary(
                MatchingAPI.listMatches, ListMatchesRequest(memberID: ada.id, state: .active))
            #expect(active.matches.count == 1)
        }
    }

    @Test("a mentee who reaches their maximum of mentors has their other proposals withdrawn")
    func withdrawOnMaximum() async throws {
        try await withMatching(policy: MatchPolicy(maximumMentors: 2)) { fixture in
            let mentors = (0..<4).map { mentor("t\($0)") }
            let bo = mentee("bo")
            for one in mentors { try await fixture.add(one) }
            try await fixture.add(bo)
            var proposals: [Match] = []
            for one in mentors {
                proposals.append(try await fixture.propose(one, bo, origin: .requested, requestedBy: bo.id))
            }
            _ = try await fixture.accept(proposals[0], by: mentors[0])
            #expect(try await fixture.get(proposals[2]).state == .proposed)  // one of two: others stay
            _ = try await fixture.accept(proposals[1], by: mentors[1])
            for proposal in proposals[2...] {
                let now = try await fixture.get(proposal)
                #expect(now.state == .withdrawn)
                #expect(now.reason.contains("reached their maximum of 2"))
            }
            #expect(try await fixture.feed().filter { $0.kind == .withdrawn }.count == 2)
            // A fifth mentor cannot even propose now.
            let late = mentor("late")
            try await fixture.add(late)
            await #expect { _ = try await fixture.propose(late, bo) } throws: {
                isRPCError($0, .failedPrecondition, "the most allowed")
            }
        }
    }

    @Test("proposals expire: by the job, and on a late acceptance before the job ran")
    func expiry() async throws {
        try await withMatching(policy: MatchPolicy(proposalLifetime: .seconds(3600))) { fixture in
            let ada = mentor("ada")
            let bo = mentee("bo")
            let cy = mentee("cy")
            try await fixture.add(ada, bo, cy)
            let first = try await fixture.propose(ada, bo)
            fixture.clock.advance(.seconds(1800))
            let second = try await fixture.propose(ada, cy)
            fixture.clock.advance(.seconds(1801))  // first is due, second is not
            #expect(try await fixture.service.expireDue() == 1)
            #expect(try await fixture.get(first).state == .expired)
            #expect(try await fixture.get(second).state == .proposed)
            fixture.clock.advance(.seconds(3600))
            await #expect { _ = try await fixture.accept(second, by: ada) } throws: {
                isRPCError($0, .failedPrecondition, "expired")
            }
            #expect(try await fixture.get(second).state == .expired)  // recorded although the call failed
            #expect(try await fixture.service.expireDue() == 0)
            #expect(try await fixture.feed().filter { $0.kind == .expired }.count == 2)
        }
    }

    @Test("a proposal retried with the same idempotency key returns the first; another request with it is refused")
    func idempotentPropose() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada")
            let bo = mentee("bo")
            let cy = mentee("cy")
            try await fixture.add(ada, bo, cy)
            let first = try await fixture.propose(ada, bo, key: "k-1")
            #expect(try await fixture.propose(ada, bo, key: "k-1") == first)
            await #expect { _ = try await fixture.propose(ada, cy, key: "k-1") } throws: {
                names($0, "idempotency-key")
            }
            #expect(try await fixture.feed().count == 1)
        }
    }

    @Test(
        "malformed requests name the field and change nothing",
        arguments: [
            ("network", ProposeMatchRequest(network: "Guild!", kind: .oneWay, origin: .admin)),
            ("mentee_id", ProposeMatchRequest(network: "guild", mentorID: "ada", menteeID: "ada", origin: .admin)),
            ("origin", ProposeMatchRequest(network: "guild", kind: .oneWay, origin: .round)),
            (
                "requested_by",
                ProposeMatchRequest(network: "guild", kind: .oneWay, origin: .requested, requestedBy: "x")
            ),
            ("mentor_id", ProposeMatchRequest(network: "guild", kind: .oneWay, mentorID: "ada", origin: .admin)),
        ])
    func malformedProposals(_ field: String, _ request: ProposeMatchRequest) async throws {
        try await withMatching { fixture in
            try await fixture.add(mentor("ada"), mentee("bo"))
            await #expect { _ = try await fixture.client.unary(MatchingAPI.proposeMatch, request) } throws: {
                names($0, field)
            }
            #expect(try await fixture.feed().isEmpty)
        }
    }

    @Test("malformed ids, pages, limits and reasons name the field")
    func malformedOthers() async throws {
        try await withMatching { fixture in
            let client = fixture.client
            try await fixture.add(mentee("bo"))
            await #expect {
                _ = try await client.unary(MatchingAPI.acceptMatch, MatchActionRequest(matchID: "m1", memberID: "x"))
            } throws: { names($0, "match_id") && names($0, "member_id") }
            await #expect { _ = try await client.unary(MatchingAPI.getMatch, GetMatchRequest(id: "nope")) } throws: {
                names($0, "id")
            }
            let someone = mentee("someone").id
            await #expect {
                _ = try await client.unary(
                    MatchingAPI.listMatches, ListMatchesRequest(memberID: someone, pageToken: "garbage"))
            } throws: { names($0, "page_token") }
            await #expect {
                _ = try await client.unary(
                    MatchingAPI.listMatches, ListMatchesRequest(memberID: someone, pageSize: 201))
            } throws: { names($0, "page_size") }
            await #expect {
                _ = try await client.unary(MatchingAPI.listChanges, ListMatchChangesRequest(limit: 5000))
            } throws: { names($0, "limit") }
            await #expect {
                _ = try await client.unary(
                    MatchingAPI.getSuggestions,
                    GetSuggestionsRequest(memberID: someone, network: "guild", kind: .oneWay, limit: 51))
            } throws: { names($0, "limit") }
            let long = String(repeating: "x", count: 501)
            await #expect {
                _ = try await client.unary(
                    MatchingAPI.declineMatch,
                    MatchActionRequest(
                        matchID: "mat_" + String(repeating: "0", count: 26), memberID: someone, reason: long))
            } throws: { names($0, "reason") }
            await #expect {
                _ = try await client.unary(
                    MatchingAPI.getMatch, GetMatchRequest(id: "mat_" + String(repeating: "0", count: 26)))
            } throws: { isRPCError($0, .notFound) }
        }
    }

    @Test("listing pages through a member's matches, newest first")
    func paging() async throws {
        try await withMatching { fixture in
            let bo = mentee("bo")
            try await fixture.add(bo)
            var ids: [String] = []
            for index in 0..<5 {
                let one = mentor("t\(index)")
                try await fixture.add(one)
                let match = try await fixture.propose(one, bo)
                ids.append(match.id)
                _ = try await fixture.client.unary(
                    MatchingAPI.withdrawMatch, MatchActionRequest(matchID: match.id, memberID: bo.id))
            }
            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await fixture.client.unary(
                    MatchingAPI.listMatches, ListMatchesRequest(memberID: bo.id, pageSize: 2, pageToken: token))
                #expect(page.matches.count <= 2)
                seen += page.matches.map(\.id)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == ids.sorted().reversed())
        }
    }
}
