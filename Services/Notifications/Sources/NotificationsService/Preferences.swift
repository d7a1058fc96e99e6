import Foundation
import GRDB
import NotificationsV1
import Wire

/// Members' notification preferences and networks' nudge rules: stored only once changed, read
/// with the defaults filled in.
enum Preferences {
    /// Categories that cannot be turned off: their inbox and live channels stay on.
    static let locked: Set<NotificationsV1.Category> = [.cancellations]
    /// Every category a member can set, in order.
    static let categories: [NotificationsV1.Category] = NotificationsV1.Category.allCases.filter { $0 != .unspecified }
    /// Reminders go out this many minutes before a session unless the member chose otherwise.
    static let defaultReminderOffsets: [UInt32] = [1440, 60]
    /// The digest's local hour unless the member chose another.
    static let defaultDigestHour: UInt32 = 18

    /// The defaults: every channel of every category on, no quiet hours, the digest at 18:00,
    /// reminders 24 hours and 1 hour ahead.
    static func defaults(for memberID: String) -> NotificationPreferences {
        NotificationPreferences(
            memberID: memberID,
            categories: categories.map {
                CategoryPreference(category: $0, inbox: true, live: true, digest: true, locked: locked.contains($0))
            },
            quietHours: QuietHours(enabled: false, startMinute: 22 * 60, endMinute: 7 * 60),
            digestHour: defaultDigestHour, reminderOffsetsMinutes: defaultReminderOffsets)
    }

    /// The member's preferences, the defaults where they chose nothing, with the zone in effect.
    static func load(_ memberID: String, in db: Database) throws -> NotificationPreferences {
        var preferences = defaults(for: memberID)
        if let body = try Data.fetchOne(
            try db.cachedStatement(sql: "SELECT body FROM preference WHERE member_id = ?"), arguments: [memberID])
        {
            preferences = try NotificationPreferences(decoding: [UInt8](body))
        }
        let profileZone =
            try String.fetchOne(
                try db.cachedStatement(sql: "SELECT timezone FROM member WHERE id = ?"), arguments: [memberID]) ?? ""
        preferences.effectiveTimezone =
            LocalTime.isKnownZone(preferences.timezone)
            ? preferences.timezone : LocalTime.isKnownZone(profileZone) ? profileZone : "UTC"
        return preferences
    }

    /// Stores the member's preferences (without the derived zone).
    static func store(_ preferences: NotificationPreferences, in db: Database) throws {
        var stored = preferences
        stored.effectiveTimezone = ""
        try db.cachedStatement(
            sql: "INSERT INTO preference (member_id, body) VALUES (?, ?) "
                + "ON CONFLICT(member_id) DO UPDATE SET body = excluded.body"
        ).execute(arguments: [preferences.memberID, Data(try stored.encoded())])
    }

    /// The member's choices for `category`.
    static func channels(_ preferences: NotificationPreferences, _ category: NotificationsV1.Category)
        -> CategoryPreference
    {
        preferences.categories.first { $0.category == category }
            ?? CategoryPreference(category: category, inbox: true, live: true, digest: true)
    }

    // MARK: Network rules

    /// The defaults: proposals nudged after 3 days, quiet partnerships after 21, missing feedback
    /// after 2, nobody told of matches at risk until admins are named.
    static func defaultRules(for network: String) -> NetworkNotificationRules {
        NetworkNotificationRules(network: network, proposalWaitingDays: 3, noSessionDays: 21, feedbackMissingDays: 2)
    }

    /// The network's rules, the defaults until changed.
    static func rules(_ network: String, in db: Database) throws -> NetworkNotificationRules {
        guard
            let body = try Data.fetchOne(
                try db.cachedStatement(sql: "SELECT body FROM network_rules WHERE network = ?"), arguments: [network])
        else { return defaultRules(for: network) }
        return try NetworkNotificationRules(decoding: [UInt8](body))
    }

    static func store(_ rules: NetworkNotificationRules, in db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO network_rules (network, body) VALUES (?, ?) "
                + "ON CONFLICT(network) DO UPDATE SET body = excluded.body"
        ).execute(arguments: [rules.network, Data(try rules.encoded())])
    }
}
