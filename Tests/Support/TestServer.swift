import Logging
import NIOCore
import NIOPosix
import RPC
import Wire

/// A server on 127.0.0.1 port 0 for the length of a test.
public struct TestServer: Sendable {
    /// The server.
    public let server: Server
    /// The port it bound.
    public let port: Int

    /// A client of it.
    public func client(defaultTimeout: Duration? = .seconds(10)) -> Client {
        Client(configuration: ClientConfiguration(host: "127.0.0.1", port: port, defaultTimeout: defaultTimeout))
    }
}

/// A logger that drops everything unless MENTORNET_TEST_LOGS is set.
public func testLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = getenv("MENTORNET_TEST_LOGS") == nil ? .critical : .trace
    return logger
}

/// Runs `body` with a live server serving `services` on a free port; shuts it down afterwards
/// and waits until it has stopped. The server runs on `group` (the shared default: a test whose
/// handlers block their loop must bring a group of its own, or it holds up the other tests).
public func withTestServer<T: Sendable>(
    _ services: [any RPCService],
    configuration: ServerConfiguration = ServerConfiguration(),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    _ body: (TestServer) async throws -> T
) async throws -> T {
    var router = Router()
    for service in services { router.add(service) }
    var configuration = configuration
    configuration.host = "127.0.0.1"
    let server = Server(router: router, configuration: configuration, group: group, logger: testLogger("server"))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let address = try await server.listeningAddress
        let result: Result<T, any Error>
        do {
            result = .success(try await body(TestServer(server: server, port: address.port!)))
        } catch {
            result = .failure(error)
        }
        server.beginShutdown()
        try await group.waitForAll()
        return try result.get()
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
