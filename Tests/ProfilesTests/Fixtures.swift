import Foundation
import ProfilesService
import ProfilesV1
import RPC
import TestSupport
import Wire

/// A valid member with everything set; tests change one thing at a time.
func sampleMember(
    email: String = "ada@example.org",
    name: String = "Ada Lovelace",
    roles: [Role] = [.mentor, .mentee],
    networks: [String] = ["acme"],
    skills: [String] = ["Swift"],
    goals: [String] = ["Rust"]
) -> Member {
    Member(
        email: email,
        displayName: name,
        headline: "Engineer who likes mentoring",
        bio: "Builds analytical engines.",
        roles: roles,
        networks: networks,
        organization: "Acme",
        department: "Platform",
        location: "London",
        timezone: "Europe/London",
        languages: ["en"],
        yearsOfExperience: 12,
        expertise: skills.map { Expertise(skill: $0, level: 4) },
        learningGoals: goals.map { LearningGoal(skill: $0, priority: 1) },
        mentoringCapacity: roles.contains(.mentor) ? 2 : 0,
        availability: [AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 600)],
        preferences: MatchPreferences(oneWay: true, mutual: true, organization: .any)
    )
}

/// Runs `body` with a live profiles server on an in-memory database.
func withProfilesServer<T: Sendable>(_ body: (Client) async throws -> T) async throws -> T {
    let service = ProfilesService(database: try ProfilesDatabase.inMemory())
    return try await withTestServer([service]) { server in
        let client = server.client()
        defer { client.close() }
        return try await body(client)
    }
}

extension Client {
    /// Creates a member, optionally with an idempotency key.
    func create(_ member: Member, key: String? = nil) async throws -> Member {
        var metadata = Metadata()
        metadata.idempotencyKey = key
        return try await unary(
            ProfilesAPI.createMember, CreateMemberRequest(member: member), options: CallOptions(metadata: metadata))
    }

    /// Lists members matching `request`.
    func list(_ request: ListMembersRequest) async throws -> ListMembersResponse {
        try await unary(ProfilesAPI.listMembers, request)
    }
}
