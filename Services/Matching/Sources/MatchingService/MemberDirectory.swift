import Foundation
import GRDB
import ProfilesV1
import ServiceStore
import Wire

/// The matching service's own copy of the members, fed from the profiles service's change feed
/// (never by reading the profiles database). Each page of changes is applied together with the
/// feed position in one transaction, so a restart resumes exactly where it stopped and no change
/// is applied twice.
public struct MemberDirectory: Sendable {
    private let database: MatchingDatabase
    private let applied = ChangeNotifier()
    /// The name the profiles feed's cursor is stored under.
    static let profilesFeed = "profiles"

    /// A directory over `database`.
    public init(database: MatchingDatabase) {
        self.database = database
    }

    /// Returns once the directory has applied the profiles feed up to `position`.
    public func wait(forPosition position: UInt64) async throws {
        try await applied.wait { try await self.position() >= position }
    }

    /// The position in the profiles feed applied so far (0: nothing yet).
    public func position() async throws -> UInt64 {
        try await database.writer.read { db in try Self.position(db) }
    }

    static func position(_ db: Database) throws -> UInt64 {
        try FeedCursors.position(profilesFeed, in: db)
    }

    /// Applies the changes after the stored position and moves it, in one transaction; returns
    /// the new position. Changes at or before the position were applied already and are skipped.
    @discardableResult
    public func apply(_ changes: [MemberChange]) async throws -> UInt64 {
        defer { applied.notify() }
        return try await database.writer.write { db in
            var cursor = try Self.position(db)
            for change in changes where change.sequence > cursor {
                if let member = change.member { try Self.store(member, sequence: change.sequence, in: db) }
                cursor = change.sequence
            }
            try FeedCursors.move(Self.profilesFeed, to: cursor, in: db)
            return cursor
        }
    }

    /// The member, as last seen on the feed.
    public func member(_ id: String) async throws -> Member? {
        try await database.writer.read { db in try Self.member(id, in: db) }
    }

    /// Every active member of `network`.
    public func activeMembers(of network: String) async throws -> [Member] {
        try await database.writer.read { db in try Self.activeMembers(of: network, in: db) }
    }

    static func member(_ id: String, in db: Database) throws -> Member? {
        guard let body = try Data.fetchOne(db, sql: "SELECT body FROM member WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try Member(decoding: [UInt8](body))
    }

    static func activeMembers(of network: String, in db: Database) throws -> [Member] {
        try Data.fetchAll(
            db,
            sql: """
                SELECT body FROM member WHERE status = ? AND id IN
                    (SELECT member_id FROM member_network WHERE network = ?) ORDER BY id
                """,
            arguments: [MemberStatus.active.rawValue, network]
        ).map { try Member(decoding: [UInt8]($0)) }
    }

    /// The members stored by a change after `sequence` of the profiles feed, whatever their status.
    static func members(changedAfter sequence: UInt64, in db: Database) throws -> [Member] {
        try Data.fetchAll(
            db, sql: "SELECT body FROM member WHERE feed_sequence > ?", arguments: [Int64(clamping: sequence)]
        ).map { try Member(decoding: [UInt8]($0)) }
    }

    /// Keeps the newer of the stored and the given version; `sequence` is the change's place in the feed.
    private static func store(_ member: Member, sequence: UInt64, in db: Database) throws {
        if let stored = try Int64.fetchOne(db, sql: "SELECT version FROM member WHERE id = ?", arguments: [member.id]),
            UInt64(stored) > member.version
        {
            return
        }
        try db.execute(
            sql: "INSERT INTO member (id, status, version, body, feed_sequence) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT(id) DO UPDATE SET status = excluded.status, version = excluded.version, "
                + "body = excluded.body, feed_sequence = excluded.feed_sequence",
            arguments: [
                member.id, member.status.rawValue, Int64(clamping: member.version), Data(try member.encoded()),
                Int64(clamping: sequence),
            ])
        try db.execute(sql: "DELETE FROM member_network WHERE member_id = ?", arguments: [member.id])
        for network in Set(member.networks) {
            try db.execute(
                sql: "INSERT INTO member_network (network, member_id) VALUES (?, ?)", arguments: [network, member.id])
        }
    }
}
