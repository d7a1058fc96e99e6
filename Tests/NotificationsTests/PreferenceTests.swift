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

@Suite("preferences: channels, quiet hours in the member's zone across DST and midnight, the daily digest")
struct PreferenceTests {
    func set(_ network: Network, _ member: Member, _ mask: [String], _ body: (inout NotificationPreferences) -> Void)
        async throws -> NotificationPreferences
    {
        var preferences = NotificationPreferences(memberID: member.id)
        body(&preferences)
        return try await network.inbox.updateNotificationPreferences(
            UpdateNotificationPreferencesRequest(preferences: preferences, updateMask: mask))
    }

    @Test("defaults until changed; a suppressed category stays out of the inbox and says why")
    func channels() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo", timezone: "Asia/Tokyo")
            try await network.add(ada, bo)
            let defaults = try await network.inbox.getNotificationPreferences(
                GetNotificationPreferencesRequest(memberID: bo.id))
            #expect(
                defaults.version == 0 && defaults.digestHour == 18 && defaults.reminderOffsetsMinutes == [1440, 60])
            #expect(defaults.effectiveTimezone == "Asia/Tokyo" && defaults.categories.count == 9)
            #expect(defaults.categories.first { $0.category == .cancellations }?.locked == true)
            let changed = try await set(network, bo, ["categories"]) {
                $0.categories = [CategoryPreference(category: .matches, inbox: false, live: false, digest: false)]
            }
            #expect(changed.version == 1 && changed.categories.first { $0.category == .matches }?.inbox == false)
            #expect(changed.categories.first { $0.category == .sessions }?.inbox == true)  // the rest as it was
            let match = try await network.match(ada, bo)
            #expect(try await network.items(bo).isEmpty)
            #expect(
                try await network.inbox.getNotificationCounts(GetNotificationCountsRequest(memberID: bo.id)).unreadCount
                    == 0)
            // Cancellations cannot be turned off.
            let session = try await network.schedule(match, by: ada, at: Times.utc(2026, 11, 25, 9, 0))
            _ = try await network.sessions.cancelSession(
                CancelSessionRequest(sessionID: session.id, memberID: ada.id, reason: "ill"))
            try await network.pump()
            #expect(try await network.items(bo).map(\.kind) == [.sessionCancelled])
        }
    }

    @Test(
        "quiet hours defer what is not urgent to the window's end in the member's zone, across midnight and DST",
        arguments: [
            // zone, window, the moment the event happens (local), when it is released (local)
            ("Europe/Berlin", 22 * 60, 7 * 60, (2026, 11, 18, 23, 30), (2026, 11, 19, 7, 0)),
            ("Europe/Berlin", 22 * 60, 7 * 60, (2026, 11, 19, 1, 15), (2026, 11, 19, 7, 0)),
            // The night the clocks go forward (2:00 → 3:00): 01:00–03:00 ends at 03:00 CEST.
            ("Europe/Berlin", 1 * 60, 3 * 60, (2027, 3, 28, 1, 30), (2027, 3, 28, 3, 0)),
            // New York falls back on 2026-11-01: the window ends at 07:00 EST, 25 hours of night.
            ("America/New_York", 21 * 60, 7 * 60, (2026, 10, 31, 23, 0), (2026, 11, 1, 7, 0)),
            ("Australia/Sydney", 13 * 60, 14 * 60, (2026, 12, 24, 13, 59), (2026, 12, 24, 14, 0)),
        ])
    func quietHours(
        zone: String, start: Int, end: Int, at: (Int, Int, Int, Int, Int), release: (Int, Int, Int, Int, Int)
    ) async throws {
        let now = Times.at(at.0, at.1, at.2, at.3, at.4, zone: zone)
        try await withNetwork(start: now - Times.hour) { network in
            let ada = member("ada")
            let bo = member("bo", timezone: zone)
            try await network.add(ada, bo)
            _ = try await set(network, bo, ["quiet_hours"]) {
                $0.quietHours = QuietHours(enabled: true, startMinute: UInt32(start), endMinute: UInt32(end))
            }
            network.clock.set(now)
            _ = try await network.match(ada, bo)
            #expect(try await network.items(bo).isEmpty)
            let counts = try await network.inbox.getNotificationCounts(GetNotificationCountsRequest(memberID: bo.id))
            #expect(counts.unreadCount == 0)
            #expect(try await network.items(ada).count == 1)  // ada has no quiet hours
            let expected = Times.at(release.0, release.1, release.2, release.3, release.4, zone: zone)
            network.clock.set(expected - Times.minute)
            #expect(try await network.tick() == 0)
            network.clock.set(expected)
            #expect(try await network.tick() == 1)
            let item = try #require(try await network.items(bo).first)
            #expect(item.deliverAtMicros == expected && item.createdAtMicros == now)
            let why = try await network.inbox.explainNotification(
                ExplainNotificationRequest(id: item.id, memberID: bo.id))
            #expect(why.reasons.count == 2 && why.reasons[0].hasPrefix("deferred: made at"))
            #expect(why.reasons[1] == "delivered when the quiet hours ended")
        }
    }

    @Test("urgent notifications pass quiet hours")
    func urgentPasses() async throws {
        try await withNetwork(start: Times.at(2026, 11, 18, 23, 0, zone: "Europe/Berlin")) { network in
            let ada = member("ada")
            let bo = member("bo", timezone: "Europe/Berlin")
            try await network.add(ada, bo)
            _ = try await set(network, bo, ["quiet_hours"]) {
                $0.quietHours = QuietHours(enabled: true, startMinute: 22 * 60, endMinute: 7 * 60)
            }
            let match = try await network.match(ada, bo)
            let session = try await network.schedule(match, by: ada, at: network.clock.now + 3 * Times.hour)
            _ = try await network.sessions.cancelSession(
                CancelSessionRequest(sessionID: session.id, memberID: ada.id, reason: "ill"))
            try await network.pump()
            let items = try await network.items(bo)
            #expect(items.map(\.kind) == [.sessionCancelled])
            let why = try await network.inbox.explainNotification(
                ExplainNotificationRequest(id: items[0].id, memberID: bo.id))
            #expect(why.reasons.first?.contains("urgent: quiet hours do not hold it") == true)
        }
    }

    @Test(
        "the daily digest: at the member's hour, each low-priority item in one digest, read ones left out, none empty")
    func digest() async throws {
        // Bo is in Sydney (UTC+11 in December); the digest hour is 18:00 there.
        try await withNetwork(start: Times.at(2026, 12, 7, 9, 0, zone: "Australia/Sydney")) { network in
            let ada = member("ada", timezone: "Australia/Sydney")
            let bo = member("bo", timezone: "Australia/Sydney")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            // Three sessions take place and their feedback is revealed: three low-priority items.
            var reveals: [String] = []
            for index in 0..<3 {
                let session = try await network.schedule(
                    match, by: ada, at: network.clock.now + Int64(index + 1) * Times.minute * 90)
                reveals.append(session.id)
            }
            network.clock.advance(.seconds(6 * 3600))
            for id in reveals {
                _ = try await network.sessions.completeSession(CompleteSessionRequest(sessionID: id, memberID: ada.id))
                for giver in [ada, bo] {
                    _ = try await network.sessions.giveFeedback(
                        GiveFeedbackRequest(sessionID: id, memberID: giver.id, rating: 4, goodFit: .yes))
                }
            }
            try await network.pump()
            let revealed = try await network.items(bo).filter { $0.kind == .feedbackRevealed }
            #expect(revealed.count == 3 && revealed.allSatisfy { $0.priority == .low })
            // One is read before the digest: it is left out.
            _ = try await network.inbox.markRead(
                MarkNotificationsRequest(memberID: bo.id, notificationIDs: [revealed[0].id]))
            let six = Times.at(2026, 12, 7, 18, 0, zone: "Australia/Sydney")
            network.clock.set(six - Times.minute)
            #expect(try await network.service.sweep() == 0)
            network.clock.set(six)
            #expect(try await network.service.sweep() == 2)  // ada's (3 updates) and bo's
            let digest = try #require(try await network.items(bo).first { $0.kind == .dailyDigest })
            #expect(digest.title == "Your daily digest: 2 updates")
            #expect(Set(digest.links.map(\.id)) == Set(revealed.dropFirst().map(\.id)))
            // Nothing new: no digest the next day.
            network.clock.set(six + Times.day)
            #expect(try await network.service.sweep() == 0)
            #expect(try await network.items(bo).filter { $0.kind == .dailyDigest }.count == 1)
            let inDigest = try await network.items(bo).filter { !$0.digestID.isEmpty }
            #expect(inDigest.count == 2 && inDigest.allSatisfy { $0.digestID == digest.id })
        }
    }

    @Test("each malformed preference or rule change is refused naming its field; nothing is stored")
    func validation() async throws {
        try await withNetwork { network in
            let bo = member("bo")
            try await network.add(bo)
            let cases: [([String], (inout NotificationPreferences) -> Void, String)] = [
                ([], { _ in }, "update_mask"),
                (["email"], { _ in }, "update_mask"),
                (["timezone"], { $0.timezone = "Mars/Olympus" }, "preferences.timezone"),
                (["digest_hour"], { $0.digestHour = 24 }, "preferences.digest_hour"),
                (
                    ["reminder_offsets_minutes"], { $0.reminderOffsetsMinutes = [] },
                    "preferences.reminder_offsets_minutes"
                ),
                (
                    ["reminder_offsets_minutes"], { $0.reminderOffsetsMinutes = [60, 60] },
                    "preferences.reminder_offsets_minutes"
                ),
                (
                    ["reminder_offsets_minutes"], { $0.reminderOffsetsMinutes = [2] },
                    "preferences.reminder_offsets_minutes[0]"
                ),
                (
                    ["quiet_hours"], { $0.quietHours = QuietHours(enabled: true, startMinute: 60, endMinute: 60) },
                    "preferences.quiet_hours.end_minute"
                ),
                (
                    ["quiet_hours"], { $0.quietHours = QuietHours(enabled: true, startMinute: 1440, endMinute: 60) },
                    "preferences.quiet_hours.start_minute"
                ),
                (["categories"], { $0.categories = [] }, "preferences.categories"),
                (
                    ["categories"],
                    { $0.categories = [CategoryPreference(category: .cancellations, inbox: false, live: true)] },
                    "preferences.categories[0]"
                ),
                (
                    ["categories"],
                    { $0.categories = [CategoryPreference(category: .goals), CategoryPreference(category: .goals)] },
                    "preferences.categories[1].category"
                ),
            ]
            for (mask, change, field) in cases {
                var preferences = NotificationPreferences(memberID: bo.id)
                change(&preferences)
                await #expect {
                    _ = try await network.inbox.updateNotificationPreferences(
                        UpdateNotificationPreferencesRequest(preferences: preferences, updateMask: mask))
                } throws: { names($0, field) }
            }
            await #expect {
                _ = try await network.inbox.updateNotificationPreferences(
                    UpdateNotificationPreferencesRequest(
                        preferences: NotificationPreferences(memberID: bo.id, digestHour: 7),
                        updateMask: ["digest_hour"],
                        expectedVersion: 3))
            } throws: { isRPCError($0, .aborted, "at version 0, not 3") }
            #expect(
                try await network.inbox.getNotificationPreferences(GetNotificationPreferencesRequest(memberID: bo.id))
                    .version == 0)
            let rules: [([String], NetworkNotificationRules, String)] = [
                (["no_session_days"], NetworkNotificationRules(network: "Guild!", noSessionDays: 5), "rules.network"),
                (
                    ["feedback_missing_days"], NetworkNotificationRules(network: "guild", feedbackMissingDays: 8),
                    "rules.feedback_missing_days"
                ),
                (
                    ["admin_member_ids"], NetworkNotificationRules(network: "guild", adminMemberIDs: ["admin"]),
                    "rules.admin_member_ids[0]"
                ),
                (
                    ["admin_member_ids"], NetworkNotificationRules(network: "guild", adminMemberIDs: [bo.id, bo.id]),
                    "rules.admin_member_ids"
                ),
                (["version"], NetworkNotificationRules(network: "guild"), "update_mask"),
            ]
            for (mask, values, field) in rules {
                await #expect {
                    _ = try await network.inbox.updateNetworkNotificationRules(
                        UpdateNetworkNotificationRulesRequest(rules: values, updateMask: mask))
                } throws: { names($0, field) }
            }
            let stored = try await network.inbox.getNetworkNotificationRules(
                GetNetworkNotificationRulesRequest(network: "guild"))
            #expect(stored.version == 0 && stored.noSessionDays == 21 && stored.adminMemberIDs.isEmpty)
        }
    }
}
