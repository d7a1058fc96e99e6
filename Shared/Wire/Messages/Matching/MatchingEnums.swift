/// Whether a match is one-way or mutual (proto `mentornet.matching.v1.MatchKind`).
public enum MatchKind: Int32, Sendable, CaseIterable, Codable {
    /// Not a kind; rejected on input.
    case unspecified = 0
    /// A mentor and a mentee.
    case oneWay = 1
    /// Two peers, each mentoring the other.
    case mutual = 2
}

/// Where a match came from (proto `mentornet.matching.v1.MatchOrigin`).
public enum MatchOrigin: Int32, Sendable, CaseIterable, Codable {
    /// Not an origin; rejected on input.
    case unspecified = 0
    /// A member asked for this partner.
    case requested = 1
    /// A member took one of their suggestions.
    case suggestion = 2
    /// A published matching round proposed it.
    case round = 3
    /// An administrator proposed it.
    case admin = 4
}

/// Where a match is in its lifecycle (proto `mentornet.matching.v1.MatchState`).
public enum MatchState: Int32, Sendable, CaseIterable, Codable {
    /// Not a state; as a filter: any.
    case unspecified = 0
    /// Waiting for both partners to accept.
    case proposed = 1
    /// Both accepted.
    case active = 2
    /// A partner declined.
    case declined = 3
    /// Withdrawn before both accepted.
    case withdrawn = 4
    /// Not accepted in time.
    case expired = 5
    /// Ended having reached its goals.
    case completed = 6
    /// Ended early, with a reason.
    case ended = 7
}

/// What happened to a match (proto `mentornet.matching.v1.MatchChangeKind`).
public enum MatchChangeKind: Int32, Sendable, CaseIterable, Codable {
    /// Not a kind.
    case unspecified = 0
    /// Proposed.
    case proposed = 1
    /// One partner accepted; the other has not yet.
    case accepted = 2
    /// Both accepted: active.
    case activated = 3
    /// Declined.
    case declined = 4
    /// Withdrawn.
    case withdrawn = 5
    /// Expired.
    case expired = 6
    /// Completed.
    case completed = 7
    /// Ended.
    case ended = 8
}
