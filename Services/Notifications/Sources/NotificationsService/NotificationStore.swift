import Foundation
import GRDB
import MatchingV1
import NotificationsV1
import ProfilesV1
import RPC
import ServiceStore
import SessionsV1
import Wire

/// The notifications service's state: what the feeds made of it, the jobs' turns, and the
/// members' reads and changes. Each write is one transaction; after it commits, the live streams
/// of the members it touched are woken.
public struct NotificationStore: Sendable {
    let database: NotificationsDatabase
    let signals = MemberSignals()
    private let applied = ChangeNotifier()
    /// How long live-stream events are kept for resuming.
    let streamRetentionMicros: Int64

    /// The cursor names of the three feeds.
    public static let profilesFeed = "profiles"
    public static let matchingFeed = "matching"
    public static let sessionsFeed = "sessions"

    init(database: NotificationsDatabase, streamRetentionMicros: Int64) {
        self.database = database
        self.streamRetentionMicros = streamRetentionMicros
    }

    /// Runs `body` in one write transaction, then wakes the streams of the members it touched.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database, inout Set<String>) throws -> T) async throws
        -> T
    {
        let (result, touched) = try await database.writer.write { db -> (T, Set<String>) in
            var touched = Set<String>()
            let result = try body(db, &touched)
            return (result, touched)
        }
        signals.notify(touched)
        return result
    }

    // MARK: Feeds

    /// The position applied so far in `feed` (0: nothing yet).
    public func position(_ feed: String) async throws -> UInt64 {
        try await database.writer.read { db in try Self.position(feed, in: db) }
    }

    /// Returns once `feed` has been applied up to `position`.
    public func wait(for feed: String, position: UInt64) async throws {
        try await applied.wait { try await self.position(feed) >= position }
    }

    /// Applies a page of a feed after its stored position, with the new position, in one
    /// transaction: each change has its effects exactly once, whatever crashes when. A change
    /// that needs what another feed has not brought yet (`FeedDependencyPending`, thrown before it
    /// writes anything) ends the page there: the changes before it are kept with their position,
    /// and the error is thrown after they are committed, so the follower asks again from it.
    private func applyPage<Change: Sendable>(
        _ feed: String, _ changes: [Change], sequence: @escaping @Sendable (Change) -> UInt64,
        _ apply: @escaping @Sendable (Change, Database, inout Set<String>) throws -> Void
    ) async throws -> UInt64 {
        defer { applied.notify() }
        let (cursor, pending) = try await write { db, touched -> (UInt64, FeedDependencyPending?) in
            var cursor = try Self.position(feed, in: db)
            var pending: FeedDependencyPending?
            for change in changes where sequence(change) > cursor {
                do {
                    try apply(change, db, &touched)
                } catch let error as FeedDependencyPending {
                    pending = error
                    break
                }
                cursor = sequence(change)
            }
            try FeedCursors.move(feed, to: cursor, in: db)
            return (cursor, pending)
        }
        if let pending { throw pending }
        return cursor
    }

    /// Applies profiles changes (the member read model); returns the new position.
    @discardableResult
    public func apply(_ changes: [MemberChange], now: Int64) async throws -> UInt64 {
        try await applyPage(Self.profilesFeed, changes, sequence: \.sequence) { change, db, touched in
            if let member = change.member { try FeedEvents.apply(member, in: db) }
            try NetworkEvents.record(change, now: now, in: db, touched: &touched)
        }
    }

    /// Applies matching changes; returns the new position.
    @discardableResult
    public func apply(_ changes: [MatchChange], now: Int64) async throws -> UInt64 {
        try await applyPage(Self.matchingFeed, changes, sequence: \.sequence) { change, db, touched in
            try FeedEvents.apply(change, now: now, in: db, touched: &touched)
            try NetworkEvents.record(change, now: now, in: db, touched: &touched)
        }
    }

    /// Applies sessions changes; returns the new position.
    @discardableResult
    public func apply(_ changes: [SessionChange], now: Int64) async throws -> UInt64 {
        try await applyPage(Self.sessionsFeed, changes, sequence: \.sequence) { change, db, touched in
            try FeedEvents.apply(change, now: now, in: db, touched: &touched)
            try NetworkEvents.record(change, now: now, in: db, touched: &touched)
        }
    }

    static func position(_ feed: String, in db: Database) throws -> UInt64 {
        try FeedCursors.position(feed, in: db)
    }

    // MARK: Jobs

