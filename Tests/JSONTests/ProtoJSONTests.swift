import Foundation
import MatchingV1
import ProfilesV1
import ProtoJSON
import Testing

@Suite("the generated proto3 JSON mapping")
struct ProtoJSONTests {
    static let members: [Member] = [
        Member(),
        Member(
            id: "mbr_01", email: "ada@example.org", displayName: "Ada \"The Countess\" Lovelace",
            headline: "Engines\nand\tnumbers \\ poetry", bio: "Ünïcödé, emoji 🚀 and a control \u{01} byte",
            roles: [.mentor, .mentee], networks: ["acme", "guild"], organization: "Analytical", department: "R&D",
            location: "London", timezone: "Europe/London", languages: ["en", "fr"], yearsOfExperience: 30,
            expertise: [Expertise(skill: "math", level: 5), Expertise(skill: "poetry", level: 3)],
            learningGoals: [LearningGoal(skill: "swift", priority: 1)], mentoringCapacity: 4,
            availability: [
                AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 600),
                AvailabilityWindow(weekday: 3, startMinute: 1080, endMinute: 1200),
            ],
            preferences: MatchPreferences(oneWay: true, mutual: true, organization: .other), status: .paused,
            version: 18_446_744_073_709_551_615, createdAtMicros: 1_795_000_000_123_456,
            updatedAtMicros: -1),
        Member(id: "mbr_02", roles: [.mentee], status: .deactivated, version: 2),
    ]

    @Test("a member reads back as written, and is written in canonical form (sorted keys)", arguments: members)
    func memberRoundTrip(_ member: Member) throws {
        let bytes = member.jsonBytes()
        let value = try JSONValue.parse(Data(bytes))
        #expect(value.serialized() == bytes, "\(String(decoding: bytes, as: UTF8.self))")
        #expect(try Member(json: value) == member)
    }

    @Test("the JSON of a member: names, enums by name, 64-bit integers as strings, times in RFC 3339")
    func memberShape() throws {
        let json = try JSONSerialization.jsonObject(with: Data(Self.members[1].jsonBytes())) as! [String: Any]
        #expect(json["displayName"] as? String == "Ada \"The Countess\" Lovelace")
        #expect(json["roles"] as? [String] == ["ROLE_MENTOR", "ROLE_MENTEE"])
        #expect(json["status"] as? String == "MEMBER_STATUS_PAUSED")
        #expect(json["version"] as? String == "18446744073709551615")
        #expect(json["yearsOfExperience"] as? Int == 30)
        #expect(json["createdAt"] as? String == "2026-11-18T11:06:40.123456Z")
        #expect(json["updatedAt"] as? String == "1969-12-31T23:59:59.999999Z")
        #expect((json["preferences"] as? [String: Any])?["organization"] as? String == "ORGANIZATION_PREFERENCE_OTHER")
        #expect(json["createdAtMicros"] == nil)
        let empty = try JSONSerialization.jsonObject(with: Data(Member().jsonBytes())) as! [String: Any]
        #expect(empty["preferences"] == nil, "an absent message is left out")
        #expect(empty["createdAt"] is NSNull, "an unset time is null")
        #expect(empty["bio"] as? String == "", "other fields are written with their defaults")
    }

    @Test("doubles, nested lists and every kind of field of a round round-trip")
    func roundRoundTrip() throws {
        let round = Round(
            id: "rnd_1", network: "acme", objective: .maxParticipation, minimumScore: 12.5, seed: 7,
            pairs: [
                RoundPair(
                    kind: .mutual, mentorID: "a", menteeID: "b", score: 61.25,
                    scoreParts: [ScorePart(criterion: "coverage", points: 40.5)], focusSkills: ["go"])
            ],
            unmatched: [UnmatchedMember(memberID: "c", reason: "no mentor")], createdAtMicros: 1_000_000)
        let value = try JSONValue.parse(Data(round.jsonBytes()))
        #expect(try Round(json: value) == round)
        let json = try JSONSerialization.jsonObject(with: Data(round.jsonBytes())) as! [String: Any]
        #expect(json["minimumScore"] as? Double == 12.5)
        #expect(json["seed"] as? String == "7")
        #expect(((json["pairs"] as? [[String: Any]])?.first?["mentorId"]) as? String == "a")
    }

    @Test(
        "a bad field is refused, naming its path and the rule",
        arguments: [
            (#"{"colour": "red"}"#, "colour", "is not a field of this object"),
            (
                #"{"expertise": [{"skill": "go"}, {"skill": "c", "colour": 1}]}"#, "expertise[1].colour",
                "is not a field"
            ),
            (#"{"yearsOfExperience": "many"}"#, "yearsOfExperience", "must be a whole number from 0 to 4294967295"),
            (#"{"yearsOfExperience": -1}"#, "yearsOfExperience", "must be a whole number"),
            (#"{"yearsOfExperience": 4294967296}"#, "yearsOfExperience", "must be a whole number"),
            (#"{"yearsOfExperience": 1.5}"#, "yearsOfExperience", "must be a whole number"),
            (#"{"roles": ["ROLE_BOSS"]}"#, "roles[0]", "must be one of ROLE_UNSPECIFIED, ROLE_MENTOR, ROLE_MENTEE"),
            (#"{"roles": "ROLE_MENTOR"}"#, "roles", "must be an array"),
            (#"{"bio": 7}"#, "bio", "must be a string"),
            (#"{"bio": "a\u0000b"}"#, "bio", "must not contain NUL"),
            (#"{"preferences": []}"#, "preferences", "must be a JSON object"),
            (#"{"preferences": {"oneWay": "yes"}}"#, "preferences.oneWay", "must be true or false"),
            (#"{"createdAt": "yesterday"}"#, "createdAt", "must be an RFC 3339 time"),
            (#"{"displayName": "a", "display_name": "b"}"#, "displayName", "is given twice"),
            (#"{"version": "1e3"}"#, "version", "must be a whole number"),
        ])
    func badFields(_ text: String, _ field: String, _ rule: String) throws {
        let value = try JSONValue.parse(Data(text.utf8))
        #expect {
            _ = try Member(json: value)
        } throws: { error in
            guard let error = error as? JSONError else { return false }
            return error.field == field && error.description.hasPrefix(rule)
        }
    }

    @Test("proto names are accepted as proto3 JSON parsers accept them; null is the default")
    func protoNames() throws {
        let value = try JSONValue.parse(
            Data(
                #"{"display_name": "Ada", "years_of_experience": "12", "bio": null, "created_at": "2026-11-27T10:00:00+01:00"}"#
                    .utf8))
        let member = try Member(json: value)
        #expect(member.displayName == "Ada" && member.yearsOfExperience == 12 && member.bio == "")
        #expect(member.createdAtMicros == RFC3339.parse("2026-11-27T09:00:00Z"))
    }

    @Test(
        "strings are escaped so that a JSON parser reads back the same text",
        arguments: [
            "", "plain", "\"quoted\"", "back\\slash", "line\nbreak\r\ttab", "\u{01}\u{1f}\u{7f}", "Ünïcödé 🚀",
            "\"\\\n", "ends with \\", "\u{00}nul",
        ])
    func escaping(_ text: String) throws {
        var out: [UInt8] = []
        JSONValue.writeString(text, to: &out)
        let parsed = try JSONSerialization.jsonObject(with: Data(out), options: .fragmentsAllowed)
        #expect(parsed as? String == text, "\(String(decoding: out, as: UTF8.self))")
        #expect(!out.contains(where: { $0 < 0x20 }), "control bytes must be escaped")
    }

    /// The C library's reading of the same instant.
    static func reference(_ micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
            Int(micros - seconds * 1_000_000))
    }

    @Test("times are RFC 3339 in UTC with microseconds, as the C library's calendar has them, and parse back")
    func timestamps() {
        let edges: [Int64] = [
            0, 1, -1, 999_999, -999_999, -1_000_000, -1_000_001, 951_782_400_000_000, 951_868_799_999_999,
            -2_203_891_200_000_000, 4_107_542_400_000_000, 1_795_000_000_123_456, 253_402_300_799_999_999,
            -62_135_596_800_000_000,
        ]
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2000).map { _ in
            Int64.random(in: -62_135_596_800_000_000...253_402_300_799_999_999, using: &generator)
        }
        for micros in edges + random {
            #expect(RFC3339.format(micros) == Self.reference(micros), "\(micros)")
            #expect(RFC3339.parse(RFC3339.format(micros)) == micros, "\(micros)")
        }
        #expect(RFC3339.format(951_782_400_000_000) == "2000-02-29T00:00:00.000000Z")
        #expect(RFC3339.format(253_402_300_800_000_000) == "10000-01-01T00:00:00.000000Z")
        #expect(RFC3339.format(-62_167_219_200_000_001) == "-0001-12-31T23:59:59.999999Z")
        #expect(RFC3339.parse("2026-11-27T09:00:00.5Z") == RFC3339.parse("2026-11-27T09:00:00Z")! + 500_000)
        for bad in ["2026-02-30T00:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T09:00:00", "2026-11-27", "x"] {
            #expect(RFC3339.parse(bad) == nil, "\(bad)")
        }
    }
}
