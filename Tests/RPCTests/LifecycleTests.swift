import EchoService
import Logging
import NIOCore
import RPC
import ServiceLifecycle
import TestSupport
import Testing
import TestingV1
import Wire

@Suite("graceful shutdown and reconnection")
struct LifecycleTests {
    func makeServer(port: Int = 0, grace: Duration = .seconds(10), probe: ProbeService = ProbeService()) -> Server {
        var router = Router()
        router.add(EchoService())
        router.add(probe)
        return Server(
            router: router,
            configuration: ServerConfiguration(port: port, shutdownGracePeriod: grace),
            logger: testLogger()
        )
    }

    @Test("graceful shutdown sends GOAWAY, refuses new calls and lets calls in flight finish")
    func gracefulShutdown() async throws {
        let probe = ProbeService()
        let server = makeServer(probe: probe)
        let group = ServiceGroup(services: [server], logger: testLogger())
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.listeningAddress.port!
            let connection = try await RawConnection(port: port)
            // Long enough that the late call below always arrives while this one still runs, even
            // on a loaded machine (once the last call is answered the server closes the connection).
            try await connection.request(
                1, ProbeService.sleep.path, try EchoRequest(text: "in flight", delayMillis: 3000).encoded())
            // Shut down only once the call is running on the server.
            let started = ContinuousClock.now + .seconds(10)
            while probe.starts == 0 && ContinuousClock.now < started { try await Task.sleep(for: .milliseconds(5)) }
            await group.triggerGracefulShutdown()
            let goAway = try #require(try await connection.next())
            #expect(goAway.kind == .goaway)
            #expect(goAway.callID == 1)
            #expect(goAway.status?.code == .unavailable)
            try await connection.request(2, EchoAPI.get.path, try EchoRequest(text: "late").encoded())
            var rest = try await connection.remainingFrames()
            rest.sort { $0.callID < $1.callID }
            try #require(rest.map(\.callID) == [1, 2])
            #expect(try EchoResponse(decoding: rest[0].payload).text == "in flight")
            #expect(rest[1].status?.code == .unavailable)
            try await tasks.waitForAll()
        }
    }

    @Test("calls still running when the grace period ends are answered UNAVAILABLE")
    func gracePeriodEnds() async throws {
        let probe = ProbeService()
        let server = makeServer(grace: .milliseconds(200), probe: probe)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await server.run() }
            let port = try await server.listeningAddress.port!
            let client = Client(configuration: ClientConfiguration(host: "127.0.0.1", port: port))
            defer { client.close() }
            let slow = Task { try await client.unary(ProbeService.sleep, EchoRequest(delayMillis: 60_000)) }
            // Shut down only once the call is running on the server.
            let deadline = ContinuousClock.now + .seconds(10)
            while probe.starts == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            try #require(probe.starts == 1)
            let started = ContinuousClock.now
            server.beginShutdown()
            let error = await #expect(throws: RPCError.self) { try await slow.value }
            #expect(error?.code == .unavailable)
            try await tasks.waitForAll()
            #expect(ContinuousClock.now - started < .seconds(20))  // long before the handler's 60 s
        }
    }

    @Test("a client reconnects by itself once a restarted server is back")
    func reconnect() async throws {
        // The port stays reserved between the servers, so that no other test's server takes it.
        let reservation = try PortReservation()
        let port = reservation.port
        defer { withExtendedLifetime(reservation) {} }
        let first = makeServer(port: port)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await first.run() }
            _ = try await first.listeningAddress
            first.beginShutdown()
            try await tasks.waitForAll()
        }
        let client = Client(
            configuration: ClientConfiguration(host: "127.0.0.1", port: port, initialBackoff: .milliseconds(20)))
        defer { client.close() }
        // Nothing listens now: the call fails fast with UNAVAILABLE.
        let down = await #expect(throws: RPCError.self) { try await client.unary(EchoAPI.get, EchoRequest()) }
        #expect(down?.code == .unavailable)
        let second = makeServer(port: port)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await second.run() }
            _ = try await second.listeningAddress
            // No health service on this server: wait by retrying a call.
            var answer: EchoResponse?
            let deadline = ContinuousClock.now + .seconds(10)
            while answer == nil && ContinuousClock.now < deadline {
                answer = try? await client.unary(EchoAPI.get, EchoRequest(text: "back"))
                if answer == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(answer?.text == "back")
            // And again after that server goes away and comes back on the same client.
            second.beginShutdown()
            try await tasks.waitForAll()
        }
        let third = makeServer(port: port)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await third.run() }
            _ = try await third.listeningAddress
            var answer: EchoResponse?
            let deadline = ContinuousClock.now + .seconds(10)
            while answer == nil && ContinuousClock.now < deadline {
                answer = try? await client.unary(EchoAPI.get, EchoRequest(text: "again"))
                if answer == nil { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(answer?.text == "again")
            third.beginShutdown()
            try await tasks.waitForAll()
        }
    }
}
