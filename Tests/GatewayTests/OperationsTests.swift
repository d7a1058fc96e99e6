import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MatchingService
import NIOCore
import NIOPosix
import ProfilesService
import RPC
import TestSupport
import Testing

@Suite("health, readiness, metrics, OpenAPI and backend outages")
struct OperationsTests {
    @Test("healthz, readyz, metrics and the OpenAPI document answer")
    func endpoints() async throws {
        try await withGateway { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            // Asked as an orchestrator's probe asks: again until ready (each check has a budget of
            // a second per backend, which a machine busy with the other tests can exceed).
            var ready = try await client.execute(uri: "/readyz", method: .get)
            let deadline = ContinuousClock.now + .seconds(20)
            while ready.status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                ready = try await client.execute(uri: "/readyz", method: .get)
            }
            #expect(ready.status == .ok)
            #expect((try json(ready)["backends"] as? [String: String])?["profiles"] == "SERVING")
            _ = try await client.execute(uri: "/v1/members", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: metrics.body)
            #expect(text.contains("mentornet_backend_call_duration"))
            #expect(text.contains("method=\"ListMembers\""))
            #expect(text.contains("hb_requests"))
            let document = try await client.execute(uri: "/openapi.json", method: .get)
            let openapi = try json(document)
            #expect(openapi["openapi"] as? String == "3.1.0")
            #expect((openapi["paths"] as? [String: Any])?["/v1/members/{member_id}"] != nil)
            let unknown = try await client.execute(uri: "/v2/anything", method: .get)
            #expect(unknown.status == .notFound)
            #expect(try errorCode(unknown) == "NOT_FOUND")
        }
    }

    @Test("every request is counted and timed by route, method and status; failures also as errors")
    func requestMetrics() async throws {
        try await withGateway { client in
            let missing = try await client.execute(uri: "/v1/members/mbr_00000000000000000000000000", method: .get)
            #expect(missing.status == .notFound)
            let listed = try await client.execute(uri: "/v1/members?pageSize=2", method: .get)
            #expect(listed.status == .ok)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let lines = text.split(separator: "\n").map(String.init)
            func series(_ name: String, _ labels: [String]) -> [String] {
                lines.filter { line in line.hasPrefix(name + "{") && labels.allSatisfy { line.contains($0) } }
            }
            let missingLabels = ["http_route=\"/v1/members/{member_id}\"", "http_request_method=\"GET\""]
            #expect(!series("hb_requests", missingLabels + ["http_response_status_code=\"404\""]).isEmpty, "\(text)")
            #expect(!series("hb_request_errors", missingLabels + ["error_type=\"404\""]).isEmpty)
            let okLabels = ["http_route=\"/v1/members\"", "http_response_status_code=\"200\""]
            #expect(!series("hb_requests", okLabels).isEmpty)
            #expect(!series("http_server_request_duration_count", okLabels).isEmpty)
            #expect(
                !series("mentornet_backend_call_duration_count", ["method=\"GetMember\"", "code=\"NOT_FOUND\""])
                    .isEmpty)
        }
    }

    @Test("while the backend is down the gateway answers 503 at once, and recovers by itself")
    func backendOutage() async throws {
        // A port nothing listens on yet, held so that no other test's server takes it meanwhile.
        let reservation = try PortReservation()
        let port = reservation.port
        defer { withExtendedLifetime(reservation) {} }

        // A long backend timeout: answering long before it shows the gateway did not wait for it
        // (a bound that holds on a loaded machine, unlike a short absolute one).
        let configuration = GatewayConfiguration(
            port: 0, backends: GatewayConfiguration.allBackends(port: port), backendTimeout: .seconds(60))
        let backends = Backends(configuration: configuration)
        defer { backends.close() }
        let app = GatewayApplication.build(
            configuration: configuration, backends: backends, logger: testLogger("gateway"))
        try await app.test(.live) { client in
            let started = ContinuousClock.now
            let down = try await client.execute(uri: "/v1/members", method: .get)
            #expect(down.status == .serviceUnavailable)
            #expect(try errorCode(down) == "UNAVAILABLE")
            #expect(ContinuousClock.now - started < .seconds(20))
            let notReady = try await client.execute(uri: "/readyz", method: .get)
            #expect(notReady.status == .serviceUnavailable)
            // The live stream asks for about a second (EventSource gives up on an error answer),
            // then answers 503 as JSON, before any stream starts.
            let member = "mbr_" + String(repeating: "0", count: 26)
            let asked = ContinuousClock.now
            let stream = try await client.execute(uri: "/v1/members/\(member)/notification-stream", method: .get)
            #expect(stream.status == .serviceUnavailable)
            #expect(try errorCode(stream) == "UNAVAILABLE")
            #expect(ContinuousClock.now - asked >= .milliseconds(900))

            var router = RPC.Router()
            router.add(ProfilesService(database: try ProfilesDatabase.inMemory()))
            router.add(MatchingService(database: try MatchingDatabase.inMemory()))
            router.add(HealthService())
            let server = Server(router: router, configuration: ServerConfiguration(port: port), logger: testLogger())
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await server.run() }
                _ = try await server.listeningAddress
                var status = HTTPResponse.Status.serviceUnavailable
                let deadline = ContinuousClock.now + .seconds(10)
                while status != .ok && ContinuousClock.now < deadline {
                    status = try await client.execute(uri: "/v1/members", method: .get).status
                    if status != .ok { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(status == .ok)
                // Each backend's client reconnects on its own schedule (notifications' backs off
                // further after the stream's retries): ready once all have.
                var ready = HTTPResponse.Status.serviceUnavailable
                while ready != .ok && ContinuousClock.now < deadline {
                    ready = try await client.execute(uri: "/readyz", method: .get).status
                    if ready != .ok { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(ready == .ok)
                server.beginShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
