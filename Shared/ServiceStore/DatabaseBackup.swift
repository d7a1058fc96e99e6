import Foundation
import GRDB

/// Online backups and restores of a service's SQLite database (docs/reliability.md, "Backup and
/// restore").
///
/// A **backup** copies the database with SQLite's backup API in one step, that is inside one read
/// transaction: a consistent snapshot while the service goes on serving and writing (WAL lets
/// both happen at once). The copy is a single self-contained file (journal mode DELETE), checked
/// with `PRAGMA integrity_check`, and labelled with the service it came from. Its manifest says
/// where each change feed and each followed feed stood in it — the feed position.
///
/// A **restore** puts a backup in place of the database while the service is stopped: the backup
/// is checked (intact, this service's), the database it replaces is kept beside it
/// (`<file>.before-restore-<time>`), and every AUTOINCREMENT sequence (the service's change feed,
/// event ids) is moved up to where the replaced database had got — so the positions the service
/// hands out after the restore are above any a follower already holds, and no follower skips
/// the changes made after the restore. When the replaced database cannot be read, the sequences
/// jump by `2^32` instead.
public enum DatabaseBackup {
    /// What a backup holds, or what a restore did: printed as one JSON line.
    public struct Manifest: Codable, Sendable, Equatable {
        /// The service (`profiles`).
        public var service: String
        /// The backup file.
        public var backup: String
        /// The database file backed up or restored.
        public var database: String
        /// When the backup was taken (RFC 3339).
        public var takenAt: String
        /// The backup's size in bytes.
        public var bytes: Int64
        /// The newest migration in the backup.
        public var migration: String
        /// Each AUTOINCREMENT table's sequence (the change feed's head, the last event id): in the
        /// backup; after a restore, as the restored database continues from.
        public var sequences: [String: Int64]
        /// The positions of the feeds the service follows (`feed_cursor`), in the backup.
        public var cursors: [String: Int64]
    }

    /// A backup or restore that cannot be done, and why.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// What went wrong, for the operator.
        public var description: String

