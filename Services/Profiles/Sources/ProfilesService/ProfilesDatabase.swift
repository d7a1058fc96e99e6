import GRDB
import ServiceStore

/// The profiles service's SQLite database: WAL, synchronous=FULL (an acknowledged write survives
/// kill -9 and power loss), foreign keys, and the versioned migrations below, run at start.
public struct ProfilesDatabase: Sendable {
    /// Its SQLite file in the data directory (what `--backup-to` and `--restore-from` work on).
    public static let file = "profiles.sqlite"

    /// The one writer (GRDB serialises writes; readers run concurrently in WAL mode).
    public let writer: any DatabaseWriter
    /// Per-thread read-only connections for point reads on the event loop; nil in memory (an
    /// in-memory database cannot be opened twice).
    public let threadReaders: ThreadReaders?

    /// Opens (creating if needed) `directory/profiles.sqlite` and migrates it.
    public init(directory: String) throws {
        writer = try ServiceDatabase.open(directory: directory, file: Self.file, migrator: Self.migrator)
        threadReaders = ThreadReaders(path: ServiceDatabase.path(directory: directory, file: Self.file))
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> ProfilesDatabase {
        ProfilesDatabase(writer: try ServiceDatabase.inMemory(migrator: migrator))
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
        threadReaders = nil
    }

    /// Whether the database answers a query (the deep health check).
    public func isHealthy() async -> Bool {
        await ServiceDatabase.isHealthy(writer)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 members, search indexes, change feed, idempotency keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE member (
                        id TEXT PRIMARY KEY NOT NULL,
                        email_key TEXT NOT NULL UNIQUE,
                        status INTEGER NOT NULL,
                        roles INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE TABLE member_network (
                        network TEXT NOT NULL,
                        member_id TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
                        PRIMARY KEY (network, member_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE member_skill (
                        skill TEXT NOT NULL,
                        member_id TEXT NOT NULL REFERENCES member(id) ON DELETE CASCADE,
                        PRIMARY KEY (skill, member_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX member_skill_member ON member_skill(member_id);
                    CREATE INDEX member_network_member ON member_network(member_id);
                    CREATE VIRTUAL TABLE member_text USING fts5(member_id UNINDEXED, content, tokenize = 'unicode61');
                    CREATE TABLE member_change (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id TEXT NOT NULL UNIQUE,
                        member_id TEXT NOT NULL,
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
        migrator.registerMigration("v2 partnerships pushed by matching, feed cursor") { db in
            try db.execute(
                sql: """
                    CREATE TABLE partnership (
                        match_id TEXT PRIMARY KEY NOT NULL,
                        mentor_id TEXT NOT NULL,
                        mentee_id TEXT NOT NULL,
                        active INTEGER NOT NULL
                    );
                    CREATE INDEX partnership_mentor ON partnership(mentor_id, mentee_id) WHERE active;
                    CREATE INDEX partnership_mentee ON partnership(mentee_id, mentor_id) WHERE active;
                    CREATE TABLE feed_cursor (
                        feed TEXT PRIMARY KEY NOT NULL,
                        sequence INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v3 API keys (hashed)") { db in
            try db.execute(
                sql: """
                    CREATE TABLE api_key (
                        id TEXT PRIMARY KEY NOT NULL,
                        network TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX api_key_network ON api_key(network, created_at);
                    """
            )
        }
        migrator.registerMigration("v4 sign-in subjects linked to members") { db in
            try db.execute(
                sql: """
                    CREATE TABLE member_subject (
                        subject TEXT PRIMARY KEY NOT NULL,
                        member_id TEXT NOT NULL UNIQUE REFERENCES member(id) ON DELETE CASCADE,
                        linked_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        return migrator
    }
}
