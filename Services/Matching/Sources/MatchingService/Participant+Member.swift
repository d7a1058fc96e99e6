import Foundation
import MatchingEngine
import ProfilesV1
import Wire

extension Participant {
    /// The member as the matching engine sees them, with their weekly availability moved from
    /// their own timezone to UTC at the offset in force at `date` (daylight saving included).
    /// `maximumMentors` is the network's rule for how many mentors a mentee may have at once.
    public init(member: Member, at date: Date, maximumMentors: Int = 1) {
        let preferences = member.preferences ?? MatchPreferences(oneWay: true, mutual: false, organization: .any)
        let offsetMinutes = Self.utcOffsetMinutes(member.timezone, at: date)
        let week = 7 * 24 * 60
        self.init(
            id: member.id,
            isMentor: member.roles.contains(.mentor),
            isMentee: member.roles.contains(.mentee),
            organization: member.organization,
            languages: Set(member.languages),
            yearsOfExperience: Int(member.yearsOfExperience),
            expertise: Dictionary(member.expertise.map { ($0.skill, Int($0.level)) }, uniquingKeysWith: max),
            goals: Dictionary(member.learningGoals.map { ($0.skill, Int($0.priority)) }, uniquingKeysWith: min),
            capacity: member.roles.contains(.mentor) ? Int(member.mentoringCapacity) : 0,
            maximumMentors: member.roles.contains(.mentee) ? maximumMentors : 0,
            availabilityUTC: member.availability.map { window in
                // Local minutes of the week (Monday 00:00 = 0) minus the UTC offset; the engine
                // folds anything before Monday or past Sunday back into the week.
                let start = (Int(window.weekday) - 1) * 1440 + Int(window.startMinute) - offsetMinutes + week
                return start..<(start + Int(window.endMinute) - Int(window.startMinute))
            },
            organizationPreference: Self.rule(preferences.organization),
            acceptsMutual: preferences.mutual,
            acceptsOneWay: preferences.oneWay
        )
    }

    /// The UTC offset of `timezone` at `date`, in minutes (0 for a name no zone has).
    static func utcOffsetMinutes(_ timezone: String, at date: Date) -> Int {
        (TimeZone(identifier: timezone)?.secondsFromGMT(for: date) ?? 0) / 60
    }

    private static func rule(_ preference: OrganizationPreference) -> OrganizationRule {
        switch preference {
        case .any: .any
        case .same: .same
        case .other: .other
        }
    }
}
