import Foundation
import GRDB
import ProfilesService
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

/// A service whose disk fills (docs/reliability.md, "Disk faults"): its writes fail with a clear
/// UNAVAILABLE and change nothing, its reads go on, the database stays intact, and writes resume
/// once there is room. The disk is "full" through SQLite's own limit on the database's size
/// (`max_page_count`), which fails a write exactly as ENOSPC does (SQLITE_FULL); `scripts/check-suite`
/// fills a real (tmpfs) disk under the real executable.
@Suite("a full disk")
struct DiskFullTests {
    @Test("writes are UNAVAILABLE and change nothing; reads go on; writes resume when space returns")
    func fullDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("disk-full-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try ProfilesDatabase(directory: directory)
        try await withTestServer([ProfilesService(database: database)]) { server in
            let client = server.client()
            defer { client.close() }
            let first = try await client.create(sampleMember(email: "first@example.org"))
            // No more room than the database has now.
            try await database.writer.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count")!
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            var member = sampleMember()
            member.bio = String(repeating: "Writes a long story. ", count: 90)
            var refusal: RPCError?
            var made = 1
            for index in 0..<500 {
                member.email = "m\(index)@example.org"
                do {
                    _ = try await client.create(member)
                    made += 1
                } catch let error as RPCError {
                    refusal = error
                    break
                }
            }
            let error = try #require(refusal, "the database never filled")
            #expect(error.code == .unavailable)
            #expect(error.message == "the service's disk is full: nothing was changed; retry once space is freed")
            // Nothing of the refused call was kept; reads go on.
            let listed = try await client.list(ListMembersRequest(pageSize: 200))
            #expect(listed.members.count == made && !listed.members.contains { $0.email == member.email })
            #expect(try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: first.id)) == first)
            let again = await #expect(throws: RPCError.self) { _ = try await client.create(member) }
            #expect(again?.code == .unavailable)
            // Room again: the same call works, and the database is intact.
            try await database.writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA max_page_count = 1073741823")
            }
            let created = try await client.create(member)
            #expect(created.email == member.email)
            let check = try await database.writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            #expect(check == ["ok"])
        }
    }
}
