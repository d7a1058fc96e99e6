import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("a network's own scheduling rules")
struct PolicyTests {
    func set(_ fixture: SessionsFixture, _ values: NetworkSessionPolicy, _ mask: [String], version: UInt64 = 0)
        async throws -> NetworkSessionPolicy
    {
        var values = values
        values.network = "guild"
        return try await fixture.client.updateNetworkSessionPolicy(
            UpdateNetworkSessionPolicyRequest(policy: values, updateMask: mask, expectedVersion: version))
    }

    @Test("a network follows the defaults until it sets its own; bookings, moves and cancellations then follow it")
    func networkRules() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 60, bufferMinutes: 10)) { fixture in
            let defaults = try await fixture.client.getNetworkSessionPolicy(
                GetNetworkSessionPolicyRequest(network: "guild"))
            #expect(defaults.isDefault && defaults.version == 0 && defaults.minimumNoticeMinutes == 60)
            #expect(defaults.bufferMinutes == 10 && defaults.maximumReschedules == 5)
            let ada = member("ada")
            let bo = member("bo")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)

            let first = try await set(
                fixture,
                NetworkSessionPolicy(
                    minimumNoticeMinutes: 0, bufferMinutes: 30, changeCutoffMinutes: 120, maximumReschedules: 1,
                    rescheduleReasonRequired: true),
                [
                    "minimum_notice_minutes", "buffer_minutes", "change_cutoff_minutes", "maximum_reschedules",
                    "reschedule_reason_required",
                ])
            #expect(!first.isDefault && first.version == 1 && first.bufferMinutes == 30)
            // Notice 0: a booking this very hour is fine.
            let soon = try await fixture.schedule(match, by: ada, at: fixture.clock.now)
            // Buffer 30: twenty minutes after it ends is too close.
            await #expect {
                _ = try await fixture.schedule(match, by: ada, at: fixture.clock.now + 80 * Times.minute)
            } throws: {
                isRPCError($0, .aborted, "sessions keep 30 minutes apart")
            }
            let later = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(24))
            func move(_ session: Session, reason: String = "") async throws -> Session {
                try await fixture.client.rescheduleSession(
                    RescheduleSessionRequest(
                        sessionID: session.id, memberID: bo.id, startAtMicros: session.startAtMicros + Times.hour,
                        reason: reason))
            }
            await #expect { _ = try await move(later) } throws: {
                isRPCError($0, .failedPrecondition, "network guild requires a reason")
            }
            let moved = try await move(later, reason: "clash")
            await #expect { _ = try await move(moved, reason: "again") } throws: {
                isRPCError($0, .failedPrecondition, "moved 1 times, the most allowed")
            }
            // Cut-off 120: the session starting now can no longer be cancelled.
            await #expect {
                _ = try await fixture.client.cancelSession(
                    CancelSessionRequest(sessionID: soon.id, memberID: ada.id, reason: "too late"))
            } throws: { isRPCError($0, .failedPrecondition, "too late to change it") }

            await #expect {
                _ = try await set(fixture, NetworkSessionPolicy(bufferMinutes: 5), ["buffer_minutes"], version: 7)
            } throws: {
                isRPCError($0, .aborted, "not 7")
            }
            let again = try await set(fixture, NetworkSessionPolicy(bufferMinutes: 5), ["buffer_minutes"], version: 1)
            #expect(again.bufferMinutes == 5 && again.minimumNoticeMinutes == 0 && again.version == 2)
        }
    }

    @Test("malformed policy changes name the field and change nothing")
    func malformed() async throws {
        try await withSessions { fixture in
            for (field, values, mask) in [
                ("policy.buffer_minutes", NetworkSessionPolicy(bufferMinutes: 241), ["buffer_minutes"]),
                ("update_mask", NetworkSessionPolicy(), []),
                ("update_mask", NetworkSessionPolicy(), ["version"]),
            ] as [(String, NetworkSessionPolicy, [String])] {
                await #expect { _ = try await set(fixture, values, mask) } throws: { names($0, field) }
            }
            await #expect {
                _ = try await fixture.client.getNetworkSessionPolicy(
                    GetNetworkSessionPolicyRequest(network: "Not A Net"))
            } throws: { names($0, "network") }
            let policy = try await fixture.client.getNetworkSessionPolicy(
                GetNetworkSessionPolicyRequest(network: "guild"))
            #expect(policy.isDefault)
        }
    }
}
