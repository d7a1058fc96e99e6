import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import NIOPosix
import Testing

@testable import Gateway

@Suite("where the gateway's requests run")
struct LoopBoundTests {
    /// An app answering `/where` with "loop" when its handler runs on an event loop thread.
    private static func app(_ server: HTTPServerBuilder) -> some ApplicationProtocol {
        let router = Hummingbird.Router()
        router.get("where") { _, _ in MultiThreadedEventLoopGroup.currentEventLoop != nil ? "loop" : "elsewhere" }
        return Application(
            router: router, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("each request runs on its connection's event loop; Hummingbird's default does not")
    func onTheLoop() async throws {
        try await Self.app(.loopBoundHTTP1()).test(.live) { client in
            let response = try await client.execute(uri: "/where", method: .get)
            #expect(String(buffer: response.body) == "loop")
        }
        try await Self.app(.http1()).test(.live) { client in
            let response = try await client.execute(uri: "/where", method: .get)
            #expect(String(buffer: response.body) == "elsewhere")
        }
    }
}
