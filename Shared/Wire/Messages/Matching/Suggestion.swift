/// A ranked candidate partner for a member (proto `mentornet.matching.v1.Suggestion`).
public struct Suggestion: Sendable, Equatable {
    /// The candidate.
    public var candidateID: String
    /// One-way (a mentor) or mutual (a peer).
    public var kind: MatchKind
    /// The pair's score.
    public var score: Double
    /// Points per criterion.
    public var scoreParts: [ScorePart]
    /// What the candidate teaches the member.
    public var focusSkills: [String]
    /// Mutual: what the member teaches the candidate.
    public var reverseFocusSkills: [String]
    /// One line for people.
    public var explanation: String

    /// Creates the message.
    public init(
        candidateID: String = "", kind: MatchKind = .unspecified, score: Double = 0, scoreParts: [ScorePart] = [],
        focusSkills: [String] = [], reverseFocusSkills: [String] = [], explanation: String = ""
    ) {
        self.candidateID = candidateID
        self.kind = kind
        self.score = score
        self.scoreParts = scoreParts
        self.focusSkills = focusSkills
        self.reverseFocusSkills = reverseFocusSkills
        self.explanation = explanation
    }
}

extension Suggestion: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case candidateID = 1, kind, score, scoreParts, focusSkills, reverseFocusSkills, explanation
    }

    /// `mentornet.matching.v1.Suggestion`.
    public static let schema = MessageSchema("mentornet.matching.v1.Suggestion")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<Suggestion>) {
        self.init(
            candidateID: reader.string(.candidateID),
            kind: MatchKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            score: reader.double(.score),
            scoreParts: reader.messages(.scoreParts),
            focusSkills: reader.strings(.focusSkills),
            reverseFocusSkills: reader.strings(.reverseFocusSkills),
            explanation: reader.string(.explanation)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Suggestion>) {
        writer.set(.candidateID, candidateID)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.score, score)
        writer.set(.scoreParts, scoreParts)
        writer.set(.focusSkills, focusSkills)
        writer.set(.reverseFocusSkills, reverseFocusSkills)
        writer.set(.explanation, explanation)
    }
}

/// Asks for the best partners for a member (proto `mentornet.matching.v1.GetSuggestionsRequest`).
public struct GetSuggestionsRequest: Sendable, Equatable, Hashable {
    /// The member.
    public var memberID: String
    /// The network to look in.
    public var network: String
    /// One-way: mentors; mutual: peers.
    public var kind: MatchKind
    /// 1 to 50; 10 when 0.
    public var limit: UInt32

    /// Creates the message.
    public init(memberID: String = "", network: String = "", kind: MatchKind = .unspecified, limit: UInt32 = 0) {
        self.memberID = memberID
        self.network = network
        self.kind = kind
        self.limit = limit
    }
}

extension GetSuggestionsRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case memberID = 1, network, kind, limit
    }

    /// `mentornet.matching.v1.GetSuggestionsRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.GetSuggestionsRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<GetSuggestionsRequest>) {
        self.init(
            memberID: reader.string(.memberID),
            network: reader.string(.network),
            kind: MatchKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            limit: reader.uint32(.limit)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<GetSuggestionsRequest>) {
        writer.set(.memberID, memberID)
        writer.set(.network, network)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.limit, limit)
    }
}

/// Suggestions, best first (proto `mentornet.matching.v1.GetSuggestionsResponse`).
public struct GetSuggestionsResponse: Sendable, Equatable {
    /// Best first.
    public var suggestions: [Suggestion]

    /// Creates the message.
    public init(suggestions: [Suggestion] = []) {
        self.suggestions = suggestions
    }
}

extension GetSuggestionsResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case suggestions = 1
    }

    /// `mentornet.matching.v1.GetSuggestionsResponse`.
    public static let schema = MessageSchema("mentornet.matching.v1.GetSuggestionsResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<GetSuggestionsResponse>) {
        self.init(
            suggestions: reader.messages(.suggestions)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<GetSuggestionsResponse>) {
        writer.set(.suggestions, suggestions)
    }
}
