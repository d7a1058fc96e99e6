/// A member's role (proto `mentornet.profiles.v1.Role`).
public enum Role: Int32, Sendable, CaseIterable, Codable {
    /// Not a role; rejected on input.
    case unspecified = 0
    /// Teaches.
    case mentor = 1
    /// Learns.
    case mentee = 2
}

/// Whether a member can be matched (proto `mentornet.profiles.v1.MemberStatus`).
public enum MemberStatus: Int32, Sendable, CaseIterable, Codable {
    /// Not a status; as a filter: any.
    case unspecified = 0
    /// Can be matched.
    case active = 1
    /// Keeps existing matches, gets no new ones.
    case paused = 2
    /// Left the network.
    case deactivated = 3
}

/// Which organizations a member wants to be matched with.
public enum OrganizationPreference: Int32, Sendable, CaseIterable, Codable {
    /// No preference.
    case any = 0
    /// Only within their own organization.
    case same = 1
    /// Only outside it.
    case other = 2
}

/// What happened to a member (proto `mentornet.profiles.v1.ChangeKind`).
public enum ChangeKind: Int32, Sendable, CaseIterable, Codable {
    /// Not a kind.
    case unspecified = 0
    /// The member joined.
    case created = 1
    /// Profile fields changed.
    case updated = 2
    /// The member paused.
    case paused = 3
    /// The member resumed.
    case resumed = 4
    /// The member left.
    case deactivated = 5
}
