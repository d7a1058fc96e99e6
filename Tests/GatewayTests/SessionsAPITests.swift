import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite("the sessions API through the gateway")
struct SessionsAPITests {
    func post(_ client: any TestClientProtocol, _ uri: String, _ object: [String: Any], headers: HTTPFields = [:])
        async throws -> TestResponse
    {
        var all = jsonHeaders
        for field in headers { all.append(field) }
        return try await client.execute(uri: uri, method: .post, headers: all, body: try body(object))
    }

    /// Two members with an active match, known to the sessions service.
    func activeMatch(_ client: any TestClientProtocol, _ harness: MatchingHarness) async throws -> (
        String, String, String
    ) {
        var ids: [String] = []
        for (name, roles) in [("ada", ["ROLE_MENTOR"]), ("cy", ["ROLE_MENTEE"])] {
            var member = memberBody(email: "\(name)@example.org", name: name, roles: roles, skill: "Rust")
            member["availability"] = (1...7).map { ["weekday": $0, "startMinute": 0, "endMinute": 1440] }
            let response = try await post(client, "/v1/members", member)
            ids.append(try #require(try json(response)["id"] as? String))
        }
        try await harness.waitForMembers()
        let proposed = try await post(
            client, "/v1/matches", ["network": "acme", "mentorId": ids[0], "menteeId": ids[1], "requestedBy": ids[1]])
        let match = try #require(try json(proposed)["id"] as? String)
        let accepted = try await post(client, "/v1/matches/\(match):accept", ["memberId": ids[0]])
        #expect(try json(accepted)["state"] as? String == "MATCH_STATE_ACTIVE")
        try await harness.waitForSessions()
        return (ids[0], ids[1], match)
    }

    /// An RFC 3339 time `days` days from now, on the hour.
    func future(days: Int) -> String {
        let hour = (Int(Date().timeIntervalSince1970) / 3600 + 24 * days) * 3600
        return ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(hour)))
    }

    @Test("schedule → get → list both ways → reschedule → cancel, with If-Match and the links")
    func lifecycle() async throws {
        try await withMatchingGateway { client, harness in
            let (ada, cy, match) = try await activeMatch(client, harness)
            let start = future(days: 2)
            var idempotent: HTTPFields = [:]
            idempotent[HTTPField.Name("Idempotency-Key")!] = "book-1"
            let booked = try await post(
                client, "/v1/matches/\(match)/sessions",
                ["memberId": cy, "startAt": start, "durationMinutes": 45, "title": "Kick-off"], headers: idempotent)
            #expect(booked.status == .created)
            let session = try json(booked)
            let id = try #require(session["id"] as? String)
            #expect(booked.headers[.location] == "/v1/sessions/\(id)")
            #expect(booked.headers[.eTag] == "\"1\"")
            #expect(session["startAt"] as? String == start.replacingOccurrences(of: "Z", with: ".000000Z"))
            #expect(session["state"] as? String == "SESSION_STATE_SCHEDULED")
            #expect(session["participantIds"] as? [String] == [cy, ada])
            let retry = try await post(
                client, "/v1/matches/\(match)/sessions",
                ["memberId": cy, "startAt": start, "durationMinutes": 45, "title": "Kick-off"], headers: idempotent)
            #expect(try json(retry)["id"] as? String == id)

            let fetched = try await client.execute(uri: "/v1/sessions/\(id)", method: .get)
            #expect(try json(fetched)["title"] as? String == "Kick-off")
            for uri in ["/v1/members/\(ada)/sessions", "/v1/matches/\(match)/sessions?memberId=\(cy)"] {
                let page = try json(try await client.execute(uri: uri, method: .get))
                #expect((page["sessions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id], "\(uri)")
            }

            var stale: HTTPFields = [:]
            stale[.ifMatch] = "\"7\""
            let refused = try await post(
                client, "/v1/sessions/\(id):reschedule", ["memberId": ada, "startAt": future(days: 3)], headers: stale)
            #expect(refused.status == .conflict)
            let moved = try await post(
                client, "/v1/sessions/\(id):reschedule", ["memberId": ada, "startAt": future(days: 3)])
            #expect(moved.status == .ok)
            let movedID = try #require(try json(moved)["id"] as? String)
            let movedSession = try json(moved)
            #expect(movedSession["replacesSessionId"] as? String == id)
            #expect(movedSession["sequence"] as? Int == 1 && movedSession["calendarUid"] as? String == id)

            var version: HTTPFields = jsonHeaders
            version[.ifMatch] = "\"1\""
            let noted = try await client.execute(
                uri: "/v1/sessions/\(movedID)?memberId=\(ada)", method: .patch, headers: version,
                body: try body(["notes": "Bring the draft", "agenda": "1. Draft"]))
            #expect(noted.status == .ok)
            #expect(try json(noted)["notes"] as? String == "Bring the draft" && noted.headers[.eTag] == "\"2\"")
            let moveByPatch = try await client.execute(
                uri: "/v1/sessions/\(movedID)?memberId=\(ada)", method: .patch, body: try body(["startAt": start]))
            #expect(try errorFields(moveByPatch) == ["startAt"])

            let cancelled = try await post(
                client, "/v1/sessions/\(movedID):cancel", ["memberId": cy, "reason": "travelling"])
            #expect(try json(cancelled)["state"] as? String == "SESSION_STATE_CANCELLED")
            let again = try await post(client, "/v1/sessions/\(movedID):cancel", ["memberId": cy, "reason": "x"])
            #expect(again.status == .badRequest)
            #expect(try errorCode(again) == "FAILED_PRECONDITION")
        }
    }

    @Test("find a slot, hold it, confirm it: the session is booked at the slot")
    func slotsAndHolds() async throws {
        try await withMatchingGateway { client, harness in
            let (ada, cy, match) = try await activeMatch(client, harness)
            let found = try await client.execute(
                uri: "/v1/matches/\(match)/slots?memberId=\(ada)&durationMinutes=30&stepMinutes=60&limit=3",
                method: .get)
            #expect(found.status == .ok)
            let slots = try #require(try json(found)["slots"] as? [[String: Any]])
            #expect(slots.count == 3)
            let start = try #require(slots.first?["startAt"] as? String)
            let held = try await post(
                client, "/v1/matches/\(match)/holds", ["memberId": cy, "startAt": start, "durationMinutes": 30])
            #expect(held.status == .ok)
            let hold = try json(held)
            let holdID = try #require(hold["id"] as? String)
            let token = try #require(hold["token"] as? String)
            let booked = try await post(client, "/v1/holds/\(holdID):confirm", ["token": token, "title": "Held"])
            #expect(booked.status == .ok)
            #expect(try json(booked)["startAt"] as? String == start)
            #expect(try json(booked)["organizerId"] as? String == cy)
            let after = try json(
                try await client.execute(
                    uri: "/v1/matches/\(match)/slots?memberId=\(ada)&durationMinutes=30&stepMinutes=60&limit=3",
                    method: .get))
            #expect((after["slots"] as? [[String: Any]])?.first?["startAt"] as? String != start)
            let badQuery = try await client.execute(
                uri: "/v1/matches/\(match)/slots?memberId=\(ada)&durationMinutes=thirty", method: .get)
            #expect(try errorFields(badQuery) == ["durationMinutes"])
        }
    }

    @Test("a member's calendar feed: text/calendar with an ETag, 304 when unchanged, 404 once revoked")
    func calendarFeed() async throws {
        try await withMatchingGateway { client, harness in
            let (ada, cy, match) = try await activeMatch(client, harness)
            _ = try await post(
                client, "/v1/matches/\(match)/sessions",
                ["memberId": cy, "startAt": future(days: 2), "durationMinutes": 30, "title": "Ready, set; go"])
            let created = try await client.execute(uri: "/v1/members/\(ada)/calendar-feed", method: .post)
            #expect(created.status == .ok)
            let path = try #require(try json(created)["path"] as? String)
            let calendar = try await client.execute(uri: path, method: .get)
            #expect(calendar.status == .ok)
            #expect(calendar.headers[.contentType] == "text/calendar; charset=utf-8")
            let text = String(decoding: calendar.body.readableBytesView, as: UTF8.self)
            #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n") && text.contains("SUMMARY:Ready\\, set\\; go\r\n"))
            let etag = try #require(calendar.headers[.eTag])
            var conditional = HTTPFields()
            conditional[.ifNoneMatch] = etag
            let unchanged = try await client.execute(uri: path, method: .get, headers: conditional)
            #expect(unchanged.status == .notModified && unchanged.body.readableBytes == 0)
            let revoked = try await client.execute(uri: "/v1/members/\(ada)/calendar-feed", method: .delete)
            #expect(try json(revoked)["revoked"] as? Bool == true)
            let gone = try await client.execute(uri: path, method: .get)
            #expect(gone.status == .notFound)
        }
    }

    @Test("a network's session policy: the defaults, then a PATCH of some rules with If-Match")
    func networkPolicy() async throws {
        try await withMatchingGateway { client, _ in
            let defaults = try json(try await client.execute(uri: "/v1/networks/acme/session-policy", method: .get))
            #expect(defaults["isDefault"] as? Bool == true && defaults["version"] as? String == "0")
            var headers = jsonHeaders
            headers[.ifMatch] = "\"0\""
            let patched = try await client.execute(
                uri: "/v1/networks/acme/session-policy", method: .patch, headers: headers,
                body: try body(["bufferMinutes": 20, "rescheduleReasonRequired": true]))
            #expect(patched.status == .ok && patched.headers[.eTag] == "\"1\"")
            let policy = try json(patched)
            #expect(policy["bufferMinutes"] as? Int == 20 && policy["rescheduleReasonRequired"] as? Bool == true)
            #expect(policy["minimumNoticeMinutes"] as? Int == defaults["minimumNoticeMinutes"] as? Int)
            let bad = try await client.execute(
                uri: "/v1/networks/acme/session-policy", method: .patch, body: try body(["bufferMinutes": 999]))
            #expect(try errorFields(bad) == ["bufferMinutes"])
        }
    }

    @Test("feedback through the gateway: sealed until both gave theirs, no route leaks the other's words")
    func sealedFeedback() async throws {
        try await withMatchingGateway { client, harness in
            let (ada, cy, match) = try await activeMatch(client, harness)
            let booked = try json(
                try await post(
                    client, "/v1/matches/\(match)/sessions",
                    ["memberId": cy, "startAt": future(days: 1), "durationMinutes": 30]))
            let id = try #require(booked["id"] as? String)
            harness.advanceSessionsClock(.seconds(2 * 86_400))
            _ = try await post(client, "/v1/sessions/\(id):complete", ["memberId": ada])
            func put(_ member: String, _ words: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/v1/sessions/\(id)/feedback", method: .put, headers: jsonHeaders,
                    body: try body([
                        "memberId": member, "rating": 4, "wentWell": words, "goodFit": "FIT_ANSWER_YES",
                    ]))
            }
            let given = try await put(ada, "ada-secret-words")
            #expect(given.status == .ok)
            // Everything cy can read about the session says "submitted", never what ada wrote.
            for uri in [
                "/v1/sessions/\(id)/feedback?memberId=\(cy)", "/v1/sessions/\(id)", "/v1/members/\(cy)/sessions",
                "/v1/matches/\(match)/sessions",
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                let text = String(decoding: response.body.readableBytesView, as: UTF8.self)
                #expect(response.status == .ok && !text.contains("ada-secret-words"), "\(uri)")
            }
            let sealed = try json(
                try await client.execute(uri: "/v1/sessions/\(id)/feedback?memberId=\(cy)", method: .get))
            #expect(sealed["partnerState"] as? String == "FEEDBACK_STATE_SUBMITTED" && sealed["partner"] == nil)
            let revealed = try json(try await put(cy, "cy-words"))
            #expect(revealed["revealed"] as? Bool == true)
            #expect((revealed["partner"] as? [String: Any])?["wentWell"] as? String == "ada-secret-words")
        }
    }

    @Test("malformed session requests get 400 naming the field; a taken slot is 409")
    func badRequests() async throws {
        try await withMatchingGateway { client, harness in
            let (ada, cy, match) = try await activeMatch(client, harness)
            let start = future(days: 2)
            let cases: [([String: Any], String)] = [
                (["memberId": ada, "startAt": "tomorrow", "durationMinutes": 30], "startAt"),
                (["memberId": ada, "startAt": start, "durationMinutes": 5], "durationMinutes"),
                (["memberId": ada, "startAt": start, "durationMinutes": 30, "matchId": match], "matchId"),
                (
                    ["memberId": ada, "startAt": start, "durationMinutes": 30, "state": "SESSION_STATE_CANCELLED"],
                    "state"
                ),
                (["memberId": ada, "durationMinutes": 30], "start_at"),
            ]
            for (object, field) in cases {
                let response = try await post(client, "/v1/matches/\(match)/sessions", object)
                #expect(response.status == .badRequest, "\(object)")
                #expect(try errorFields(response).contains(JSONFieldName.camel(field)), "\(object)")
            }
            _ = try await post(
                client, "/v1/matches/\(match)/sessions", ["memberId": ada, "startAt": start, "durationMinutes": 60])
            let taken = try await post(
                client, "/v1/matches/\(match)/sessions", ["memberId": cy, "startAt": start, "durationMinutes": 30])
            #expect(taken.status == .conflict)
            #expect(try errorCode(taken) == "ABORTED")
            let unknownQuery = try await client.execute(uri: "/v1/members/\(ada)/sessions?colour=red", method: .get)
            #expect(try errorFields(unknownQuery) == ["colour"])
        }
    }
}

/// The JSON name of a proto field name (`start_at` → `startAt`), as the gateway reports fields.
enum JSONFieldName {
    static func camel(_ name: String) -> String {
        let parts = name.split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
    }
}
