import Foundation
import MatchingV1
import NotificationsService
import NotificationsV1
import ProfilesV1
import RPC
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("nudges: each once per occurrence, by the network's rules")
struct NudgeTests {
    func nudges(_ network: Network, _ member: Member) async throws -> [NotificationsV1.Notification] {
        try await network.everything(member).filter { $0.category == .nudges }
    }

    @Test("a proposal left waiting nudges the partner who has not answered, once, after the network's days")
    func proposalWaiting() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let id = "mat_" + String(repeating: "0", count: 25) + "2"
            _ = try await network.match(ada, bo, .proposed, state: .proposed, id: id)
            _ = try await network.match(ada, bo, .accepted, state: .proposed, id: id, version: 2, mentorAccepted: true)
            network.clock.advance(.seconds(3 * 86_400 - 60))
            #expect(try await network.service.sweep() == 0)
            network.clock.advance(.seconds(60))
            #expect(try await network.service.sweep() == 1)
            #expect(try await network.service.sweep() == 0)
            #expect(try await nudges(network, bo).map(\.kind) == [.nudgeProposalWaiting])
            #expect(try await nudges(network, ada).isEmpty)  // ada accepted
            // The rule turned off for the network: nothing for a new proposal.
            _ = try await network.inbox.updateNetworkNotificationRules(
                UpdateNetworkNotificationRulesRequest(
                    rules: NetworkNotificationRules(network: "guild", proposalWaitingDays: 0),
                    updateMask: ["proposal_waiting_days"]))
            let cy = member("cy")
            try await network.add(cy)
            _ = try await network.match(ada, cy, .proposed, state: .proposed)
            network.clock.advance(.seconds(10 * 86_400))
            #expect(try await network.service.sweep() == 0)
        }
    }

    @Test("a partnership without sessions nudges both after 21 days; a session resets the clock")
    func quietPartnership() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            network.clock.advance(.seconds(20 * 86_400))
            #expect(try await network.service.sweep() == 0)
            // A session booked now, held tomorrow: quiet only 21 days after it.
            _ = try await network.schedule(match, by: ada, at: network.clock.now + Times.day)
            network.clock.advance(.seconds(2 * 86_400))
            #expect(try await network.service.sweep() == 0)
            network.clock.advance(.seconds(20 * 86_400))
            #expect(try await network.service.sweep() == 2)
            #expect(try await network.service.sweep() == 0)
            #expect(try await nudges(network, ada).map(\.kind) == [.nudgeNoSession])
            #expect(try await nudges(network, bo).first?.title == "No session with ada for 21 days")
        }
    }

    @Test("missing feedback nudges only the participant who has not given it; a match at risk tells the admins")
    func feedbackAndRisk() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            let admin = member("admin")
            try await network.add(ada, bo, admin)
            _ = try await network.inbox.updateNetworkNotificationRules(
                UpdateNetworkNotificationRulesRequest(
                    rules: NetworkNotificationRules(network: "guild", adminMemberIDs: [admin.id]),
                    updateMask: ["admin_member_ids"]))
            let match = try await network.match(ada, bo)
            let session = try await network.schedule(match, by: ada, at: network.clock.now + Times.hour)
            network.clock.advance(.seconds(2 * 3600))
            _ = try await network.sessions.completeSession(
                CompleteSessionRequest(sessionID: session.id, memberID: ada.id))
            _ = try await network.sessions.giveFeedback(
                GiveFeedbackRequest(sessionID: session.id, memberID: ada.id, rating: 4, goodFit: .yes))
            try await network.pump()
            network.clock.advance(.seconds(2 * 86_400))
            #expect(try await network.service.sweep() == 1)
            #expect(try await nudges(network, bo).map(\.kind) == [.nudgeFeedbackMissing])
            #expect(try await nudges(network, ada).isEmpty)
            // Bo's "no" reveals both and puts the match at risk: the admin hears of it.
            _ = try await network.sessions.giveFeedback(
                GiveFeedbackRequest(sessionID: session.id, memberID: bo.id, rating: 2, goodFit: .no))
            try await network.pump()
            let risk = try await network.items(admin)
            #expect(risk.map(\.kind) == [.matchAtRisk] && risk.first?.category == .programme)
            #expect(risk.first?.title == "A partnership may be at risk: ada and bo")
            #expect(try await network.items(bo).contains { $0.kind == .feedbackRevealed })
        }
    }
}
