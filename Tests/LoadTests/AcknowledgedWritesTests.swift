import Foundation
import LoadKit
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@Suite("the load tool's log of acknowledged writes")
struct AcknowledgedWritesTests {
    @Test("every write answered 2xx is logged with the answer's id, seeding included; reads and refusals are not")
    func logsAcknowledgedWrites() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        StubGatewayHandler(stall: Stall(after: .max, length: .zero)))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        // One connection: the stub numbers its members per connection.
        let log = AcknowledgedWrites()
        var target = HTTPTarget(
            base: "http://127.0.0.1:\(port)", connections: 1, network: "load", run: "ack", connectTimeout: .seconds(20),
            acknowledged: log)
        let scenario = try #require(Scenarios.named("get-member", matching: true))
        try await target.prepare(for: scenario, members: 3, timeout: .seconds(10))
        let created = await target.perform("create-member", index: 7)
        let read = await target.perform("get-member", index: 1)
        // The stub has no PATCH route: a 404 is no acknowledgement.
        let refused = await target.perform("update-member", index: 2)
        await target.shutdown()
        try await server.close()
        try await group.shutdownGracefully()
        #expect(created.succeeded && read.succeeded && !refused.succeeded)

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ack-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try log.write(to: file.path)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        let entries = try lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(log.count == 4 && entries.count == 4, "\(lines)")
        #expect(entries.allSatisfy { $0["method"] as? String == "POST" && $0["path"] as? String == "/v1/members" })
        #expect(entries.allSatisfy { $0["status"] as? Int == 201 })
        #expect(entries.compactMap { $0["id"] as? String }.sorted() == ["mbr_1", "mbr_2", "mbr_3", "mbr_4"])
    }
}
