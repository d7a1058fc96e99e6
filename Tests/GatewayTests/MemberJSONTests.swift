import Foundation
import ProfilesV1
import Testing
import Wire

@testable import Gateway

@Suite("members as JSON")
struct MemberJSONTests {
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
            updatedAtMicros: 1_795_000_001_000_000),
        Member(id: "mbr_02", roles: [.mentee], status: .deactivated, version: 2),
    ]

    @Test("the direct writer gives exactly the bytes of the sorted-dictionary form", arguments: members)
    func sameBytes(_ member: Member) {
        let direct = MemberJSON.bytes(member)
        let reference = MemberJSON.value(member).serialized()
        #expect(direct == reference, "\(String(decoding: direct, as: UTF8.self))")
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

    /// The C library's reading of the same instant, as the gateway wrote it before.
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

    @Test("timestamps are RFC 3339 in UTC with microseconds, as the C library's calendar has them")
    func timestamps() {
        let edges: [Int64] = [
            0, 1, -1, 999_999, -999_999, -1_000_000, -1_000_001, 951_782_400_000_000, 951_868_799_999_999,
            -2_203_891_200_000_000, 4_107_542_400_000_000, 1_795_000_000_123_456, 253_402_300_799_999_999,
            -62_135_596_800_000_000, -62_167_219_200_000_000,
        ]
        var generator = SystemRandomNumberGenerator()
        let random = (0..<2000).map { _ in
            Int64.random(in: -62_135_596_800_000_000...253_402_300_799_999_999, using: &generator)
        }
        for micros in edges + random {
            #expect(MemberJSON.rfc3339(micros) == Self.reference(micros), "\(micros)")
        }
        #expect(MemberJSON.rfc3339(0) == "1970-01-01T00:00:00.000000Z")
        #expect(MemberJSON.rfc3339(951_782_400_000_000) == "2000-02-29T00:00:00.000000Z")
        #expect(MemberJSON.rfc3339(-1) == "1969-12-31T23:59:59.999999Z")
        #expect(MemberJSON.rfc3339(253_402_300_800_000_000) == "10000-01-01T00:00:00.000000Z")
        #expect(MemberJSON.rfc3339(-62_167_219_200_000_001) == "-0001-12-31T23:59:59.999999Z")
    }
}
