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

    @Test("a loop backing off after a failed attempt borrows the client's open connection, then reconnects its own")
    func backingOffLoopBorrows() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let reservation = try PortReservation()
        let port = reservation.port
        defer { withExtendedLifetime(reservation) {} }
        // A back-off far longer than the test: only borrowing can answer loop A's calls.
        let client = Client(
            configuration: ClientConfiguration(
                host: "127.0.0.1", port: port, initialBackoff: .seconds(60), maximumBackoff: .seconds(60)),
            group: group)
        defer { client.close() }
        let loops = Array(group.makeIterator())
        func call(on loop: any EventLoop) async throws -> String {
            try await withTaskExecutorPreference(EventLoopExecutor(loop: loop)) {
                try await client.unary(PeerService.whoAmI, EchoRequest()).text
            }
        }
        // The server is down (a restart, say): loop A's attempt fails and it backs off.
        await #expect(throws: RPCError.self) { try await call(on: loops[0]) }
        var router = Router()
        router.add(PeerService())
        let server = Server(router: router, configuration: ServerConfiguration(port: port), group: group)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            _ = try await server.listeningAddress
            // Back: loop B connects; loop A's call goes over B's connection instead of failing.
            let onB = try await call(on: loops[1])
            let borrowed = try await call(on: loops[0])
            #expect(borrowed == onB)
            // And loop A's next call has a connection of its own again.
            let own = try await call(on: loops[0])
            #expect(own != onB)
            server.beginShutdown()
            try await tasks.waitForAll()
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
