import Foundation
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

/// `mentornet-profiles` as a real process with its SQLite file in a temporary folder.
@Suite("mentornet-profiles, run as a process")
struct ProfilesProcessTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("an acknowledged create survives kill -9, and the change feed with it")
    func survivesKill() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = ["--listen", "127.0.0.1:0", "--data-dir", directory]

        let (created, status, _) = try await ServiceProcess.with("mentornet-profiles", arguments) { service in
            let client = ServiceProcess.client(port: try await service.listeningPort())
            defer { client.close() }
            let member = try await client.create(sampleMember())
            service.signal(SIGKILL)  // right after the acknowledgement
            await service.waitForEndOfOutput()
            return member
        }
        #expect(status == 128 + SIGKILL)

        let (recovered, _, _) = try await ServiceProcess.with("mentornet-profiles", arguments) { service in
            let port = try await service.listeningPort()
            let client = ServiceProcess.client(port: port)
            defer { client.close() }
            let (healthy, _) = try await ServiceProcess.run(
                "mentornet-profiles", ["--health-check", "--listen", "127.0.0.1:\(port)"])
            #expect(healthy == 0)
            let member = try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: created.id))
            let feed = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest())
            #expect(feed.changes.map(\.member?.id) == [created.id])
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
            return member
        }
        #expect(recovered == created)
    }
}
