import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MatchingService
import MatchingV1
import NIOCore
import NotificationsService
import ProfilesService
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import Synchronization
import TestSupport
import Wire

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

/// Runs `body` against a live gateway (its HTTP server on a free port) whose backends (profiles and matching, on
/// one live server over in-memory databases) are real.
func withGateway<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T
{
    try await withMatchingGateway { client, _ in try await body(client) }
}

/// What a matching test needs beyond the HTTP client: waiting until matching has seen every
/// change the profiles service made so far.
struct MatchingHarness: Sendable {
    let rpc: Client
    let directory: MemberDirectory
    let sessions: PartnerDirectory
    /// How far the sessions service's clock runs ahead of the real one, in microseconds.
    let sessionsClockOffset: SessionsClockOffset
    /// The notifications service's state (to wait for its feeds).
    let notifications: NotificationStore
    /// Profiles' copy of who is whose partner (to wait for matching's feed to reach it).
    let partnerships: Partnerships

    /// Returns once profiles has applied the whole matching feed (partnerships).
    func waitForPartnerships() async throws {
        let head = try await rpc.unary(MatchingAPI.listChanges, ListMatchChangesRequest(limit: 1)).headSequence
        try await partnerships.wait(for: head)
    }

    /// Moves the sessions service's clock on (sessions can then take place and be completed).
    func advanceSessionsClock(_ duration: Duration) {
        sessionsClockOffset.micros.add(duration.components.seconds * 1_000_000, ordering: .relaxed)
    }

    /// Returns once the matching service's member directory has applied the whole profiles feed.
    func waitForMembers() async throws {
        let head = try await rpc.unary(ProfilesAPI.listChanges, ListChangesRequest(limit: 1)).headSequence
        try await directory.wait(forPosition: head)
    }

    /// Returns once the sessions service has applied the whole profiles and matching feeds.
    func waitForSessions() async throws {
        let members = try await rpc.unary(ProfilesAPI.listChanges, ListChangesRequest(limit: 1)).headSequence
        let matches = try await rpc.unary(MatchingAPI.listChanges, ListMatchChangesRequest(limit: 1)).headSequence
        try await sessions.wait(for: "profiles", position: members)
        try await sessions.wait(for: "matching", position: matches)
    }

    /// Returns once the notifications service has applied the three feeds as far as they go now.
    func waitForNotifications() async throws {
        let members = try await rpc.unary(ProfilesAPI.listChanges, ListChangesRequest(limit: 1)).headSequence
        let matches = try await rpc.unary(MatchingAPI.listChanges, ListMatchChangesRequest(limit: 1)).headSequence
        let sessions = try await rpc.unary(SessionsAPI.listChanges, ListSessionChangesRequest(limit: 1)).headSequence
        try await notifications.wait(for: NotificationStore.profilesFeed, position: members)
        try await notifications.wait(for: NotificationStore.matchingFeed, position: matches)
        try await notifications.wait(for: NotificationStore.sessionsFeed, position: sessions)
    }
}

/// The sessions service's clock offset in the gateway tests.
final class SessionsClockOffset: Sendable {
    let micros = Atomic<Int64>(0)
}

/// Like `withGateway`, with the matching service's profiles feed follower running.
func withMatchingGateway<T: Sendable>(
    tokens: TokenVerifier? = nil,
    traffic: TrafficSettings = TrafficSettings(),
    _ body: @escaping @Sendable (any TestClientProtocol, MatchingHarness) async throws -> T
) async throws -> T {
    let profiles = ProfilesService(database: try ProfilesDatabase.inMemory())
    let matching = MatchingService(database: try MatchingDatabase.inMemory())
    let offset = SessionsClockOffset()
    let sessions = SessionsService(
        database: try SessionsDatabase.inMemory(), policy: SessionPolicy(bufferMinutes: 0),
        clock: { Int64(Date().timeIntervalSince1970 * 1_000_000) + offset.micros.load(ordering: .relaxed) })
    let notifications = NotificationsService(database: try NotificationsDatabase.inMemory())
    return try await withTestServer([profiles, matching, sessions, notifications, HealthService()]) { server in
        var configuration = GatewayConfiguration(
            port: 0, backends: GatewayConfiguration.allBackends(port: server.port), maximumBodySize: 64 * 1024,
            streamHeartbeat: .milliseconds(500), tokens: tokens, traffic: traffic)
        // The whole suite runs at once on two cores: a connection may wait for an accept longer
        // than a second there, which is not what these tests are about.
        configuration.backendConnectTimeout = .seconds(10)
        let backends = Backends(configuration: configuration)
        let rpc = server.client()
        defer {
            backends.close()
            rpc.close()
        }
        let app = GatewayApplication.build(
            configuration: configuration, backends: backends, logger: testLogger("gateway"))
        let harness = MatchingHarness(
            rpc: rpc, directory: matching.directory, sessions: sessions.directory, sessionsClockOffset: offset,
            notifications: notifications.store, partnerships: profiles.partnerships)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await ProfilesFeedFollower(client: rpc, directory: matching.directory, logger: testLogger()).run()
                return nil
            }
            group.addTask {
                try await matching.partnershipPublisher(client: rpc, logger: testLogger()).run()
                return nil
            }
            group.addTask {
                try await sessions.directory.profilesFollower(client: rpc, logger: testLogger()).run()
                return nil
            }
            group.addTask {
                try await sessions.directory.matchingFollower(client: rpc, logger: testLogger()).run()
                return nil
            }
            group.addTask {
                try await notifications.profilesFollower(client: rpc, logger: testLogger()).run()
                return nil
            }
            group.addTask {
                try await notifications.matchingFollower(client: rpc, logger: testLogger()).run()
                return nil
            }
            group.addTask {
                try await notifications.sessionsFollower(client: rpc, logger: testLogger()).run()
                return nil
            }
            group.addTask { try await app.test(.live) { client in try await body(client, harness) } }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }
}
