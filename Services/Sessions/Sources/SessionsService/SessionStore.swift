import Foundation
import GRDB
import MatchingV1
import ProfilesV1
import ServiceStore
import SessionsV1
import Wire

/// The sessions and their change feed. Every change is one write transaction that checks the
/// rules against the current rows and appends to the feed; SQLite has one writer, so of two
/// bookings racing for the same time of a person exactly one finds the time free.
public struct SessionStore: Sendable {
    let database: SessionsDatabase
    let notifier: ChangeNotifier
    /// The rules of a network that has not set its own.
    public let defaults: SessionPolicy

    /// A store over `database`; `notifier` hears of every committed change.
    public init(database: SessionsDatabase, notifier: ChangeNotifier, policy: SessionPolicy) {
        self.database = database
        self.notifier = notifier
        self.defaults = policy
    }

    /// Wakes the change feed's watchers (after a change committed outside this store's calls).
    func notifyChanged() { notifier.notify() }

    /// What a booking asks for.
    public struct Booking: Sendable {
        var matchID: String
        var memberID: String
        var startMicros: Int64
        var durationMinutes: UInt32
        var title: String
        var agenda: String
        var location: String
        /// Set: book outside the partners' availability, for this reason.
        var overrideReason: String?
    }

    /// Books a session after checking the match, both partners, notice, availability and
    /// overlaps. With an idempotency key, a retry returns the first result.
    public func schedule(_ booking: Booking, now: Int64, idempotency: (key: String, request: [UInt8])?) async throws
        -> Session
    {
        let session = try await database.writer.write { db -> Session in
            switch try IdempotencyKeys.lookup(idempotency, in: db) {
            case .answered(let response): return try Session(decoding: response)
            case .reused: throw SessionStoreError.idempotencyKeyReused
            case .new: break
            }
            let session = try book(booking, confirming: nil, now: now, in: db)
            try IdempotencyKeys.remember(idempotency, response: Data(try session.encoded()), at: now, in: db)
            return session
        }
        notifier.notify()
        return session
    }

    /// Checks and inserts a booking inside a write transaction (`confirming`: the hold it books,
    /// which does not count as an overlap).
    func book(_ booking: Booking, confirming hold: String?, now: Int64, in db: Database) throws -> Session {
        guard let partnership = try PartnerDirectory.partnership(booking.matchID, in: db) else {
            throw SessionStoreError.matchNotFound(matchID: booking.matchID)
        }
        let end = booking.startMicros + Int64(booking.durationMinutes) * 60_000_000
        let timezone = try checkBooking(
            partnership, organizer: booking.memberID, start: booking.startMicros, end: end,
            overrideReason: booking.overrideReason, replacing: [], hold: hold, now: now, in: db)
        let id = SortableID.make(prefix: "ses_", atMicros: now)
        var session = Session(
            id: id, matchID: partnership.matchID, network: partnership.network, organizerID: booking.memberID,
            participantIDs: partnership.partners(first: booking.memberID), startAtMicros: booking.startMicros,
            durationMinutes: booking.durationMinutes, title: booking.title, agenda: booking.agenda,
            location: booking.location, state: .scheduled, timezone: timezone,
            availabilityOverrideReason: booking.overrideReason ?? "", calendarUid: id, version: 1,
            createdAtMicros: now, updatedAtMicros: now)
        try Self.insert(&session, kind: .scheduled, in: db)
        return session
    }

