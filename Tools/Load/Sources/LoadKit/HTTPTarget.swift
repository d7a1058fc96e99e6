import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The gateway over HTTP/1.1 (keep-alive connections from AsyncHTTPClient's pool).
public struct HTTPTarget: SeededTarget {
    let client: HTTPClient
    let base: String
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
    /// The bearer tokens of the requests.
    private let tokens: TokenSource?
    /// Where acknowledged writes are logged, when they are.
    private let acknowledged: AcknowledgedWrites?

    /// A target at `base` (e.g. `http://127.0.0.1:8080`) using up to `connections` connections,
    /// each given `connectTimeout` to open; each request carries a bearer token from `tokens`, and
    /// each acknowledged write (seeding included) is logged in `acknowledged`.
    public init(
        base: String, connections: Int, network: String, run: String, connectTimeout: Duration = .seconds(2),
        tokens: TokenSource? = nil, acknowledged: AcknowledgedWrites? = nil
    ) {
        self.tokens = tokens
        self.acknowledged = acknowledged
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, 1))
        configuration.timeout = .init(
            connect: .nanoseconds(
                Int64(connectTimeout.components.seconds) * 1_000_000_000
                    + connectTimeout.components.attoseconds / 1_000_000_000),
            read: .seconds(30))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.network = network
        self.run = run
    }

    /// Waits until `GET /readyz` answers 200, for at most `timeout`.
    public func waitUntilReady(timeout: Duration) async throws {
        try await LoadKit.waitUntilReady(base, timeout: timeout) {
            do {
                let status = try await send("GET", "/readyz").status
                return status == 200 ? nil : "GET /readyz answered \(status)"
            } catch {
                return Self.describe(error)
            }
        }
    }

    /// Creates `count` members (`concurrency` at a time).
    public func seed(count: Int, concurrency: Int) async throws -> [SeededMember] {
        try await seedMembers(count: count, concurrency: concurrency) { index in
            let body = LoadMembers.json(run: run, index: index, network: network)
            let (status, answer) = try await send("POST", "/v1/members", body: body)
            guard status == 201, let id = answer?["id"] as? String else {
                throw LoadError("seeding failed: POST /v1/members answered \(status)")
            }
            return id
        }
    }

    /// Waits until suggestions for `memberID` answer 200 (matching has read them from the
    /// profiles feed), for at most `timeout`.
    public func waitUntilMatchingKnows(_ memberID: String, timeout: Duration) async throws {
        try await LoadKit.waitUntilReady("matching (through \(base))", timeout: timeout) {
            do {
                let status = try await send("GET", "/v1/members/\(memberID)/suggestions?network=\(network)").status
                return status == 200 ? nil : "suggestions for a seeded member answered \(status)"
            } catch {
                return Self.describe(error)
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
        let member = memberIDs.isEmpty ? "none" : memberIDs[index % memberIDs.count]
        let skill = LoadMembers.skills[index % LoadMembers.skills.count]
        do {
            let status: Int
            switch operation {
            case "get-member":
                status = try await send("GET", "/v1/members/\(member)").status
            case "search":
                status = try await send("GET", "/v1/members?network=\(network)&skill=\(skill)&pageSize=20").status
            case "create-member":
                status = try await send(
                    "POST", "/v1/members", body: LoadMembers.json(run: run, index: index, network: network)
                ).status
            case "update-member":
                status = try await send("PATCH", "/v1/members/\(member)", body: ["headline": "Headline \(index)"])
                    .status
            case "suggestions":
                status = try await send("GET", "/v1/members/\(member)/suggestions?network=\(network)").status
            case "read-inbox":
                status = try await send("GET", "/v1/members/\(member)/notifications?pageSize=20").status
            case "mark-read":
                status = try await send("POST", "/v1/members/\(member)/notifications:markRead", body: ["all": true])
                    .status
            case "request-match", "accept-match", "end-match":
                guard let matches else { return Outcome(status: "no match flow", succeeded: false) }
                return await matches.perform(operation, index: index, calls: HTTPMatchCalls(target: self))
            case "set-goal", "review-goal", "confirm-review", "give-feedback":
                guard let goals else { return Outcome(status: "no goal flow", succeeded: false) }
                return await goals.perform(
                    operation, index: index, calls: HTTPGoalCalls(target: self),
                    sessionCalls: HTTPSessionCalls(target: self), matchCalls: HTTPMatchCalls(target: self))
            case "schedule-session", "reschedule-session", "complete-session":
                guard let sessions else { return Outcome(status: "no session flow", succeeded: false) }
                return await sessions.perform(
                    operation, index: index, calls: HTTPSessionCalls(target: self),
                    matchCalls: HTTPMatchCalls(target: self))
            default:
                return Outcome(status: "unknown operation", succeeded: false)
            }
            return Outcome(status: String(status), succeeded: (200..<300).contains(status))
        } catch {
            return Outcome(status: Self.describe(error), succeeded: false)
        }
    }

    /// Closes the connections.
    public func shutdown() async {
        try? await client.shutdown()
    }

    fileprivate func send(_ method: String, _ path: String, body: [String: Any]? = nil) async throws -> (
        status: Int, json: [String: Any]?
    ) {
        var request = HTTPClientRequest(url: base + path)
        request.method = .init(rawValue: method)
        let member = TokenSource.actingMember(path: path, body: body)
        if let tokens {
            request.headers.add(name: "Authorization", value: try await tokens.authorization(for: member))
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let json = try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]
        let status = Int(response.status.code)
        if let acknowledged, method != "GET", (200..<300).contains(status) {
            acknowledged.record(method: method, path: path, status: status, actingAs: member, answer: json)
        }
        return (status, json)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .connectTimeout { return "connect timeout" }
            if error == .deadlineExceeded || error == .readTimeout { return "timeout" }
            if error == .remoteConnectionClosed { return "connection closed" }
        }
        let text = "\(error)"
        return text.contains("refused") ? "connection refused" : "transport error"
    }
}

