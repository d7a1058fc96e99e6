import Foundation
import GRDB
import NotificationsV1
import ServiceStore
import Wire

/// The inbox item (not Foundation's `Notification`).
public typealias Notification = NotificationsV1.Notification

/// A notification about to be made for one member.
struct Draft: Sendable {
    var memberID: String
    var kind: NotificationKind
    var category: NotificationsV1.Category
    var priority: Priority
    var title: String
    var body: String
    var links: [Link]
    var network = ""
    /// Notifications with the same key replace each other (the newer stays).
    var collapseKey = ""
    /// What made it, unique per member: one source never makes two notifications.
    var sourceKey: String
    /// A reminder sent after its time.
    var late = false
}

/// Members' inboxes: making notifications (preferences, quiet hours, collapsing), their states,
/// the counts, and the live stream's events. Every write happens inside the caller's transaction
/// (a feed page with its cursor, a job's turn, a request), so a notification, its stream event
/// and what caused it commit together or not at all.
///
/// The counts are never stored: they are counted from the items (partial indexes keep that
/// cheap), so they cannot drift from what the items say.
enum Inbox {
    /// Makes the notification `draft` describes, unless its source made one already or the member
    /// has left (deactivated); answers its id, or nil when it made none. Members whose stream got
    /// an event are added to `touched`.
    @discardableResult
    static func deliver(_ draft: Draft, now: Int64, in db: Database, touched: inout Set<String>) throws -> String? {
        if try Bool.fetchOne(
            try db.cachedStatement(sql: "SELECT 1 FROM item WHERE member_id = ? AND source_key = ?"),
            arguments: [draft.memberID, draft.sourceKey]) == true
        {
            return nil
        }
        if try FeedEvents.hasLeft(draft.memberID, in: db) { return nil }
        let preferences = try Preferences.load(draft.memberID, in: db)
        let zone = LocalTime.zone(preferences.effectiveTimezone)
        let channels = Preferences.channels(preferences, draft.category)
        let categoryName = name(draft.category)
        var reasons: [String] = []
        var delivery = Delivery.delivered
        var deliverAt = now
        let quiet = preferences.quietHours ?? QuietHours()
        let localMinute = LocalTime.minuteOfDay(now, in: zone)
        if !channels.inbox && !Preferences.locked.contains(draft.category) {
            delivery = .suppressed
            reasons.append("suppressed: the inbox is turned off for \(categoryName) in the member's preferences")
        } else if quiet.enabled && draft.priority != .urgent
            && LocalTime.inside(localMinute, start: Int(quiet.startMinute), end: Int(quiet.endMinute))
        {
            delivery = .deferred
            deliverAt = LocalTime.next(minuteOfDay: Int(quiet.endMinute), after: now, in: zone)
            reasons.append(
                "deferred: made at \(LocalTime.clock(localMinute)) \(preferences.effectiveTimezone), inside the quiet "
                    + "hours \(LocalTime.clock(Int(quiet.startMinute)))–\(LocalTime.clock(Int(quiet.endMinute))); "
                    + "released at \(LocalTime.describe(deliverAt, in: zone))")
        } else {
            reasons.append(
                "delivered at once: \(categoryName), \(priorityName(draft.priority))"
                    + (draft.priority == .urgent && quiet.enabled ? " (urgent: quiet hours do not hold it)" : "")
                    + (Preferences.locked.contains(draft.category) ? " (a category that cannot be turned off)" : ""))
        }
        if draft.late { reasons.append("sent late: the service was unavailable when it was due") }
        let id = SortableID.make(prefix: "ntf_", atMicros: now)
        let notification = Notification(
            id: id, memberID: draft.memberID, kind: draft.kind, category: draft.category, priority: draft.priority,
            title: draft.title, body: draft.body, links: draft.links, collapseKey: draft.collapseKey,
            createdAtMicros: now, late: draft.late, network: draft.network)
        try db.cachedStatement(
            sql: """
                INSERT INTO item (id, member_id, source_key, category, priority, delivery, collapse_key, deliver_at,
                    reasons, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            id, draft.memberID, draft.sourceKey, draft.category.rawValue, draft.priority.rawValue,
            delivery.rawValue, draft.collapseKey, deliverAt, reasons.joined(separator: "\n"),
            Data(try notification.encoded()),
        ])
        if delivery == .delivered {
            try arrived(
                id, memberID: draft.memberID, live: channels.live || Preferences.locked.contains(draft.category),
                collapseKey: draft.collapseKey, now: now, in: db)
            touched.insert(draft.memberID)
        }
        if draft.priority == .low && delivery != .suppressed && Preferences.channels(preferences, draft.category).digest
        {
            try Nudges.scheduleDigest(draft.memberID, preferences: preferences, now: now, in: db)
        }
        return id
    }

    /// A notification reached the inbox: the older ones with its collapse key give way to it, and
    /// the member's stream hears of it (the notification itself when its category is live, or
    /// only the counts).
    private static func arrived(
        _ id: String, memberID: String, live: Bool, collapseKey: String, now: Int64, in db: Database
    ) throws {
        var collapsed: [String] = []
        if !collapseKey.isEmpty {
            collapsed = try String.fetchAll(
                try db.cachedStatement(
                    sql: """
                        SELECT id FROM item WHERE member_id = ? AND collapse_key = ? AND id != ?
                            AND delivery IN (1, 2)
                        """), arguments: [memberID, collapseKey, id])
            for older in collapsed {
                try db.cachedStatement(
                    sql: """
                        UPDATE item SET delivery = 3, collapsed_into = ?, reasons = reasons || char(10) || ?
                        WHERE id = ?
                        """
                ).execute(arguments: [id, "collapsed: replaced by \(id), newer news about the same thing", older])
            }
        }
        if live {
            try appendEvent(memberID, kind: .delivered, itemID: id, itemIDs: collapsed, now: now, in: db)
        } else {
            try appendEvent(memberID, kind: .countsChanged, itemID: "", itemIDs: [id] + collapsed, now: now, in: db)
        }
    }

    /// Delivers the deferred notifications whose quiet hours ended by `now`; returns the members
    /// whose inbox changed.
    static func releaseDeferred(now: Int64, limit: Int = 1000, in db: Database) throws -> Set<String> {
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT id, member_id, category, collapse_key FROM item
                    WHERE delivery = 2 AND deliver_at <= ? ORDER BY deliver_at, seq LIMIT ?
                    """), arguments: [now, limit])
        var touched = Set<String>()
        for row in rows {
            let id: String = row["id"]
            let memberID: String = row["member_id"]
            let category = NotificationsV1.Category(rawValue: row["category"]) ?? .unspecified
            try db.cachedStatement(sql: "UPDATE item SET delivery = 1, reasons = reasons || char(10) || ? WHERE id = ?")
                .execute(arguments: ["delivered when the quiet hours ended", id])
            let preferences = try Preferences.load(memberID, in: db)
            let live = Preferences.channels(preferences, category).live || Preferences.locked.contains(category)
            try arrived(id, memberID: memberID, live: live, collapseKey: row["collapse_key"], now: now, in: db)
            touched.insert(memberID)
        }
        return touched
    }

    // MARK: Counts and the stream

    /// The member's unread and unseen counts, counted.
    static func counts(_ memberID: String, in db: Database) throws -> (unread: UInt32, unseen: UInt32) {
        let unread =
            try Int.fetchOne(
                try db.cachedStatement(
                    sql:
                        "SELECT COUNT(*) FROM item WHERE member_id = ? AND delivery = 1 AND archived_at = 0 AND read_at = 0"
                ), arguments: [memberID]) ?? 0
        let unseen =
            try Int.fetchOne(
                try db.cachedStatement(
                    sql:
                        "SELECT COUNT(*) FROM item WHERE member_id = ? AND delivery = 1 AND archived_at = 0 AND seen_at = 0"
                ), arguments: [memberID]) ?? 0
        return (UInt32(unread), UInt32(unseen))
    }

    /// Appends an event to the member's live stream, with the counts after it.
    static func appendEvent(
        _ memberID: String, kind: NotificationEventKind, itemID: String, itemIDs: [String], now: Int64,
        in db: Database
    ) throws {
        let (unread, unseen) = try counts(memberID, in: db)
        try db.cachedStatement(
            sql: """
                INSERT INTO stream_event (member_id, kind, item_id, item_ids, unread, unseen, occurred_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            memberID, kind.rawValue, itemID, itemIDs.joined(separator: ","), Int64(unread), Int64(unseen), now,
        ])
    }

    /// The member's newest stream event (0: none).
    static func lastEvent(_ memberID: String, in db: Database) throws -> UInt64 {
        UInt64(
            try Int64.fetchOne(
                try db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) FROM stream_event WHERE member_id = ?"),
                arguments: [memberID])
                ?? 0)
    }

    /// Up to `limit` of the member's stream events after `after`, oldest first.
    static func events(_ memberID: String, after: UInt64, limit: Int, in db: Database) throws -> [NotificationEvent] {
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT id, kind, item_id, item_ids, unread, unseen, occurred_at FROM stream_event
                    WHERE member_id = ? AND id > ? ORDER BY id LIMIT ?
                    """), arguments: [memberID, Int64(clamping: after), limit])
        return try rows.map { row in
            let ids: String = row["item_ids"]
            let itemID: String = row["item_id"]
            return NotificationEvent(
                eventID: UInt64(row["id"] as Int64),
                kind: NotificationEventKind(rawValue: row["kind"]) ?? .unspecified,
                notification: itemID.isEmpty ? nil : try notification(itemID, in: db),
                notificationIDs: ids.isEmpty ? [] : ids.split(separator: ",").map(String.init),
                unreadCount: UInt32(row["unread"] as Int64), unseenCount: UInt32(row["unseen"] as Int64),
                occurredAtMicros: row["occurred_at"])
        }
    }

    /// The position below which events were pruned (a resume from before it may have missed some).
    static func prunedThrough(in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT pruned_through FROM stream_floor WHERE one = 1") ?? 0)
    }

    /// The newest event of any member (0: none).
    static func head(in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM stream_event") ?? 0)
    }

    /// Forgets stream events older than `before`; returns how many.
    static func pruneEvents(before: Int64, in db: Database) throws -> Int {
        guard
            let last = try Int64.fetchOne(
                try db.cachedStatement(sql: "SELECT MAX(id) FROM stream_event WHERE occurred_at < ?"),
                arguments: [before])
        else { return 0 }
        try db.cachedStatement(sql: "DELETE FROM stream_event WHERE id <= ?").execute(arguments: [last])
        let removed = db.changesCount
        try db.cachedStatement(
            sql: "INSERT INTO stream_floor (one, pruned_through) VALUES (1, ?) "
                + "ON CONFLICT(one) DO UPDATE SET pruned_through = MAX(pruned_through, excluded.pruned_through)"
        ).execute(arguments: [last])
        return removed
    }

    // MARK: Reading

    static let columns = "id, body, delivery, collapsed_into, deliver_at, read_at, seen_at, archived_at, digest_id"

    /// A stored notification with its current state.
    static func notification(from row: Row) throws -> Notification {
        var notification = try Notification(decoding: [UInt8](row["body"] as Data))
        notification.delivery = Delivery(rawValue: row["delivery"]) ?? .unspecified
        notification.collapsedIntoID = row["collapsed_into"]
        notification.deliverAtMicros = row["deliver_at"]
        notification.readAtMicros = row["read_at"]
        notification.seenAtMicros = row["seen_at"]
        notification.archivedAtMicros = row["archived_at"]
        notification.digestID = row["digest_id"]
        return notification
    }

    /// The notification `id`, or nil.
    static func notification(_ id: String, in db: Database) throws -> Notification? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM item WHERE id = ?", arguments: [id]).map(notification(from:))
    }

    // MARK: Names, for explanations

    static func name(_ category: NotificationsV1.Category) -> String {
        category.protoName.dropFirst("CATEGORY_".count).lowercased()
    }

    static func priorityName(_ priority: Priority) -> String {
        priority.protoName.dropFirst("PRIORITY_".count).lowercased() + " priority"
    }
}