    /// The frequent job's turn: deferred notifications whose quiet hours ended are delivered, due
    /// reminders fired (or dropped when their session began). Answers how many things it did.
    public func deliverDue(now: Int64) async throws -> Int {
        try await write { db, touched in
            let released = try Inbox.releaseDeferred(now: now, in: db)
            touched.formUnion(released)
            let reminders = try Reminders.fireDue(now: now, in: db, touched: &touched)
            return released.count + reminders.fired + reminders.dropped
        }
    }

    /// The slow job's turn: nudges, digests, and forgetting stream events past their retention.
    public func sweep(now: Int64) async throws -> Int {
        try await write { db, touched in
            let nudges = try Nudges.sweep(now: now, in: db, touched: &touched)
            let digests = try Nudges.sendDigests(now: now, in: db, touched: &touched)
            _ = try Inbox.pruneEvents(before: now - streamRetentionMicros, in: db)
            _ = try NetworkEvents.prune(before: now - streamRetentionMicros, in: db)
            return nudges + digests
        }
    }

    // MARK: Inbox

    /// A page of the member's inbox (newest first) with the counts.
    func list(
        memberID: String, filter: InboxFilter, category: NotificationsV1.Category, pageSize: Int,
        after cursor: (deliverAt: Int64, seq: Int64)?
    ) async throws -> (notifications: [Notification], next: (Int64, Int64)?, unread: UInt32, unseen: UInt32) {
        try await database.writer.read { db in
            var conditions = ["member_id = ?", "delivery = 1"]
            var arguments: StatementArguments = [memberID]
            switch filter {
            case .unread: conditions.append("archived_at = 0 AND read_at = 0")
            case .archived: conditions.append("archived_at != 0")
            case .all: break
            case .unspecified: conditions.append("archived_at = 0")
            }
            if category != .unspecified {
                conditions.append("category = ?")
                _ = arguments.append(contentsOf: [category.rawValue])
            }
            if let cursor {
                conditions.append("(deliver_at < ? OR (deliver_at = ? AND seq < ?))")
                _ = arguments.append(contentsOf: [cursor.deliverAt, cursor.deliverAt, cursor.seq])
            }
            _ = arguments.append(contentsOf: [pageSize + 1])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Inbox.columns), seq FROM item WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY deliver_at DESC, seq DESC LIMIT ?
                    """,
                arguments: arguments)
            let page = rows.prefix(pageSize)
            let next = rows.count > pageSize ? page.last.map { ($0["deliver_at"] as Int64, $0["seq"] as Int64) } : nil
            let (unread, unseen) = try Inbox.counts(memberID, in: db)
            return (try page.map(Inbox.notification(from:)), next, unread, unseen)
        }
    }

    /// The member's notification `id`.
    func get(_ id: String, memberID: String) async throws -> Notification {
        try await database.writer.read { db in
            guard let notification = try Inbox.notification(id, in: db), notification.memberID == memberID else {
                throw NotificationStoreError.notificationNotFound(id: id, memberID: memberID)
            }
            return notification
        }
    }

    /// Why the member's notification `id` stands where it does.
    func explain(_ id: String, memberID: String) async throws -> NotificationExplanation {
        try await database.writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT delivery, reasons FROM item WHERE id = ? AND member_id = ?",
                    arguments: [id, memberID])
            else { throw NotificationStoreError.notificationNotFound(id: id, memberID: memberID) }
            let reasons: String = row["reasons"]
            return NotificationExplanation(
                notificationID: id, delivery: Delivery(rawValue: row["delivery"]) ?? .unspecified,
                reasons: reasons.split(separator: "\n").map(String.init))
        }
    }

    /// The member's counts and newest stream event.
    func counts(_ memberID: String) async throws -> NotificationCounts {
        try await database.writer.read { db in
            let (unread, unseen) = try Inbox.counts(memberID, in: db)
            return NotificationCounts(
                memberID: memberID, unreadCount: unread, unseenCount: unseen,
                lastEventID: try Inbox.lastEvent(memberID, in: db))
        }
    }

    /// What a mark request does to the items it names.
    enum Mark: Sendable {
        case read, unread, seen, archive, unarchive

        /// The assignment, and the condition of the items it changes.
        var sql: (set: String, when: String) {
            switch self {
            case .read: ("read_at = :now, seen_at = CASE seen_at WHEN 0 THEN :now ELSE seen_at END", "read_at = 0")
            case .unread: ("read_at = 0", "read_at != 0")
            case .seen: ("seen_at = :now", "seen_at = 0")
            case .archive: ("archived_at = :now", "archived_at = 0")
            case .unarchive: ("archived_at = 0", "archived_at != 0")
            }
        }
    }

    /// Marks the member's notifications `ids` (or all of them); an id that is not one of the
    /// member's delivered notifications refuses the whole request, changing nothing.
    func mark(_ mark: Mark, memberID: String, ids: [String], all: Bool, now: Int64) async throws
        -> MarkNotificationsResponse
    {
        try await write { db, touched in
            let (set, when) = mark.sql
            var changed = 0
            if all {
                try db.execute(
                    sql: "UPDATE item SET \(set) WHERE member_id = :member AND delivery = 1 AND \(when)",
                    arguments: ["now": now, "member": memberID])
                changed = db.changesCount
            } else {
                for id in ids {
                    guard
                        try Int.fetchOne(
                            db, sql: "SELECT delivery FROM item WHERE id = ? AND member_id = ?",
                            arguments: [id, memberID]) == Int(Delivery.delivered.rawValue)
                    else { throw NotificationStoreError.notificationNotFound(id: id, memberID: memberID) }
                }
                for id in Set(ids) {
                    try db.execute(
                        sql: "UPDATE item SET \(set) WHERE id = :id AND \(when)", arguments: ["now": now, "id": id])
                    changed += db.changesCount
                }
            }
            if changed > 0 {
                try Inbox.appendEvent(
                    memberID, kind: .countsChanged, itemID: "", itemIDs: all ? [] : Array(Set(ids)).sorted(), now: now,
                    in: db)
                touched.insert(memberID)
            }
            let (unread, unseen) = try Inbox.counts(memberID, in: db)
            return MarkNotificationsResponse(changedCount: UInt32(changed), unreadCount: unread, unseenCount: unseen)
        }
    }

    // MARK: Live stream

    /// Streams the member's events after `after` (0: from now on, or with `fromStart` every
    /// event kept), then each new one, to `deliver`, until the task is cancelled. A position the
    /// stream no longer keeps (or never had) is answered with a RESET event first.
    func watch(
        memberID: String, after: UInt64, fromStart: Bool = false, limit: Int = 200,
        deliver: (NotificationEvent) async throws -> Void
    ) async throws {
        var wakeUps = signals.changes(of: memberID).makeAsyncIterator()
        var cursor = after
        let (head, floor, last) = try await database.writer.read { db in
            (try Inbox.head(in: db), try Inbox.prunedThrough(in: db), try Inbox.lastEvent(memberID, in: db))
        }
        if after == 0 {
            if !fromStart { cursor = last }
        } else if after < floor || after > head {
            try await deliver(
                NotificationEvent(
                    eventID: last, kind: .reset, occurredAtMicros: Int64(Date().timeIntervalSince1970 * 1_000_000)))
            cursor = last
        }
        try await follow(
            from: cursor, wakeUps: &wakeUps, limit: limit, position: \.eventID, deliver: deliver
        ) { position, db in try Inbox.events(memberID, after: position, limit: limit, in: db) }
    }

    /// Reads the events after `cursor` a page at a time and delivers them; once caught up, waits
    /// for a wake-up and reads again — until the wake-ups end or the task is cancelled.
    private func follow<Event: Sendable>(
        from cursor: UInt64, wakeUps: inout AsyncStream<Void>.Iterator, limit: Int,
        position: (Event) -> UInt64, deliver: (Event) async throws -> Void,
        read: @escaping @Sendable (UInt64, Database) throws -> [Event]
    ) async throws {
        var cursor = cursor
        while !Task.isCancelled {
            let after = cursor
            let events = try await database.writer.read { db in try read(after, db) }
            for event in events {
                try await deliver(event)
                cursor = position(event)
            }
            if events.count == limit { continue }
            guard await wakeUps.next() != nil else { return }
        }
    }

    // MARK: Network events

    /// A page of the network's events after `after`; where to ask from next (past other
    /// networks' events too), and whether events after `after` were forgotten unread.
    func networkEvents(_ network: String, after: UInt64, limit: Int) async throws -> ListNetworkEventsResponse {
        try await database.writer.read { db in
            let (floor, head) = (try NetworkEvents.prunedThrough(in: db), try NetworkEvents.head(in: db))
            // Events after the position were forgotten, or it is one this log never gave (a
            // database restored from before it): what happened since cannot be told; the reader
            // reads the network's state again and follows on from the head.
            if after != 0 && (after < floor || after > head) {
                return ListNetworkEventsResponse(nextAfterSequence: head, missed: true)
            }
            let events = try NetworkEvents.events(network, after: max(after, floor), limit: limit, in: db)
            // A short page holds all of the network's events up to the head.
            let next = events.count == limit ? events.last!.sequence : head
            return ListNetworkEventsResponse(events: events, nextAfterSequence: next)
        }
    }

    /// Delivers the network's events after `after` (or, with 0, the new ones; with `fromStart`
    /// every one kept), then each new one as it is recorded, until the caller stops or the task is
    /// cancelled. A position older than the events kept first gets a `reset` event.
    func watchNetwork(
        _ network: String, after: UInt64, fromStart: Bool, limit: Int = 200,
        deliver: (NetworkEvent) async throws -> Void
    ) async throws {
        var wakeUps = signals.changes(of: NetworkEvents.signal(network)).makeAsyncIterator()
        let (head, floor) = try await database.writer.read { db in
            (try NetworkEvents.head(in: db), try NetworkEvents.prunedThrough(in: db))
        }
        var cursor = after
        if after == 0 {
            cursor = fromStart ? floor : head
        } else if after < floor || after > head {
            // Forgotten, or a position this log never gave: start again from the state now.
            try await deliver(
                NetworkEvent(
                    sequence: head, network: network, type: "reset",
                    occurredAtMicros: Int64(Date().timeIntervalSince1970 * 1_000_000)))
            cursor = head
        }
        try await follow(
            from: cursor, wakeUps: &wakeUps, limit: limit, position: \.sequence, deliver: deliver
        ) { position, db in try NetworkEvents.events(network, after: position, limit: limit, in: db) }
    }

    /// Open live streams (for tests).
    public var openStreams: Int { signals.openStreams }

    // MARK: Preferences and rules

    func preferences(_ memberID: String) async throws -> NotificationPreferences {
        try await database.writer.read { db in try Preferences.load(memberID, in: db) }
    }

    /// Replaces the fields named in `mask` of the member's preferences with those of `values`.
    func updatePreferences(
        _ values: NotificationPreferences, mask: Set<String>, expectedVersion: UInt64, now: Int64
    ) async throws -> NotificationPreferences {
        try await write { db, _ in
            var preferences = try Preferences.load(values.memberID, in: db)
            if expectedVersion != 0 && expectedVersion != preferences.version {
                throw NotificationStoreError.stalePreferences(
                    memberID: values.memberID, current: preferences.version, expected: expectedVersion)
            }
            if mask.contains("categories") {
                for given in values.categories {
                    var entry = given
                    entry.locked = Preferences.locked.contains(given.category)
                    if let index = preferences.categories.firstIndex(where: { $0.category == given.category }) {
                        preferences.categories[index] = entry
                    } else {
                        preferences.categories.append(entry)
                    }
                }
            }
            if mask.contains("quiet_hours") { preferences.quietHours = values.quietHours ?? QuietHours() }
            if mask.contains("timezone") { preferences.timezone = values.timezone }
            if mask.contains("digest_hour") { preferences.digestHour = values.digestHour }
            if mask.contains("reminder_offsets_minutes") {
                preferences.reminderOffsetsMinutes = values.reminderOffsetsMinutes.sorted(by: >)
            }
            preferences.version += 1
            preferences.updatedAtMicros = now
            try Preferences.store(preferences, in: db)
            let stored = try Preferences.load(values.memberID, in: db)
            try Nudges.rescheduleDigest(values.memberID, preferences: stored, now: now, in: db)
            return stored
        }
    }

    func rules(_ network: String) async throws -> NetworkNotificationRules {
        try await database.writer.read { db in try Preferences.rules(network, in: db) }
    }

    /// Replaces the fields named in `mask` of the network's rules with those of `values`.
    func updateRules(_ values: NetworkNotificationRules, mask: Set<String>, expectedVersion: UInt64, now: Int64)
        async throws -> NetworkNotificationRules
    {
        try await write { db, _ in
            var rules = try Preferences.rules(values.network, in: db)
            if expectedVersion != 0 && expectedVersion != rules.version {
                throw NotificationStoreError.staleRules(
                    network: values.network, current: rules.version, expected: expectedVersion)
            }
            if mask.contains("proposal_waiting_days") { rules.proposalWaitingDays = values.proposalWaitingDays }
            if mask.contains("no_session_days") { rules.noSessionDays = values.noSessionDays }
            if mask.contains("feedback_missing_days") { rules.feedbackMissingDays = values.feedbackMissingDays }
            if mask.contains("admin_member_ids") { rules.adminMemberIDs = values.adminMemberIDs }
            rules.version += 1
            rules.updatedAtMicros = now
            try Preferences.store(rules, in: db)
            return rules
        }
    }
}