/// The session flow's calls through the gateway (slots travel as RFC 3339 text).
private struct HTTPSessionCalls: SessionCalls {
    let target: HTTPTarget

    func firstSlot(matchID: String, memberID: String) async -> SessionCallResult {
        do {
            let (status, json) = try await target.send(
                "GET", "/v1/matches/\(matchID)/slots?memberId=\(memberID)&durationMinutes=30&limit=1")
            let slots = json?["slots"] as? [[String: Any]]
            return SessionCallResult(
                status: String(status), succeeded: status == 200, slot: slots?.first?["startAt"] as? String,
                message: (json?["error"] as? [String: Any])?["message"] as? String)
        } catch {
            return SessionCallResult(status: HTTPTarget.describe(error), succeeded: false)
        }
    }

    func schedule(matchID: String, memberID: String, slot: String) async -> SessionCallResult {
        await call(
            "/v1/matches/\(matchID)/sessions",
            ["memberId": memberID, "startAt": slot, "durationMinutes": 30, "title": "Load session"])
    }

    func reschedule(_ sessionID: String, by memberID: String, slot: String) async -> SessionCallResult {
        await call("/v1/sessions/\(sessionID):reschedule", ["memberId": memberID, "startAt": slot])
    }

    func complete(_ sessionID: String, by memberID: String) async -> SessionCallResult {
        await call("/v1/sessions/\(sessionID):complete", ["memberId": memberID])
    }

    private func call(_ path: String, _ body: [String: Any]) async -> SessionCallResult {
        do {
            let (status, json) = try await target.send("POST", path, body: body)
            return SessionCallResult(
                status: String(status), succeeded: (200..<300).contains(status), sessionID: json?["id"] as? String,
                message: (json?["error"] as? [String: Any])?["message"] as? String)
        } catch {
            return SessionCallResult(status: HTTPTarget.describe(error), succeeded: false)
        }
    }
}

/// The goal flow's calls through the gateway.
private struct HTTPGoalCalls: GoalCalls {
    let target: HTTPTarget

    func setGoal(matchID: String, ownerID: String) async -> GoalCallResult {
        await call(
            "POST", "/v1/matches/\(matchID)/goals",
            ["memberId": ownerID, "title": "Load goal", "successCriteria": "done", "reviewCadenceDays": 14])
    }

    func review(goalID: String, by memberID: String, progress: UInt32) async -> GoalCallResult {
        await call(
            "POST", "/v1/goals/\(goalID):review",
            ["memberId": memberID, "progress": progress, "confidence": "CONFIDENCE_MEDIUM", "note": "on track"])
    }

    func confirm(reviewID: String, by memberID: String) async -> GoalCallResult {
        await call("POST", "/v1/reviews/\(reviewID):confirm", ["memberId": memberID])
    }

    func giveFeedback(sessionID: String, by memberID: String, rating: UInt32) async -> GoalCallResult {
        await call(
            "PUT", "/v1/sessions/\(sessionID)/feedback",
            ["memberId": memberID, "rating": rating, "wentWell": "good", "goodFit": "FIT_ANSWER_YES"])
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]) async -> GoalCallResult {
        do {
            let (status, json) = try await target.send(method, path, body: body)
            return GoalCallResult(
                status: String(status), succeeded: (200..<300).contains(status), id: json?["id"] as? String,
                message: (json?["error"] as? [String: Any])?["message"] as? String)
        } catch {
            return GoalCallResult(status: HTTPTarget.describe(error), succeeded: false)
        }
    }
}

/// The match flow's calls through the gateway.
private struct HTTPMatchCalls: MatchCalls {
    let target: HTTPTarget

    func propose(mentorID: String, menteeID: String) async -> MatchCallResult {
        await call(
            "/v1/matches",
            [
                "network": target.network, "kind": "MATCH_KIND_ONE_WAY", "mentorId": mentorID, "menteeId": menteeID,
                "origin": "MATCH_ORIGIN_REQUESTED", "requestedBy": menteeID,
            ])
    }

    func accept(_ matchID: String, by memberID: String) async -> MatchCallResult {
        await call("/v1/matches/\(matchID):accept", ["memberId": memberID])
    }

    func end(_ matchID: String, by memberID: String) async -> MatchCallResult {
        await call(
            "/v1/matches/\(matchID):end",
            ["memberId": memberID, "outcome": "MATCH_STATE_COMPLETED", "reason": "goals reached"])
    }

    private func call(_ path: String, _ body: [String: Any]) async -> MatchCallResult {
        do {
            let (status, json) = try await target.send("POST", path, body: body)
            let error = json?["error"] as? [String: Any]
            return MatchCallResult(
                status: String(status), succeeded: (200..<300).contains(status), matchID: json?["id"] as? String,
                message: error?["message"] as? String)
        } catch {
            return MatchCallResult(status: HTTPTarget.describe(error), succeeded: false)
        }
    }
}

/// A problem that stops the run, said plainly.
public struct LoadError: Error, CustomStringConvertible {
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}
