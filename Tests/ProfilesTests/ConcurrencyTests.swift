import Foundation
import ProfilesService
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

@Suite("profiles under concurrent load")
struct ConcurrencyTests {
    @Test(
        "many concurrent reads, searches and feed reads all finish (no event loop ever waits on a database reader)",
        .timeLimit(.minutes(1)))
    func mixedLoad() async throws {
        let database = try ProfilesDatabase(
            directory: FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)")
                .path)
        let service = ProfilesService(database: database)
        try await withTestServer([service]) { server in
            let clients = (0..<8).map { _ in server.client(defaultTimeout: .seconds(20)) }
            defer { for client in clients { client.close() } }
            var ids: [String] = []
            for index in 0..<20 {
                ids.append(
                    try await clients[0].create(
                        sampleMember(email: "m\(index)@example.org", networks: ["acme"])
                    ).id)
            }
            let finished = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<400 {
                    let client = clients[index % clients.count]
                    let id = ids[index % ids.count]
                    group.addTask {
                        switch index % 3 {
                        case 0: _ = try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: id))
                        case 1: _ = try await client.list(ListMembersRequest(network: "acme", pageSize: 10))
                        default: _ = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest(limit: 50))
                        }
                        return 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(finished == 400)
        }
    }
}
