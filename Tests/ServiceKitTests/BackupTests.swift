import Foundation
import GRDB
import ServiceStore
import Synchronization
import Testing

/// Online backups and restores of a service database (ServiceStore.DatabaseBackup), on a
/// database shaped like a service's: a change feed (AUTOINCREMENT) and followed feeds' cursors.
@Suite("backing up and restoring a service database")
struct BackupTests {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 feed") { db in
            try db.execute(
                sql: """
                    CREATE TABLE thing (id INTEGER PRIMARY KEY, pair INTEGER NOT NULL);
                    CREATE TABLE thing_change (sequence INTEGER PRIMARY KEY AUTOINCREMENT, thing INTEGER NOT NULL);
                    CREATE TABLE feed_cursor (feed TEXT PRIMARY KEY NOT NULL, sequence INTEGER NOT NULL);
                    CREATE TABLE late_event (id INTEGER PRIMARY KEY AUTOINCREMENT, what TEXT NOT NULL);
                    """)
        }
        return migrator
    }

    /// A folder for the test, removed afterwards.
    static func withFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await body(folder)
    }

    /// Writes two things (and their two feed entries) per transaction, as a service writes.
    static func write(pairs: ClosedRange<Int>, to pool: DatabasePool) async throws {
        for pair in pairs {
            try await pool.write { db in
                for _ in 0..<2 {
                    try db.execute(sql: "INSERT INTO thing (pair) VALUES (?)", arguments: [pair])
                    try db.execute(
                        sql: "INSERT INTO thing_change (thing) VALUES (?)", arguments: [db.lastInsertedRowID])
                }
                try db.execute(
                    sql: "INSERT INTO feed_cursor (feed, sequence) VALUES ('other', ?) "
                        + "ON CONFLICT(feed) DO UPDATE SET sequence = excluded.sequence", arguments: [pair])
            }
        }
    }

    @Test("a backup taken while writes go on is one consistent moment, checked and labelled, with its feed position")
    func consistentWhileWriting() async throws {
        try await Self.withFolder { folder in
            let pool = try ServiceDatabase.open(directory: folder, file: "things.sqlite", migrator: Self.migrator)
            try await Self.write(pairs: 1...50, to: pool)
            let writing = Task { try await Self.write(pairs: 51...2000, to: pool) }
            // Taken while the writer is well under way.
            while try await pool.read({ db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM thing")! }) < 400 {
                await Task.yield()
            }
            let backup = folder + "/backup.sqlite"
            let manifest = try DatabaseBackup.backup(service: "things", database: folder + "/things.sqlite", to: backup)
            try await writing.value
            let copy = try DatabaseQueue(path: backup)
            let (things, pairs, head, cursor) = try await copy.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM thing")!,
                    try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT pair) FROM thing")!,
                    try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM thing_change")!,
                    try Int64.fetchOne(db, sql: "SELECT sequence FROM feed_cursor")!
                )
            }
            // Whole transactions only: every pair twice, the feed and the cursor at the same moment.
            #expect(things == 2 * pairs && things >= 400)
            #expect(head == Int64(things) && cursor == Int64(pairs))
            #expect(manifest.sequences == ["thing_change": head] && manifest.cursors == ["other": cursor])
            #expect(manifest.service == "things" && manifest.migration == "v1 feed" && manifest.bytes > 0)
            // One self-contained file: no WAL beside it.
            #expect(try await copy.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "delete")
            // A backup never overwrites; a missing database is named.
            #expect(throws: DatabaseBackup.Failure.self) {
                try DatabaseBackup.backup(service: "things", database: folder + "/things.sqlite", to: backup)
            }
            let missing = #expect(throws: DatabaseBackup.Failure.self) {
                try DatabaseBackup.backup(service: "things", database: folder + "/nothing.sqlite", to: folder + "/b2")
            }
            #expect(missing?.description.contains("no database at") == true)
        }
    }

    @Test("a restore continues the sequences from where the replaced database got, and keeps it beside")
    func restore() async throws {
        try await Self.withFolder { folder in
            let path = folder + "/things.sqlite"
            var pool: DatabasePool? = try ServiceDatabase.open(
                directory: folder, file: "things.sqlite", migrator: Self.migrator)
            try await Self.write(pairs: 1...10, to: pool!)
            let backup = folder + "/backup.sqlite"
            _ = try DatabaseBackup.backup(service: "things", database: path, to: backup)
            try await Self.write(pairs: 11...20, to: pool!)  // the feed reaches 40; followers may hold 40
            // A log whose first rows came after the backup (the backup holds no sequence for it).
            try await pool!.write { db in
                for _ in 0..<3 { try db.execute(sql: "INSERT INTO late_event (what) VALUES ('x')") }
            }
            // While the service runs (it holds the data directory's lock) a restore is refused.
            let lock = try DataDirectoryLock(directory: folder, name: "things")
            let busy = #expect(throws: DatabaseBackup.Failure.self) {
                _ = try DataDirectoryLock(directory: folder, name: "things")
            }
            #expect(busy?.description.contains("in use by a running mentornet-things") == true)
            try pool!.close()
            pool = nil
            // Another service's backup, or a file that is no backup: refused, nothing changes.
            let other = #expect(throws: DatabaseBackup.Failure.self) {
                try DatabaseBackup.restore(service: "others", database: path, from: backup)
            }
            #expect(other?.description == "\(backup) is a backup of things, not of others")
            try Data("not a database".utf8).write(to: URL(fileURLWithPath: folder + "/junk.sqlite"))
            #expect(throws: DatabaseBackup.Failure.self) {
                try DatabaseBackup.restore(service: "things", database: path, from: folder + "/junk.sqlite")
            }
            let manifest = try DatabaseBackup.restore(service: "things", database: path, from: backup)
            withExtendedLifetime(lock) {}
            #expect(manifest.sequences == ["thing_change": 40, "late_event": 3] && manifest.cursors == ["other": 10])
            let kept = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
                $0.hasPrefix("things.sqlite.before-restore-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm")
            }
            #expect(kept.count == 1)
            // The restored database: the backup's moment, and its next change above 40.
            let restored = try ServiceDatabase.open(directory: folder, file: "things.sqlite", migrator: Self.migrator)
            try await Self.write(pairs: 21...21, to: restored)
            let (count, sequences) = try await restored.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM thing")!,
                    try Int64.fetchAll(db, sql: "SELECT sequence FROM thing_change ORDER BY sequence")
                )
            }
            #expect(count == 22 && Array(sequences.suffix(2)) == [41, 42] && sequences.count == 22)
            #expect(
                try await restored.read { db in
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'mentornet_backup'")
                } == nil)
        }
    }

    @Test("with the replaced database unreadable, the sequences jump far past anything handed out")
    func blindRestore() async throws {
        try await Self.withFolder { folder in
            let path = folder + "/things.sqlite"
            let pool = try ServiceDatabase.open(directory: folder, file: "things.sqlite", migrator: Self.migrator)
            try await Self.write(pairs: 1...5, to: pool)
            let backup = folder + "/backup.sqlite"
            _ = try DatabaseBackup.backup(service: "things", database: path, to: backup)
            try pool.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
            let manifest = try DatabaseBackup.restore(service: "things", database: path, from: backup)
            #expect(
                manifest.sequences == [
                    "thing_change": 10 + DatabaseBackup.blindJump, "late_event": DatabaseBackup.blindJump,
                ])
        }
    }
}
