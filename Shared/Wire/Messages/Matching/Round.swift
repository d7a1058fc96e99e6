/// What a round maximises (proto `mentornet.matching.v1.RoundObjective`).
public enum RoundObjective: Int32, Sendable, CaseIterable, Codable {
    /// Not given: MAX_SCORE.
    case unspecified = 0
    /// The total score of the proposed pairs.
    case maxScore = 1
    /// First how many mentees get a partner, then the total score.
    case maxParticipation = 2
}

/// Whether a round's pairs were proposed (proto `mentornet.matching.v1.RoundState`).
public enum RoundState: Int32, Sendable, CaseIterable, Codable {
    /// Not a state.
    case unspecified = 0
    /// Computed and stored; nothing proposed yet.
    case dryRun = 1
    /// Its pairs were proposed.
    case published = 2
}

/// A pair a round proposes (proto `mentornet.matching.v1.RoundPair`).
public struct RoundPair: Sendable, Equatable {
    /// One-way or mutual.
    public var kind: MatchKind
    /// The mentor (mutual: the partner whose id sorts first).
    public var mentorID: String
    /// The mentee (mutual: the other partner).
    public var menteeID: String
    /// The pair's score.
    public var score: Double
    /// Points per criterion.
    public var scoreParts: [ScorePart]
    /// What the mentor teaches the mentee.
    public var focusSkills: [String]
    /// Mutual: what the mentee teaches the mentor.
    public var reverseFocusSkills: [String]
    /// One line for people.
    public var explanation: String
    /// After publishing: the match proposed for this pair.
    public var matchID: String
    /// After publishing: why no match was proposed.
    public var notProposedReason: String

    /// Creates the message.
    public init(
        kind: MatchKind = .unspecified, mentorID: String = "", menteeID: String = "", score: Double = 0,
        scoreParts: [ScorePart] = [], focusSkills: [String] = [], reverseFocusSkills: [String] = [],
        explanation: String = "", matchID: String = "", notProposedReason: String = ""
    ) {
        self.kind = kind
        self.mentorID = mentorID
        self.menteeID = menteeID
        self.score = score
        self.scoreParts = scoreParts
        self.focusSkills = focusSkills
        self.reverseFocusSkills = reverseFocusSkills
        self.explanation = explanation
        self.matchID = matchID
        self.notProposedReason = notProposedReason
    }
}

extension RoundPair: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case kind = 1, mentorID, menteeID, score, scoreParts, focusSkills, reverseFocusSkills, explanation, matchID,
            notProposedReason
    }

    /// `mentornet.matching.v1.RoundPair`.
    public static let schema = MessageSchema("mentornet.matching.v1.RoundPair")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<RoundPair>) {
        self.init(
            kind: MatchKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            mentorID: reader.string(.mentorID),
            menteeID: reader.string(.menteeID),
            score: reader.double(.score),
            scoreParts: reader.messages(.scoreParts),
            focusSkills: reader.strings(.focusSkills),
            reverseFocusSkills: reader.strings(.reverseFocusSkills),
            explanation: reader.string(.explanation),
            matchID: reader.string(.matchID),
            notProposedReason: reader.string(.notProposedReason)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<RoundPair>) {
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.mentorID, mentorID)
        writer.set(.menteeID, menteeID)
        writer.set(.score, score)
        writer.set(.scoreParts, scoreParts)
        writer.set(.focusSkills, focusSkills)
        writer.set(.reverseFocusSkills, reverseFocusSkills)
        writer.set(.explanation, explanation)
        writer.set(.matchID, matchID)
        writer.set(.notProposedReason, notProposedReason)
    }
}

/// A mentee a round left without a partner, and why (proto `mentornet.matching.v1.UnmatchedMember`).
public struct UnmatchedMember: Sendable, Equatable, Hashable {
    /// The mentee.
    public var memberID: String
    /// Why.
    public var reason: String

    /// Creates the message.
    public init(memberID: String = "", reason: String = "") {
        self.memberID = memberID
        self.reason = reason
    }
}

extension UnmatchedMember: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case memberID = 1, reason
    }

    /// `mentornet.matching.v1.UnmatchedMember`.
    public static let schema = MessageSchema("mentornet.matching.v1.UnmatchedMember")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<UnmatchedMember>) {
        self.init(
            memberID: reader.string(.memberID),
            reason: reader.string(.reason)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<UnmatchedMember>) {
        writer.set(.memberID, memberID)
        writer.set(.reason, reason)
    }
}

