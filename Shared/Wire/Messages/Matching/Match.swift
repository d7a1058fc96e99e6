/// Points of one scoring criterion; a score's parts add up to it (proto `mentornet.matching.v1.ScorePart`).
public struct ScorePart: Sendable, Equatable, Hashable {
    /// The criterion: coverage, experience, availability or organization.
    public var criterion: String
    /// Its points.
    public var points: Double

    /// Creates the message.
    public init(criterion: String = "", points: Double = 0) {
        self.criterion = criterion
        self.points = points
    }
}

extension ScorePart: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case criterion = 1, points
    }

    /// `mentornet.matching.v1.ScorePart`.
    public static let schema = MessageSchema("mentornet.matching.v1.ScorePart")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ScorePart>) {
        self.init(
            criterion: reader.string(.criterion),
            points: reader.double(.points)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ScorePart>) {
        writer.set(.criterion, criterion)
        writer.set(.points, points)
    }
}

/// A match between two members (proto `mentornet.matching.v1.Match`).
public struct Match: Sendable, Equatable {
    /// The match id.
    public var id: String
    /// The network it belongs to.
    public var network: String
    /// One-way or mutual.
    public var kind: MatchKind
    /// One-way: the mentor. Mutual: the partner whose id sorts first.
    public var mentorID: String
    /// One-way: the mentee. Mutual: the other partner.
    public var menteeID: String
    /// Skills the mentor teaches the mentee, most wanted first.
    public var focusSkills: [String]
    /// Mutual: skills the mentee teaches the mentor.
    public var reverseFocusSkills: [String]
    /// The pair's score, 0 to 100.
    public var score: Double
    /// Points per criterion, adding up to the score.
    public var scoreParts: [ScorePart]
    /// One line for people.
    public var explanation: String
    /// Where it came from.
    public var origin: MatchOrigin
    /// Where it is in its lifecycle.
    public var state: MatchState
    /// The mentor (first partner) accepted.
    public var mentorAccepted: Bool
    /// The mentee (other partner) accepted.
    public var menteeAccepted: Bool
    /// Why it was declined, withdrawn, ended or completed.
    public var reason: String
    /// The round that proposed it.
    public var roundID: String
    /// Increases with every change.
    public var version: UInt64
    /// Created, microseconds since 1970 UTC.
    public var createdAtMicros: Int64
    /// Last changed.
    public var updatedAtMicros: Int64
    /// When a proposal expires.
    public var expiresAtMicros: Int64

    /// Creates the message.
    public init(
        id: String = "", network: String = "", kind: MatchKind = .unspecified, mentorID: String = "",
        menteeID: String = "", focusSkills: [String] = [], reverseFocusSkills: [String] = [], score: Double = 0,
        scoreParts: [ScorePart] = [], explanation: String = "", origin: MatchOrigin = .unspecified,
        state: MatchState = .unspecified, mentorAccepted: Bool = false, menteeAccepted: Bool = false,
        reason: String = "", roundID: String = "", version: UInt64 = 0, createdAtMicros: Int64 = 0,
        updatedAtMicros: Int64 = 0, expiresAtMicros: Int64 = 0
    ) {
        self.id = id
        self.network = network
        self.kind = kind
        self.mentorID = mentorID
        self.menteeID = menteeID
        self.focusSkills = focusSkills
        self.reverseFocusSkills = reverseFocusSkills
        self.score = score
        self.scoreParts = scoreParts
        self.explanation = explanation
        self.origin = origin
        self.state = state
        self.mentorAccepted = mentorAccepted
        self.menteeAccepted = menteeAccepted
        self.reason = reason
        self.roundID = roundID
        self.version = version
        self.createdAtMicros = createdAtMicros
        self.updatedAtMicros = updatedAtMicros
        self.expiresAtMicros = expiresAtMicros
    }
}

extension Match: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1, network, kind, mentorID, menteeID, focusSkills, reverseFocusSkills, score, scoreParts, explanation,
            origin, state, mentorAccepted, menteeAccepted, reason, roundID, version, createdAtMicros, updatedAtMicros,
            expiresAtMicros
    }

    /// `mentornet.matching.v1.Match`.
    public static let schema = MessageSchema("mentornet.matching.v1.Match")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<Match>) {
        self.init(
            id: reader.string(.id),
            network: reader.string(.network),
            kind: MatchKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            mentorID: reader.string(.mentorID),
            menteeID: reader.string(.menteeID),
            focusSkills: reader.strings(.focusSkills),
            reverseFocusSkills: reader.strings(.reverseFocusSkills),
            score: reader.double(.score),
            scoreParts: reader.messages(.scoreParts),
            explanation: reader.string(.explanation),
            origin: MatchOrigin(rawValue: reader.enumValue(.origin)) ?? .unspecified,
            state: MatchState(rawValue: reader.enumValue(.state)) ?? .unspecified,
            mentorAccepted: reader.bool(.mentorAccepted),
            menteeAccepted: reader.bool(.menteeAccepted),
            reason: reader.string(.reason),
            roundID: reader.string(.roundID),
            version: reader.uint64(.version),
            createdAtMicros: reader.int64(.createdAtMicros),
            updatedAtMicros: reader.int64(.updatedAtMicros),
            expiresAtMicros: reader.int64(.expiresAtMicros)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Match>) {
        writer.set(.id, id)
        writer.set(.network, network)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.mentorID, mentorID)
        writer.set(.menteeID, menteeID)
        writer.set(.focusSkills, focusSkills)
        writer.set(.reverseFocusSkills, reverseFocusSkills)
        writer.set(.score, score)
        writer.set(.scoreParts, scoreParts)
        writer.set(.explanation, explanation)
        writer.setEnum(.origin, origin.rawValue)
        writer.setEnum(.state, state.rawValue)
        writer.set(.mentorAccepted, mentorAccepted)
        writer.set(.menteeAccepted, menteeAccepted)
        writer.set(.reason, reason)
        writer.set(.roundID, roundID)
        writer.set(.version, version)
        writer.set(.createdAtMicros, createdAtMicros)
        writer.set(.updatedAtMicros, updatedAtMicros)
        writer.set(.expiresAtMicros, expiresAtMicros)
    }
}
