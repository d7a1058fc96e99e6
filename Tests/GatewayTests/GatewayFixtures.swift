import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ProfilesService
import RPC
import TestSupport

/// A response's body as JSON.
func json(_ response: TestResponse) throws -> [String: Any] {
    let data = Data(response.body.readableBytesView)
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}

/// The fields named by an error response.
func errorFields(_ response: TestResponse) throws -> [String] {
    let error = try json(response)["error"] as? [String: Any]
    return (error?["details"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
}

/// The error code of an error response.
func errorCode(_ response: TestResponse) throws -> String? {
    (try json(response)["error"] as? [String: Any])?["code"] as? String
}

/// A member as the JSON API takes it.
func memberBody(
    email: String = "ada@example.org", name: String = "Ada Lovelace", roles: [String] = ["ROLE_MENTOR", "ROLE_MENTEE"],
    network: String = "acme", skill: String = "Swift"
) -> [String: Any] {
    [
        "email": email, "displayName": name, "headline": "Engineer", "roles": roles, "networks": [network],
        "timezone": "Europe/London", "languages": ["en"], "yearsOfExperience": 10,
        "expertise": roles.contains("ROLE_MENTOR") ? [["skill": skill, "level": 4]] : [],
        "learningGoals": roles.contains("ROLE_MENTEE") ? [["skill": "Rust", "priority": 1]] : [],
        "mentoringCapacity": roles.contains("ROLE_MENTOR") ? 2 : 0,
        "availability": [["weekday": 1, "startMinute": 540, "endMinute": 600]],
        "preferences": ["oneWay": true, "mutual": true, "organization": "ORGANIZATION_PREFERENCE_ANY"],
    ]
}

/// `object` as a request body.
func body(_ object: Any) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// Runs `body` against a gateway (in-process router) whose profiles backend is a live server on
/// an in-memory database.
func withGateway<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T
{
    let service = ProfilesService(database: try ProfilesDatabase.inMemory())
    return try await withTestServer([service, HealthService()]) { server in
        let configuration = GatewayConfiguration(port: 0, profilesPort: server.port, maximumBodySize: 64 * 1024)
        let backends = Backends(configuration: configuration)
        defer { backends.close() }
        let app = GatewayApplication.build(
            configuration: configuration, backends: backends, logger: testLogger("gateway"))
        return try await app.test(.router) { client in try await body(client) }
    }
}
