import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The checks inside resources (docs/security.md, "Inside resources"): with real members, a match,
/// its sessions, a series, a hold, a goal and a round, each person sees what they take part in or
/// administer, and to anyone else it does not exist — the same 404 a made-up id gets.
@Suite("who sees what inside resources: partners, strangers, outsiders, admins")
struct ResourceVisibilityTests {
    /// The people of the test and their tokens.
    struct People {
        /// Mentor and mentee of the match (network acme); a stranger in acme; an outsider (globex).
        var ada = "", bo = "", cy = "", dee = ""
        var tokens: [String: String] = [:]
        /// The token of `role` (a member id, or `acme-admin` / `globex-admin`).
        func headers(_ role: String) -> HTTPFields {
            var headers = jsonHeaders
            headers[.authorization] = "Bearer \(tokens[role]!)"
            return headers
        }
    }

    static func mint(subject: String, member: String?, admin: [String]) async throws -> String {
        try await TokenMinter.mint(
            secret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
            audience: AuthenticationTests.audience, subject: subject, member: member, admin: admin,
            memberClaim: "member")
    }

    static var verifier: TokenVerifier {
        get async throws {
            try await TokenVerifier(
                settings: TokenSettings(
                    hmacSecret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
                    audience: AuthenticationTests.audience, memberClaim: "member"))
        }
    }

    /// Creates the four members and their tokens; ada mentors bo in an active match.
    static func people(_ client: any TestClientProtocol, _ harness: MatchingHarness) async throws -> (People, String) {
        var people = People()
        people.tokens["acme-admin"] = try await mint(subject: "admin-acme", member: nil, admin: ["acme"])
        people.tokens["globex-admin"] = try await mint(subject: "admin-globex", member: nil, admin: ["globex"])
        var ids: [String] = []
        for (name, roles, network) in [
            ("ada", ["ROLE_MENTOR"], "acme"), ("bo", ["ROLE_MENTEE"], "acme"), ("cy", ["ROLE_MENTEE"], "acme"),
            ("dee", ["ROLE_MENTOR", "ROLE_MENTEE"], "globex"),
        ] {
            var member = memberBody(
                email: "\(name)@example.org", name: name, roles: roles, network: network, skill: "Rust")
            member["availability"] = (1...7).map { ["weekday": $0, "startMinute": 0, "endMinute": 1440] }
            let created = try await client.execute(
                uri: "/v1/members", method: .post, headers: people.headers("\(network)-admin"), body: try body(member))
            let id = try #require(try json(created)["id"] as? String, "\(String(buffer: created.body))")
            ids.append(id)
            people.tokens[id] = try await mint(subject: "person-\(name)", member: id, admin: [])
        }
        (people.ada, people.bo, people.cy, people.dee) = (ids[0], ids[1], ids[2], ids[3])
        try await harness.waitForMembers()
        let proposed = try await client.execute(
            uri: "/v1/matches", method: .post, headers: people.headers(people.bo),
            body: try body(["network": "acme", "mentorId": people.ada, "menteeId": people.bo, "requestedBy": people.bo])
        )
        let match = try #require(try json(proposed)["id"] as? String, "\(String(buffer: proposed.body))")
        let accepted = try await client.execute(
            uri: "/v1/matches/\(match):accept", method: .post, headers: people.headers(people.ada),
            body: try body(["memberId": people.ada]))
        #expect(try json(accepted)["state"] as? String == "MATCH_STATE_ACTIVE")
        try await harness.waitForSessions()
        try await harness.waitForPartnerships()
        return (people, match)
    }

