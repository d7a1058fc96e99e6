import Foundation
import MatchingV1
import NotificationsV1
import ProfilesV1
import RPC
import SessionsV1
import Wire

/// The services over the MentorNet binary protocol: the profiles service, and the matching
/// service when its address is given, each through `connections` clients multiplexing their
/// share of the calls in flight.
public struct RPCTarget: SeededTarget {
    let clients: [Client]
    let matchingClients: [Client]
    let sessionsClients: [Client]
    let notificationsClients: [Client]
    let network: String
    let run: String
    /// Members the operations read and change (from the seed phase).
    public var memberIDs: [String] = []
    /// The seeded members' matches, when the scenario goes through them.
    var matches: MatchBook?
    /// Their sessions, when the scenario books them.
    var sessions: SessionBook?
    /// Their goals, when the scenario sets them.
    var goals: GoalBook?

    /// A target: profiles at `host:port`, matching at `matching`, sessions at `sessions` and
    /// notifications at `notifications` when given, `connections` connections to each; every call
    /// presents `credential` (services with a secret refuse calls without one).
    public init(
        host: String, port: Int, matching: (host: String, port: Int)? = nil,
        sessions: (host: String, port: Int)? = nil, notifications: (host: String, port: Int)? = nil,
        connections: Int, network: String, run: String, credential: ServiceCredential? = nil
    ) {
        func connect(_ host: String, _ port: Int) -> [Client] {
            (0..<max(connections, 1)).map { _ in
                Client(
                    configuration: ClientConfiguration(
                        host: host, port: port, defaultTimeout: .seconds(30), credential: credential))
            }
        }
        clients = connect(host, port)
        matchingClients = matching.map { connect($0.host, $0.port) } ?? []
        sessionsClients = sessions.map { connect($0.host, $0.port) } ?? []
        notificationsClients = notifications.map { connect($0.host, $0.port) } ?? []
        self.network = network
        self.run = run
    }

    /// Reads `rpc://HOST:PORT`; nil when malformed.
    public static func address(_ text: String) -> (host: String, port: Int)? {
        guard text.hasPrefix("rpc://") else { return nil }
        let parts = text.dropFirst("rpc://".count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
            return nil
        }
        return (String(parts[0]), port)
    }

    /// Waits until the health checks (profiles, and matching when given) say SERVING, for at
    /// most `timeout`.
    public func waitUntilReady(timeout: Duration) async throws {
        for (what, client) in [
            ("the profiles service", clients[0]), ("the matching service", matchingClients.first),
            ("the sessions service", sessionsClients.first),
            ("the notifications service", notificationsClients.first),
        ] {
            guard let client else { continue }
            try await LoadKit.waitUntilReady(what, timeout: timeout) {
                do {
                    let answer = try await client.unary(
                        HealthAPI.check, HealthCheckRequest(), options: CallOptions(timeout: .seconds(1)))
                    return answer.status == .serving ? nil : "health check says \(answer.status)"
                } catch {
                    return (error as? RPCError)?.message ?? "\(error)"
                }
            }
        }
    }

    /// Creates `count` members (`concurrency` at a time).
    public func seed(count: Int, concurrency: Int) async throws -> [SeededMember] {
        try await seedMembers(count: count, concurrency: concurrency) { index in
            try await clients[index % clients.count].unary(
                ProfilesAPI.createMember, CreateMemberRequest(member: member(index))
            ).id
        }
    }

    /// Waits until the matching service answers suggestions for `memberID` (it has read them
    /// from the profiles feed), for at most `timeout`.
    public func waitUntilMatchingKnows(_ memberID: String, timeout: Duration) async throws {
        guard let client = matchingClients.first else { throw LoadError("no matching service given (--matching)") }
        try await LoadKit.waitUntilReady("the matching service", timeout: timeout) {
            do {
                _ = try await client.unary(
                    MatchingAPI.getSuggestions,
                    GetSuggestionsRequest(memberID: memberID, network: network, kind: .oneWay, limit: 1))
                return nil
            } catch {
                return "suggestions for a seeded member: \((error as? RPCError)?.message ?? "\(error)")"
            }
        }
    }

