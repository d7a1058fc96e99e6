import Foundation
import GRDB
import NotificationsV1
import SessionsV1
import Wire

/// Reminders before sessions: one per participant and offset, keyed by the session's event
/// (its calendar UID, which a reschedule keeps), made in the transaction that applies the booking,
/// moved by a reschedule, stopped by a cancellation or completion, fired once.
enum Reminders {
    /// A reminder's state.
    enum State: Int {
        case pending = 0, fired = 1, dropped = 2, cancelled = 3
    }

    /// A reminder fired more than this after its time is marked late.
    static let lateAfter: Int64 = 60_000_000

    /// Schedules (or moves) the reminders of `session` for both participants at their chosen
    /// offsets; offsets already past when the session was booked are skipped.
    static func schedule(_ session: Session, key: String, bookedAt: Int64, in db: Database) throws {
        try stop(key, state: .cancelled, in: db)
        let body = Data(try session.encoded())
        for member in session.participantIDs {
            for offset in try Preferences.load(member, in: db).reminderOffsetsMinutes {
                let due = session.startAtMicros - Int64(offset) * 60_000_000
                guard due > bookedAt else { continue }
                try db.cachedStatement(
                    sql: """
                        INSERT INTO reminder (calendar_uid, member_id, offset_minutes, session_id, start_at, due_at, state, body)
                        VALUES (?, ?, ?, ?, ?, ?, 0, ?)
                        ON CONFLICT(calendar_uid, member_id, offset_minutes) DO UPDATE SET
                            session_id = excluded.session_id, start_at = excluded.start_at, due_at = excluded.due_at,
                            state = 0, body = excluded.body
                        """
                ).execute(arguments: [key, member, Int64(offset), session.id, session.startAtMicros, due, body])
            }
        }
    }

    /// Stops the pending reminders of the session `key` (cancelled, moved or completed).
    static func stop(_ key: String, state: State, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE reminder SET state = ? WHERE calendar_uid = ? AND state = 0").execute(
            arguments: [state.rawValue, key])
    }

    /// Fires the reminders due by `now` (at most `limit`): a reminder whose session is still ahead
    /// becomes a notification (late when more than a minute past its time); one whose session has
    /// begun is dropped. Answers how many fired and how many were dropped.
    static func fireDue(now: Int64, limit: Int = 2000, in db: Database, touched: inout Set<String>) throws -> (
        fired: Int, dropped: Int
    ) {
        let rows = try Row.fetchAll(
            try db.cachedStatement(
                sql: """
                    SELECT calendar_uid, member_id, offset_minutes, start_at, due_at, body FROM reminder
                    WHERE state = 0 AND due_at <= ? ORDER BY due_at LIMIT ?
                    """), arguments: [now, limit])
        var fired = 0
        var dropped = 0
        for row in rows {
            let key: String = row["calendar_uid"]
            let member: String = row["member_id"]
            let offset: Int64 = row["offset_minutes"]
            let start: Int64 = row["start_at"]
            let due: Int64 = row["due_at"]
            let began = now >= start
            try db.cachedStatement(
                sql: "UPDATE reminder SET state = ? WHERE calendar_uid = ? AND member_id = ? AND offset_minutes = ?"
            ).execute(arguments: [(began ? State.dropped : State.fired).rawValue, key, member, offset])
            if began {
                dropped += 1
                continue
            }
            let session = try Session(decoding: [UInt8](row["body"] as Data))
            let partner = try FeedEvents.name(session.participantIDs.first { $0 != member } ?? "", in: db)
            let zone = try FeedEvents.zone(member, in: db)
            let late = now - due > lateAfter
            let title = session.title.isEmpty ? "Session" : "“\(session.title)”"
            try Inbox.deliver(
                Draft(
                    memberID: member, kind: .sessionReminder, category: .reminders,
                    priority: offset <= 60 ? .urgent : .normal,
                    title: "\(title) with \(partner) \(startsIn(start - now))",
                    body: "Starts \(LocalTime.describe(start, in: zone)), \(session.durationMinutes) minutes"
                        + (session.location.isEmpty ? "." : ", at \(session.location).")
                        + (late ? " (Sent late: MentorNet could not send it on time.)" : ""),
                    links: [Link(type: "session", id: session.id), Link(type: "match", id: session.matchID)],
                    network: session.network, collapseKey: "reminder:\(key)",
                    sourceKey: "reminder:\(key):\(offset):\(start)", late: late),
                now: now, in: db, touched: &touched)
            fired += 1
        }
        return (fired, dropped)
    }

    /// "in 1 hour", "in 24 hours", "in 5 minutes".
    static func startsIn(_ micros: Int64) -> String {
        let minutes = Int((micros + 30_000_000) / 60_000_000)
        if minutes >= 120 && minutes % 60 == 0 || minutes >= 600 { return "in \((minutes + 30) / 60) hours" }
        if minutes == 60 { return "in 1 hour" }
        return minutes == 1 ? "in 1 minute" : "in \(minutes) minutes"
    }
}