    /// An RFC 3339 time `days` days from now, on the hour.
    static func future(days: Int) -> String {
        let hour = (Int(Date().timeIntervalSince1970) / 3600 + 24 * days) * 3600
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(hour)))
    }

    @Test("a match, its session, invite, series and goal, and a round: partners and their network's admins only")
    func matchesSessionsRounds() async throws {
        try await withMatchingGateway(tokens: try await Self.verifier) { client, harness in
            let (people, match) = try await Self.people(client, harness)
            func post(_ uri: String, as role: String, _ object: [String: Any]) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post, headers: people.headers(role), body: try body(object))
            }
            let session = try #require(
                try json(
                    try await post(
                        "/v1/matches/\(match)/sessions", as: people.bo,
                        ["memberId": people.bo, "startAt": Self.future(days: 2), "durationMinutes": 30])
                )["id"] as? String)
            let series = try #require(
                try json(
                    try await post(
                        "/v1/matches/\(match)/series", as: people.bo,
                        [
                            "memberId": people.bo, "firstStartAt": Self.future(days: 4), "durationMinutes": 30,
                            "count": 2,
                        ])
                )["id"] as? String)
            let goal = try #require(
                try json(
                    try await post(
                        "/v1/matches/\(match)/goals", as: people.bo,
                        ["memberId": people.bo, "title": "Ship the parser", "visibility": "GOAL_VISIBILITY_SHARED"])
                )["id"] as? String)
            let ran = try await post("/v1/rounds", as: "acme-admin", ["network": "acme", "minimumScore": 0])
            let round = try #require(try json(ran)["id"] as? String, "\(String(buffer: ran.body))")

            // Who sees each resource (everyone else: 404, exactly as for a made-up id).
            let partnersAndAdmin: Set<String> = [people.ada, people.bo, "acme-admin"]
            let reads: [(uri: String, made: String, readers: Set<String>)] = [
                ("/v1/matches/\(match)", "/v1/matches/mat_00000000000000000000000000", partnersAndAdmin),
                ("/v1/sessions/\(session)", "/v1/sessions/ses_00000000000000000000000000", partnersAndAdmin),
                (
                    "/v1/sessions/\(session)/invite", "/v1/sessions/ses_00000000000000000000000000/invite",
                    partnersAndAdmin
                ),
                ("/v1/series/\(series)", "/v1/series/srs_00000000000000000000000000", partnersAndAdmin),
            ]
            let everyone = [people.ada, people.bo, people.cy, people.dee, "acme-admin", "globex-admin"]
            for read in reads {
                for role in everyone {
                    let response = try await client.execute(uri: read.uri, method: .get, headers: people.headers(role))
                    if read.readers.contains(role) {
                        #expect(response.status == .ok, "\(read.uri) as \(role): \(response.status)")
                    } else {
                        #expect(response.status == .notFound, "\(read.uri) as \(role): \(response.status)")
                        let made = try await client.execute(uri: read.made, method: .get, headers: people.headers(role))
                        let id = read.uri.split(separator: "/")[2]
                        let madeID = read.made.split(separator: "/")[2]
                        #expect(
                            String(buffer: response.body).replacingOccurrences(of: id, with: madeID)
                                == String(buffer: made.body), "\(read.uri) as \(role) tells it exists")
                    }
                }
            }
            // A goal: only the partners (the goal's own rule names the member acting).
            for role in [people.ada, people.bo, people.cy, people.dee] {
                let response = try await client.execute(
                    uri: "/v1/goals/\(goal)?memberId=\(role)", method: .get, headers: people.headers(role))
                #expect(
                    response.status == ([people.ada, people.bo].contains(role) ? .ok : .notFound),
                    "goal as \(role): \(response.status)")
            }
            // Acting on a match one is not a partner of: it does not exist.
            let stranger = try await post(
                "/v1/matches/\(match)/sessions", as: people.cy,
                ["memberId": people.cy, "startAt": Self.future(days: 3), "durationMinutes": 30])
            #expect(stranger.status == .notFound)
            #expect(try errorCode(stranger) == "NOT_FOUND")

            // A round: only the admins of its network (members are refused by the rule: 403).
            for (role, status) in [
                ("acme-admin", HTTPResponse.Status.ok), ("globex-admin", .notFound), (people.ada, .forbidden),
            ] {
                let response = try await client.execute(
                    uri: "/v1/rounds/\(round)", method: .get, headers: people.headers(role))
                #expect(response.status == status, "round as \(role): \(response.status)")
            }
            let foreignPublish = try await post("/v1/rounds/\(round):publish", as: "globex-admin", [:])
            #expect(foreignPublish.status == .notFound)
            let still = try await client.execute(
                uri: "/v1/rounds/\(round)", method: .get, headers: people.headers("acme-admin"))
            #expect(try json(still)["state"] as? String == "ROUND_STATE_DRY_RUN")
        }
    }

    @Test("a network's matches: its admins list them all, paged and by state; nobody else; bad requests name the field")
    func networkProgramme() async throws {
        try await withMatchingGateway(tokens: try await Self.verifier) { client, harness in
            let (people, match) = try await Self.people(client, harness)
            // A second, open match in acme: cy asks ada.
            let proposed = try await client.execute(
                uri: "/v1/matches", method: .post, headers: people.headers(people.cy),
                body: try body([
                    "network": "acme", "mentorId": people.ada, "menteeId": people.cy, "requestedBy": people.cy,
                ])
            )
            let open = try #require(try json(proposed)["id"] as? String, "\(String(buffer: proposed.body))")
            func list(_ query: String, as role: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(
                    uri: "/v1/networks/acme/matches\(query)", method: .get, headers: people.headers(role))
                return (response.status, try json(response))
            }
            func ids(_ page: [String: Any]) -> [String] {
                (page["matches"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            let (status, all) = try await list("", as: "acme-admin")
            #expect(status == .ok)
            #expect(ids(all) == [open, match])  // newest first
            let (_, first) = try await list("?pageSize=1", as: "acme-admin")
            #expect(ids(first) == [open])
            let token = try #require(first["nextPageToken"] as? String)
            let (_, second) = try await list("?pageSize=1&pageToken=\(token)", as: "acme-admin")
            #expect(ids(second) == [match] && (second["nextPageToken"] as? String ?? "").isEmpty)
            let (_, active) = try await list("?state=MATCH_STATE_ACTIVE", as: "acme-admin")
            #expect(ids(active) == [match])
            // Another network's admin and the members themselves are refused by the rule.
            for role in ["globex-admin", people.ada, people.bo] {
                let (refused, _) = try await list("", as: role)
                #expect(refused == .forbidden, "as \(role)")
            }
            // globex has no matches: its admin sees an empty list of its own.
            let globex = try await client.execute(
                uri: "/v1/networks/globex/matches", method: .get, headers: people.headers("globex-admin"))
            let globexPage = try json(globex)
            #expect(globex.status == .ok && ids(globexPage).isEmpty)
            for (query, field) in [("?pageSize=500", "pageSize"), ("?pageToken=nope", "pageToken")] {
                let response = try await client.execute(
                    uri: "/v1/networks/acme/matches\(query)", method: .get, headers: people.headers("acme-admin"))
                #expect(response.status == .badRequest)
                #expect(try errorFields(response) == [field], "\(query)")
            }
            let oddAdmin = try await Self.mint(subject: "x", member: nil, admin: ["Not_A_Slug"])
            let badNetwork = try await client.execute(
                uri: "/v1/networks/Not_A_Slug/matches", method: .get, headers: [.authorization: "Bearer \(oddAdmin)"])
            #expect(badNetwork.status == .badRequest)
            #expect(try errorFields(badNetwork) == ["network"])
        }
    }

    @Test("a hold: its token is not enough for someone outside the match")
    func holds() async throws {
        try await withMatchingGateway(tokens: try await Self.verifier) { client, harness in
            let (people, match) = try await Self.people(client, harness)
            let held = try await client.execute(
                uri: "/v1/matches/\(match)/holds", method: .post, headers: people.headers(people.bo),
                body: try body(["memberId": people.bo, "startAt": Self.future(days: 2), "durationMinutes": 30]))
            let hold = try json(held)
            let id = try #require(hold["id"] as? String, "\(String(buffer: held.body))")
            let token = try #require(hold["token"] as? String)
            for (role, action) in [(people.cy, "confirm"), (people.dee, "release"), ("globex-admin", "confirm")] {
                let response = try await client.execute(
                    uri: "/v1/holds/\(id):\(action)", method: .post, headers: people.headers(role),
                    body: try body(["token": token]))
                #expect(response.status == .notFound, "\(action) as \(role): \(response.status)")
            }
            // Untouched: the partner confirms it.
            let booked = try await client.execute(
                uri: "/v1/holds/\(id):confirm", method: .post, headers: people.headers(people.ada),
                body: try body(["token": token, "title": "Held"]))
            #expect(booked.status == .ok, "\(String(buffer: booked.body))")
        }
    }

    @Test("a profile: whole to its member, their active partners and their networks' admins; no email to others")
    func profiles() async throws {
        try await withMatchingGateway(tokens: try await Self.verifier) { client, harness in
            let (people, match) = try await Self.people(client, harness)
            func member(_ id: String, as role: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                let response = try await client.execute(
                    uri: "/v1/members/\(id)", method: .get, headers: people.headers(role))
                return (response.status, try json(response))
            }
            for (role, status, email) in [
                (people.bo, HTTPResponse.Status.ok, true), (people.ada, .ok, true), ("acme-admin", .ok, true),
                (people.cy, .ok, false), (people.dee, .notFound, false), ("globex-admin", .notFound, false),
            ] {
                let (got, member) = try await member(people.bo, as: role)
                #expect(got == status, "bo as \(role): \(got)")
                if status == .ok {
                    #expect((member["email"] as? String == "bo@example.org") == email, "bo's email as \(role)")
                    #expect(member["displayName"] as? String == "bo")
                }
            }
            // Lists: a person lists the networks they are in or administer, with the same emails.
            func list(_ query: String, as role: String) async throws -> [String: String] {
                let page = try json(
                    try await client.execute(uri: "/v1/members\(query)", method: .get, headers: people.headers(role)))
                var emails: [String: String] = [:]
                for member in page["members"] as? [[String: Any]] ?? [] {
                    emails[member["id"] as? String ?? ""] = member["email"] as? String ?? ""
                }
                return emails
            }
            #expect(
                try await list("?network=acme", as: people.ada)
                    == [people.ada: "ada@example.org", people.bo: "bo@example.org", people.cy: ""])
            #expect(
                try await list("", as: people.cy) == [people.ada: "", people.bo: "", people.cy: "cy@example.org"])
            #expect(try await list("?network=acme", as: people.dee) == [:])
            #expect(try await list("", as: people.dee) == [people.dee: "dee@example.org"])
            #expect(try await list("", as: "globex-admin") == [people.dee: "dee@example.org"])
            #expect(try await list("", as: "acme-admin").values.allSatisfy { !$0.isEmpty })

            // Once the match ends, the partners no longer see each other's email.
            let ended = try await client.execute(
                uri: "/v1/matches/\(match):end", method: .post, headers: people.headers(people.ada),
                body: try body(["memberId": people.ada, "outcome": "MATCH_STATE_COMPLETED"]))
            #expect(ended.status == .ok, "\(String(buffer: ended.body))")
            try await harness.waitForPartnerships()
            let (status, after) = try await member(people.bo, as: people.ada)
            #expect(status == .ok)
            #expect((after["email"] as? String ?? "").isEmpty, "\(after)")
        }
    }
}