        init(_ description: String) { self.description = description }
    }

    /// How far the sequences jump when the replaced database cannot be read.
    public static let blindJump: Int64 = 1 << 32

    /// Copies the database at `database` to a new file `destination` while the service may be
    /// running; answers the manifest.
    public static func backup(service: String, database: String, to destination: String, now: Date = Date()) throws
        -> Manifest
    {
        guard FileManager.default.fileExists(atPath: database) else {
            throw Failure("there is no database at \(database) (is --data-dir right?)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw Failure("\(destination) exists: a backup never overwrites a file")
        }
        let partial = destination + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let source = try DatabaseQueue(path: database, configuration: configuration())
            let copy = try DatabaseQueue(path: partial, configuration: configuration())
            try source.backup(to: copy)
            try source.close()
            let takenAt = ISO8601DateFormatter().string(from: now)
            try copy.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
                try checkIntegrity(db, of: destination)
                try db.execute(
                    sql: """
                        CREATE TABLE mentornet_backup (service TEXT NOT NULL, taken_at TEXT NOT NULL);
                        INSERT INTO mentornet_backup (service, taken_at) VALUES (?, ?);
                        """, arguments: [service, takenAt])
            }
            let manifest = try copy.read { db in
                try Manifest(
                    service: service, backup: destination, database: database, takenAt: takenAt, bytes: 0,
                    migration: newestMigration(db), sequences: sequences(db), cursors: cursors(db))
            }
            try copy.close()
            try FileManager.default.moveItem(atPath: partial, toPath: destination)
            var finished = manifest
            finished.bytes = size(destination)
            return finished
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            if let failure = error as? Failure { throw failure }
            throw Failure("the backup of \(database) failed: \(error)")
        }
    }

    /// Puts the backup `source` in place of the database at `database` (the service must be
    /// stopped: hold its `DataDirectoryLock`); answers the manifest of what the restored database
    /// holds and continues from.
    public static func restore(service: String, database: String, from source: String, now: Date = Date()) throws
        -> Manifest
    {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("there is no backup at \(source)") }
        // The backup: intact, and this service's.
        let (label, takenAt): (String, String)
        do {
            let backup = try DatabaseQueue(path: source, configuration: configuration(readonly: true))
            defer { try? backup.close() }
            (label, takenAt) = try backup.read { db in
                guard
                    try db.tableExists("mentornet_backup"),
                    let row = try Row.fetchOne(db, sql: "SELECT service, taken_at FROM mentornet_backup")
                else { throw Failure("\(source) is not a MentorNet backup (made by --backup-to)") }
                try checkIntegrity(db, of: source)
                return (row["service"], row["taken_at"])
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure("\(source) cannot be read as a SQLite backup: \(error)")
        }
        guard label == service else {
            throw Failure("\(source) is a backup of \(label), not of \(service)")
        }
        // Where the database being replaced had got.
        var reached: [String: Int64]?
        if FileManager.default.fileExists(atPath: database) {
            reached = try? DatabaseQueue(path: database, configuration: configuration()).read { db in
                try sequences(db)
            }
        } else {
            reached = [:]
        }
        let staged = database + ".restoring"
        try? FileManager.default.removeItem(atPath: staged)
        do {
            try FileManager.default.copyItem(atPath: source, toPath: staged)
            let restored = try DatabaseQueue(path: staged, configuration: configuration())
            let manifest = try restored.writeWithoutTransaction { db in
                try db.inTransaction {
                    try db.execute(sql: "DROP TABLE mentornet_backup")
                    // Every AUTOINCREMENT table, also one that had no row yet when the backup was
                    // taken (SQLite keeps no sequence for it then).
                    let tables = try String.fetchAll(
                        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'")
                    let current = try sequences(db)
                    for table in tables {
                        let value = current[table] ?? 0
                        let floor = reached.map { $0[table] ?? 0 } ?? value + blindJump
                        guard floor > value else { continue }
                        if current[table] == nil {
                            try db.execute(
                                sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, floor])
                        } else {
                            try db.execute(
                                sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", arguments: [floor, table])
                        }
                    }
                    return .commit
                }
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                return try Manifest(
                    service: service, backup: source, database: database, takenAt: takenAt, bytes: size(source),
                    migration: newestMigration(db), sequences: sequences(db), cursors: cursors(db))
            }
            try restored.close()
            // The database replaced stays beside it; its WAL and shared memory go with it.
            if FileManager.default.fileExists(atPath: database) {
                let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
                try FileManager.default.moveItem(atPath: database, toPath: "\(database).before-restore-\(stamp)")
                for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: database + suffix) {
                    try FileManager.default.moveItem(
                        atPath: database + suffix, toPath: "\(database).before-restore-\(stamp)\(suffix)")
                }
            }
            try FileManager.default.moveItem(atPath: staged, toPath: database)
            return manifest
        } catch {
            try? FileManager.default.removeItem(atPath: staged)
            if let failure = error as? Failure { throw failure }
            throw Failure("the restore of \(database) from \(source) failed: \(error)")
        }
    }

    // MARK: Helpers

    private static func configuration(readonly: Bool = false) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if !readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
        }
        return configuration
    }

    private static func checkIntegrity(_ db: Database, of path: String) throws {
        let result = try String.fetchAll(db, sql: "PRAGMA integrity_check")
        guard result == ["ok"] else {
            throw Failure("\(path) fails SQLite's integrity check: \(result.prefix(3).joined(separator: "; "))")
        }
    }

    private static func sequences(_ db: Database) throws -> [String: Int64] {
        guard try db.tableExists("sqlite_sequence") else { return [:] }
        return Dictionary(
            try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence").map { ($0["name"], $0["seq"]) },
            uniquingKeysWith: max)
    }

    private static func cursors(_ db: Database) throws -> [String: Int64] {
        guard try db.tableExists("feed_cursor") else { return [:] }
        return Dictionary(
            try Row.fetchAll(db, sql: "SELECT feed, sequence FROM feed_cursor").map { ($0["feed"], $0["sequence"]) },
            uniquingKeysWith: max)
    }

    private static func newestMigration(_ db: Database) throws -> String {
        guard try db.tableExists("grdb_migrations") else { return "" }
        return try String.fetchOne(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid DESC LIMIT 1") ?? ""
    }

    private static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
    }
}

/// The lock a service holds on its data directory while it runs (`<directory>/<name>.lock`, an
/// advisory `flock`): a second process for the same data — another instance, or a restore —
/// cannot take it. The kernel drops it when the process ends, however it ends.
public final class DataDirectoryLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock at once, or throws saying who has it.
    public init(directory: String, name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = (directory as NSString).appendingPathComponent("\(name).lock")
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DatabaseBackup.Failure("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw DatabaseBackup.Failure(
                "\(directory) is in use by a running mentornet-\(name) (it holds \(path)): stop it first")
        }
    }

    deinit {
        close(descriptor)
    }
}
