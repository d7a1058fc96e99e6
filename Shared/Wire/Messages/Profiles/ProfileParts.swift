/// A skill a member can teach, at a level 1–5 (proto `mentornet.profiles.v1.Expertise`).
public struct Expertise: Sendable, Equatable, Hashable {
    /// The normalised skill name.
    public var skill: String
    /// 1 (basic) to 5 (expert).
    public var level: UInt32

    /// Creates an entry.
    public init(skill: String = "", level: UInt32 = 0) {
        self.skill = skill
        self.level = level
    }
}

extension Expertise: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable { case skill = 1, level }
    /// `mentornet.profiles.v1.Expertise`.
    public static let schema = MessageSchema("mentornet.profiles.v1.Expertise")
    /// Copies the fields out.
    public init(reading reader: ProtoReader<Expertise>) {
        self.init(skill: reader.string(.skill), level: reader.uint32(.level))
    }
    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Expertise>) {
        writer.set(.skill, skill)
        writer.set(.level, level)
    }
}

/// A skill a member wants to learn, priority 1 (most wanted) to 5.
public struct LearningGoal: Sendable, Equatable, Hashable {
    /// The normalised skill name.
    public var skill: String
    /// 1 (most wanted) to 5.
    public var priority: UInt32

    /// Creates a goal.
    public init(skill: String = "", priority: UInt32 = 0) {
        self.skill = skill
        self.priority = priority
    }
}

extension LearningGoal: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable { case skill = 1, priority }
    /// `mentornet.profiles.v1.LearningGoal`.
    public static let schema = MessageSchema("mentornet.profiles.v1.LearningGoal")
    /// Copies the fields out.
    public init(reading reader: ProtoReader<LearningGoal>) {
        self.init(skill: reader.string(.skill), priority: reader.uint32(.priority))
    }
    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<LearningGoal>) {
        writer.set(.skill, skill)
        writer.set(.priority, priority)
    }
}

/// A weekly window in the member's timezone: ISO weekday 1–7, minutes [start, end).
public struct AvailabilityWindow: Sendable, Equatable, Hashable {
    /// 1 = Monday … 7 = Sunday.
    public var weekday: UInt32
    /// Minutes after midnight, inclusive.
    public var startMinute: UInt32
    /// Minutes after midnight, exclusive; at most 1440.
    public var endMinute: UInt32

    /// Creates a window.
    public init(weekday: UInt32 = 0, startMinute: UInt32 = 0, endMinute: UInt32 = 0) {
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
    }
}

extension AvailabilityWindow: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable { case weekday = 1, startMinute, endMinute }
    /// `mentornet.profiles.v1.AvailabilityWindow`.
    public static let schema = MessageSchema("mentornet.profiles.v1.AvailabilityWindow")
    /// Copies the fields out.
    public init(reading reader: ProtoReader<AvailabilityWindow>) {
        self.init(
            weekday: reader.uint32(.weekday), startMinute: reader.uint32(.startMinute),
            endMinute: reader.uint32(.endMinute))
    }
    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<AvailabilityWindow>) {
        writer.set(.weekday, weekday)
        writer.set(.startMinute, startMinute)
        writer.set(.endMinute, endMinute)
    }
}

/// How a member wants to be matched.
public struct MatchPreferences: Sendable, Equatable, Hashable {
    /// Willing to be in one-way mentoring.
    public var oneWay: Bool
    /// Willing to be in mutual mentoring.
    public var mutual: Bool
    /// Same, other or any organization.
    public var organization: OrganizationPreference

    /// Creates preferences.
    public init(oneWay: Bool = false, mutual: Bool = false, organization: OrganizationPreference = .any) {
        self.oneWay = oneWay
        self.mutual = mutual
        self.organization = organization
    }
}

extension MatchPreferences: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable { case oneWay = 1, mutual, organization }
    /// `mentornet.profiles.v1.MatchPreferences`.
    public static let schema = MessageSchema("mentornet.profiles.v1.MatchPreferences")
    /// Copies the fields out.
    public init(reading reader: ProtoReader<MatchPreferences>) {
        self.init(
            oneWay: reader.bool(.oneWay),
            mutual: reader.bool(.mutual),
            organization: OrganizationPreference(rawValue: reader.enumValue(.organization)) ?? .any
        )
    }
    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<MatchPreferences>) {
        writer.set(.oneWay, oneWay)
        writer.set(.mutual, mutual)
        writer.setEnum(.organization, organization.rawValue)
    }
}
