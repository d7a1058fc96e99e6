import Foundation
import Logging
import MatchingService
import MatchingV1
import ProfilesService
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

@Suite("suggestions and the profiles feed")
struct SuggestionAndFeedTests {
    func suggestions(_ fixture: MatchingFixture, for member: Member, kind: MatchKind = .oneWay) async throws
        -> [Suggestion]
    {
        try await fixture.client.unary(
            MatchingAPI.getSuggestions,
            GetSuggestionsRequest(memberID: member.id, network: "guild", kind: kind, limit: 5)
        ).suggestions
    }

    @Test("mentors with room, best first, leaving out open, declined and full partners")
    func mentors() async throws {
        try await withMatching { fixture in
            let ada = mentor("ada", capacity: 2, skills: ["go": 5])
            let cy = mentor("cy", capacity: 1, skills: ["go": 3])
            let dee = mentor("dee", capacity: 1, skills: ["go": 4])
            let bo = mentee("bo")
            let other = mentee("other")
            try await fixture.add(ada, cy, dee, bo, other)
            let first = try await suggestions(fixture, for: bo)
            #expect(first.map(\.candidateID) == [ada.id, dee.id, cy.id])
            #expect(first.map(\.score) == first.map(\.score).sorted(by: >))
            #expect(first[0].focusSkills == ["go"] && first[0].kind == .oneWay && !first[0].explanation.isEmpty)
            #expect(abs(first[0].scoreParts.map(\.points).reduce(0, +) - first[0].score) < 0.001)

            // dee's only slot goes to someone else; bo declines ada.
            _ = try await fixture.accept(
                try await fixture.propose(dee, other, origin: .requested, requestedBy: other.id), by: dee)
            let proposal = try await fixture.propose(ada, bo)
            _ = try await fixture.client.unary(
                MatchingAPI.declineMatch, MatchActionRequest(matchID: proposal.id, memberID: bo.id))
            #expect(try await suggestions(fixture, for: bo).map(\.candidateID) == [cy.id])
        }
    }

    @Test("suggestions follow member changes: a mentor paused after a query is not suggested again")
    func followsChanges() async throws {
        try await withMatching { fixture in
            var ada = mentor("ada")
            let bo = mentee("bo")
            try await fixture.add(ada, bo)
            #expect(try await suggestions(fixture, for: bo).map(\.candidateID) == [ada.id])
            ada.status = .paused
            ada.version = 2
            try await fixture.add(ada)
            #expect(try await suggestions(fixture, for: bo).isEmpty)
        }
    }

    @Test("peers for mutual mentoring teach each other different skills")
    func peers() async throws {
        try await withMatching { fixture in
            let ann = person("ann", roles: [.mentee], expertise: ["go": 4], goals: ["rust": 1], mutual: true)
            let ben = person("ben", roles: [.mentee], expertise: ["rust": 4], goals: ["go": 1], mutual: true)
            let cat = person("cat", roles: [.mentee], expertise: ["rust": 4], goals: ["go": 1], mutual: false)
            try await fixture.add(ann, ben, cat)
            let found = try await suggestions(fixture, for: ann, kind: .mutual)
            #expect(found.map(\.candidateID) == [ben.id])
            #expect(found[0].focusSkills == ["rust"] && found[0].reverseFocusSkills == ["go"])
            let match = try await fixture.propose(ann, ben, kind: .mutual, origin: .suggestion, requestedBy: ann.id)
            #expect(match.kind == .mutual && Set([match.mentorID, match.menteeID]) == [ann.id, ben.id])
            #expect(try await fixture.accept(match, by: ben).state == .active)
        }
    }

    @Test("unknown, paused and foreign members get a clear answer")
    func suggestionErrors() async throws {
        try await withMatching { fixture in
            let paused = person("pat", roles: [.mentee], goals: ["go": 1], status: .paused)
            try await fixture.add(paused)
            await #expect { _ = try await suggestions(fixture, for: paused) } throws: {
                isRPCError($0, .failedPrecondition, "is paused")
            }
            await #expect { _ = try await suggestions(fixture, for: mentee("ghost")) } throws: {
                isRPCError($0, .notFound)
            }
        }
    }

    @Test("the directory follows the profiles feed: members arrive, pauses apply, restarts resume")
    func follower() async throws {
        let profiles = ProfilesService(database: try ProfilesDatabase.inMemory())
        try await withTestServer([profiles]) { server in
            let client = server.client()
            defer { client.close() }
            let database = try MatchingDatabase.inMemory()
            let service = MatchingService(database: database)
            let directory = service.directory
            func create(_ member: Member) async throws -> Member {
                try await client.unary(ProfilesAPI.createMember, CreateMemberRequest(member: member))
            }
            func head() async throws -> UInt64 {
                try await client.unary(ProfilesAPI.listChanges, ListChangesRequest(afterSequence: 0, limit: 1))
                    .headSequence
            }
            let ada = try await create(mentor("ada"))
            let bo = try await create(mentee("bo"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await ProfilesFeedFollower(client: client, directory: directory, logger: testLogger()).run()
                }
                try await directory.wait(forPosition: try await head())
                #expect(try await directory.member(ada.id)?.email == ada.email)
                // A change while following arrives through the live stream.
                _ = try await client.unary(ProfilesAPI.pauseMember, SetMemberStatusRequest(id: bo.id))
                try await directory.wait(forPosition: try await head())
                #expect(try await directory.member(bo.id)?.status == .paused)
                #expect(try await directory.activeMembers(of: "guild").map(\.id) == [ada.id])
                group.cancelAll()
            }
            // Re-reading from an earlier position changes nothing: the cursor skips what was applied.
            let position = try await directory.position()
            let again = try await client.unary(
                ProfilesAPI.listChanges, ListChangesRequest(afterSequence: 0, limit: 100))
            #expect(try await directory.apply(again.changes) == position)
            #expect(try await directory.member(bo.id)?.status == .paused)
        }
    }
}
