import Foundation
import RPC
import ServiceAPIs
import Wire

/// The profiles service over the MentorNet binary protocol: `connections` clients, each
/// multiplexing its share of the calls in flight.
public struct RPCTarget: LoadTarget {
    let clients: [Client]
    let network: String
    let run: String
    /// Members the operations read and change (from the seed phase).
    public var memberIDs: [String] = []

    /// A target at `host:port` using `connections` connections.
    public init(host: String, port: Int, connections: Int, network: String, run: String) {
        clients = (0..<max(connections, 1)).map { _ in
            Client(configuration: ClientConfiguration(host: host, port: port, defaultTimeout: .seconds(30)))
        }
        self.network = network
        self.run = run
    }

    /// Waits until the health check says SERVING, for at most `timeout`.
    public func waitUntilReady(timeout: Duration) async throws {
        try await LoadKit.waitUntilReady("the service", timeout: timeout) {
            do {
                let answer = try await clients[0].unary(
                    HealthMethods.check, HealthCheckRequest(), options: CallOptions(timeout: .seconds(1)))
                return answer.status == .serving ? nil : "health check says \(answer.status)"
            } catch {
                return (error as? RPCError)?.message ?? "\(error)"
            }
        }
    }

    /// Creates `count` members (`concurrency` at a time); returns their ids.
    public func seed(count: Int, concurrency: Int) async throws -> [String] {
        try await concurrently(count, atMost: concurrency) { index in
            try await clients[index % clients.count].unary(
                ProfilesAPI.createMember, CreateMemberRequest(member: member(1_000_000 + index))
            ).id
        }
    }

    public func perform(_ operation: String, index: Int) async -> Outcome {
        let client = clients[index % clients.count]
        let id = memberIDs.isEmpty ? "none" : memberIDs[index % memberIDs.count]
        do {
            switch operation {
            case "get-member":
                _ = try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: id))
            case "search":
                _ = try await client.unary(
                    ProfilesAPI.listMembers,
                    ListMembersRequest(
                        network: network, skill: LoadMembers.skills[index % LoadMembers.skills.count], pageSize: 20))
            case "create-member":
                _ = try await client.unary(ProfilesAPI.createMember, CreateMemberRequest(member: member(index)))
            case "update-member":
                _ = try await client.unary(
                    ProfilesAPI.updateMember,
                    UpdateMemberRequest(member: Member(id: id, headline: "Headline \(index)"), updateMask: ["headline"])
                )
            default:
                return Outcome(status: "unknown operation", succeeded: false)
            }
            return Outcome(status: "OK", succeeded: true)
        } catch {
            return Outcome(status: error.code.description, succeeded: false)
        }
    }

    /// Closes the connections.
    public func shutdown() {
        for client in clients { client.close() }
    }

    private func member(_ index: Int) -> Member {
        let json = LoadMembers.json(run: run, index: index, network: network)
        let skill = LoadMembers.skills[index % LoadMembers.skills.count]
        let mentor = (json["roles"] as? [String]) == ["ROLE_MENTOR"]
        return Member(
            email: json["email"] as? String ?? "", displayName: json["displayName"] as? String ?? "",
            roles: [mentor ? .mentor : .mentee], networks: [network], timezone: "Europe/Berlin", languages: ["en"],
            yearsOfExperience: mentor ? 10 : 2, expertise: mentor ? [Expertise(skill: skill, level: 5)] : [],
            learningGoals: mentor ? [] : [LearningGoal(skill: skill, priority: 1)],
            mentoringCapacity: mentor ? 3 : 0,
            availability: [AvailabilityWindow(weekday: UInt32(1 + index % 5), startMinute: 1080, endMinute: 1200)])
    }
}
