import Foundation
import MatchFile
import MatchingEngine
import MatchingService
import MatchingV1
import ProfilesV1
import ProtoJSON
import Testing
import Wire

@Suite("members as the engine sees them, and instance files")
struct MatchInstanceTests {
    /// 27 November 2026: Berlin is on UTC+1, New York on UTC−5, Singapore on UTC+8.
    let winter = ISO8601DateFormatter().date(from: "2026-11-27T12:00:00Z")!

    func member(_ timezone: String, _ windows: [AvailabilityWindow]) -> Member {
        var member = Member()
        member.id = "m"
        member.roles = [.mentee]
        member.timezone = timezone
        member.availability = windows
        return member
    }

    @Test(
        "weekly availability moves to UTC with the member's offset, across the week's ends",
        arguments: [
            // Singapore Monday 09:00–10:00 → Monday 01:00–02:00 UTC.
            ("Asia/Singapore", AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 600), 60..<120),
            // New York Monday 00:30–01:30 → Monday 05:30–06:30 UTC.
            ("America/New_York", AvailabilityWindow(weekday: 1, startMinute: 30, endMinute: 90), 330..<390),
            // Berlin Monday 00:00–01:00 → Sunday 23:00–24:00 UTC (the end of the week).
            ("Europe/Berlin", AvailabilityWindow(weekday: 1, startMinute: 0, endMinute: 60), 10_020..<10_080),
            // New York Sunday 22:00–24:00 → Monday 03:00–05:00 UTC (the start of the week).
            ("America/New_York", AvailabilityWindow(weekday: 7, startMinute: 1320, endMinute: 1440), 180..<300),
        ])
    func availability(_ timezone: String, _ window: AvailabilityWindow, _ utc: Range<Int>) {
        let participant = Participant(member: member(timezone, [window]), at: winter)
        #expect(Scorer.overlapMinutes(participant.availabilityUTC, [utc]) == utc.count)
        #expect(Scorer.overlapMinutes(participant.availabilityUTC, [0..<10_080]) == utc.count)
    }

    @Test("summer time shifts the windows by the hour it changes")
    func daylightSaving() {
        let summer = ISO8601DateFormatter().date(from: "2026-07-01T12:00:00Z")!
        let window = AvailabilityWindow(weekday: 2, startMinute: 600, endMinute: 660)  // Tuesday 10:00 Berlin
        let inWinter = Participant(member: member("Europe/Berlin", [window]), at: winter)
        let inSummer = Participant(member: member("Europe/Berlin", [window]), at: summer)
        #expect(Scorer.overlapMinutes(inWinter.availabilityUTC, [(1440 + 540)..<(1440 + 600)]) == 60)
        #expect(Scorer.overlapMinutes(inSummer.availabilityUTC, [(1440 + 480)..<(1440 + 540)]) == 60)
    }

    @Test("roles, capacity and preferences carry over; mutual-only members stay out of one-way pairs")
    func preferences() {
        var mentee = member("UTC", [])
        mentee.preferences = MatchPreferences(oneWay: false, mutual: true, organization: .other)
        mentee.learningGoals = [LearningGoal(skill: "go", priority: 1)]
        let participant = Participant(member: mentee, at: winter, maximumMentors: 2)
        #expect(participant.isMentee && !participant.isMentor)
        #expect(participant.acceptsMutual && !participant.acceptsOneWay)
        #expect(participant.maximumMentors == 2 && participant.capacity == 0)
        #expect(participant.organizationPreference == .other)
        var mentor = member("UTC", [])
        mentor.id = "t"
        mentor.roles = [.mentor]
        mentor.mentoringCapacity = 3
        mentor.expertise = [Expertise(skill: "go", level: 5)]
        let teacher = Participant(member: mentor, at: winter)
        #expect(teacher.capacity == 3 && teacher.maximumMentors == 0)
        #expect(Scorer().ineligibility(mentor: teacher, mentee: participant) == .notOpenToOneWay)
    }

    @Test(
        "a bad instance is refused with the field named",
        arguments: [
            (#"{}"#, "members"),
            (#"[1]"#, "body"),
            (#"{"members": [{"email": "a@b.org"}]}"#, "members[0].id"),
            (#"{"members": [{"id": "a"}, {"id": "a"}]}"#, "members[1].id"),
            (#"{"members": [], "options": {"objective": "BEST"}}"#, "options.objective"),
            (#"{"members": [], "options": {"minimumScore": 101}}"#, "options.minimumScore"),
            (#"{"members": [], "options": {"at": "yesterday"}}"#, "options.at"),
            (#"{"members": [], "options": {"rules": {"coverage": 80}}}"#, "options.rules"),
            (#"{"members": [], "options": {"colour": "red"}}"#, "options.colour"),
            (#"{"members": [], "previousPairs": [{"mentor": "a"}]}"#, "previousPairs[0]"),
        ])
    func badInstances(_ text: String, _ field: String) {
        #expect {
            _ = try MatchInstance.parse(Data(text.utf8))
        } throws: { error in
            (error as? JSONError)?.field == field
        }
    }

    @Test("options and previous pairs are read; only active members of the network take part")
    func options() throws {
        let text = #"""
            {"members": [
                {"id": "a", "networks": ["guild"], "roles": ["ROLE_MENTEE"]},
                {"id": "b", "networks": ["other"], "roles": ["ROLE_MENTEE"]},
                {"id": "c", "networks": ["guild"], "roles": ["ROLE_MENTOR"], "status": "MEMBER_STATUS_PAUSED"}],
             "options": {"objective": "MAX_PARTICIPATION", "minimumScore": 12.5, "seed": "99", "mutual": false,
                         "maximumMentors": 2, "network": "guild",
                         "rules": {"coverage": 40, "experience": 20, "availability": 30, "organization": 10}},
             "previousPairs": [{"kind": "MUTUAL", "mentor": "z", "mentee": "a"}]}
            """#
        let instance = try MatchInstance.parse(Data(text.utf8))
        #expect(instance.options.objective == .maxParticipation)
        #expect(instance.options.minimumScore == 12.5 && instance.options.seed == 99 && !instance.options.mutual)
        #expect(instance.options.rules.coverage == 40 && instance.maximumMentors == 2)
        #expect(instance.previousPairs == [PairKey(kind: .mutual, mentor: "a", mentee: "z")])
        let participants = instance.participants { Participant(member: $0, at: $1, maximumMentors: $2) }
        #expect(participants.map(\.id) == ["a"])
        #expect(participants[0].maximumMentors == 2)
    }
}