    public mutating func use(_ seeded: [SeededMember], matchFlow: Bool) {
        memberIDs = seeded.map(\.id)
        matches = matchFlow ? MatchBook(seeded) : nil
        sessions = matches.map { SessionBook(matches: $0) }
        goals = sessions.map { GoalBook(sessions: $0) }
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
            case "suggestions":
                guard !matchingClients.isEmpty else { return Outcome(status: "no matching service", succeeded: false) }
                _ = try await matchingClients[index % matchingClients.count].unary(
                    MatchingAPI.getSuggestions, GetSuggestionsRequest(memberID: id, network: network, kind: .oneWay))
            case "read-inbox", "mark-read":
                guard !notificationsClients.isEmpty else {
                    return Outcome(status: "no notifications service", succeeded: false)
                }
                let inbox = NotificationsClient(notificationsClients[index % notificationsClients.count])
                if operation == "read-inbox" {
                    _ = try await inbox.listNotifications(ListNotificationsRequest(memberID: id, pageSize: 20))
                } else {
                    _ = try await inbox.markRead(MarkNotificationsRequest(memberID: id, all: true))
                }
            case "request-match", "accept-match", "end-match":
                guard let matches, !matchingClients.isEmpty else {
                    return Outcome(status: "no match flow", succeeded: false)
                }
                return await matches.perform(
                    operation, index: index,
                    calls: RPCMatchCalls(client: matchingClients[index % matchingClients.count], network: network))
            case "set-goal", "review-goal", "confirm-review", "give-feedback":
                guard let goals, !matchingClients.isEmpty, !sessionsClients.isEmpty else {
                    return Outcome(status: "no goal flow", succeeded: false)
                }
                let client = SessionsClient(sessionsClients[index % sessionsClients.count])
                return await goals.perform(
                    operation, index: index, calls: RPCGoalCalls(client: client),
                    sessionCalls: RPCSessionCalls(client: client),
                    matchCalls: RPCMatchCalls(client: matchingClients[index % matchingClients.count], network: network))
            case "schedule-session", "reschedule-session", "complete-session":
                guard let sessions, !matchingClients.isEmpty, !sessionsClients.isEmpty else {
                    return Outcome(status: "no session flow", succeeded: false)
                }
                return await sessions.perform(
                    operation, index: index,
                    calls: RPCSessionCalls(client: SessionsClient(sessionsClients[index % sessionsClients.count])),
                    matchCalls: RPCMatchCalls(client: matchingClients[index % matchingClients.count], network: network))
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
        for client in clients + matchingClients + sessionsClients { client.close() }
    }

    /// The same member `LoadMembers.json` describes, as the binary protocol takes it.
    private func member(_ index: Int) -> Member {
        let mentor = LoadMembers.isMentor(index)
        let skill = LoadMembers.skill(index)
        return Member(
            email: LoadMembers.email(run: run, index: index), displayName: LoadMembers.displayName(index),
            headline: LoadMembers.headline(index), roles: [mentor ? .mentor : .mentee], networks: [network],
            timezone: LoadMembers.timezone, languages: ["en"], yearsOfExperience: mentor ? 10 : 2,
            expertise: mentor ? zip(LoadMembers.taught(index), [5, 3]).map { Expertise(skill: $0, level: $1) } : [],
            learningGoals: mentor ? [] : [LearningGoal(skill: skill, priority: 1)],
            mentoringCapacity: mentor ? UInt32(LoadMembers.mentorCapacity) : 0,
            availability: LoadMembers.weekdays.map {
                AvailabilityWindow(
                    weekday: UInt32($0), startMinute: LoadMembers.window.start, endMinute: LoadMembers.window.end)
            })
    }
}

/// The session flow's calls to the sessions service (slots travel as microseconds).
private struct RPCSessionCalls: SessionCalls {
    let client: SessionsClient

    func firstSlot(matchID: String, memberID: String) async -> SessionCallResult {
        do {
            let found = try await client.findSlots(
                FindSlotsRequest(matchID: matchID, memberID: memberID, durationMinutes: 30, limit: 1))
            return SessionCallResult(
                status: "OK", succeeded: true, slot: found.slots.first.map { String($0.startAtMicros) })
        } catch {
            return SessionCallResult(status: error.code.description, succeeded: false, message: error.message)
        }
    }

