import Foundation
import GRDB
import ServiceStore
import SessionsV1
import Wire

/// The sessions service's SQLite database: WAL, synchronous=FULL (an acknowledged write survives
/// kill -9), foreign keys, and the versioned migrations below, run at start.
public struct SessionsDatabase: Sendable {
    /// Its SQLite file in the data directory (what `--backup-to` and `--restore-from` work on).
    public static let file = "sessions.sqlite"

    /// The one writer: GRDB serialises writes, which makes each overlap check and the insert it
    /// guards one atomic step.
    public let writer: any DatabaseWriter

    /// Opens (creating if needed) `directory/sessions.sqlite` and migrates it.
    public init(directory: String) throws {
        writer = try ServiceDatabase.open(directory: directory, file: Self.file, migrator: Self.migrator)
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> SessionsDatabase {
        SessionsDatabase(writer: try ServiceDatabase.inMemory(migrator: migrator))
    }

    private init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Whether the database answers a query (the deep health check).
    public func isHealthy() async -> Bool {
        await ServiceDatabase.isHealthy(writer)
    }

    /// The migrations, in order (public so that upgrade tests can build a database of an older version).
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 member and match read models, feed cursors, sessions, change feed") { db in
            try db.execute(
                sql: """
                    CREATE TABLE member (
                        id TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE TABLE partnership (
                        match_id TEXT PRIMARY KEY NOT NULL,
                        network TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        mentor_id TEXT NOT NULL,
                        mentee_id TEXT NOT NULL,
                        version INTEGER NOT NULL
                    );
                    CREATE TABLE feed_cursor (
                        feed TEXT PRIMARY KEY NOT NULL,
                        sequence INTEGER NOT NULL
                    );
                    CREATE TABLE session (
                        id TEXT PRIMARY KEY NOT NULL,
                        match_id TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        start_at INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX session_match ON session(match_id, start_at, id);
                    CREATE TABLE session_participant (
                        member_id TEXT NOT NULL,
                        session_id TEXT NOT NULL REFERENCES session(id),
                        state INTEGER NOT NULL,
                        start_at INTEGER NOT NULL,
                        end_at INTEGER NOT NULL,
                        PRIMARY KEY (member_id, session_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX participant_time ON session_participant(member_id, start_at, session_id);
                    CREATE TABLE idempotency_key (
                        key TEXT PRIMARY KEY NOT NULL,
                        request BLOB NOT NULL,
                        response BLOB NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    """
            )
            try db.execute(sql: SessionStore.feed.createSQL)
        }
        migrator.registerMigration("v2 holds") { db in
            try db.execute(
                sql: """
                    CREATE TABLE hold (
                        id TEXT PRIMARY KEY NOT NULL,
                        match_id TEXT NOT NULL,
                        member_a TEXT NOT NULL,
                        member_b TEXT NOT NULL,
                        start_at INTEGER NOT NULL,
                        end_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        token TEXT NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX hold_member_a ON hold(member_a, start_at);
                    CREATE INDEX hold_member_b ON hold(member_b, start_at);
                    CREATE INDEX hold_expiry ON hold(expires_at);
                    """
            )
        }
        migrator.registerMigration("v3 calendar feeds") { db in
            try db.execute(
                sql: """
                    CREATE TABLE calendar_feed (
                        member_id TEXT PRIMARY KEY NOT NULL,
                        token TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v4 network policies") { db in
            try db.execute(
                sql: """
                    CREATE TABLE network_policy (
                        network TEXT PRIMARY KEY NOT NULL,
                        version INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v5 series") { db in
            try db.execute(
                sql: """
                    CREATE TABLE series (
                        id TEXT PRIMARY KEY NOT NULL,
                        match_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX series_match ON series(match_id);
                    """
            )
        }
        migrator.registerMigration("v6 goals and reviews; the kind of a match") { db in
            try db.execute(
                sql: """
                    ALTER TABLE partnership ADD COLUMN kind INTEGER NOT NULL DEFAULT 1;
                    CREATE TABLE goal (
                        id TEXT PRIMARY KEY NOT NULL,
                        match_id TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        next_review_due_at INTEGER NOT NULL,
                        due_announced_at INTEGER NOT NULL DEFAULT 0,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX goal_match ON goal(match_id, id);
                    CREATE INDEX goal_due ON goal(next_review_due_at) WHERE status = 1;
                    CREATE TABLE review (
                        id TEXT PRIMARY KEY NOT NULL,
                        goal_id TEXT NOT NULL,
                        state INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    CREATE INDEX review_goal ON review(goal_id, id);
                    """
            )
        }
        migrator.registerMigration("v7 double-blind feedback") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feedback (
                        session_id TEXT NOT NULL,
                        member_id TEXT NOT NULL,
                        body BLOB NOT NULL,
                        PRIMARY KEY (session_id, member_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE feedback_reveal (
                        session_id TEXT PRIMARY KEY NOT NULL,
                        match_id TEXT NOT NULL,
                        due_at INTEGER NOT NULL,
                        revealed_at INTEGER NOT NULL
                    );
                    CREATE INDEX feedback_reveal_due ON feedback_reveal(due_at) WHERE revealed_at = 0;
                    CREATE INDEX feedback_reveal_match ON feedback_reveal(match_id);
                    """
            )
        }
        migrator.registerMigration("v8 sessions and goals by network") { db in
            try db.execute(
                sql: """
                    ALTER TABLE session ADD COLUMN network TEXT NOT NULL DEFAULT '';
                    UPDATE session SET network = COALESCE(
                        (SELECT network FROM partnership WHERE match_id = session.match_id), '');
                    CREATE INDEX session_network ON session(network, start_at, id);
                    ALTER TABLE goal ADD COLUMN network TEXT NOT NULL DEFAULT '';
                    ALTER TABLE goal ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
                    UPDATE goal SET network = COALESCE(
                        (SELECT network FROM partnership WHERE match_id = goal.match_id), '');
                    CREATE INDEX goal_network ON goal(network, private, id);
                    """
            )
            // Whether a goal is private is in its encoding only.
            let rows = try Row.fetchAll(db, sql: "SELECT id, body FROM goal")
            for row in rows {
                let goal = try Goal(decoding: [UInt8](row["body"] as Data))
                if goal.visibility == .private {
                    try db.execute(sql: "UPDATE goal SET private = 1 WHERE id = ?", arguments: [row["id"] as String])
                }
            }
        }
        return migrator
    }
}
