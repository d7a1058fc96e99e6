import Foundation
import GRDB
import ProfilesV1
import RPC
import SessionsV1
import Wire

/// Calendar feeds and invitations as iCalendar (docs/sessions.md, "Calendars").
extension SessionStore {
    // MARK: Calendars

    /// Makes the member's calendar feed with a new token, replacing any earlier one.
    public func createFeed(memberID: String, now: Int64) async throws -> CalendarFeed {
        try await database.writer.write { db in
            guard try PartnerDirectory.member(memberID, in: db) != nil else {
                throw SessionStoreError.memberNotFound(memberID: memberID)
            }
            let token = Self.token()
            try db.execute(
                sql: """
                    INSERT INTO calendar_feed (member_id, token, created_at) VALUES (?, ?, ?)
                    ON CONFLICT(member_id) DO UPDATE SET token = excluded.token, created_at = excluded.created_at
                    """,
                arguments: [memberID, token, now])
            return CalendarFeed(
                memberID: memberID, token: token, path: "/v1/calendars/\(token)", createdAtMicros: now)
        }
    }

    /// Stops the member's calendar feed; whether there was one.
    public func revokeFeed(memberID: String) async throws -> Bool {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM calendar_feed WHERE member_id = ?", arguments: [memberID])
            return db.changesCount > 0
        }
    }

    /// How far back a calendar feed reaches.
    static let calendarHistory: Int64 = 90 * 86_400_000_000
    /// The most events a calendar feed holds.
    static let calendarEvents = 2000

    /// The calendar of the member whose feed has `token`: their current session of every booking
    /// from 90 days ago on, as iCalendar.
    public func calendar(token: String, now: Int64) async throws -> CalendarDocument {
        try await database.writer.read { db in
            guard
                let memberID = try String.fetchOne(
                    db, sql: "SELECT member_id FROM calendar_feed WHERE token = ?", arguments: [token])
            else { throw SessionStoreError.feedNotFound }
            let sessions = try Data.fetchAll(
                db,
                sql: """
                    SELECT s.body FROM session_participant p JOIN session s ON s.id = p.session_id
                    WHERE p.member_id = ? AND p.start_at >= ? AND p.state != ?
                    ORDER BY p.start_at, p.session_id LIMIT ?
                    """,
                arguments: [
                    memberID, now - Self.calendarHistory, SessionState.rescheduled.rawValue, Self.calendarEvents,
                ]
            ).map { try Session(decoding: [UInt8]($0)) }
            let members = try Self.members(of: sessions, in: db)
            var series: [String: Series] = [:]
            for id in Set(sessions.map(\.seriesID)) where !id.isEmpty {
                series[id] = try Self.fetchSeries(id, in: db)
            }
            let owner = members[memberID]?.displayName ?? memberID
            let data = ICalendar.feed(sessions, members: members, series: series, name: "MentorNet: \(owner)")
            return CalendarDocument(data: data, etag: ICalendar.etag(data))
        }
    }

    /// One session's invitation, if `viewer` may see the session.
    public func invite(_ id: String, viewer: Viewer = .service) async throws -> CalendarDocument {
        try await database.writer.read { db in
            guard let session = try Self.fetch(id, in: db),
                viewer.sees(members: session.participantIDs, network: session.network)
            else { throw SessionStoreError.sessionNotFound(sessionID: id) }
            let series = session.seriesID.isEmpty ? nil : try Self.fetchSeries(session.seriesID, in: db)
            let data = ICalendar.invite(session, members: try Self.members(of: [session], in: db), series: series)
            return CalendarDocument(data: data, etag: ICalendar.etag(data))
        }
    }

    /// The participants of `sessions` as the read model has them, by id.
    static func members(of sessions: [Session], in db: Database) throws -> [String: Member] {
        var members: [String: Member] = [:]
        for id in Set(sessions.flatMap(\.participantIDs)) {
            members[id] = try PartnerDirectory.member(id, in: db)
        }
        return members
    }
}