    func schedule(matchID: String, memberID: String, slot: String) async -> SessionCallResult {
        await call { () async throws(RPCError) -> Session in
            try await client.scheduleSession(
                ScheduleSessionRequest(
                    matchID: matchID, memberID: memberID, startAtMicros: Int64(slot) ?? 0, durationMinutes: 30,
                    title: "Load session"))
        }
    }

    func reschedule(_ sessionID: String, by memberID: String, slot: String) async -> SessionCallResult {
        await call { () async throws(RPCError) -> Session in
            try await client.rescheduleSession(
                RescheduleSessionRequest(sessionID: sessionID, memberID: memberID, startAtMicros: Int64(slot) ?? 0))
        }
    }

    func complete(_ sessionID: String, by memberID: String) async -> SessionCallResult {
        await call { () async throws(RPCError) -> Session in
            try await client.completeSession(CompleteSessionRequest(sessionID: sessionID, memberID: memberID))
        }
    }

    private func call(_ body: () async throws(RPCError) -> Session) async -> SessionCallResult {
        do {
            let session = try await body()
            return SessionCallResult(status: "OK", succeeded: true, sessionID: session.id)
        } catch {
            return SessionCallResult(status: error.code.description, succeeded: false, message: error.message)
        }
    }
}

/// The goal flow's calls to the sessions service.
private struct RPCGoalCalls: GoalCalls {
    let client: SessionsClient

    func setGoal(matchID: String, ownerID: String) async -> GoalCallResult {
        await call { () async throws(RPCError) -> String in
            try await client.createGoal(
                CreateGoalRequest(
                    matchID: matchID, memberID: ownerID, title: "Load goal", successCriteria: "done",
                    reviewCadenceDays: 14)
            ).id
        }
    }

    func review(goalID: String, by memberID: String, progress: UInt32) async -> GoalCallResult {
        await call { () async throws(RPCError) -> String in
            try await client.reviewGoal(
                ReviewGoalRequest(
                    goalID: goalID, memberID: memberID, progress: progress, confidence: .medium, note: "on track")
            ).id
        }
    }

    func confirm(reviewID: String, by memberID: String) async -> GoalCallResult {
        await call { () async throws(RPCError) -> String in
            try await client.confirmReview(RespondToReviewRequest(reviewID: reviewID, memberID: memberID)).id
        }
    }

    func giveFeedback(sessionID: String, by memberID: String, rating: UInt32) async -> GoalCallResult {
        await call { () async throws(RPCError) -> String in
            try await client.giveFeedback(
                GiveFeedbackRequest(
                    sessionID: sessionID, memberID: memberID, rating: rating, wentWell: "good", goodFit: .yes)
            ).sessionID
        }
    }

    private func call(_ body: () async throws(RPCError) -> String) async -> GoalCallResult {
        do {
            return GoalCallResult(status: "OK", succeeded: true, id: try await body())
        } catch {
            return GoalCallResult(status: error.code.description, succeeded: false, message: error.message)
        }
    }
}

/// The match flow's calls to the matching service.
private struct RPCMatchCalls: MatchCalls {
    let client: Client
    let network: String

    func propose(mentorID: String, menteeID: String) async -> MatchCallResult {
        await call(
            MatchingAPI.proposeMatch,
            ProposeMatchRequest(
                network: network, kind: .oneWay, mentorID: mentorID, menteeID: menteeID, origin: .requested,
                requestedBy: menteeID))
    }

    func accept(_ matchID: String, by memberID: String) async -> MatchCallResult {
        await call(MatchingAPI.acceptMatch, MatchActionRequest(matchID: matchID, memberID: memberID))
    }

    func end(_ matchID: String, by memberID: String) async -> MatchCallResult {
        await call(
            MatchingAPI.endMatch,
            EndMatchRequest(matchID: matchID, memberID: memberID, outcome: .completed, reason: "goals reached"))
    }

    private func call<Request>(_ method: MethodDescriptor<Request, Match>, _ request: Request) async
        -> MatchCallResult
    {
        do {
            let match = try await client.unary(method, request)
            return MatchCallResult(status: "OK", succeeded: true, matchID: match.id)
        } catch {
            return MatchCallResult(status: error.code.description, succeeded: false, message: error.message)
        }
    }
}
