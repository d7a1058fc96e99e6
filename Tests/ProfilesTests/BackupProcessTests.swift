import Foundation
import GRDB
import ProfilesV1
import RPC
import Synchronization
import TestSupport
import Testing
import Wire

/// `mentornet-profiles --backup-to` and `--restore-from` on the real executable: a backup while
/// the service serves and writes, a restore refused while it runs, and after kill -9 and a
/// restore the service answers with the backup's members and hands out feed positions above
/// every one it handed out before.
@Suite("backup and restore of a running service, as a process")
struct BackupProcessTests {
    @Test("online backup under writes; restore after kill -9; the feed goes on above the old head")
    func backupAndRestore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/profiles"
        let backup = directory + "/profiles-backup.sqlite"
        let arguments = ["--listen", "127.0.0.1:0", "--data-dir", data]
        let head = try await ServiceProcess.with("mentornet-profiles", arguments) { profiles in
            let client = ServiceProcess.client(port: try await profiles.listeningPort())
            defer { client.close() }
            for index in 0..<20 {
                _ = try await client.create(sampleMember(email: "before-\(index)@example.org"))
            }
            // The backup runs while members keep being created.
            let writer = Task {
                for index in 0..<60 {
                    _ = try await client.create(sampleMember(email: "during-\(index)@example.org"))
                }
            }
            let (status, output) = try await ServiceProcess.run(
                "mentornet-profiles", ["--data-dir", data, "--backup-to", backup])
            try await writer.value
            #expect(status == 0, "\(output)")
            let manifest = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
            #expect(manifest?["service"] as? String == "profiles")
            // A restore while the service runs is refused, and changes nothing.
            let (busy, refusal) = try await ServiceProcess.run(
                "mentornet-profiles", ["--data-dir", data, "--restore-from", backup])
            #expect(busy == 2 && refusal.contains("in use by a running mentornet-profiles"), "\(refusal)")
            let changes = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest(limit: 1))
            #expect(changes.headSequence == 80)
            profiles.signal(SIGKILL)
            return changes.headSequence
        }.value
        // What the backup holds: the 20 made before, and some of those made during it, whole.
        let held = try await DatabaseQueue(path: backup).read { db in
            try String.fetchAll(db, sql: "SELECT email_key FROM member")
        }
        #expect(held.count >= 20 && held.count <= 80)
        #expect((0..<20).allSatisfy { held.contains("before-\($0)@example.org") })

        let (restored, output) = try await ServiceProcess.run(
            "mentornet-profiles", ["--data-dir", data, "--restore-from", backup])
        #expect(restored == 0, "\(output)")
        _ = try await ServiceProcess.with("mentornet-profiles", arguments) { profiles in
            let client = ServiceProcess.client(port: try await profiles.listeningPort())
            defer { client.close() }
            let members = try await client.unary(ProfilesAPI.listMembers, ListMembersRequest(pageSize: 200))
            #expect(Set(members.members.map(\.email)) == Set(held))
            // A follower that had read the feed up to the old head misses nothing new.
            let new = try await client.create(sampleMember(email: "after@example.org"))
            let after = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest(afterSequence: head))
            #expect(after.changes.map(\.member?.id) == [new.id] && after.changes[0].sequence == head + 1)
        }
        // The database replaced is kept beside the restored one.
        let kept = try FileManager.default.contentsOfDirectory(atPath: data).filter {
            $0.hasPrefix("profiles.sqlite.before-restore-")
        }
        #expect(!kept.isEmpty)
    }
}
