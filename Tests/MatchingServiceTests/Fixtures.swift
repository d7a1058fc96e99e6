import Foundation
import MatchingService
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore
import Synchronization
import TestSupport
import Wire

/// Late 2026, where matching's tests start their clock.
let late2026: Int64 = 1_795_000_000_000_000

/// A member of the "guild" network; tests change one thing at a time.
func person(
    _ name: String, roles: [Role], expertise: [String: UInt32] = [:], goals: [String: UInt32] = [:],
    capacity: UInt32 = 0, languages: [String] = ["en"], mutual: Bool = false, status: MemberStatus = .active,
    networks: [String] = ["guild"]
) -> Member {
    Member(
        id: SortableID.make(prefix: "mbr_", atMicros: 1_795_000_000_000_000), email: "\(name)@example.org",
        displayName: name, roles: roles, networks: networks, timezone: "Europe/London", languages: languages,
        yearsOfExperience: roles.contains(.mentor) ? 10 : 2,
        expertise: expertise.sorted { $0.key < $1.key }.map { Expertise(skill: $0.key, level: $0.value) },
        learningGoals: goals.sorted { $0.key < $1.key }.map { LearningGoal(skill: $0.key, priority: $0.value) },
        mentoringCapacity: capacity,
        availability: [AvailabilityWindow(weekday: 2, startMinute: 1080, endMinute: 1200)],
        preferences: MatchPreferences(oneWay: true, mutual: mutual, organization: .any), status: status, version: 1)
}

func mentor(_ name: String, capacity: UInt32 = 2, skills: [String: UInt32] = ["go": 5, "rust": 4]) -> Member {
    person(name, roles: [.mentor], expertise: skills, capacity: capacity)
}

func mentee(_ name: String, goals: [String: UInt32] = ["go": 1]) -> Member {
    person(name, roles: [.mentee], goals: goals)
}

/// A live matching server on an in-memory database, its client, its member directory and clock.
final class MatchingFixture: Sendable {
    let client: Client
    let directory: MemberDirectory
    let clock: TestClock
    let service: MatchingService
    private let sequence = Atomic<UInt64>(0)

    init(client: Client, directory: MemberDirectory, clock: TestClock, service: MatchingService) {
        self.client = client
        self.directory = directory
        self.clock = clock
        self.service = service
    }

    /// Puts members into the read model, as the profiles feed would.
    func add(_ members: Member...) async throws {
        let changes = members.map { member in
            MemberChange(
                sequence: sequence.add(1, ordering: .relaxed).newValue, eventID: UUID().uuidString, kind: .created,
                member: member)
        }
        try await directory.apply(changes)
    }

    func propose(
        _ mentor: Member, _ mentee: Member, kind: MatchKind = .oneWay, origin: MatchOrigin = .admin,
        requestedBy: String = "", key: String? = nil
    ) async throws -> Match {
        var metadata = Metadata()
        metadata.idempotencyKey = key
        return try await client.unary(
            MatchingAPI.proposeMatch,
            ProposeMatchRequest(
                network: "guild", kind: kind, mentorID: mentor.id, menteeID: mentee.id, origin: origin,
                requestedBy: requestedBy),
            options: CallOptions(metadata: metadata))
    }

    func accept(_ match: Match, by member: Member, version: UInt64 = 0) async throws -> Match {
        try await client.unary(
            MatchingAPI.acceptMatch,
            MatchActionRequest(matchID: match.id, memberID: member.id, expectedVersion: version))
    }

    func get(_ match: Match) async throws -> Match {
        try await client.unary(MatchingAPI.getMatch, GetMatchRequest(id: match.id))
    }

    func feed() async throws -> [MatchChange] {
        try await client.unary(MatchingAPI.listChanges, ListMatchChangesRequest(afterSequence: 0, limit: 1000)).changes
    }
}

func withMatching<T: Sendable>(
    policy: MatchPolicy = MatchPolicy(), _ body: (MatchingFixture) async throws -> T
) async throws -> T {
    let clock = TestClock(late2026)
    let service = MatchingService(database: try MatchingDatabase.inMemory(), policy: policy, clock: { clock.now })
    return try await withTestServer([service]) { server in
        let client = server.client()
        defer { client.close() }
        return try await body(
            MatchingFixture(client: client, directory: service.directory, clock: clock, service: service))
    }
}
