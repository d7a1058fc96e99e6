import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// API keys through the gateway: made by a network's admins and shown once, scoped, limited to
/// their network, refused for what they lack, revoked at once.
@Suite("API keys: made by admins, scoped, revocable")
struct ApiKeyTests {
    static func headers(_ token: String) -> HTTPFields {
        var headers = jsonHeaders
        headers[.authorization] = "Bearer \(token)"
        return headers
    }

    static func admin(_ network: String) async throws -> HTTPFields {
        headers(
            try await TokenMinter.mint(
                secret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
                audience: AuthenticationTests.audience, subject: "admin-\(network)", member: nil, admin: [network],
                memberClaim: "member"))
    }

    @Test("a key works within its scopes and network, and stops at once when revoked")
    func lifecycle() async throws {
        try await withMatchingGateway(tokens: try await TrafficTests.verifier()) { client, harness in
            let acme = try await Self.admin("acme")
            let member = try await client.execute(
                uri: "/v1/members", method: .post, headers: acme, body: try body(memberBody(email: "ada@example.org")))
            let ada = try #require(try json(member)["id"] as? String)
            try await harness.waitForMembers()

            let made = try await client.execute(
                uri: "/v1/networks/acme/api-keys", method: .post, headers: acme,
                body: try body(["name": "HR sync", "scopes": ["members:read", "rounds:run"]]))
            #expect(made.status == .ok, "\(String(buffer: made.body))")
            let key = try json(made)
            let secret = try #require(key["secret"] as? String)
            let id = try #require(key["id"] as? String)
            #expect(secret.hasPrefix("mnk_") && secret.count == 44)
            #expect(secret.hasPrefix(try #require(key["prefix"] as? String)))
            #expect(key["network"] as? String == "acme" && key["createdBy"] as? String == "admin-acme")

            // Listed for the network's admins, never with the secret; not for another network's.
            let listed = try json(
                try await client.execute(uri: "/v1/networks/acme/api-keys", method: .get, headers: acme))
            let keys = try #require(listed["keys"] as? [[String: Any]])
            #expect(keys.map { $0["id"] as? String } == [id])
            #expect((keys.first?["secret"] as? String ?? "").isEmpty)
            let foreign = try await client.execute(
                uri: "/v1/networks/acme/api-keys", method: .get, headers: try await Self.admin("globex"))
            #expect(foreign.status == .forbidden)

            let withKey = Self.headers(secret)
            let read = try await client.execute(uri: "/v1/members/\(ada)", method: .get, headers: withKey)
            #expect(read.status == .ok)
            #expect(try json(read)["email"] as? String == "ada@example.org")
            let round = try await client.execute(
                uri: "/v1/rounds", method: .post, headers: withKey, body: try body(["network": "acme"]))
            #expect(round.status == .created, "\(String(buffer: round.body))")
            // Outside its network, its scopes, or what keys may do at all: 403 saying which.
            for (verb, uri, object, words) in [
                ("POST", "/v1/rounds", ["network": "globex"] as [String: Any], "network globex"),
                ("GET", "/v1/matches/mat_00000000000000000000000000", nil, "scope matches:read"),
                ("POST", "/v1/members", memberBody(email: "bo@example.org"), "may not call this method"),
                ("POST", "/v1/networks/acme/api-keys", ["name": "x", "scopes": ["members:read"]], "may not call"),
            ] {
                let response = try await client.execute(
                    uri: uri, method: HTTPRequest.Method(verb)!, headers: withKey, body: try object.map { try body($0) }
                )
                #expect(response.status == .forbidden, "\(verb) \(uri): \(response.status)")
                let message = (try json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(words), "\(verb) \(uri): \(message)")
            }

            let revoked = try await client.execute(
                uri: "/v1/networks/acme/api-keys/\(id):revoke", method: .post, headers: acme)
            #expect(revoked.status == .ok)
            #expect(try json(revoked)["revokedAt"] as? String != nil)
            let after = try await client.execute(uri: "/v1/members/\(ada)", method: .get, headers: withKey)
            #expect(after.status == .unauthorized)
            #expect(after.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            let made2 = try await client.execute(uri: "/v1/members", method: .get, headers: Self.headers("mnk_made-up"))
            #expect(made2.status == .unauthorized)
        }
    }

    @Test("a malformed key request names the field and makes nothing")
    func refusals() async throws {
        try await withMatchingGateway(tokens: try await TrafficTests.verifier()) { client, _ in
            let acme = try await Self.admin("acme")
            for (object, field) in [
                (["name": "", "scopes": ["members:read"]] as [String: Any], "name"),
                (["name": "x", "scopes": [] as [String]], "scopes"),
                (["name": "x", "scopes": ["members:write"]], "scopes[0]"),
                (["name": "x", "scopes": ["members:read", "members:read"]], "scopes"),
                (["name": "x", "scopes": ["members:read"], "expiresAt": "2020-01-01T00:00:00Z"], "expiresAt"),
            ] {
                let response = try await client.execute(
                    uri: "/v1/networks/acme/api-keys", method: .post, headers: acme, body: try body(object))
                #expect(response.status == .badRequest, "\(object)")
                #expect(try errorFields(response).contains(field), "\(object): \(String(buffer: response.body))")
            }
            let none = try json(
                try await client.execute(uri: "/v1/networks/acme/api-keys", method: .get, headers: acme))
            #expect((none["keys"] as? [Any] ?? []).isEmpty)
            let missing = try await client.execute(
                uri: "/v1/networks/acme/api-keys/key_00000000000000000000000000:revoke", method: .post, headers: acme)
            #expect(missing.status == .notFound)
            let badID = try await client.execute(
                uri: "/v1/networks/acme/api-keys/nope:revoke", method: .post, headers: acme)
            #expect(try errorFields(badID) == ["id"])
        }
    }
}
