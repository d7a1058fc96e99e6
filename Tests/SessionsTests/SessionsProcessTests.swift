import Foundation
import MatchingService
import MatchingV1
import ProfilesService
import ProfilesV1
import RPC
import SessionsV1
import TestSupport
import Testing
import Wire

/// `mentornet-sessions` as a real process, following the feeds of live profiles and matching
/// services (in this process, on port 0) into its SQLite file in a temporary folder.
@Suite("mentornet-sessions, run as a process")
struct SessionsProcessTests {
    func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A member free all week, in `network`.
    func person(_ name: String, roles: [Role]) -> Member {
        Member(
            email: "\(name)@example.org", displayName: name, roles: roles, networks: ["guild"],
            timezone: "Europe/Berlin", languages: ["en"], yearsOfExperience: 5,
            expertise: roles.contains(.mentor) ? [Expertise(skill: "go", level: 5)] : [],
            learningGoals: roles.contains(.mentee) ? [LearningGoal(skill: "go", priority: 1)] : [],
            mentoringCapacity: roles.contains(.mentor) ? 2 : 0,
            availability: (1...7).map { AvailabilityWindow(weekday: UInt32($0), startMinute: 0, endMinute: 1440) },
            preferences: MatchPreferences(oneWay: true, mutual: false, organization: .any))
    }

    @Test("it learns members and matches from the feeds; an acknowledged booking survives kill -9")
    func followsFeedsAndSurvivesKill() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let profiles = ProfilesService(database: try ProfilesDatabase.inMemory())
        let matching = MatchingService(database: try MatchingDatabase.inMemory())
        try await withTestServer([profiles, matching, HealthService()]) { server in
            let client = server.client()
            defer { client.close() }
            // A member pair and their active match, before sessions starts: it catches up on both.
            let ada = try await ProfilesClient(client).createMember(
                CreateMemberRequest(member: person("ada", roles: [.mentor])))
            let bo = try await ProfilesClient(client).createMember(
                CreateMemberRequest(member: person("bo", roles: [.mentee])))
            let head = try await ProfilesClient(client).listChanges(ListChangesRequest(limit: 1)).headSequence
            let match = try await withThrowingTaskGroup(of: Match?.self) { group in
                group.addTask {
                    try await ProfilesFeedFollower(client: client, directory: matching.directory, logger: testLogger())
                        .run()
                    return nil
                }
                try await matching.directory.wait(forPosition: head)
                let api = MatchingClient(client)
                let proposed = try await api.proposeMatch(
                    ProposeMatchRequest(network: "guild", mentorID: ada.id, menteeID: bo.id, requestedBy: bo.id))
                let match = try await api.acceptMatch(MatchActionRequest(matchID: proposed.id, memberID: ada.id))
                group.cancelAll()
                return match
            }
            #expect(match.state == .active)
            let peers = [
                "MENTORNET_PROFILES_ADDR": "127.0.0.1:\(server.port)",
                "MENTORNET_MATCHING_ADDR": "127.0.0.1:\(server.port)",
            ]
            let arguments = ["--listen", "127.0.0.1:0", "--data-dir", directory]
            let start = (Int64(Date().timeIntervalSince1970) / 3600 + 30) * 3600 * 1_000_000
            let (booked, status, _) = try await ServiceProcess.with(
                "mentornet-sessions", arguments, environment: peers
            ) { service in
                let sessions = SessionsClient(ServiceProcess.client(port: try await service.listeningPort()))
                defer { sessions.client.close() }
                _ = try await service.waitFor("profiles feed caught up")
                _ = try await service.waitFor("matching feed caught up")
                let session = try await sessions.scheduleSession(
                    ScheduleSessionRequest(
                        matchID: match.id, memberID: bo.id, startAtMicros: start, durationMinutes: 60,
                        title: "First"))
                service.signal(SIGKILL)  // right after the acknowledgement
                await service.waitForEndOfOutput()
                return session
            }
            #expect(status == 128 + SIGKILL)
            #expect(booked.participantIDs == [bo.id, ada.id] && booked.timezone == "Europe/Berlin")

            let (recovered, stopped, _) = try await ServiceProcess.with(
                "mentornet-sessions", arguments, environment: peers
            ) { service in
                let port = try await service.listeningPort()
                let sessions = SessionsClient(ServiceProcess.client(port: port))
                defer { sessions.client.close() }
                let (healthy, _) = try await ServiceProcess.run(
                    "mentornet-sessions", ["--health-check", "--listen", "127.0.0.1:\(port)"])
                #expect(healthy == 0)
                let session = try await sessions.getSession(GetSessionRequest(id: booked.id))
                let feed = try await sessions.listChanges(ListSessionChangesRequest())
                #expect(feed.changes.map(\.session?.id) == [booked.id])
                service.signal(SIGTERM)
                await service.waitForEndOfOutput()
                return session
            }
            #expect(recovered == booked)
            #expect(stopped == 0)
        }
    }
}
