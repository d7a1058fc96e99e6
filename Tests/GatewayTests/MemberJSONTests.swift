import Foundation
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
}
