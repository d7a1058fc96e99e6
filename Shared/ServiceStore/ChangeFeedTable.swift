import Foundation
import GRDB

/// A service's change feed as a table (the transactional outbox of docs/development.md): every
/// change appends an entry in the transaction that makes it, numbered by an increasing sequence.
/// The entry holds the subject's encoding after the change; the service turns entries into its
/// own change messages.
public struct ChangeFeedTable: Sendable {
    /// The table's name (`session_change`).
    public let name: String
    /// The column naming what changed (`session_id`).
    public let subjectColumn: String

    /// The feed in table `name`, whose subject column is `subjectColumn`.
    public init(name: String, subjectColumn: String) {
        self.name = name
        self.subjectColumn = subjectColumn
    }

    /// The table, for a migration.
    public var createSQL: String {
        """
        CREATE TABLE \(name) (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            \(subjectColumn) TEXT NOT NULL,
            kind INTEGER NOT NULL,
            occurred_at INTEGER NOT NULL,
            body BLOB NOT NULL
        );
        """
    }

    /// One entry as stored.
    public struct Entry: Sendable {
        /// Its place in the feed.
        public let sequence: UInt64
        /// A unique id, for consumers' de-duplication.
        public let eventID: String
        /// The service's change kind, as its enum's number.
        public let kind: Int32
        /// When, microseconds since 1970 UTC.
        public let occurredAtMicros: Int64
        /// The subject's encoding after the change.
        public let body: [UInt8]
    }

    /// Appends an entry (inside the change's transaction).
    public func append(subject: String, kind: Int32, occurredAtMicros: Int64, body: Data, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO \(name) (event_id, \(subjectColumn), kind, occurred_at, body) VALUES (?, ?, ?, ?, ?)",
            arguments: [UUID().uuidString.lowercased(), subject, kind, occurredAtMicros, body])
    }

    /// Up to `limit` entries after `sequence`, in order, and the feed's last sequence.
    public func entries(after sequence: UInt64, limit: Int, in db: Database) throws -> (
        entries: [Entry], head: UInt64
    ) {
        let rows = try Row.fetchAll(
            db,
            sql:
                "SELECT sequence, event_id, kind, occurred_at, body FROM \(name) WHERE sequence > ? ORDER BY sequence LIMIT ?",
            arguments: [Int64(clamping: sequence), limit])
        let entries = rows.map { row in
            Entry(
                sequence: UInt64(row["sequence"] as Int64), eventID: row["event_id"], kind: row["kind"],
                occurredAtMicros: row["occurred_at"], body: [UInt8](row["body"] as Data))
        }
        let head = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM \(name)") ?? 0
        return (entries, UInt64(head))
    }
}
