import NIOCore
import NIOPosix
import RPC
import TestSupport
import Testing
import TestingV1
import Wire

/// Answers each call with the client's address on the connection that carried it.
private struct PeerService: RPCService {
    static let whoAmI = MethodDescriptor<EchoRequest, EchoResponse>(
        service: "mentornet.testing.v1.Peer", name: "WhoAmI")

    func register(in router: inout Router) {
        router.unary(Self.whoAmI) { _, context in EchoResponse(text: context.peer) }
    }
}

@Suite("which connection a client's call takes")
struct ClientAffinityTests {
    @Test("a call made on one of the client's event loops goes over a connection of that loop; others share one")
    func perLoopConnections() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        try await withTestServer([PeerService()]) { server in
            let client = Client(
                configuration: ClientConfiguration(host: "127.0.0.1", port: server.port), group: group)
            defer { client.close() }
            var byLoop: [String] = []
            for loop in group.makeIterator() {
                let executor = EventLoopExecutor(loop: loop)
                let first = try await withTaskExecutorPreference(executor) {
                    try await client.unary(PeerService.whoAmI, EchoRequest()).text
                }
                let (second, resumedOnLoop) = try await withTaskExecutorPreference(executor) {
                    let peer = try await client.unary(PeerService.whoAmI, EchoRequest()).text
                    return (peer, loop.inEventLoop)
                }
                #expect(first == second, "calls from one loop reuse that loop's connection")
                #expect(resumedOnLoop)
                byLoop.append(first)
            }
            let offLoop = try await client.unary(PeerService.whoAmI, EchoRequest()).text
            let offLoopAgain = try await client.unary(PeerService.whoAmI, EchoRequest()).text
            #expect(offLoop == offLoopAgain)
            #expect(Set(byLoop + [offLoop]).count == 3, "one connection per loop, plus the shared one")
        }
        try await group.shutdownGracefully()
    }

    @Test("a client on a single event loop keeps a single connection")
    func singleLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await withTestServer([PeerService()]) { server in
            let client = Client(
                configuration: ClientConfiguration(host: "127.0.0.1", port: server.port), group: group)
            defer { client.close() }
            let loop = group.next()
            let onLoop = try await withTaskExecutorPreference(EventLoopExecutor(loop: loop)) {
                try await client.unary(PeerService.whoAmI, EchoRequest()).text
            }
            let offLoop = try await client.unary(PeerService.whoAmI, EchoRequest()).text
            #expect(onLoop == offLoop)
        }
        try await group.shutdownGracefully()
    }
}
