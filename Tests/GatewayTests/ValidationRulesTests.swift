import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Every validation rule through the JSON API: a 400 naming the field, and nothing stored.
@Suite("every validation rule over HTTP")
struct ValidationRulesTests {
    static let cases: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
        ("missing email", { $0["email"] = nil }, "email"),
        ("email without @", { $0["email"] = "ada.example.org" }, "email"),
        ("email too long", { $0["email"] = String(repeating: "a", count: 250) + "@x.org" }, "email"),
        ("no display name", { $0["displayName"] = " " }, "displayName"),
        ("display name too long", { $0["displayName"] = String(repeating: "a", count: 101) }, "displayName"),
        ("headline too long", { $0["headline"] = String(repeating: "h", count: 201) }, "headline"),
        ("bio too long", { $0["bio"] = String(repeating: "b", count: 4001) }, "bio"),
        ("organization too long", { $0["organization"] = String(repeating: "o", count: 201) }, "organization"),
        ("control character", { $0["displayName"] = "Ada\u{7}" }, "displayName"),
        ("no roles", { $0["roles"] = [String]() }, "roles"),
        (
            "repeated role",
            {
                $0["roles"] = ["ROLE_MENTEE", "ROLE_MENTEE"]; $0["expertise"] = []; $0["mentoringCapacity"] = 0
            }, "roles"
        ),
        ("no networks", { $0["networks"] = [String]() }, "networks"),
        ("bad network", { $0["networks"] = ["Acme Corp!"] }, "networks[0]"),
        ("too many networks", { $0["networks"] = (0..<21).map { "n\($0)" } }, "networks"),
        ("no timezone", { $0["timezone"] = nil }, "timezone"),
        ("unknown timezone", { $0["timezone"] = "Mars/Base" }, "timezone"),
        ("no languages", { $0["languages"] = [String]() }, "languages"),
        ("bad language", { $0["languages"] = ["english"] }, "languages[0]"),
        ("experience out of range", { $0["yearsOfExperience"] = 71 }, "yearsOfExperience"),
        ("level 0", { $0["expertise"] = [["skill": "go", "level": 0]] }, "expertise[0].level"),
        ("level 6", { $0["expertise"] = [["skill": "go", "level": 6]] }, "expertise[0].level"),
        ("bad skill", { $0["expertise"] = [["skill": "c; drop", "level": 3]] }, "expertise[0].skill"),
        (
            "repeated skill", { $0["expertise"] = [["skill": "Go", "level": 3], ["skill": "go", "level": 2]] },
            "expertise"
        ),
        ("priority 0", { $0["learningGoals"] = [["skill": "rust", "priority": 0]] }, "learningGoals[0].priority"),
        ("mentee without goals", { $0["learningGoals"] = [] }, "learningGoals"),
        ("mentor without capacity", { $0["mentoringCapacity"] = 0 }, "mentoringCapacity"),
        ("capacity too high", { $0["mentoringCapacity"] = 21 }, "mentoringCapacity"),
        ("mentor without expertise", { $0["expertise"] = [] }, "expertise"),
        (
            "weekday 8", { $0["availability"] = [["weekday": 8, "startMinute": 0, "endMinute": 60]] },
            "availability[0].weekday"
        ),
        (
            "start past the day", { $0["availability"] = [["weekday": 1, "startMinute": 1440, "endMinute": 1440]] },
            "availability[0].startMinute"
        ),
        (
            "window backwards", { $0["availability"] = [["weekday": 1, "startMinute": 600, "endMinute": 540]] },
            "availability[0].endMinute"
        ),
        (
            "overlapping windows",
            {
                $0["availability"] = [
                    ["weekday": 1, "startMinute": 540, "endMinute": 600],
                    ["weekday": 1, "startMinute": 570, "endMinute": 660],
                ]
            },
            "availability[1]"
        ),
        ("neither one-way nor mutual", { $0["preferences"] = ["oneWay": false, "mutual": false] }, "preferences"),
    ]

    @Test("each rule is a 400 naming its field, and stores nothing", arguments: cases.map(\.0))
    func rule(_ name: String) async throws {
        let entry = Self.cases.first { $0.0 == name }!
        var member = memberBody()
        entry.1(&member)
        let field = entry.2
        let payload = try body(member)
        try await withGateway { client in
            let response = try await client.execute(uri: "/v1/members", method: .post, body: payload)
            let fields = try errorFields(response)
            #expect(response.status == .badRequest, "\(name) \(String(buffer: response.body))")
            #expect(fields.contains(field), "\(name): \(fields)")
            let list = try await client.execute(uri: "/v1/members", method: .get)
            #expect((try json(list)["members"] as? [Any])?.isEmpty == true)
        }
    }
}
