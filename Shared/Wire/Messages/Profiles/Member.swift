/// A member of the mentoring network (proto `mentornet.profiles.v1.Member`).
public struct Member: Sendable, Equatable {
    /// `mbr_` followed by 20 lower-case base-32 characters; set by the service.
    public var id: String
    /// Unique, compared case-insensitively.
    public var email: String
    /// The name others see.
    public var displayName: String
    /// A one-line summary.
    public var headline: String
    /// A longer description.
    public var bio: String
    /// Mentor, mentee, or both.
    public var roles: [Role]
    /// The networks the member belongs to; matching happens within a network.
    public var networks: [String]
    /// Employer or community.
    public var organization: String
    /// Department within the organization.
    public var department: String
    /// Where the member is, free text.
    public var location: String
    /// An IANA timezone, e.g. `Europe/Berlin`.
    public var timezone: String
    /// ISO 639-1 language codes, e.g. `en`.
    public var languages: [String]
    /// Years of professional experience.
    public var yearsOfExperience: UInt32
    /// What the member can teach.
    public var expertise: [Expertise]
    /// What the member wants to learn.
    public var learningGoals: [LearningGoal]
    /// The most mentees the member takes at once.
    public var mentoringCapacity: UInt32
    /// Weekly availability in the member's timezone.
    public var availability: [AvailabilityWindow]
    /// How the member wants to be matched.
    public var preferences: MatchPreferences?
    /// Active, paused or deactivated; set by the service.
    public var status: MemberStatus
    /// Incremented by every change; for optimistic concurrency.
    public var version: UInt64
    /// When the member joined, microseconds since 1970 UTC.
    public var createdAtMicros: Int64
    /// When the member last changed, microseconds since 1970 UTC.
    public var updatedAtMicros: Int64

    /// Creates a member.
    public init(
        id: String = "",
        email: String = "",
        displayName: String = "",
        headline: String = "",
        bio: String = "",
        roles: [Role] = [],
        networks: [String] = [],
        organization: String = "",
        department: String = "",
        location: String = "",
        timezone: String = "",
        languages: [String] = [],
        yearsOfExperience: UInt32 = 0,
        expertise: [Expertise] = [],
        learningGoals: [LearningGoal] = [],
        mentoringCapacity: UInt32 = 0,
        availability: [AvailabilityWindow] = [],
        preferences: MatchPreferences? = nil,
        status: MemberStatus = .unspecified,
        version: UInt64 = 0,
        createdAtMicros: Int64 = 0,
        updatedAtMicros: Int64 = 0
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.headline = headline
        self.bio = bio
        self.roles = roles
        self.networks = networks
        self.organization = organization
        self.department = department
        self.location = location
        self.timezone = timezone
        self.languages = languages
        self.yearsOfExperience = yearsOfExperience
        self.expertise = expertise
        self.learningGoals = learningGoals
        self.mentoringCapacity = mentoringCapacity
        self.availability = availability
        self.preferences = preferences
        self.status = status
        self.version = version
        self.createdAtMicros = createdAtMicros
        self.updatedAtMicros = updatedAtMicros
    }
}

extension Member: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1, email, displayName, headline, bio, roles, networks, organization, department, location
        case timezone, languages, yearsOfExperience, expertise, learningGoals, mentoringCapacity, availability
        case preferences, status, version, createdAtMicros, updatedAtMicros
    }

    /// `mentornet.profiles.v1.Member`.
    public static let schema = MessageSchema("mentornet.profiles.v1.Member")

    /// Copies the fields out; unknown role numbers read as `.unspecified`.
    public init(reading reader: ProtoReader<Member>) {
        self.init(
            id: reader.string(.id),
            email: reader.string(.email),
            displayName: reader.string(.displayName),
            headline: reader.string(.headline),
            bio: reader.string(.bio),
            roles: reader.enumValues(.roles).map { Role(rawValue: $0) ?? .unspecified },
            networks: reader.strings(.networks),
            organization: reader.string(.organization),
            department: reader.string(.department),
            location: reader.string(.location),
            timezone: reader.string(.timezone),
            languages: reader.strings(.languages),
            yearsOfExperience: reader.uint32(.yearsOfExperience),
            expertise: reader.messages(.expertise),
            learningGoals: reader.messages(.learningGoals),
            mentoringCapacity: reader.uint32(.mentoringCapacity),
            availability: reader.messages(.availability),
            preferences: reader.message(.preferences),
            status: MemberStatus(rawValue: reader.enumValue(.status)) ?? .unspecified,
            version: reader.uint64(.version),
            createdAtMicros: reader.int64(.createdAtMicros),
            updatedAtMicros: reader.int64(.updatedAtMicros)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Member>) {
        writer.set(.id, id)
        writer.set(.email, email)
        writer.set(.displayName, displayName)
        writer.set(.headline, headline)
        writer.set(.bio, bio)
        writer.setEnums(.roles, roles.map(\.rawValue))
        writer.set(.networks, networks)
        writer.set(.organization, organization)
        writer.set(.department, department)
        writer.set(.location, location)
        writer.set(.timezone, timezone)
        writer.set(.languages, languages)
        writer.set(.yearsOfExperience, yearsOfExperience)
        writer.set(.expertise, expertise)
        writer.set(.learningGoals, learningGoals)
        writer.set(.mentoringCapacity, mentoringCapacity)
        writer.set(.availability, availability)
        writer.set(.preferences, preferences)
        writer.setEnum(.status, status.rawValue)
        writer.set(.version, version)
        writer.set(.createdAtMicros, createdAtMicros)
        writer.set(.updatedAtMicros, updatedAtMicros)
    }
}
