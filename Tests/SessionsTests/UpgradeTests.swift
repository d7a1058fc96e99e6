import Foundation
import GRDB
import ServiceStore
import SessionsService
import SessionsV1
import Testing
import Wire

/// Databases written by an earlier version open with their data intact and readable the new ways.
@Suite("upgrading a sessions database")
struct UpgradeTests {
    @Test("v8 files existing sessions and goals under their match's network, private goals as private")
    func networkColumns() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let match = "mat_01kkkkkkkkkkkkkkkkkkkkkkkk"
        let session = Session(
            id: "ses_01kkkkkkkkkkkkkkkkkkkkkkkk", matchID: match, network: "acme",
            participantIDs: ["mbr_01aaaaaaaaaaaaaaaaaaaaaaaa", "mbr_01bbbbbbbbbbbbbbbbbbbbbbbb"],
            startAtMicros: 1_800_000_000_000_000, durationMinutes: 30, state: .scheduled)
        let shared = Goal(
            id: "gol_01kkkkkkkkkkkkkkkkkkkkkkk1", matchID: match, ownerID: "mbr_01bbbbbbbbbbbbbbbbbbbbbbbb",
            title: "Shared", visibility: .shared, status: .open)
        let secret = Goal(
            id: "gol_01kkkkkkkkkkkkkkkkkkkkkkk2", matchID: match, ownerID: "mbr_01bbbbbbbbbbbbbbbbbbbbbbbb",
            title: "Private", visibility: .private, status: .open)
        // A database as version 7 left it.
        do {
            let queue = try DatabaseQueue(path: directory.appendingPathComponent("sessions.sqlite").path)
            try SessionsDatabase.migrator.migrate(queue, upTo: "v7 double-blind feedback")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO partnership (match_id, network, state, mentor_id, mentee_id, version, kind)
                        VALUES (?, 'acme', 2, 'mbr_01aaaaaaaaaaaaaaaaaaaaaaaa', 'mbr_01bbbbbbbbbbbbbbbbbbbbbbbb', 1, 1)
                        """, arguments: [match])
                try db.execute(
                    sql: "INSERT INTO session (id, match_id, state, start_at, body) VALUES (?, ?, 1, ?, ?)",
                    arguments: [session.id, match, session.startAtMicros, Data(try session.encoded())])
                for goal in [shared, secret] {
                    try db.execute(
                        sql: "INSERT INTO goal (id, match_id, status, next_review_due_at, body) VALUES (?, ?, 1, 0, ?)",
                        arguments: [goal.id, match, Data(try goal.encoded())])
                }
            }
            try queue.close()
        }
        let database = try SessionsDatabase(directory: directory.path)
        let store = SessionStore(database: database, notifier: ChangeNotifier(), policy: SessionPolicy())
        let sessions = try await store.list(
            memberID: "", matchID: "", network: "acme", windowStart: 0, windowEnd: 0, state: .unspecified,
            after: nil, limit: 10)
        #expect(sessions.map(\.id) == [session.id])
        let goals = try await store.networkGoals(network: "acme", status: .unspecified, afterID: nil, limit: 10, now: 0)
        #expect(goals.map(\.id) == [shared.id])
        let elsewhere = try await store.list(
            memberID: "", matchID: "", network: "globex", windowStart: 0, windowEnd: 0, state: .unspecified,
            after: nil, limit: 10)
        #expect(elsewhere.isEmpty)
    }
}