/// Who is paired with whom (proto `mentornet.matching.v1.RoundPairKey`).
public struct RoundPairKey: Sendable, Equatable, Hashable {
    /// One-way or mutual.
    public var kind: MatchKind
    /// The mentor (mutual: first partner).
    public var mentorID: String
    /// The mentee (mutual: the other).
    public var menteeID: String

    /// Creates the message.
    public init(kind: MatchKind = .unspecified, mentorID: String = "", menteeID: String = "") {
        self.kind = kind
        self.mentorID = mentorID
        self.menteeID = menteeID
    }
}

extension RoundPairKey: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case kind = 1, mentorID, menteeID
    }

    /// `mentornet.matching.v1.RoundPairKey`.
    public static let schema = MessageSchema("mentornet.matching.v1.RoundPairKey")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<RoundPairKey>) {
        self.init(
            kind: MatchKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            mentorID: reader.string(.mentorID),
            menteeID: reader.string(.menteeID)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<RoundPairKey>) {
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.mentorID, mentorID)
        writer.set(.menteeID, menteeID)
    }
}

/// A matching round: its options, input position, result and difference from the previous one (proto `mentornet.matching.v1.Round`).
public struct Round: Sendable, Equatable {
    /// The round id.
    public var id: String
    /// The network.
    public var network: String
    /// What it maximised.
    public var objective: RoundObjective
    /// No pair below this was proposed.
    public var minimumScore: Double
    /// Chose among equally good rounds.
    public var seed: UInt64
    /// Whether the mutual step ran.
    public var mutual: Bool
    /// Dry run or published.
    public var state: RoundState
    /// The profiles feed position the members were read at.
    public var feedPosition: UInt64
    /// Mentees considered.
    public var menteeCount: UInt32
    /// Mentors with open slots considered.
    public var mentorCount: UInt32
    /// Mentees with a partner.
    public var matchedMentees: UInt32
    /// Total score of the one-way pairs.
    public var oneWayScore: Double
    /// Total score of the mutual pairs.
    public var mutualScore: Double
    /// The proposed pairs.
    public var pairs: [RoundPair]
    /// Mentees left without a partner.
    public var unmatched: [UnmatchedMember]
    /// The network's previous round.
    public var previousRoundID: String
    /// Pairs not in the previous round.
    public var added: [RoundPairKey]
    /// Pairs of the previous round not in this one.
    public var removed: [RoundPairKey]
    /// Pairs in both.
    public var kept: UInt32
    /// Computed, microseconds since 1970 UTC.
    public var createdAtMicros: Int64
    /// Published; 0 before.
    public var publishedAtMicros: Int64

    /// Creates the message.
    public init(
        id: String = "", network: String = "", objective: RoundObjective = .unspecified, minimumScore: Double = 0,
        seed: UInt64 = 0, mutual: Bool = false, state: RoundState = .unspecified, feedPosition: UInt64 = 0,
        menteeCount: UInt32 = 0, mentorCount: UInt32 = 0, matchedMentees: UInt32 = 0, oneWayScore: Double = 0,
        mutualScore: Double = 0, pairs: [RoundPair] = [], unmatched: [UnmatchedMember] = [],
        previousRoundID: String = "", added: [RoundPairKey] = [], removed: [RoundPairKey] = [], kept: UInt32 = 0,
        createdAtMicros: Int64 = 0, publishedAtMicros: Int64 = 0
    ) {
        self.id = id
        self.network = network
        self.objective = objective
        self.minimumScore = minimumScore
        self.seed = seed
        self.mutual = mutual
        self.state = state
        self.feedPosition = feedPosition
        self.menteeCount = menteeCount
        self.mentorCount = mentorCount
        self.matchedMentees = matchedMentees
        self.oneWayScore = oneWayScore
        self.mutualScore = mutualScore
        self.pairs = pairs
        self.unmatched = unmatched
        self.previousRoundID = previousRoundID
        self.added = added
        self.removed = removed
        self.kept = kept
        self.createdAtMicros = createdAtMicros
        self.publishedAtMicros = publishedAtMicros
    }
}