    /// Moves a scheduled session: checks the new time as a booking (ignoring the session itself),
    /// then a new session takes its place, linked both ways, with the same calendar UID and the
    /// next sequence.
    public func reschedule(
        _ id: String, by memberID: String, startMicros: Int64, durationMinutes: UInt32, reason: String,
        overrideReason: String?, expectedVersion: UInt64, now: Int64
    ) async throws -> Session {
        let session = try await change(id, by: memberID, expectedVersion: expectedVersion, needs: [.scheduled]) {
            old, db -> Session in
            let policy = try rules(for: old.network, in: db)
            try checkCutoff(old, policy: policy, now: now)
            guard Int(old.rescheduleCount) < policy.maximumReschedules else {
                throw SessionStoreError.rescheduleLimit(sessionID: id, maximum: policy.maximumReschedules)
            }
            if policy.rescheduleReasonRequired && reason.isEmpty {
                throw SessionStoreError.reasonRequired(network: old.network)
            }
            guard let partnership = try PartnerDirectory.partnership(old.matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: old.matchID)
            }
            let duration = durationMinutes == 0 ? old.durationMinutes : durationMinutes
            let end = startMicros + Int64(duration) * 60_000_000
            let timezone = try checkBooking(
                partnership, organizer: memberID, start: startMicros, end: end, overrideReason: overrideReason,
                replacing: [id], hold: nil, now: now, in: db)
            var moved = try Self.move(
                &old, to: startMicros, minutes: duration, by: memberID, partners: partnership.partners(first: memberID),
                reason: reason, now: now, in: db)
            moved.timezone = timezone
            moved.availabilityOverrideReason = overrideReason ?? ""
            try Self.insert(&moved, kind: .rescheduled, in: db)
            try Self.followMove(of: old, to: moved.id, in: db)
            return moved
        }
        return session
    }

    /// Marks `old` as replaced (saved) and returns the session that replaces it, not yet inserted:
    /// a new id at `start` for `minutes`, organized by `memberID`, linked both ways, the calendar
    /// UID kept and the sequence one higher.
    static func move(
        _ old: inout Session, to start: Int64, minutes: UInt32, by memberID: String, partners: [String],
        reason: String, now: Int64, in db: Database
    ) throws -> Session {
        let newID = SortableID.make(prefix: "ses_", atMicros: now)
        old.state = .rescheduled
        old.replacedBySessionID = newID
        old.reason = reason
        try update(&old, now: now, in: db)
        var moved = old
        moved.id = newID
        moved.organizerID = memberID
        moved.participantIDs = partners
        moved.startAtMicros = start
        moved.durationMinutes = minutes
        moved.state = .scheduled
        moved.replacesSessionID = old.id
        moved.replacedBySessionID = ""
        moved.sequence = old.sequence + 1
        moved.rescheduleCount = old.rescheduleCount + 1
        moved.version = 1
        moved.createdAtMicros = now
        moved.updatedAtMicros = now
        return moved
    }

    /// Calls off a scheduled session.
    public func cancel(_ id: String, by memberID: String, reason: String, expectedVersion: UInt64, now: Int64)
        async throws -> Session
    {
        try await change(id, by: memberID, expectedVersion: expectedVersion, needs: [.scheduled]) { session, db in
            try checkCutoff(session, policy: try rules(for: session.network, in: db), now: now)
            session.state = .cancelled
            session.cancelledBy = memberID
            session.reason = reason
            session.sequence += 1
            try Self.update(&session, now: now, in: db)
            try Self.record(.cancelled, session, in: db)
            return session
        }
    }

    /// Marks a session that has started as having taken place.
    public func complete(_ id: String, by memberID: String, expectedVersion: UInt64, now: Int64) async throws
        -> Session
    {
        try await change(id, by: memberID, expectedVersion: expectedVersion, needs: [.scheduled]) { session, db in
            guard now >= session.startAtMicros else { throw SessionStoreError.notStarted(sessionID: id) }
            session.state = .completed
            try Self.update(&session, now: now, in: db)
            try Self.record(.completed, session, in: db)
            return session
        }
    }

    /// The fields `update` may change.
    public struct Edit: Sendable {
        var title: String?
        var agenda: String?
        var location: String?
        var notes: String?
    }

    /// Changes a session's title, agenda or location (while it is scheduled) and notes (also once
    /// it has taken place or was cancelled).
    public func update(_ id: String, by memberID: String, edit: Edit, expectedVersion: UInt64, now: Int64)
        async throws -> Session
    {
        let needs: [SessionState] =
            edit.title == nil && edit.agenda == nil && edit.location == nil
            ? [.scheduled, .completed, .cancelled] : [.scheduled]
        return try await change(id, by: memberID, expectedVersion: expectedVersion, needs: needs) { session, db in
            if let title = edit.title { session.title = title }
            if let agenda = edit.agenda { session.agenda = agenda }
            if let location = edit.location { session.location = location }
            if let notes = edit.notes { session.notes = notes }
            try Self.update(&session, now: now, in: db)
            try Self.record(.updated, session, in: db)
            return session
        }
    }

    /// Records whether a participant came to a session that has started (again: the last word
    /// stands).
    public func recordAttendance(
        _ id: String, by memberID: String, attendee: String, status: AttendanceStatus, expectedVersion: UInt64,
        now: Int64
    ) async throws -> Session {
        try await change(id, by: memberID, expectedVersion: expectedVersion, needs: [.scheduled, .completed]) {
            session, db in
            guard now >= session.startAtMicros else { throw SessionStoreError.notStarted(sessionID: id) }
            guard session.participantIDs.contains(attendee) else {
                throw SessionStoreError.attendeeNotParticipant(memberID: attendee, sessionID: id)
            }
            session.attendance.removeAll { $0.memberID == attendee }
            session.attendance.append(
                Attendance(memberID: attendee, status: status, recordedBy: memberID, recordedAtMicros: now))
            session.attendance.sort { $0.memberID < $1.memberID }
            try Self.update(&session, now: now, in: db)
            try Self.record(.attendanceRecorded, session, in: db)
            return session
        }
    }

    /// Cancels a match's scheduled sessions starting after `after` (the match ended); returns how
    /// many. Runs inside the transaction that applies the match's change.
    func cancelFuture(ofMatch matchID: String, reason: String, after: Int64, in db: Database) throws -> Int {
        let bodies = try Data.fetchAll(
            db, sql: "SELECT body FROM session WHERE match_id = ? AND state = ? AND start_at > ?",
            arguments: [matchID, SessionState.scheduled.rawValue, after])
        for body in bodies {
            var session = try Session(decoding: [UInt8](body))
            session.state = .cancelled
            session.reason = reason
            session.sequence += 1
            try Self.update(&session, now: after, in: db)
            try Self.record(.cancelled, session, in: db)
        }
        return bodies.count
    }

    // MARK: Reads

    /// The session with `id`.
    public func get(_ id: String) async throws -> Session? {
        try await database.writer.read { db in try Self.fetch(id, in: db) }
    }

    /// Where a page ends: the last session's start and id.
    public struct PagePosition: Sendable, Equatable {
        var startMicros: Int64
        var id: String
    }

    /// Up to `limit` sessions of a member and/or a match (or, with `network`, of a network),
    /// soonest first, starting in `[windowStart, windowEnd)` (0: open), in `state` if given, after
    /// `position`.
    public func list(
        memberID: String, matchID: String, network: String = "", windowStart: Int64, windowEnd: Int64,
        state: SessionState, after position: PagePosition?, limit: Int
    ) async throws -> [Session] {
        try await database.writer.read { db in
            var sql: String
            var arguments: StatementArguments
            if !network.isEmpty {
                sql = "SELECT s.body FROM session s WHERE s.network = ?"
                arguments = [network]
            } else if !memberID.isEmpty {
                sql = """
                    SELECT s.body FROM session_participant p JOIN session s ON s.id = p.session_id
                    WHERE p.member_id = ?
                    """
                arguments = [memberID]
                if !matchID.isEmpty {
                    sql += " AND s.match_id = ?"
                    _ = arguments.append(contentsOf: [matchID])
                }
            } else {
                sql = "SELECT s.body FROM session s WHERE s.match_id = ?"
                arguments = [matchID]
            }
            if windowStart != 0 {
                sql += " AND s.start_at >= ?"
                _ = arguments.append(contentsOf: [windowStart])
            }
            if windowEnd != 0 {
                sql += " AND s.start_at < ?"
                _ = arguments.append(contentsOf: [windowEnd])
            }
            if state != .unspecified {
                sql += " AND s.state = ?"
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            if let position {
                sql += " AND (s.start_at, s.id) > (?, ?)"
                _ = arguments.append(contentsOf: [position.startMicros, position.id])
            }
            sql += " ORDER BY s.start_at, s.id LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Data.fetchAll(db, sql: sql, arguments: arguments).map { try Session(decoding: [UInt8]($0)) }
        }
    }

    /// The changes after `sequence`, at most `limit`, and the feed's head.
    public func changes(after sequence: UInt64, limit: Int) async throws -> (changes: [SessionChange], head: UInt64) {
        try await database.writer.read { db in
            let (entries, head) = try Self.feed.entries(after: sequence, limit: limit, in: db)
            let changes = try entries.map { entry in
                let kind = SessionChangeKind(rawValue: entry.kind) ?? .unspecified
                // A goal's entry holds a SessionChange with the goal and review; a session's, the session.
                var change = Self.isGoalKind(kind) ? try SessionChange(decoding: entry.body) : SessionChange()
                if !Self.isGoalKind(kind) { change.session = try Session(decoding: entry.body) }
                change.sequence = entry.sequence
                change.eventID = entry.eventID
                change.kind = kind
                change.occurredAtMicros = entry.occurredAtMicros
                return change
            }
            return (changes, head)
        }
    }

    // MARK: Rules

    /// Checks the match and its partners for an action by `organizer`: the match is active, the
    /// organizer a partner, both partners known and active. Returns both, the organizer first.
    func checkPartners(_ partnership: PartnerDirectory.Partnership, organizer: String, in db: Database) throws
        -> [Member]
    {
        guard partnership.state == .active else {
            throw SessionStoreError.matchNotActive(matchID: partnership.matchID, state: Self.name(partnership.state))
        }
        guard organizer == partnership.mentorID || organizer == partnership.menteeID else {
            throw SessionStoreError.notAPartner(memberID: organizer, matchID: partnership.matchID)
        }
        return try partnership.partners(first: organizer).map { id in
            guard let member = try PartnerDirectory.member(id, in: db) else {
                throw SessionStoreError.memberNotFound(memberID: id)
            }
            guard member.status == .active else {
                throw SessionStoreError.memberNotActive(
                    memberID: id, status: member.status == .paused ? "paused" : "deactivated")
            }
            return member
        }
    }

    /// Checks a booking of `[start, end)` for `partnership` by `organizer`: the partners
    /// (`checkPartners`), both available (unless overridden), the notice kept, and neither booked
    /// nor held within the buffer (ignoring the sessions it is `replacing` and the `hold` it
    /// confirms).
    /// Returns the organizer's timezone.
    func checkBooking(
        _ partnership: PartnerDirectory.Partnership, organizer: String, start: Int64, end: Int64,
        overrideReason: String?, replacing: [String], hold: String?, now: Int64, in db: Database
    ) throws -> String {
        let members = try checkPartners(partnership, organizer: organizer, in: db)
        let policy = try rules(for: partnership.network, in: db)
        if overrideReason == nil {
            for member in members {
                guard let availability = WeeklyAvailability(member),
                    availability.covers(startMicros: start, endMicros: end)
                else {
                    throw SessionStoreError.outsideAvailability(
                        memberID: member.id, local: Self.local(start, end, zone: member.timezone))
                }
            }
        }
        guard start >= now + Int64(policy.minimumNoticeMinutes) * 60_000_000 else {
            throw SessionStoreError.tooSoon(minimumNoticeMinutes: policy.minimumNoticeMinutes)
        }
        let buffer = Int64(policy.bufferMinutes) * 60_000_000
        for member in members {
            // Sessions last at most 240 minutes: the lower bound keeps the index scan short.
            let others =
                replacing.isEmpty
                ? "" : " AND session_id NOT IN (\(replacing.map { _ in "?" }.joined(separator: ", ")))"
            var arguments: StatementArguments = [
                member.id, start - buffer - 241 * 60_000_000, end + buffer, start - buffer,
                SessionState.scheduled.rawValue,
            ]
            _ = arguments.append(contentsOf: StatementArguments(replacing))
            if let conflict = try String.fetchOne(
                db,
                sql: """
                    SELECT session_id FROM session_participant
                    WHERE member_id = ? AND start_at > ? AND start_at < ? AND end_at > ? AND state = ?\(others)
                    ORDER BY start_at LIMIT 1
                    """,
                arguments: arguments)
            {
                throw SessionStoreError.overlaps(
                    sessionID: conflict, memberID: member.id, bufferMinutes: policy.bufferMinutes)
            }
            if let held = try String.fetchOne(
                db,
                sql: """
                    SELECT id FROM hold
                    WHERE (member_a = ? OR member_b = ?) AND start_at < ? AND end_at > ? AND expires_at > ?
                        AND id != ?
                    LIMIT 1
                    """,
                arguments: [member.id, member.id, end + buffer, start - buffer, now, hold ?? ""])
            {
                throw SessionStoreError.held(holdID: held, memberID: member.id)
            }
        }
        return members[0].timezone
    }

    func checkCutoff(_ session: Session, policy: SessionPolicy, now: Int64) throws {
        let cutoff = Int64(policy.changeCutoffMinutes) * 60_000_000
        if policy.changeCutoffMinutes > 0 && now > session.startAtMicros - cutoff {
            throw SessionStoreError.pastCutoff(sessionID: session.id, cutoffMinutes: policy.changeCutoffMinutes)
        }
    }

    /// Runs `body` on session `id` in a write transaction after the common checks: it exists,
    /// `memberID` takes part, the version matches, the state is `needs`.
    private func change(
        _ id: String, by memberID: String, expectedVersion: UInt64, needs states: [SessionState],
        _ body: @escaping @Sendable (inout Session, Database) throws -> Session
    ) async throws -> Session {
        let result = try await database.writer.write { db -> Session in
            guard var session = try Self.fetch(id, in: db) else {
                throw SessionStoreError.sessionNotFound(sessionID: id)
            }
            guard session.participantIDs.contains(memberID) else {
                throw SessionStoreError.notAParticipant(memberID: memberID, sessionID: id)
            }
            if expectedVersion != 0 && expectedVersion != session.version {
                throw SessionStoreError.staleVersion(sessionID: id, current: session.version, expected: expectedVersion)
            }
            guard states.contains(session.state) else {
                throw SessionStoreError.wrongState(
                    sessionID: id, state: Self.name(session.state),
                    needed: states.map(Self.name).joined(separator: " or "))
            }
            return try body(&session, db)
        }
        notifier.notify()
        return result
    }

    // MARK: SQL helpers

    static func fetch(_ id: String, in db: Database) throws -> Session? {
        guard let body = try Data.fetchOne(db, sql: "SELECT body FROM session WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try Session(decoding: [UInt8](body))
    }

    static func insert(_ session: inout Session, kind: SessionChangeKind, in db: Database) throws {
        let end = session.startAtMicros + Int64(session.durationMinutes) * 60_000_000
        try db.execute(
            sql: "INSERT INTO session (id, match_id, network, state, start_at, body) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                session.id, session.matchID, session.network, session.state.rawValue, session.startAtMicros,
                Data(try session.encoded()),
            ])
        for member in session.participantIDs {
            try db.execute(
                sql: """
                    INSERT INTO session_participant (member_id, session_id, state, start_at, end_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [member, session.id, session.state.rawValue, session.startAtMicros, end])
        }
        try record(kind, session, in: db)
    }

    /// Saves a changed session (version and time moved on).
    static func update(_ session: inout Session, now: Int64, in db: Database) throws {
        session.version += 1
        session.updatedAtMicros = now
        try db.execute(
            sql: "UPDATE session SET state = ?, body = ? WHERE id = ?",
            arguments: [session.state.rawValue, Data(try session.encoded()), session.id])
        try db.execute(
            sql: "UPDATE session_participant SET state = ? WHERE session_id = ?",
            arguments: [session.state.rawValue, session.id])
    }

    /// The change feed's table.
    static let feed = ChangeFeedTable(name: "session_change", subjectColumn: "session_id")

    static func record(_ kind: SessionChangeKind, _ session: Session, in db: Database) throws {
        try feed.append(
            subject: session.id, kind: kind.rawValue, occurredAtMicros: session.updatedAtMicros,
            body: Data(try session.encoded()), in: db)
    }

    /// `Tue 18:30–19:30 Europe/Berlin`: an interval in a zone's wall-clock time.
    static func local(_ start: Int64, _ end: Int64, zone: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE HH:mm"
        let from = formatter.string(from: Date(timeIntervalSince1970: Double(start) / 1_000_000))
        formatter.dateFormat = "HH:mm"
        let to = formatter.string(from: Date(timeIntervalSince1970: Double(end) / 1_000_000))
        return "\(from)–\(to) \(zone)"
    }

    static func name(_ state: SessionState) -> String {
        switch state {
        case .unspecified: "unspecified"
        case .scheduled: "scheduled"
        case .completed: "completed"
        case .cancelled: "cancelled"
        case .rescheduled: "rescheduled"
        }
    }

    static func name(_ state: MatchState) -> String {
        switch state {
        case .unspecified: "unspecified"
        case .proposed: "proposed"
        case .active: "active"
        case .declined: "declined"
        case .withdrawn: "withdrawn"
        case .expired: "expired"
        case .completed: "completed"
        case .ended: "ended"
        }
    }
}
