import Foundation
import GRDB
import ProfilesV1
import RPC
import ServiceStore
import SessionsV1
import Wire

/// Recurring bookings. A series is a row of its own and one session per occurrence (each can be
/// moved or cancelled alone through the session calls); booking, cancelling and moving "this and
/// the following" occurrences are each one transaction, all occurrences or none.
extension SessionStore {
    /// The most occurrences a series has.
    static let maximumOccurrences = 52

    /// What a series booking asks for.
    public struct SeriesBooking: Sendable {
        var matchID: String
        var memberID: String
        var firstStart: Int64
        var durationMinutes: UInt32
        var intervalWeeks: UInt32
        var count: UInt32
        var until: Int64
        var title: String
        var agenda: String
        var location: String
        var overrideReason: String?
    }

    /// Books every occurrence, checked like single bookings; none when any fails (every failing
    /// occurrence is named).
    public func scheduleSeries(
        _ booking: SeriesBooking, now: Int64, idempotency: (key: String, request: [UInt8])?
    ) async throws -> Series {
        let series = try await database.writer.write { db -> Series in
            switch try IdempotencyKeys.lookup(idempotency, in: db) {
            case .answered(let response): return try Series(decoding: response)
            case .reused: throw SessionStoreError.idempotencyKeyReused
            case .new: break
            }
            guard let partnership = try PartnerDirectory.partnership(booking.matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: booking.matchID)
            }
            let members = try checkPartners(partnership, organizer: booking.memberID, in: db)
            guard let zone = TimeZone(identifier: members[0].timezone) else {
                throw SessionStoreError.memberNotFound(memberID: booking.memberID)
            }
            let recurrence = Recurrence(
                timeZone: zone, firstStart: booking.firstStart, intervalWeeks: Int(booking.intervalWeeks))
            let starts = recurrence.starts(
                count: Int(booking.count), until: booking.until, limit: Self.maximumOccurrences)
            let duration = Int64(booking.durationMinutes) * 60_000_000
            var conflicts: [(Int, Int64, SessionStoreError)] = []
            for (index, start) in starts.enumerated() {
                do {
                    _ = try checkBooking(
                        partnership, organizer: booking.memberID, start: start, end: start + duration,
                        overrideReason: booking.overrideReason, replacing: [], hold: nil, now: now, in: db)
                } catch let error as SessionStoreError {
                    conflicts.append((index + 1, start, error))
                }
            }
            if !conflicts.isEmpty { throw Self.seriesConflicts(conflicts, recurrence: recurrence) }
            let id = SortableID.make(prefix: "srs_", atMicros: now)
            var series = Series(
                id: id, matchID: partnership.matchID, organizerID: booking.memberID, timezone: members[0].timezone,
                firstStartAtMicros: booking.firstStart, durationMinutes: booking.durationMinutes,
                intervalWeeks: booking.intervalWeeks, count: UInt32(starts.count), title: booking.title, version: 1,
                createdAtMicros: now, updatedAtMicros: now)
            for (index, start) in starts.enumerated() {
                var session = Session(
                    id: SortableID.make(prefix: "ses_", atMicros: now), matchID: partnership.matchID,
                    network: partnership.network, organizerID: booking.memberID,
                    participantIDs: partnership.partners(first: booking.memberID), startAtMicros: start,
                    durationMinutes: booking.durationMinutes, title: booking.title, agenda: booking.agenda,
                    location: booking.location, state: .scheduled, timezone: members[0].timezone,
                    availabilityOverrideReason: booking.overrideReason ?? "", calendarUid: id, version: 1,
                    createdAtMicros: now, updatedAtMicros: now, seriesID: id, occurrence: UInt32(index + 1))
                try Self.insert(&session, kind: .scheduled, in: db)
                series.sessionIDs.append(session.id)
            }
            try Self.save(series, in: db)
            try IdempotencyKeys.remember(idempotency, response: Data(try series.encoded()), at: now, in: db)
            return series
        }
        notifier.notify()
        return series
    }

    /// The series with `id`.
    /// The series with `id`, if `viewer` may see it: a participant of its sessions, or an admin of
    /// its network.
    public func series(_ id: String, viewer: Viewer = .service) async throws -> Series? {
        try await database.writer.read { db in
            guard let series = try Self.fetchSeries(id, in: db) else { return nil }
            if viewer.isService { return series }
            guard let first = series.sessionIDs.first, let session = try Self.fetch(first, in: db),
                viewer.sees(members: session.participantIDs, network: session.network)
            else { return nil }
            return series
        }
    }

    /// Cancels the scheduled occurrences from `from` (1-based) on.
    public func cancelSeries(
        _ id: String, by memberID: String, from: Int, reason: String, expectedVersion: UInt64, now: Int64
    ) async throws -> Series {
        let series = try await database.writer.write { db -> Series in
            var series = try Self.seriesToChange(id, by: memberID, from: from, expectedVersion: expectedVersion, in: db)
            let policy = try rules(for: try Self.network(of: series, in: db), in: db)
            for sessionID in series.sessionIDs.dropFirst(from - 1) {
                guard var session = try Self.fetch(sessionID, in: db), session.state == .scheduled else { continue }
                try checkCutoff(session, policy: policy, now: now)
                session.state = .cancelled
                session.cancelledBy = memberID
                session.reason = reason
                session.sequence += 1
                try Self.update(&session, now: now, in: db)
                try Self.record(.cancelled, session, in: db)
            }
            series.sequence += 1
            series.version += 1
            series.updatedAtMicros = now
            try Self.save(series, in: db)
            return series
        }
        notifier.notify()
        return series
    }

    /// Moves the scheduled occurrences from `from` on: occurrence `from` to `start`, each later
    /// one every interval after it at the same wall-clock time in the series' zone. Every moved
    /// occurrence is checked like a booking (the occurrences being moved aside); none moves
    /// unless all can.
    public func rescheduleSeries(
        _ id: String, by memberID: String, from: Int, start: Int64, durationMinutes: UInt32, reason: String,
        expectedVersion: UInt64, now: Int64
    ) async throws -> Series {
        let series = try await database.writer.write { db -> Series in
            var series = try Self.seriesToChange(id, by: memberID, from: from, expectedVersion: expectedVersion, in: db)
            guard let partnership = try PartnerDirectory.partnership(series.matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: series.matchID)
            }
            let policy = try rules(for: partnership.network, in: db)
            guard let zone = TimeZone(identifier: series.timezone) else {
                throw SessionStoreError.matchNotFound(matchID: series.matchID)
            }
            let recurrence = Recurrence(timeZone: zone, firstStart: start, intervalWeeks: Int(series.intervalWeeks))
            var moving: [(index: Int, session: Session, start: Int64)] = []
            for (offset, sessionID) in series.sessionIDs.enumerated().dropFirst(from - 1) {
                guard let session = try Self.fetch(sessionID, in: db), session.state == .scheduled else { continue }
                try checkCutoff(session, policy: policy, now: now)
                moving.append((offset, session, recurrence.start(offset - (from - 1))))
            }
            let replacing = moving.map(\.session.id)
            var conflicts: [(Int, Int64, SessionStoreError)] = []
            for move in moving {
                let duration = Int64(durationMinutes == 0 ? move.session.durationMinutes : durationMinutes) * 60_000_000
                do {
                    _ = try checkBooking(
                        partnership, organizer: memberID, start: move.start, end: move.start + duration,
                        overrideReason: move.session.availabilityOverrideReason.isEmpty
                            ? nil : move.session.availabilityOverrideReason,
                        replacing: replacing, hold: nil, now: now, in: db)
                } catch let error as SessionStoreError {
                    conflicts.append((move.index + 1, move.start, error))
                }
            }
            if !conflicts.isEmpty {
                throw Self.seriesConflicts(conflicts, recurrence: recurrence)
            }
            for move in moving {
                var old = move.session
                var moved = try Self.move(
                    &old, to: move.start, minutes: durationMinutes == 0 ? old.durationMinutes : durationMinutes,
                    by: memberID, partners: partnership.partners(first: memberID), reason: reason, now: now, in: db)
                try Self.insert(&moved, kind: .rescheduled, in: db)
                series.sessionIDs[move.index] = moved.id
            }
            series.sequence += 1
            series.version += 1
            series.updatedAtMicros = now
            try Self.save(series, in: db)
            return series
        }
        notifier.notify()
        return series
    }

    /// Keeps the series' list of current sessions when one occurrence moves alone.
    static func followMove(of old: Session, to newID: String, in db: Database) throws {
        guard !old.seriesID.isEmpty, var series = try fetchSeries(old.seriesID, in: db) else { return }
        guard let index = series.sessionIDs.firstIndex(of: old.id) else { return }
        series.sessionIDs[index] = newID
        try save(series, in: db)
    }

    // MARK: Helpers

    private static func seriesToChange(
        _ id: String, by memberID: String, from: Int, expectedVersion: UInt64, in db: Database
    ) throws -> Series {
        guard let series = try fetchSeries(id, in: db) else { throw SessionStoreError.seriesNotFound(seriesID: id) }
        guard let session = try fetch(series.sessionIDs[0], in: db), session.participantIDs.contains(memberID) else {
            throw SessionStoreError.notAParticipant(memberID: memberID, sessionID: id)
        }
        if expectedVersion != 0 && expectedVersion != series.version {
            throw SessionStoreError.staleSeries(seriesID: id, current: series.version, expected: expectedVersion)
        }
        guard from <= series.sessionIDs.count else {
            throw SessionStoreError.noSuchOccurrence(seriesID: id, occurrence: from, count: series.sessionIDs.count)
        }
        return series
    }

    private static func network(of series: Series, in db: Database) throws -> String {
        try fetch(series.sessionIDs[0], in: db)?.network ?? ""
    }

    static func fetchSeries(_ id: String, in db: Database) throws -> Series? {
        try Data.fetchOne(db, sql: "SELECT body FROM series WHERE id = ?", arguments: [id])
            .map { try Series(decoding: [UInt8]($0)) }
    }

    private static func save(_ series: Series, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO series (id, match_id, version, body) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET version = excluded.version, body = excluded.body
                """,
            arguments: [series.id, series.matchID, Int64(clamping: series.version), Data(try series.encoded())])
    }

    /// One error naming every occurrence that cannot be booked, and why; ABORTED when any is an
    /// overlap, else FAILED_PRECONDITION.
    static func seriesConflicts(_ conflicts: [(Int, Int64, SessionStoreError)], recurrence: Recurrence)
        -> SessionStoreError
    {
        .seriesConflicts(
            conflicts.map { occurrence, start, error in
                "occurrence \(occurrence) (\(recurrence.readable(start))): \(error.rpcError.message)"
            },
            overlap: conflicts.contains { $0.2.rpcError.code == .aborted })
    }
}
