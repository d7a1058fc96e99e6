import Foundation
import MatchingService
import MatchingV1
import NotificationsV1
import ProfilesService
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

/// `mentornet-notifications` as a real process behind live profiles, matching and sessions
/// services (in this process, on port 0): down while about a thousand events happen, killed with
/// SIGKILL in the middle of catching up, restarted — and every notification exists exactly once.
@Suite("mentornet-notifications, run as a process: an outage and kill -9 mid catch-up lose and repeat nothing")
struct OutageTests {
    func person(_ name: String, mentor: Bool) -> Member {
        Member(
            email: "\(name)@example.org", displayName: name, roles: [mentor ? .mentor : .mentee], networks: ["guild"],
            timezone: "Europe/Berlin", languages: ["en"], yearsOfExperience: 5,
            expertise: mentor ? [Expertise(skill: "go", level: 5)] : [],
            learningGoals: mentor ? [] : [LearningGoal(skill: "go", priority: 1)], mentoringCapacity: mentor ? 1 : 0,
            availability: (1...7).map { AvailabilityWindow(weekday: UInt32($0), startMinute: 0, endMinute: 1440) },
            preferences: MatchPreferences(oneWay: true, mutual: false, organization: .any))
    }

    /// Every delivered notification of `member`, page by page.
    func everything(_ inbox: NotificationsClient, _ member: String) async throws -> [NotificationsV1.Notification] {
        var all: [NotificationsV1.Notification] = []
        var token = ""
        repeat {
            let page = try await inbox.listNotifications(
                ListNotificationsRequest(memberID: member, filter: .all, pageSize: 200, pageToken: token))
            all += page.notifications
            token = page.nextPageToken
        } while !token.isEmpty
        return all
    }

