import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ProfilesV1
import Testing

@Suite("the /v1/members JSON API")
struct MembersAPITests {
    @Test("create → get → patch → stale patch → pause → resume → delete")
    func lifecycle() async throws {
        try await withGateway { client in
            let created = try await client.execute(
                uri: "/v1/members", method: .post, headers: jsonHeaders, body: try body(memberBody()))
            #expect(created.status == .created)
            let member = try json(created)
            let id = try #require(member["id"] as? String)
            #expect(created.headers[.location] == "/v1/members/\(id)")
            #expect(created.headers[.eTag] == "\"1\"")
            #expect(member["version"] as? String == "1")
            #expect(member["status"] as? String == "MEMBER_STATUS_ACTIVE")
            #expect((member["createdAt"] as? String)?.hasSuffix("Z") == true)
            #expect((member["expertise"] as? [[String: Any]])?.first?["skill"] as? String == "swift")

            let fetched = try await client.execute(uri: "/v1/members/\(id)", method: .get)
            #expect(fetched.status == .ok)
            #expect(try json(fetched)["email"] as? String == "ada@example.org")

            var ifMatch = HTTPFields()
            ifMatch[.ifMatch] = "\"1\""
            ifMatch[.contentType] = "application/json"
            let patched = try await client.execute(
                uri: "/v1/members/\(id)", method: .patch, headers: ifMatch, body: try body(["headline": "Principal"]))
            #expect(patched.status == .ok)
            #expect(try json(patched)["headline"] as? String == "Principal")
            #expect(try json(patched)["displayName"] as? String == "Ada Lovelace")
            #expect(try json(patched)["version"] as? String == "2")

            let stale = try await client.execute(
                uri: "/v1/members/\(id)", method: .patch, headers: ifMatch, body: try body(["headline": "Again"]))
            #expect(stale.status == .conflict)
            #expect(try errorCode(stale) == "ABORTED")
            // The version read goes in If-Match (weak or strong); the body's `version` is the service's.
            let versionInBody = try await client.execute(
                uri: "/v1/members/\(id)", method: .patch, body: try body(["bio": "x", "version": "2"]))
            #expect(versionInBody.status == .badRequest)
            #expect(try errorFields(versionInBody) == ["version"])
            var weak = HTTPFields()
            weak[.ifMatch] = "W/\"2\""
            let byWeakTag = try await client.execute(
                uri: "/v1/members/\(id)", method: .patch, headers: weak, body: try body(["bio": "x"]))
            #expect(byWeakTag.status == .ok)
            let empty = try await client.execute(uri: "/v1/members/\(id)", method: .patch, body: try body([:]))
            #expect(empty.status == .badRequest)
            #expect(try errorFields(empty) == ["body"])

            // Proto names are accepted as proto3 JSON parsers accept them; fields the service sets are not.
            let byProtoName = try await client.execute(
                uri: "/v1/members/\(id)", method: .patch, body: try body(["display_name": "Ada L."]))
            #expect(byProtoName.status == .ok)
            #expect(try json(byProtoName)["displayName"] as? String == "Ada L.")
            #expect(try json(byProtoName)["bio"] as? String == "x", "only the field given changes")
            let setsStatus = try await client.execute(
                uri: "/v1/members/\(id)", method: .patch, body: try body(["status": "MEMBER_STATUS_PAUSED"]))
            #expect(setsStatus.status == .badRequest)
            #expect(try errorFields(setsStatus) == ["status"])

            let paused = try await client.execute(uri: "/v1/members/\(id):pause", method: .post)
            #expect(try json(paused)["status"] as? String == "MEMBER_STATUS_PAUSED")
            let pausedAgain = try await client.execute(uri: "/v1/members/\(id):pause", method: .post)
            #expect(pausedAgain.status == .badRequest)
            #expect(try errorCode(pausedAgain) == "FAILED_PRECONDITION")
            let resumed = try await client.execute(uri: "/v1/members/\(id):resume", method: .post)
            #expect(try json(resumed)["status"] as? String == "MEMBER_STATUS_ACTIVE")
            let unknownAction = try await client.execute(uri: "/v1/members/\(id):explode", method: .post)
            #expect(unknownAction.status == .notFound)
            let deleted = try await client.execute(uri: "/v1/members/\(id)", method: .delete)
            #expect(try json(deleted)["status"] as? String == "MEMBER_STATUS_DEACTIVATED")

            let missing = try await client.execute(uri: "/v1/members/mbr_0000000000000000000000000a", method: .get)
            #expect(missing.status == .notFound)
            #expect(try errorCode(missing) == "NOT_FOUND")
        }
    }

