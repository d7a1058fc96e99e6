/// One member as the engine sees them: what they teach and want, when they are free, what they
/// accept. The service builds these from its read model of the profiles change feed.
public struct Participant: Sendable, Hashable, Identifiable {
    /// The member id.
    public var id: String
    /// Willing to mentor.
    public var isMentor: Bool
    /// Wants a mentor.
    public var isMentee: Bool
    /// Employer or community, for the organization preference.
    public var organization: String
    /// ISO 639-1 codes.
    public var languages: Set<String>
    /// Years of professional experience.
    public var yearsOfExperience: Int
    /// Skill → level 1…5.
    public var expertise: [String: Int]
    /// Skill → priority 1 (most wanted)…5.
    public var goals: [String: Int]
    /// The most mentees at once (mentors).
    public var capacity: Int
    /// The most mentors at once (mentees); 1 unless a network says otherwise.
    public var maximumMentors: Int
    /// Weekly free time as minutes of the week in UTC, [start, end) pairs, Monday 00:00 UTC = 0.
    public var availabilityUTC: [Range<Int>]
    /// Same, other or any organization.
    public var organizationPreference: OrganizationRule
    /// Open to mutual (peer) mentoring.
    public var acceptsMutual: Bool
    /// Open to one-way mentoring (as a mentor or as a mentee); false for members who only want peers.
    public var acceptsOneWay: Bool

    /// Which organizations a member accepts a partner from.
    public enum OrganizationRule: Sendable, Hashable {
        case any, same, other
    }

    /// Creates a participant.
    public init(
        id: String,
        isMentor: Bool = false,
        isMentee: Bool = false,
        organization: String = "",
        languages: Set<String> = ["en"],
        yearsOfExperience: Int = 0,
        expertise: [String: Int] = [:],
        goals: [String: Int] = [:],
        capacity: Int = 0,
        maximumMentors: Int = 1,
        availabilityUTC: [Range<Int>] = [],
        organizationPreference: OrganizationRule = .any,
        acceptsMutual: Bool = false,
        acceptsOneWay: Bool = true
    ) {
        self.id = id
        self.isMentor = isMentor
        self.isMentee = isMentee
        self.organization = organization
        self.languages = languages
        self.yearsOfExperience = yearsOfExperience
        self.expertise = expertise
        self.goals = goals
        self.capacity = capacity
        self.maximumMentors = maximumMentors
        self.availabilityUTC = availabilityUTC
        self.organizationPreference = organizationPreference
        self.acceptsMutual = acceptsMutual
        self.acceptsOneWay = acceptsOneWay
    }
}
