import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("the matching API through the gateway")
struct MatchingAPITests {
    func post(_ client: any TestClientProtocol, _ uri: String, _ object: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: jsonHeaders, body: try body(object))
    }

    func create(_ client: any TestClientProtocol, _ name: String, roles: [String]) async throws -> String {
        let response = try await post(
            client, "/v1/members", memberBody(email: "\(name)@example.org", name: name, roles: roles, skill: "Rust"))
        #expect(response.status == .created)
        return try #require(try json(response)["id"] as? String)
    }

    @Test(
        "a network seeded through the gateway: suggestions, a round run and published, proposals accepted, matches listed"
    )
    func roundFlow() async throws {
        try await withMatchingGateway { client, harness in
            let mentors = [
                try await create(client, "ada", roles: ["ROLE_MENTOR"]),
                try await create(client, "bo", roles: ["ROLE_MENTOR"]),
            ]
            var mentees: [String] = []
            for name in ["cy", "dee", "eve"] { mentees.append(try await create(client, name, roles: ["ROLE_MENTEE"])) }
            try await harness.waitForMembers()

            let suggested = try await client.execute(
                uri: "/v1/members/\(mentees[0])/suggestions?network=acme&limit=5", method: .get)
            #expect(suggested.status == .ok)
            let suggestions = try #require(try json(suggested)["suggestions"] as? [[String: Any]])
            #expect(Set(suggestions.compactMap { $0["candidateId"] as? String }) == Set(mentors))
            #expect(suggestions.first?["kind"] as? String == "MATCH_KIND_ONE_WAY")

            let ran = try await post(client, "/v1/rounds", ["network": "acme", "minimumScore": 10, "seed": "3"])
            #expect(ran.status == .created)
            let round = try json(ran)
            let roundID = try #require(round["id"] as? String)
            #expect(ran.headers[.location] == "/v1/rounds/\(roundID)")
            #expect(round["state"] as? String == "ROUND_STATE_DRY_RUN")
            #expect(round["objective"] as? String == "ROUND_OBJECTIVE_MAX_SCORE")
            let pairs = try #require(round["pairs"] as? [[String: Any]])
            #expect(pairs.count == 3)  // two mentors with capacity 2 each, three mentees

            let published = try await post(client, "/v1/rounds/\(roundID):publish", [:])
            #expect(published.status == .ok)
            #expect(try json(published)["state"] as? String == "ROUND_STATE_PUBLISHED")
            let proposed = try #require(try json(published)["pairs"] as? [[String: Any]])
            for pair in proposed {
                let matchID = try #require(pair["matchId"] as? String)
                for partner in [pair["mentorId"], pair["menteeId"]].compactMap({ $0 as? String }) {
                    let accepted = try await post(client, "/v1/matches/\(matchID):accept", ["memberId": partner])
                    #expect(accepted.status == .ok)
                }
                let match = try json(try await client.execute(uri: "/v1/matches/\(matchID)", method: .get))
                #expect(match["state"] as? String == "MATCH_STATE_ACTIVE")
                #expect(match["origin"] as? String == "MATCH_ORIGIN_ROUND" && match["roundId"] as? String == roundID)
            }
            var listed = 0
            for mentor in mentors {
                let page = try await client.execute(
                    uri: "/v1/members/\(mentor)/matches?state=MATCH_STATE_ACTIVE", method: .get)
                listed += (try json(page)["matches"] as? [[String: Any]])?.count ?? 0
            }
            #expect(listed == 3)
            let again = try await client.execute(uri: "/v1/rounds/\(roundID)", method: .get)
            #expect(try json(again)["state"] as? String == "ROUND_STATE_PUBLISHED")
        }
    }

    @Test("a member's request, then the mentor declines; ending needs an active match")
    func requestFlow() async throws {
        try await withMatchingGateway { client, harness in
            let ada = try await create(client, "ada", roles: ["ROLE_MENTOR"])
            let cy = try await create(client, "cy", roles: ["ROLE_MENTEE"])
            try await harness.waitForMembers()
            let requested = try await post(
                client, "/v1/matches",
                [
                    "network": "acme", "mentorId": ada, "menteeId": cy, "origin": "MATCH_ORIGIN_REQUESTED",
                    "requestedBy": cy,
                ])
            #expect(requested.status == .created)
            let match = try json(requested)
            let id = try #require(match["id"] as? String)
            #expect(requested.headers[.location] == "/v1/matches/\(id)")
            #expect(match["menteeAccepted"] as? Bool == true && match["state"] as? String == "MATCH_STATE_PROPOSED")
            let duplicate = try await post(
                client, "/v1/matches", ["network": "acme", "mentorId": ada, "menteeId": cy, "requestedBy": cy])
            #expect(duplicate.status == .conflict)
            let ended = try await post(
                client, "/v1/matches/\(id):end", ["memberId": ada, "outcome": "MATCH_STATE_COMPLETED"])
            #expect(ended.status == .badRequest || ended.status == .preconditionFailed)
            #expect(try errorCode(ended) == "FAILED_PRECONDITION")
            let declined = try await post(client, "/v1/matches/\(id):decline", ["memberId": ada, "reason": "full"])
            #expect(try json(declined)["state"] as? String == "MATCH_STATE_DECLINED")
        }
    }

    @Test("malformed matching requests get 400 naming the field, unknown routes 404")
    func badRequests() async throws {
        try await withMatchingGateway { client, harness in
            let ada = try await create(client, "ada", roles: ["ROLE_MENTOR"])
            try await harness.waitForMembers()
            let cases: [(String, [String: Any], String)] = [
                ("/v1/matches", ["network": "acme", "colour": "red"], "colour"),
                ("/v1/matches", ["network": "acme", "kind": "MATCH_KIND_BEST"], "kind"),
                (
                    "/v1/matches", ["network": "acme", "mentorId": ada, "menteeId": "nobody", "requestedBy": ada],
                    "menteeId"
                ),
                ("/v1/rounds", ["network": "acme", "minimumScore": 101], "minimumScore"),
                ("/v1/rounds", ["network": "Not A Slug"], "network"),
                ("/v1/matches/mat_00000000000000000000000000:accept", [:], "memberId"),
                ("/v1/matches/mat_00000000000000000000000000:end", ["memberId": ada], "outcome"),
                // The path gives the match; the version read goes in If-Match.
                ("/v1/matches/mat_00000000000000000000000000:accept", ["memberId": ada, "matchId": "x"], "matchId"),
                ("/v1/matches/mat_00000000000000000000000000:accept", ["memberId": ada, "version": 2], "version"),
                ("/v1/rounds", ["network": "acme", "skipMutual": "yes"], "skipMutual"),
            ]
            for (uri, object, field) in cases {
                let response = try await post(client, uri, object)
                #expect(response.status == .badRequest, "\(uri) \(object)")
                let fields = try errorFields(response)
                #expect(fields.contains(field), "\(uri): \(fields)")
            }
            let unknown = try await client.execute(
                uri: "/v1/members/\(ada)/suggestions?network=acme&colour=red", method: .get)
            #expect(try errorFields(unknown) == ["colour"])
            let limit = try await client.execute(
                uri: "/v1/members/\(ada)/suggestions?network=acme&limit=99", method: .get)
            #expect(try errorFields(limit) == ["limit"])
            let action = try await post(client, "/v1/matches/mat_00000000000000000000000000:approve", [:])
            #expect(action.status == .notFound)
        }
    }
}