    @Test("1,000 events while it is down; kill -9 mid catch-up; after the restart each item once")
    func outage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let profiles = ProfilesService(database: try ProfilesDatabase.inMemory())
        let matching = MatchingService(database: try MatchingDatabase.inMemory())
        let sessions = SessionsService(
            database: try SessionsDatabase.inMemory(), policy: SessionPolicy(minimumNoticeMinutes: 0, bufferMinutes: 0))
        try await withTestServer([profiles, matching, sessions, HealthService()]) { server in
            let client = server.client()
            defer { client.close() }
            let pairs = 20
            let sessionsPerPair = 45
            var mentees: [String] = []
            var mentors: [String] = []
            try await withThrowingTaskGroup(of: Void.self) { followers in
                followers.addTask {
                    try await ProfilesFeedFollower(client: client, directory: matching.directory, logger: testLogger())
                        .run()
                }
                followers.addTask {
                    try await sessions.directory.profilesFollower(client: client, logger: testLogger()).run()
                }
                followers.addTask {
                    try await sessions.directory.matchingFollower(client: client, logger: testLogger()).run()
                }
                defer { followers.cancelAll() }
                let api = ProfilesClient(client)
                for index in 0..<pairs {
                    mentors.append(
                        try await api.createMember(CreateMemberRequest(member: person("m\(index)", mentor: true))).id)
                    mentees.append(
                        try await api.createMember(CreateMemberRequest(member: person("e\(index)", mentor: false))).id)
                }
                let members = try await api.listChanges(ListChangesRequest(limit: 1)).headSequence
                try await matching.directory.wait(forPosition: members)
                var matches: [String] = []
                for index in 0..<pairs {
                    let proposed = try await MatchingClient(client).proposeMatch(
                        ProposeMatchRequest(
                            network: "guild", mentorID: mentors[index], menteeID: mentees[index],
                            requestedBy: mentees[index]))
                    matches.append(
                        try await MatchingClient(client).acceptMatch(
                            MatchActionRequest(matchID: proposed.id, memberID: mentors[index])
                        ).id)
                }
                let head = try await MatchingClient(client).listChanges(ListMatchChangesRequest(limit: 1)).headSequence
                try await sessions.directory.wait(for: "profiles", position: members)
                try await sessions.directory.wait(for: "matching", position: head)
                // Two days ahead on the hour, one session an hour per pair: far from any reminder.
                let start = (Int64(Date().timeIntervalSince1970) / 3600 + 48) * 3_600_000_000
                for index in 0..<pairs {
                    for slot in 0..<sessionsPerPair {
                        _ = try await SessionsClient(client).scheduleSession(
                            ScheduleSessionRequest(
                                matchID: matches[index], memberID: mentors[index],
                                startAtMicros: start + Int64(slot) * 3_600_000_000, durationMinutes: 30))
                    }
                }
            }
            let events =
                Int(try await ProfilesClient(client).listChanges(ListChangesRequest(limit: 1)).headSequence)
                + Int(try await MatchingClient(client).listChanges(ListMatchChangesRequest(limit: 1)).headSequence)
                + Int(try await SessionsClient(client).listChanges(ListSessionChangesRequest(limit: 1)).headSequence)
            #expect(events >= 980)
            let (menteeIDs, mentorIDs) = (mentees, mentors)

            let peers = [
                "MENTORNET_PROFILES_ADDR": "127.0.0.1:\(server.port)",
                "MENTORNET_MATCHING_ADDR": "127.0.0.1:\(server.port)",
                "MENTORNET_SESSIONS_ADDR": "127.0.0.1:\(server.port)",
            ]
            let arguments = ["--listen", "127.0.0.1:0", "--data-dir", directory]
            // Each mentee: one notification per session booked for them, and one for the match
            // (proposed, then replaced by "active").
            let expected = sessionsPerPair + 1
            let (seenBeforeKill, killed, _) = try await ServiceProcess.with(
                "mentornet-notifications", arguments, environment: peers
            ) { service in
                let inbox = NotificationsClient(ServiceProcess.client(port: try await service.listeningPort()))
                defer { inbox.client.close() }
                // Killed as soon as some, not all, of the notifications exist.
                var seen = 0
                while true {
                    seen = Int(
                        try await inbox.getNotificationCounts(
                            GetNotificationCountsRequest(memberID: menteeIDs[pairs - 1])
                        )
                        .unreadCount)
                    if seen > 0 { break }
                    try await Task.sleep(for: .milliseconds(2))
                }
                service.signal(SIGKILL)
                await service.waitForEndOfOutput()
                return seen
            }
            #expect(killed == 128 + SIGKILL)
            #expect(seenBeforeKill < expected, "it should be killed mid catch-up")

            let (counted, stopped, _) = try await ServiceProcess.with(
                "mentornet-notifications", arguments, environment: peers
            ) { service in
                let inbox = NotificationsClient(ServiceProcess.client(port: try await service.listeningPort()))
                defer { inbox.client.close() }
                for feed in ["profiles", "matching", "sessions"] {
                    _ = try await service.waitFor("\(feed) feed caught up")
                }
                var perMember: [String: [NotificationsV1.Notification]] = [:]
                for member in menteeIDs + mentorIDs { perMember[member] = try await everything(inbox, member) }
                service.signal(SIGTERM)
                await service.waitForEndOfOutput()
                return perMember
            }
            #expect(stopped == 0)
            for mentee in menteeIDs {
                let items = counted[mentee] ?? []
                #expect(items.count == expected)
                #expect(items.filter { $0.kind == .sessionScheduled }.count == sessionsPerPair)
                // No two notifications about the same session.
                let sessionIDs = items.filter { $0.kind == .sessionScheduled }.compactMap {
                    $0.links.first { $0.type == "session" }?.id
                }
                #expect(Set(sessionIDs).count == sessionsPerPair)
            }
            for mentor in mentorIDs {
                #expect((counted[mentor] ?? []).map(\.kind) == [.matchActivated])  // their own bookings: nothing
            }
        }
    }
}
