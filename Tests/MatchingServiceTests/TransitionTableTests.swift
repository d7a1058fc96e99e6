import Foundation
import MatchingService
import MatchingV1
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

/// Every action from every state: exactly the transitions of the state machine are allowed.
@Suite("the match state machine, state by action")
struct TransitionTableTests {
    enum Action: String, CaseIterable, Sendable {
        case accept, decline, withdraw, complete, end
    }

    /// Brings a new match between `mentor` and `mentee` into `state`.
    func match(in state: MatchState, _ fixture: MatchingFixture, _ mentor: Member, _ mentee: Member) async throws
        -> Match
    {
        let proposed = try await fixture.propose(mentor, mentee, origin: .requested, requestedBy: mentee.id)
        let client = fixture.client
        switch state {
        case .proposed: return proposed
        case .declined:
            return try await client.unary(
                MatchingAPI.declineMatch, MatchActionRequest(matchID: proposed.id, memberID: mentor.id))
        case .withdrawn:
            return try await client.unary(
                MatchingAPI.withdrawMatch, MatchActionRequest(matchID: proposed.id, memberID: mentee.id))
        case .expired:
            fixture.clock.advance(.seconds(15 * 24 * 3600))
            _ = try await fixture.service.expireDue()
            return try await fixture.get(proposed)
        default:
            let active = try await fixture.accept(proposed, by: mentor)
            guard state != .active else { return active }
            return try await client.unary(
                MatchingAPI.endMatch,
                EndMatchRequest(
                    matchID: active.id, memberID: mentor.id, outcome: state, reason: "moved on"))
        }
    }

    func perform(_ action: Action, on match: Match, by member: Member, _ fixture: MatchingFixture) async throws
        -> Match
    {
        let client = fixture.client
        let request = MatchActionRequest(matchID: match.id, memberID: member.id, reason: "because")
        switch action {
        case .accept: return try await client.unary(MatchingAPI.acceptMatch, request)
        case .decline: return try await client.unary(MatchingAPI.declineMatch, request)
        case .withdraw: return try await client.unary(MatchingAPI.withdrawMatch, request)
        case .complete, .end:
            return try await client.unary(
                MatchingAPI.endMatch,
                EndMatchRequest(
                    matchID: match.id, memberID: member.id, outcome: action == .complete ? .completed : .ended,
                    reason: "because"))
        }
    }

    static let allowed: [MatchState: [Action: MatchState]] = [
        .proposed: [.accept: .active, .decline: .declined, .withdraw: .withdrawn],
        .active: [.complete: .completed, .end: .ended],
    ]

    @Test(
        "allowed transitions happen, every other one is FAILED_PRECONDITION and changes nothing",
        arguments: [MatchState.proposed, .active, .declined, .withdrawn, .expired, .completed, .ended])
    func table(_ state: MatchState) async throws {
        for action in Action.allCases {
            try await withMatching { fixture in
                let ada = mentor("ada")
                let bo = mentee("bo")
                try await fixture.add(ada, bo)
                let before = try await match(in: state, fixture, ada, bo)
                #expect(before.state == state)
                if let after = Self.allowed[state]?[action] {
                    let changed = try await perform(action, on: before, by: ada, fixture)
                    #expect(changed.state == after, "\(state) \(action)")
                    #expect(changed.version == before.version + 1)
                } else {
                    await #expect("\(state) \(action)") {
                        _ = try await perform(action, on: before, by: ada, fixture)
                    } throws: { isRPCError($0, .failedPrecondition) }
                    #expect(try await fixture.get(before) == before)
                }
            }
        }
    }
}
