import RPC
import Synchronization
import TestSupport
import Testing
import Wire

@Suite("health Check and Watch")
struct HealthTests {
    final class Switch: Sendable {
        let healthy = Atomic<Bool>(true)
    }

    @Test("Check runs the deep probe; unknown services are NOT_FOUND")
    func check() async throws {
        let database = Switch()
        let health = HealthService(services: ["mentornet.testing.v1.Echo"]) {
            database.healthy.load(ordering: .relaxed)
        }
        try await withTestServer([health]) { server in
            let client = server.client()
            defer { client.close() }
            var response = try await client.unary(HealthAPI.check, HealthCheckRequest())
            #expect(response.status == .serving)
            response = try await client.unary(
                HealthAPI.check, HealthCheckRequest(service: "mentornet.testing.v1.Echo"))
            #expect(response.status == .serving)
            database.healthy.store(false, ordering: .relaxed)
            response = try await client.unary(HealthAPI.check, HealthCheckRequest())
            #expect(response.status == .notServing)
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(HealthAPI.check, HealthCheckRequest(service: "nope"))
            }
            #expect(error?.code == .notFound)
            database.healthy.store(true, ordering: .relaxed)
            health.enterShutdown()
            response = try await client.unary(HealthAPI.check, HealthCheckRequest())
            #expect(response.status == .notServing)
        }
    }

    @Test("Watch sends the status at once and then every change")
    func watch() async throws {
        let database = Switch()
        let health = HealthService(pollInterval: .milliseconds(20)) { database.healthy.load(ordering: .relaxed) }
        try await withTestServer([health]) { server in
            let client = server.client(defaultTimeout: nil)
            defer { client.close() }
            var seen: [HealthCheckResponse.ServingStatus] = []
            for try await response in client.serverStreaming(HealthAPI.watch, HealthCheckRequest()) {
                seen.append(response.status)
                if seen.count == 1 { database.healthy.store(false, ordering: .relaxed) }
                if seen.count == 2 { database.healthy.store(true, ordering: .relaxed) }
                if seen.count == 3 { break }
            }
            #expect(seen == [.serving, .notServing, .serving])
        }
    }

    @Test("Watch of an unknown service says SERVICE_UNKNOWN")
    func watchUnknown() async throws {
        try await withTestServer([HealthService()]) { server in
            let client = server.client(defaultTimeout: nil)
            defer { client.close() }
            for try await response in client.serverStreaming(HealthAPI.watch, HealthCheckRequest(service: "nope")) {
                #expect(response.status == .serviceUnknown)
                break
            }
        }
    }

    @Test("a client waits until the server is ready")
    func waitUntilReady() async throws {
        try await withTestServer([HealthService()]) { server in
            let client = server.client()
            defer { client.close() }
            try await client.waitUntilReady(timeout: .seconds(5))
        }
    }
}
