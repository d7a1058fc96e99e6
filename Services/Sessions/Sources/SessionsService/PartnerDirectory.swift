import Foundation
import GRDB
import MatchingV1
import ProfilesV1
import ServiceStore
import Wire

/// The sessions service's copies of what it needs from the other services, fed from their
/// change feeds (never by reading their databases): each member as last seen on the profiles feed
/// (timezone, weekly availability, status), and each match as last seen on the matching feed (its
/// partners and state). Each page of changes is applied with its feed's cursor in one
/// transaction, so a restart resumes exactly where it stopped and no change is applied twice.
public struct PartnerDirectory: Sendable {
    private let database: SessionsDatabase
    private let store: SessionStore
    private let applied = ChangeNotifier()
    /// The cursor names of the two feeds.
    static let profilesFeed = "profiles"
    static let matchingFeed = "matching"

    /// A directory over `database`; a match that stops being active has its future sessions
    /// cancelled through `store`, in the transaction that applies the change.
    public init(database: SessionsDatabase, store: SessionStore) {
        self.database = database
        self.store = store
    }

    /// The position applied so far in `feed` (0: nothing yet).
    public func position(_ feed: String) async throws -> UInt64 {
        try await database.writer.read { db in try Self.position(feed, in: db) }
    }

    /// Returns once `feed` has been applied up to `position`.
    public func wait(for feed: String, position: UInt64) async throws {
        try await applied.wait { try await self.position(feed) >= position }
    }

    /// Applies profiles changes after the stored position; returns the new position.
    @discardableResult
    public func apply(_ changes: [MemberChange]) async throws -> UInt64 {
        defer { applied.notify() }
        return try await database.writer.write { db in
            var cursor = try Self.position(Self.profilesFeed, in: db)
            for change in changes where change.sequence > cursor {
                if let member = change.member { try Self.store(member, in: db) }
                cursor = change.sequence
            }
            try FeedCursors.move(Self.profilesFeed, to: cursor, in: db)
            return cursor
        }
    }

    /// Applies matching changes after the stored position; a match that leaves ACTIVE has its
    /// sessions still to come cancelled ("match ended"), in the same transaction. Returns the new
    /// position.
    @discardableResult
    public func apply(_ changes: [MatchChange]) async throws -> UInt64 {
        defer { applied.notify() }
        let (cursor, cancelled) = try await database.writer.write { db -> (UInt64, Int) in
            var cursor = try Self.position(Self.matchingFeed, in: db)
            var cancelled = 0
            for change in changes where change.sequence > cursor {
                cursor = change.sequence
                guard let match = change.match else { continue }
                let before = try Self.partnership(match.id, in: db)?.state
                try Self.store(match, in: db)
                let after = try Self.partnership(match.id, in: db)?.state
                if before == .active && after != .active {
                    cancelled += try store.cancelFuture(
                        ofMatch: match.id, reason: "match ended", after: change.occurredAtMicros, in: db)
                }
            }
            try FeedCursors.move(Self.matchingFeed, to: cursor, in: db)
            return (cursor, cancelled)
        }
        if cancelled > 0 { store.notifyChanged() }
        return cursor
    }

    // MARK: Reads inside a transaction

    /// The member as last seen on the profiles feed.
    static func member(_ id: String, in db: Database) throws -> Member? {
        guard let body = try Data.fetchOne(db, sql: "SELECT body FROM member WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try Member(decoding: [UInt8](body))
    }

    /// A match as the sessions service knows it.
    struct Partnership: Sendable {
        let matchID: String
        let network: String
        let state: MatchState
        let mentorID: String
        let menteeID: String
        /// One-way or mutual.
        let kind: MatchKind

        /// Both partners, `first` first.
        func partners(first: String) -> [String] {
            first == menteeID ? [menteeID, mentorID] : [mentorID, menteeID]
        }
    }

    /// The match as last seen on the matching feed.
    static func partnership(_ id: String, in db: Database) throws -> Partnership? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT network, state, mentor_id, mentee_id, kind FROM partnership WHERE match_id = ?",
                arguments: [id])
        else { return nil }
        return Partnership(
            matchID: id, network: row["network"], state: MatchState(rawValue: row["state"]) ?? .unspecified,
            mentorID: row["mentor_id"], menteeID: row["mentee_id"], kind: MatchKind(rawValue: row["kind"]) ?? .oneWay)
    }

    // MARK: Writes

    static func position(_ feed: String, in db: Database) throws -> UInt64 {
        try FeedCursors.position(feed, in: db)
    }

    /// Keeps the newer of the stored and the given version.
    private static func store(_ member: Member, in db: Database) throws {
        if let stored = try Int64.fetchOne(db, sql: "SELECT version FROM member WHERE id = ?", arguments: [member.id]),
            UInt64(stored) > member.version
        {
            return
        }
        try db.execute(
            sql: "INSERT INTO member (id, version, body) VALUES (?, ?, ?) "
                + "ON CONFLICT(id) DO UPDATE SET version = excluded.version, body = excluded.body",
            arguments: [member.id, Int64(clamping: member.version), Data(try member.encoded())])
    }

    /// Keeps the newer of the stored and the given version.
    private static func store(_ match: Match, in db: Database) throws {
        if let stored = try Int64.fetchOne(
            db, sql: "SELECT version FROM partnership WHERE match_id = ?", arguments: [match.id]),
            UInt64(stored) > match.version
        {
            return
        }
        try db.execute(
            sql: """
                INSERT INTO partnership (match_id, network, state, mentor_id, mentee_id, version, kind)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(match_id) DO UPDATE SET state = excluded.state, version = excluded.version,
                    kind = excluded.kind
                """,
            arguments: [
                match.id, match.network, match.state.rawValue, match.mentorID, match.menteeID,
                Int64(clamping: match.version), match.kind.rawValue,
            ])
    }
}
