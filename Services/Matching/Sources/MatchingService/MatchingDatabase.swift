import GRDB
import ServiceStore

/// The matching service's SQLite database: WAL, synchronous=FULL (an acknowledged write survives
/// kill -9), foreign keys, and the versioned migrations below, run at start.
public struct MatchingDatabase: Sendable {
    /// Its SQLite file in the data directory (what `--backup-to` and `--restore-from` work on).
    public static let file = "matching.sqlite"

    /// The one writer (GRDB serialises writes, which is what makes capacity checks atomic).
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) `directory/matching.sqlite` and migrates it.
    public init(directory: String) throws {
        writer = try ServiceDatabase.open(directory: directory, file: Self.file, migrator: Self.migrator)
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> MatchingDatabase {
        MatchingDatabase(writer: try ServiceDatabase.inMemory(migrator: migrator))
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Whether the database answers a query (the deep health check).
    public func isHealthy() async -> Bool {
        await ServiceDatabase.isHealthy(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 member read model, feed cursor, matches, change feed, idempotency keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE member (
                        id TEXT PRIMARY KEY NOT NULL,
                        status INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE TABLE member_network (
                        network TEXT NOT NULL,
                        member_id TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
                        PRIMARY KEY (network, member_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE feed_cursor (
                        feed TEXT PRIMARY KEY NOT NULL,
                        sequence INTEGER NOT NULL
                    );
                    CREATE TABLE match (
                        id TEXT PRIMARY KEY NOT NULL,
                        network TEXT NOT NULL,
                        kind INTEGER NOT NULL,
                        mentor_id TEXT NOT NULL,
                        mentee_id TEXT NOT NULL,
                        pair_key TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX match_mentor ON match(mentor_id, state);
                    CREATE INDEX match_mentee ON match(mentee_id, state);
                    CREATE INDEX match_expiry ON match(expires_at) WHERE state = 1;
                    CREATE UNIQUE INDEX match_open_pair ON match(pair_key) WHERE state IN (1, 2);
                    CREATE TABLE match_change (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id TEXT NOT NULL UNIQUE,
                        match_id TEXT NOT NULL,
                        kind INTEGER NOT NULL,
                        occurred_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE TABLE idempotency_key (
                        key TEXT PRIMARY KEY NOT NULL,
                        request BLOB NOT NULL,
                        response BLOB NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2 rounds") { db in
            try db.execute(
                sql: """
                    CREATE TABLE round (
                        id TEXT PRIMARY KEY NOT NULL,
                        network TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX round_network ON round(network, id);
                    """
            )
        }
        migrator.registerMigration("v3 matches by network") { db in
            try db.execute(sql: "CREATE INDEX match_network ON match(network, id)")
        }
        migrator.registerMigration("v4 members by feed position") { db in
            // The profiles feed's sequence of the change that last stored each member, so the
            // suggestion indexes can re-read just the members that changed since they last looked.
            try db.execute(
                sql: """
                    ALTER TABLE member ADD COLUMN feed_sequence INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX member_feed_sequence ON member(feed_sequence);
                    """
            )
        }
        return migrator
    }
}
