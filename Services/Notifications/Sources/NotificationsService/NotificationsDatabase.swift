import GRDB
import ServiceStore

/// The notifications service's SQLite database: WAL, synchronous=FULL (an acknowledged write
/// survives kill -9), and the versioned migrations below, run at start.
public struct NotificationsDatabase: Sendable {
    /// Its SQLite file in the data directory (what `--backup-to` and `--restore-from` work on).
    public static let file = "notifications.sqlite"

    /// The one writer: each feed page, with its cursor, is one of its transactions.
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) `directory/notifications.sqlite` and migrates it.
    public init(directory: String) throws {
        writer = try ServiceDatabase.open(directory: directory, file: Self.file, migrator: Self.migrator)
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> NotificationsDatabase {
        NotificationsDatabase(writer: try ServiceDatabase.inMemory(migrator: migrator))
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
        migrator.registerMigration("v1 read models, inbox, live stream, reminders, preferences, rules, nudges, digests")
        {
            db in
            try db.execute(
                sql: """
                    CREATE TABLE feed_cursor (
                        feed TEXT PRIMARY KEY NOT NULL,
                        sequence INTEGER NOT NULL
                    );
                    CREATE TABLE member (
                        id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        display_name TEXT NOT NULL,
                        timezone TEXT NOT NULL,
                        status INTEGER NOT NULL
                    );
                    CREATE TABLE partnership (
                        match_id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        network TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        mentor_id TEXT NOT NULL,
                        mentee_id TEXT NOT NULL,
                        mentor_accepted INTEGER NOT NULL,
                        mentee_accepted INTEGER NOT NULL,
                        proposed_at INTEGER NOT NULL,
                        activated_at INTEGER NOT NULL,
                        last_session_at INTEGER NOT NULL
                    );
                    CREATE INDEX partnership_state ON partnership(state);
                    CREATE TABLE item (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        member_id TEXT NOT NULL,
                        source_key TEXT NOT NULL,
                        category INTEGER NOT NULL,
                        priority INTEGER NOT NULL,
                        delivery INTEGER NOT NULL,
                        collapse_key TEXT NOT NULL,
                        collapsed_into TEXT NOT NULL DEFAULT '',
                        deliver_at INTEGER NOT NULL,
                        read_at INTEGER NOT NULL DEFAULT 0,
                        seen_at INTEGER NOT NULL DEFAULT 0,
                        archived_at INTEGER NOT NULL DEFAULT 0,
                        digest_id TEXT NOT NULL DEFAULT '',
                        reasons TEXT NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE UNIQUE INDEX item_source ON item(member_id, source_key);
                    CREATE INDEX item_inbox ON item(member_id, delivery, deliver_at, seq);
                    CREATE INDEX item_unread ON item(member_id) WHERE delivery = 1 AND archived_at = 0 AND read_at = 0;
                    CREATE INDEX item_unseen ON item(member_id) WHERE delivery = 1 AND archived_at = 0 AND seen_at = 0;
                    CREATE INDEX item_collapse ON item(member_id, collapse_key) WHERE collapse_key != '';
                    CREATE INDEX item_deferred ON item(deliver_at) WHERE delivery = 2;
                    CREATE TABLE stream_event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        member_id TEXT NOT NULL,
                        kind INTEGER NOT NULL,
                        item_id TEXT NOT NULL,
                        item_ids TEXT NOT NULL,
                        unread INTEGER NOT NULL,
                        unseen INTEGER NOT NULL,
                        occurred_at INTEGER NOT NULL
                    );
                    CREATE INDEX stream_event_member ON stream_event(member_id, id);
                    CREATE INDEX stream_event_time ON stream_event(occurred_at);
                    CREATE TABLE stream_floor (
                        one INTEGER PRIMARY KEY CHECK (one = 1),
                        pruned_through INTEGER NOT NULL
                    );
                    CREATE TABLE reminder (
                        calendar_uid TEXT NOT NULL,
                        member_id TEXT NOT NULL,
                        offset_minutes INTEGER NOT NULL,
                        session_id TEXT NOT NULL,
                        start_at INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        state INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (calendar_uid, member_id, offset_minutes)
                    ) WITHOUT ROWID;
                    CREATE INDEX reminder_due ON reminder(due_at) WHERE state = 0;
                    CREATE TABLE preference (
                        member_id TEXT PRIMARY KEY NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE TABLE network_rules (
                        network TEXT PRIMARY KEY NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE TABLE completed_session (
                        session_id TEXT NOT NULL,
                        member_id TEXT NOT NULL,
                        match_id TEXT NOT NULL,
                        network TEXT NOT NULL,
                        ended_at INTEGER NOT NULL,
                        settled INTEGER NOT NULL,
                        PRIMARY KEY (session_id, member_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX completed_session_open ON completed_session(ended_at) WHERE settled = 0;
                    CREATE TABLE nudge (
                        key TEXT PRIMARY KEY NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE digest_schedule (
                        member_id TEXT PRIMARY KEY NOT NULL,
                        next_at INTEGER NOT NULL
                    );
                    CREATE INDEX digest_schedule_due ON digest_schedule(next_at);
                    """
            )
        }
        migrator.registerMigration("v2 network events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE network_event (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        network TEXT NOT NULL,
                        recorded_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX network_event_network ON network_event(network, sequence);
                    CREATE INDEX network_event_time ON network_event(recorded_at);
                    CREATE TABLE network_event_floor (
                        one INTEGER PRIMARY KEY CHECK (one = 1),
                        pruned_through INTEGER NOT NULL
                    );
                    """
            )
        }
        return migrator
    }
}
