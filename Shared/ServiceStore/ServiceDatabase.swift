import Foundation
import GRDB

/// How every MentorNet service opens its SQLite database: WAL (a pool: one writer, concurrent
/// readers), synchronous=FULL (an acknowledged write survives kill -9 and power loss), foreign
/// keys, and its versioned migrations run at start.
public enum ServiceDatabase {
    /// Opens (creating if needed) `directory/file` and migrates it.
    public static func open(directory: String, file: String, migrator: DatabaseMigrator) throws -> DatabasePool {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let pool = try DatabasePool(path: path(directory: directory, file: file), configuration: configuration)
        try migrator.migrate(pool)
        return pool
    }

    /// The path of `directory/file`, as `open` uses it.
    public static func path(directory: String, file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }

    /// An in-memory database with the migrations run, for tests.
    public static func inMemory(migrator: DatabaseMigrator) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return queue
    }

    /// Whether the database answers a query (the services' deep health check).
    public static func isHealthy(_ writer: any DatabaseWriter) async -> Bool {
        (try? await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
