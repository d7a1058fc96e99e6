import Foundation
import GRDB
import ServiceStore
import Synchronization
import Testing

@Suite("per-thread read connections")
struct ThreadReadersTests {
    /// A WAL database in a fresh folder, opened as the services open theirs, with one table.
    func database() throws -> (DatabasePool, ThreadReaders) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("readers-\(UUID().uuidString)")
            .path
        var migrator = DatabaseMigrator()
        migrator.registerMigration("t") { db in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, value TEXT NOT NULL)")
        }
        let pool = try ServiceDatabase.open(directory: directory, file: "t.sqlite", migrator: migrator)
        return (pool, ThreadReaders(path: ServiceDatabase.path(directory: directory, file: "t.sqlite")))
    }

    /// Through the connection's kept statement, as the services read: a statement left unreset
    /// would keep its read transaction open and every later read would see that old snapshot.
    func value(_ readers: ThreadReaders, _ id: Int) throws -> String? {
        try readers.firstColumn("SELECT value FROM t WHERE id = ?", "\(id)").map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("a read sees every write committed before it, at once")
    func readsCommittedWrites() async throws {
        let (pool, readers) = try database()
        #expect(try value(readers, 1) == nil)
        for round in 0..<20 {
            try await pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO t (id, value) VALUES (1, ?)", arguments: ["v\(round)"])
            }
            #expect(try value(readers, 1) == "v\(round)")
        }
    }

    @Test("a read never waits for the writer: during an open write transaction it sees the last commit")
    func doesNotWaitForTheWriter() throws {
        let (pool, readers) = try database()
        try pool.write { db in try db.execute(sql: "INSERT INTO t (id, value) VALUES (1, 'committed')") }
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        // The writer changes the row and holds its transaction open until the read is done.
        Thread {
            try? pool.write { db in
                try db.execute(sql: "UPDATE t SET value = 'uncommitted' WHERE id = 1")
                entered.signal()
                release.wait()
            }
            finished.signal()
        }.start()
        entered.wait()
        let started = ContinuousClock.now
        #expect(try value(readers, 1) == "committed")
        #expect(ContinuousClock.now - started < .seconds(10))  // a read that waited would never end
        release.signal()
        finished.wait()
        #expect(try value(readers, 1) == "uncommitted")
    }

    @Test("many threads read at once, and every one gets the right answers")
    func manyThreads() async throws {
        let (pool, readers) = try database()
        try await pool.write { db in
            for id in 0..<100 {
                try db.execute(sql: "INSERT INTO t (id, value) VALUES (?, ?)", arguments: [id, "v\(id)"])
            }
        }
        let threads = 8
        let mismatches = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for id in 0..<100 where (try? value(readers, (id + thread) % 100)) != "v\((id + thread) % 100)" {
                mismatches.add(1, ordering: .relaxed)
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
    }

    @Test("blobs come back byte for byte, NULL as no bytes, no row as nil; bad SQL and a missing file throw")
    func answersAndErrors() async throws {
        let (pool, readers) = try database()
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE b (id TEXT PRIMARY KEY, body BLOB)")
            try db.execute(
                sql: "INSERT INTO b (id, body) VALUES ('x', ?), ('n', NULL)", arguments: [Data([0, 1, 0, 255])])
        }
        #expect(try readers.firstColumn("SELECT body FROM b WHERE id = ?", "x") == [0, 1, 0, 255])
        #expect(try readers.firstColumn("SELECT body FROM b WHERE id = ?", "n") == [])
        #expect(try readers.firstColumn("SELECT body FROM b WHERE id = ?", "missing") == nil)
        let badSQL = #expect(throws: SQLiteReadError.self) {
            try readers.firstColumn("SELECT nope FROM b WHERE id = ?", "x")
        }
        #expect(badSQL?.message.contains("no such column: nope") == true)
        // Read-only: a statement that writes is refused.
        #expect(throws: SQLiteReadError.self) { try readers.firstColumn("DELETE FROM b WHERE id = ?", "x") }
        #expect(try readers.firstColumn("SELECT body FROM b WHERE id = ?", "x") == [0, 1, 0, 255])
        let missing = ThreadReaders(
            path: FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString)/x.sqlite")
                .path)
        #expect(throws: SQLiteReadError.self) { try missing.firstColumn("SELECT 1 WHERE ? = 1", "1") }
    }
}
