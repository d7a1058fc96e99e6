import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NotificationsV1
import ProfilesV1
import RPC
import Testing
import Wire

/// What a network's admins (and its API keys) read of the whole programme: its sessions, its
/// shared goals and its event log; and how they link members that exist to a sign-in
/// (docs/security.md). Real members, matches, sessions and goals through the gateway.
@Suite("a network's programme for its admins: sessions, goals, events, sign-in links")
struct NetworkProgrammeTests {
    typealias Fixture = ResourceVisibilityTests

    static func get(_ client: any TestClientProtocol, _ uri: String, as role: String, _ people: Fixture.People)
        async throws -> (HTTPResponse.Status, [String: Any])
    {
        let response = try await client.execute(uri: uri, method: .get, headers: people.headers(role))
        return (response.status, try json(response))
    }

    static func post(
        _ client: any TestClientProtocol, _ uri: String, as role: String, _ people: Fixture.People,
        _ object: [String: Any]
    ) async throws -> [String: Any] {
        let response = try await client.execute(
            uri: uri, method: .post, headers: people.headers(role), body: try body(object))
        #expect(response.status.code < 300, "\(uri): \(String(buffer: response.body))")
        return try json(response)
    }

    static func ids(_ page: [String: Any], _ key: String) -> [String] {
        (page[key] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    @Test("sessions and goals: the admins list their network's, paged and filtered; private goals stay private")
    func sessionsAndGoals() async throws {
        try await withMatchingGateway(tokens: try await Fixture.verifier) { client, harness in
            let (people, match) = try await Fixture.people(client, harness)
            var sessions: [String] = []
            for days in [5, 2, 3] {
                let made = try await Self.post(
                    client, "/v1/matches/\(match)/sessions", as: people.bo, people,
                    ["memberId": people.bo, "startAt": Fixture.future(days: days), "durationMinutes": 30])
                sessions.append(try #require(made["id"] as? String))
            }
            _ = try await Self.post(
                client, "/v1/sessions/\(sessions[2]):cancel", as: people.bo, people,
                ["memberId": people.bo, "reason": "clash"])
            let shared = try #require(
                try await Self.post(
                    client, "/v1/matches/\(match)/goals", as: people.bo, people,
                    ["memberId": people.bo, "title": "Ship the parser"])["id"] as? String)
            _ = try await Self.post(
                client, "/v1/matches/\(match)/goals", as: people.bo, people,
                ["memberId": people.bo, "title": "Ask for a raise", "visibility": "GOAL_VISIBILITY_PRIVATE"])
            let second = try #require(
                try await Self.post(
                    client, "/v1/matches/\(match)/goals", as: people.bo, people,
                    ["memberId": people.bo, "title": "Learn Rust macros"])["id"] as? String)
            _ = try await Self.post(
                client, "/v1/goals/\(second):drop", as: people.bo, people, ["memberId": people.bo])

            // Sessions: soonest first, every state; pages; by state and window.
            let uri = "/v1/networks/acme/sessions"
            let (status, all) = try await Self.get(client, uri, as: "acme-admin", people)
            #expect(status == .ok)
            #expect(Self.ids(all, "sessions") == [sessions[1], sessions[2], sessions[0]])
            let (_, first) = try await Self.get(client, uri + "?pageSize=2", as: "acme-admin", people)
            #expect(Self.ids(first, "sessions") == [sessions[1], sessions[2]])
            let token = try #require(first["nextPageToken"] as? String)
            let (_, rest) = try await Self.get(client, uri + "?pageSize=2&pageToken=\(token)", as: "acme-admin", people)
            #expect(Self.ids(rest, "sessions") == [sessions[0]] && (rest["nextPageToken"] as? String ?? "").isEmpty)
            let (_, cancelled) = try await Self.get(
                client, uri + "?state=SESSION_STATE_CANCELLED", as: "acme-admin", people)
            #expect(Self.ids(cancelled, "sessions") == [sessions[2]])
            let from = Fixture.future(days: 4)
            let (_, later) = try await Self.get(client, uri + "?windowStartAt=\(from)", as: "acme-admin", people)
            #expect(Self.ids(later, "sessions") == [sessions[0]])
            // Goals: the shared ones, oldest first; by status; pages. The private goal is not
            // there, nor counted.
            let goals = "/v1/networks/acme/goals"
            let (goalStatus, allGoals) = try await Self.get(client, goals, as: "acme-admin", people)
            #expect(goalStatus == .ok)
            #expect(Self.ids(allGoals, "goals") == [shared, second])
            let (_, open) = try await Self.get(client, goals + "?status=GOAL_STATUS_OPEN", as: "acme-admin", people)
            #expect(Self.ids(open, "goals") == [shared])
            let (_, firstGoal) = try await Self.get(client, goals + "?pageSize=1", as: "acme-admin", people)
            #expect(Self.ids(firstGoal, "goals") == [shared])
            let goalToken = try #require(firstGoal["nextPageToken"] as? String)
            let (_, nextGoal) = try await Self.get(
                client, goals + "?pageSize=1&pageToken=\(goalToken)", as: "acme-admin", people)
            #expect(Self.ids(nextGoal, "goals") == [second])
            #expect((nextGoal["nextPageToken"] as? String ?? "").isEmpty)

            // Nobody else: another network's admin, the partners themselves (403, by the rule);
            // another network's own lists are empty.
            for path in [uri, goals] {
                for role in ["globex-admin", people.ada, people.bo, people.cy] {
                    let (refused, _) = try await Self.get(client, path, as: role, people)
                    #expect(refused == .forbidden, "\(path) as \(role)")
                }
            }
            let (_, globex) = try await Self.get(client, "/v1/networks/globex/sessions", as: "globex-admin", people)
            #expect(Self.ids(globex, "sessions").isEmpty)
            let (_, globexGoals) = try await Self.get(client, "/v1/networks/globex/goals", as: "globex-admin", people)
            #expect(Self.ids(globexGoals, "goals").isEmpty)

            // Malformed requests name the field.
            for (path, field) in [
                (uri + "?pageSize=500", "pageSize"), (uri + "?pageToken=nope", "pageToken"),
                (
                    uri + "?windowStartAt=\(Fixture.future(days: 4))&windowEndAt=\(Fixture.future(days: 3))",
                    "windowEndAt"
                ),
                (goals + "?pageSize=201", "pageSize"), (goals + "?pageToken=\(token)", "pageToken"),
            ] {
                let response = try await client.execute(uri: path, method: .get, headers: people.headers("acme-admin"))
                #expect(response.status == .badRequest, "\(path)")
                #expect(try errorFields(response) == [field], "\(path): \(String(buffer: response.body))")
            }
            let oddAdmin = try await Fixture.mint(subject: "x", member: nil, admin: ["Not_A_Slug"])
            for path in ["/v1/networks/Not_A_Slug/sessions", "/v1/networks/Not_A_Slug/goals"] {
                let response = try await client.execute(
                    uri: path, method: .get, headers: [.authorization: "Bearer \(oddAdmin)"])
                #expect(response.status == .badRequest)
                #expect(try errorFields(response) == ["network"])
            }
        }
    }

    @Test("events: a network's log says what happened to which resource, once, in order; polled and watched")
    func events() async throws {
        try await withMatchingGateway(tokens: try await Fixture.verifier) { client, harness in
            let (people, match) = try await Fixture.people(client, harness)
            let session = try #require(
                try await Self.post(
                    client, "/v1/matches/\(match)/sessions", as: people.bo, people,
                    ["memberId": people.bo, "startAt": Fixture.future(days: 2), "durationMinutes": 30])["id"]
                    as? String)
            let goal = try #require(
                try await Self.post(
                    client, "/v1/matches/\(match)/goals", as: people.bo, people,
                    ["memberId": people.bo, "title": "Ship the parser"])["id"] as? String)
            _ = try await Self.post(
                client, "/v1/matches/\(match)/goals", as: people.bo, people,
                ["memberId": people.bo, "title": "Ask for a raise", "visibility": "GOAL_VISIBILITY_PRIVATE"])
            try await harness.waitForNotifications()

            let uri = "/v1/networks/acme/events"
            let (status, page) = try await Self.get(client, uri, as: "acme-admin", people)
            #expect(status == .ok)
            let events = page["events"] as? [[String: Any]] ?? []
            let summary = events.map { event in
                "\(event["type"] as? String ?? "") \(event["matchId"] as? String ?? "")\(event["sessionId"] as? String ?? "")\(event["goalId"] as? String ?? "")"
            }
            // Each feed's events in its order (the three feeds are followed apart, so they interleave).
            let members = summary.filter { $0.hasPrefix("member.") }
            #expect(members == ["member.created ", "member.created ", "member.created "])
            let memberIDs = events.filter { ($0["type"] as? String)?.hasPrefix("member.") == true }
                .compactMap { ($0["memberIds"] as? [String])?.first }
            #expect(memberIDs == [people.ada, people.bo, people.cy])  // not dee: globex
            #expect(
                summary.filter { $0.hasPrefix("match.") }
                    == ["match.proposed \(match)", "match.activated \(match)"])
            #expect(
                summary.filter { $0.hasPrefix("session.") || $0.hasPrefix("goal.") }
                    == ["session.scheduled \(match)\(session)", "goal.created \(match)\(goal)"])
            let sequences = events.compactMap { ($0["sequence"] as? String).flatMap(UInt64.init) }
            #expect(
                sequences.count == events.count && sequences == sequences.sorted()
                    && Set(sequences).count == sequences.count)
            #expect(events.allSatisfy { $0["network"] as? String == "acme" && $0["sourceEventId"] as? String != nil })
            // Polling on: nothing new; then exactly the new event.
            let next = try #require(page["nextAfterSequence"] as? String)
            let (_, idle) = try await Self.get(client, uri + "?afterSequence=\(next)", as: "acme-admin", people)
            #expect(Self.ids(idle, "events").isEmpty && idle["nextAfterSequence"] as? String == next)
            #expect(idle["missed"] as? Bool != true)
            _ = try await Self.post(
                client, "/v1/sessions/\(session):cancel", as: people.bo, people,
                ["memberId": people.bo, "reason": "clash"])
            try await harness.waitForNotifications()
            let (_, later) = try await Self.get(client, uri + "?afterSequence=\(next)", as: "acme-admin", people)
            let newer = later["events"] as? [[String: Any]] ?? []
            #expect(newer.map { $0["type"] as? String } == ["session.cancelled"])
            // Paged: limit 2 from the start gives the first two, and where to go on.
            let (_, two) = try await Self.get(client, uri + "?limit=2", as: "acme-admin", people)
            let twoEvents = two["events"] as? [[String: Any]] ?? []
            #expect(twoEvents.count == 2 && two["nextAfterSequence"] as? String == twoEvents[1]["sequence"] as? String)
            // A position the log never gave: missed, nothing else, and where to follow on from.
            let (_, unknown) = try await Self.get(client, uri + "?afterSequence=99999999", as: "acme-admin", people)
            #expect(unknown["missed"] as? Bool == true && Self.ids(unknown, "events").isEmpty)
            // globex's log holds dee alone; members and other admins are refused.
            let (_, globex) = try await Self.get(client, "/v1/networks/globex/events", as: "globex-admin", people)
            #expect((globex["events"] as? [[String: Any]] ?? []).map { $0["type"] as? String } == ["member.created"])
            for role in ["globex-admin", people.ada] {
                let (refused, _) = try await Self.get(client, uri, as: role, people)
                #expect(refused == .forbidden, "as \(role)")
            }
            let bad = try await client.execute(
                uri: uri + "?limit=1001", method: .get, headers: people.headers("acme-admin"))
            let badFields = try errorFields(bad)
            #expect(bad.status == .badRequest && badFields == ["limit"])

            // Watched on the binary protocol: every event kept, then a new one as it happens.
            let notifications = NotificationsClient(harness.rpc)
            let kept = events.count + 1
            let watch = Task {
                var seen: [NetworkEvent] = []
                for try await event in notifications.watchNetworkEvents(
                    WatchNetworkEventsRequest(network: "acme", fromStart: true))
                {
                    seen.append(event)
                    if seen.count == kept + 1 { break }
                }
                return seen
            }
            _ = try await Self.post(
                client, "/v1/matches/\(match):end", as: people.ada, people,
                ["memberId": people.ada, "outcome": "MATCH_STATE_COMPLETED"])
            let watched = try await watch.value
            #expect(
                watched.prefix(kept).map(\.sequence) == sequences
                    + newer.compactMap { ($0["sequence"] as? String).flatMap(UInt64.init) })
            #expect(watched.last?.type == "match.completed" && watched.last?.matchID == match, "\(watched.map(\.type))")
            // Resuming from a position the log never gave starts with a reset.
            var resumed = notifications.watchNetworkEvents(
                WatchNetworkEventsRequest(network: "acme", afterSequence: 99_999_999)
            ).makeAsyncIterator()
            #expect(try await resumed.next()?.type == "reset")
        }
    }

    @Test("sign-in links: an admin of the member's network links and unlinks; nobody else; bad requests name the field")
    func signInLinks() async throws {
        try await withMatchingGateway(tokens: try await Fixture.verifier) { client, harness in
            let (people, _) = try await Fixture.people(client, harness)
            func put(_ member: String, _ subject: Any, as role: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/members/\(member)/sign-in", method: .put, headers: people.headers(role),
                    body: try body(["subject": subject]))
            }
            func delete(_ member: String, as role: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/members/\(member)/sign-in", method: .delete, headers: people.headers(role))
            }
            func resolve(_ subject: String) async throws -> String? {
                do {
                    return try await harness.rpc.unary(
                        ProfilesAPI.resolveMember, ResolveMemberRequest(subject: subject)
                    ).memberID
                } catch  where error.code == .notFound {
                    return nil
                }
            }
            // Linked by acme's admin: the subject now resolves to ada.
            let linked = try await put(people.ada, "idp|ada", as: "acme-admin")
            #expect(linked.status == .ok, "\(String(buffer: linked.body))")
            let link = try json(linked)
            #expect(link["memberId"] as? String == people.ada && link["subject"] as? String == "idp|ada")
            #expect(try await resolve("idp|ada") == people.ada)
            // Again: the same link, unchanged.
            let again = try json(try await put(people.ada, "idp|ada", as: "acme-admin"))
            #expect(again["linkedAt"] as? String == link["linkedAt"] as? String)
            // The subject of another member: 409, nothing changes.
            let taken = try await put(people.bo, "idp|ada", as: "acme-admin")
            #expect(taken.status == .conflict)
            #expect(try await resolve("idp|ada") == people.ada)
            // Relinked to a new subject: the old one maps to nobody.
            #expect(try await put(people.ada, "idp|ada-2", as: "acme-admin").status == .ok)
            #expect(try await resolve("idp|ada") == nil)
            #expect(try await resolve("idp|ada-2") == people.ada)
            // Another network's admin: ada does not exist for them (the same 404 as a made-up id);
            // members are refused by the rule.
            let foreign = try await put(people.ada, "idp|mallory", as: "globex-admin")
            let made = try await put("mbr_00000000000000000000000000", "idp|mallory", as: "globex-admin")
            #expect(foreign.status == .notFound && made.status == .notFound)
            #expect(
                String(buffer: foreign.body).replacingOccurrences(
                    of: people.ada, with: "mbr_00000000000000000000000000")
                    == String(buffer: made.body))
            #expect(try await put(people.ada, "idp|mallory", as: people.ada).status == .forbidden)
            #expect(try await delete(people.ada, as: "globex-admin").status == .notFound)
            #expect(try await resolve("idp|mallory") == nil)
            #expect(try await resolve("idp|ada-2") == people.ada)
            // Malformed: each names the field, and nothing changes.
            for (member, subject, field) in [
                (people.ada, "" as Any, "subject"), (people.ada, " idp|ada " as Any, "subject"),
                (people.ada, String(repeating: "s", count: 1025) as Any, "subject"),
                (people.ada, "idp|\u{7}" as Any, "subject"), ("mbr_nope", "idp|x" as Any, "memberId"),
            ] {
                let response = try await put(member, subject, as: "acme-admin")
                #expect(response.status == .badRequest, "\(subject)")
                #expect(try errorFields(response) == [field], "\(String(buffer: response.body))")
            }
            #expect(try await resolve("idp|ada-2") == people.ada)
            // Unlinked: the subject maps to nobody; a second unlink finds no link.
            let removed = try await delete(people.ada, as: "acme-admin")
            let removedLink = try json(removed)
            #expect(removed.status == .ok && removedLink["subject"] as? String == "idp|ada-2")
            #expect(try await resolve("idp|ada-2") == nil)
            #expect(try await delete(people.ada, as: "acme-admin").status == .notFound)
        }
    }
}