extension Round: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1, network, objective, minimumScore, seed, mutual, state, feedPosition, menteeCount, mentorCount,
            matchedMentees, oneWayScore, mutualScore, pairs, unmatched, previousRoundID, added, removed, kept,
            createdAtMicros, publishedAtMicros
    }

    /// `mentornet.matching.v1.Round`.
    public static let schema = MessageSchema("mentornet.matching.v1.Round")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<Round>) {
        self.init(
            id: reader.string(.id),
            network: reader.string(.network),
            objective: RoundObjective(rawValue: reader.enumValue(.objective)) ?? .unspecified,
            minimumScore: reader.double(.minimumScore),
            seed: reader.uint64(.seed),
            mutual: reader.bool(.mutual),
            state: RoundState(rawValue: reader.enumValue(.state)) ?? .unspecified,
            feedPosition: reader.uint64(.feedPosition),
            menteeCount: reader.uint32(.menteeCount),
            mentorCount: reader.uint32(.mentorCount),
            matchedMentees: reader.uint32(.matchedMentees),
            oneWayScore: reader.double(.oneWayScore),
            mutualScore: reader.double(.mutualScore),
            pairs: reader.messages(.pairs),
            unmatched: reader.messages(.unmatched),
            previousRoundID: reader.string(.previousRoundID),
            added: reader.messages(.added),
            removed: reader.messages(.removed),
            kept: reader.uint32(.kept),
            createdAtMicros: reader.int64(.createdAtMicros),
            publishedAtMicros: reader.int64(.publishedAtMicros)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Round>) {
        writer.set(.id, id)
        writer.set(.network, network)
        writer.setEnum(.objective, objective.rawValue)
        writer.set(.minimumScore, minimumScore)
        writer.set(.seed, seed)
        writer.set(.mutual, mutual)
        writer.setEnum(.state, state.rawValue)
        writer.set(.feedPosition, feedPosition)
        writer.set(.menteeCount, menteeCount)
        writer.set(.mentorCount, mentorCount)
        writer.set(.matchedMentees, matchedMentees)
        writer.set(.oneWayScore, oneWayScore)
        writer.set(.mutualScore, mutualScore)
        writer.set(.pairs, pairs)
        writer.set(.unmatched, unmatched)
        writer.set(.previousRoundID, previousRoundID)
        writer.set(.added, added)
        writer.set(.removed, removed)
        writer.set(.kept, kept)
        writer.set(.createdAtMicros, createdAtMicros)
        writer.set(.publishedAtMicros, publishedAtMicros)
    }
}

/// Computes and stores a round (a dry run) (proto `mentornet.matching.v1.RunRoundRequest`).
public struct RunRoundRequest: Sendable, Equatable, Hashable {
    /// The network.
    public var network: String
    /// MAX_SCORE when unspecified.
    public var objective: RoundObjective
    /// 0 to 100.
    public var minimumScore: Double
    /// Chooses among equally good rounds.
    public var seed: UInt64
    /// Leave out the mutual step.
    public var skipMutual: Bool

    /// Creates the message.
    public init(
        network: String = "", objective: RoundObjective = .unspecified, minimumScore: Double = 0, seed: UInt64 = 0,
        skipMutual: Bool = false
    ) {
        self.network = network
        self.objective = objective
        self.minimumScore = minimumScore
        self.seed = seed
        self.skipMutual = skipMutual
    }
}

extension RunRoundRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case network = 1, objective, minimumScore, seed, skipMutual
    }

    /// `mentornet.matching.v1.RunRoundRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.RunRoundRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<RunRoundRequest>) {
        self.init(
            network: reader.string(.network),
            objective: RoundObjective(rawValue: reader.enumValue(.objective)) ?? .unspecified,
            minimumScore: reader.double(.minimumScore),
            seed: reader.uint64(.seed),
            skipMutual: reader.bool(.skipMutual)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<RunRoundRequest>) {
        writer.set(.network, network)
        writer.setEnum(.objective, objective.rawValue)
        writer.set(.minimumScore, minimumScore)
        writer.set(.seed, seed)
        writer.set(.skipMutual, skipMutual)
    }
}

/// Names a round (proto `mentornet.matching.v1.GetRoundRequest`).
public struct GetRoundRequest: Sendable, Equatable, Hashable {
    /// The round id.
    public var id: String

    /// Creates the message.
    public init(id: String = "") {
        self.id = id
    }
}

extension GetRoundRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1
    }

    /// `mentornet.matching.v1.GetRoundRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.GetRoundRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<GetRoundRequest>) {
        self.init(
            id: reader.string(.id)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<GetRoundRequest>) {
        writer.set(.id, id)
    }
}