    @Test("list filters and pages with pageToken")
    func list() async throws {
        try await withGateway { client in
            var ids: [String] = []
            for (index, network) in ["acme", "acme", "oss", "oss", "acme"].enumerated() {
                let roles = index % 2 == 0 ? ["ROLE_MENTOR"] : ["ROLE_MENTEE"]
                let response = try await client.execute(
                    uri: "/v1/members", method: .post,
                    body: try body(
                        memberBody(email: "m\(index)@x.org", name: "Member \(index)", roles: roles, network: network)))
                ids.append(try #require(try json(response)["id"] as? String))
            }
            func listed(_ query: String) async throws -> [String] {
                let response = try await client.execute(uri: "/v1/members?\(query)", method: .get)
                #expect(response.status == .ok, "\(query)")
                return (try json(response)["members"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await listed("network=acme") == [ids[0], ids[1], ids[4]])
            #expect(try await listed("role=ROLE_MENTEE") == [ids[1], ids[3]])
            #expect(try await listed("skill=swift") == [ids[0], ids[2], ids[4]])
            #expect(try await listed("query=member%203") == [ids[3]])
            #expect(try await listed("role=ROLE_MENTOR&network=oss") == [ids[2]])
            #expect(try await listed("status=MEMBER_STATUS_ACTIVE").count == 5)

            var seen: [String] = []
            var token: String?
            repeat {
                let suffix =
                    token.map { "&pageToken=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" } ?? ""
                let response = try await client.execute(uri: "/v1/members?pageSize=2\(suffix)", method: .get)
                let page = try json(response)
                seen += (page["members"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                // The last page says so with an empty token (AIP-158); the field is always there.
                token = try #require(page["nextPageToken"] as? String)
            } while token != ""
            #expect(seen == ids)

            for bad in [
                "role=ROLE_BOSS", "pageSize=-1", "pageSize=201", "status=GONE", "color=red", "pageToken=xyz",
                "q=member", "network=acme&network=oss",
            ] {
                let response = try await client.execute(uri: "/v1/members?\(bad)", method: .get)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try errorFields(response).count == 1, "\(bad)")
            }
        }
    }

    @Test(
        "malformed bodies get a 400 naming the problem",
        arguments: [
            ("{\"email\": ", "body"),
            ("[1, 2]", "body"),
            ("{\"email\": 5}", "email"),
            ("{\"emial\": \"a@b.org\"}", "emial"),
            ("{\"roles\": [\"ROLE_BOSS\"]}", "roles[0]"),
            ("{\"expertise\": [{\"skill\": \"go\", \"level\": \"high\"}]}", "expertise[0].level"),
            ("{\"expertise\": [{\"skill\": \"go\", \"lvl\": 3}]}", "expertise[0].lvl"),
            ("{\"preferences\": {\"oneWay\": 1}}", "preferences.oneWay"),
            ("{\"displayName\": \"a\\u0000b\"}", "displayName"),
            ("{\"yearsOfExperience\": -1}", "yearsOfExperience"),
            ("{\"id\": \"mbr_x\"}", "id"),
            ("{\"createdAt\": \"2026-01-01T00:00:00Z\"}", "createdAt"),
        ]
    )
    func malformed(_ text: String, _ field: String) async throws {
        try await withGateway { client in
            let response = try await client.execute(uri: "/v1/members", method: .post, body: ByteBuffer(string: text))
            #expect(response.status == .badRequest)
            #expect(try errorFields(response) == [field])
            #expect(try errorCode(response) == "INVALID_ARGUMENT")
            let list = try await client.execute(uri: "/v1/members", method: .get)
            #expect((try json(list)["members"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("rule violations name the JSON fields and store nothing")
    func ruleViolations() async throws {
        try await withGateway { client in
            var member = memberBody()
            member["timezone"] = "Mars/Base"
            member["learningGoals"] = [["skill": "Rust", "priority": 9]]
            member["availability"] = [["weekday": 1, "startMinute": 600, "endMinute": 540]]
            let response = try await client.execute(uri: "/v1/members", method: .post, body: try body(member))
            #expect(response.status == .badRequest)
            #expect(
                try errorFields(response) == ["timezone", "learningGoals[0].priority", "availability[0].endMinute"])
            let list = try await client.execute(uri: "/v1/members", method: .get)
            #expect((try json(list)["members"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a duplicate email in any case is 409; an idempotent retry returns the first member")
    func duplicatesAndRetries() async throws {
        try await withGateway { client in
            var headers = jsonHeaders
            headers[HTTPField.Name("Idempotency-Key")!] = "signup-1"
            let first = try await client.execute(
                uri: "/v1/members", method: .post, headers: headers, body: try body(memberBody()))
            let retry = try await client.execute(
                uri: "/v1/members", method: .post, headers: headers, body: try body(memberBody()))
            #expect(first.status == .created)
            #expect(try json(retry)["id"] as? String == json(first)["id"] as? String)
            let duplicate = try await client.execute(
                uri: "/v1/members", method: .post, body: try body(memberBody(email: "ADA@EXAMPLE.ORG")))
            #expect(duplicate.status == .conflict)
            #expect(try errorCode(duplicate) == "ALREADY_EXISTS")
            let list = try await client.execute(uri: "/v1/members", method: .get)
            #expect((try json(list)["members"] as? [Any])?.count == 1)
        }
    }

    @Test("a body over the limit is 413")
    func tooLarge() async throws {
        try await withGateway { client in
            var member = memberBody()
            member["bio"] = String(repeating: "x", count: 100_000)
            let response = try await client.execute(uri: "/v1/members", method: .post, body: try body(member))
            #expect(response.status == .contentTooLarge)
            #expect(try errorFields(response) == ["body"])
        }
    }
}
