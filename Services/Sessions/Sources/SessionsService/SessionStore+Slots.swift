import Foundation
import GRDB
import RPC
import ServiceStore
import SessionsV1
import Wire

/// Free slots for a pair and holds on them (docs/sessions.md, "Free slots and holds").
extension SessionStore {
    // MARK: Slots and holds

    /// What a slot search asks for.
    public struct SlotSearch: Sendable {
        var matchID: String
        var memberID: String
        var durationMinutes: UInt32
        /// 0: now plus the notice.
        var from: Int64
        /// 0: 14 days after `from`.
        var until: Int64
        var stepMinutes: UInt32
        var limit: Int
    }

    /// Start times at which both partners are available (each in their own zone) and neither is
    /// booked or held within the buffer, from the notice on.
    public func findSlots(_ search: SlotSearch, now: Int64) async throws -> [Slot] {
        try await database.writer.read { db in
            guard let partnership = try PartnerDirectory.partnership(search.matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: search.matchID)
            }
            let members = try checkPartners(partnership, organizer: search.memberID, in: db)
            let policy = try rules(for: partnership.network, in: db)
            let earliest = now + Int64(policy.minimumNoticeMinutes) * 60_000_000
            let from = max(search.from, earliest)
            let until = search.until != 0 ? search.until : from + 14 * 86_400_000_000
            let duration = Int64(search.durationMinutes) * 60_000_000
            guard from < until else { return [] }
            let buffer = Int64(policy.bufferMinutes) * 60_000_000
            var blocked: [Range<Int64>] = []
            for id in partnership.partners(first: search.memberID) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT start_at, end_at FROM session_participant
                        WHERE member_id = ? AND start_at > ? AND start_at < ? AND state = ?
                        UNION ALL
                        SELECT start_at, end_at FROM hold
                        WHERE (member_a = ? OR member_b = ?) AND start_at > ? AND start_at < ? AND expires_at > ?
                        """,
                    arguments: [
                        id, from - buffer - 241 * 60_000_000, until + buffer, SessionState.scheduled.rawValue,
                        id, id, from - buffer - 241 * 60_000_000, until + buffer, now,
                    ])
                for row in rows {
                    let start: Int64 = row[0]
                    let end: Int64 = row[1]
                    blocked.append((start - buffer)..<(end + buffer))
                }
            }
            let available = members.map { member in
                WeeklyAvailability(member).map { $0.intervals(from: from, until: until) } ?? []
            }
            let step = Int64(search.stepMinutes) * 60_000_000
            return SlotFinder.find(
                duration: duration, from: from, until: until, step: step, limit: search.limit,
                available: available, blocked: blocked
            ).map { Slot(startAtMicros: $0, endAtMicros: $0 + duration) }
        }
    }

    /// Keeps `[start, start + minutes)` for a match for `holdMinutes`, after checking it as a
    /// booking (availability not overridable): the answer carries the token that confirms it.
    public func hold(
        matchID: String, by memberID: String, startMicros: Int64, durationMinutes: UInt32, holdMinutes: UInt32,
        now: Int64
    ) async throws -> Hold {
        try await database.writer.write { db in
            try db.execute(sql: "DELETE FROM hold WHERE expires_at <= ?", arguments: [now])
            guard let partnership = try PartnerDirectory.partnership(matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: matchID)
            }
            let end = startMicros + Int64(durationMinutes) * 60_000_000
            _ = try checkBooking(
                partnership, organizer: memberID, start: startMicros, end: end, overrideReason: nil, replacing: [],
                hold: nil, now: now, in: db)
            let hold = Hold(
                id: SortableID.make(prefix: "hld_", atMicros: now), matchID: matchID, memberID: memberID,
                startAtMicros: startMicros, durationMinutes: durationMinutes, token: Self.token(),
                expiresAtMicros: now + Int64(holdMinutes) * 60_000_000)
            try db.execute(
                sql: """
                    INSERT INTO hold (id, match_id, member_a, member_b, start_at, end_at, expires_at, token, body)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    hold.id, matchID, partnership.mentorID, partnership.menteeID, startMicros, end,
                    hold.expiresAtMicros, hold.token, Data(try hold.encoded()),
                ])
            return hold
        }
    }

    /// Books a live hold's time (checked again as a booking, the hold itself aside) and removes
    /// the hold, in one transaction.
    public func confirm(
        holdID: String, token: String, viewer: Viewer = .service, title: String, agenda: String, location: String,
        now: Int64
    ) async throws -> Session {
        let session = try await database.writer.write { db -> Session in
            let hold = try Self.liveHold(holdID, token: token, viewer: viewer, now: now, in: db)
            let session = try book(
                Booking(
                    matchID: hold.matchID, memberID: hold.memberID, startMicros: hold.startAtMicros,
                    durationMinutes: hold.durationMinutes, title: title, agenda: agenda, location: location,
                    overrideReason: nil),
                confirming: holdID, now: now, in: db)
            try db.execute(sql: "DELETE FROM hold WHERE id = ?", arguments: [holdID])
            return session
        }
        notifier.notify()
        return session
    }

    /// Gives a live hold's time back.
    public func release(holdID: String, token: String, viewer: Viewer = .service, now: Int64) async throws -> Hold {
        try await database.writer.write { db in
            var hold = try Self.liveHold(holdID, token: token, viewer: viewer, now: now, in: db)
            try db.execute(sql: "DELETE FROM hold WHERE id = ?", arguments: [holdID])
            hold.token = ""
            hold.expiresAtMicros = now
            return hold
        }
    }

    /// The live hold `id`, when `token` is its token and `viewer` a partner of its match (or an
    /// admin of the match's network): the token alone is not enough for a person, and to anyone
    /// else the hold does not exist.
    private static func liveHold(_ id: String, token: String, viewer: Viewer, now: Int64, in db: Database) throws
        -> Hold
    {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT member_a, member_b, body FROM hold WHERE id = ?", arguments: [id])
        else { throw SessionStoreError.holdNotFound(holdID: id) }
        let hold = try Hold(decoding: [UInt8](row["body"] as Data))
        if !viewer.isService {
            let network = try PartnerDirectory.partnership(hold.matchID, in: db)?.network ?? ""
            guard viewer.sees(members: [row["member_a"] as String, row["member_b"] as String], network: network) else {
                throw SessionStoreError.holdNotFound(holdID: id)
            }
        }
        guard hold.token == token else { throw SessionStoreError.wrongToken(holdID: id) }
        guard hold.expiresAtMicros > now else { throw SessionStoreError.holdLapsed(holdID: id) }
        return hold
    }

    /// 32 random characters of the sortable ids' alphabet (160 bits).
    static func token() -> String {
        SortableID.randomText(32)
    }
}
