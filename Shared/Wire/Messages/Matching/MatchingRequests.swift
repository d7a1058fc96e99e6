/// Proposes a match: a member's request or an administrator's proposal (proto `mentornet.matching.v1.ProposeMatchRequest`).
public struct ProposeMatchRequest: Sendable, Equatable, Hashable {
    /// The network.
    public var network: String
    /// One-way or mutual.
    public var kind: MatchKind
    /// The mentor (mutual: one partner).
    public var mentorID: String
    /// The mentee (mutual: the other).
    public var menteeID: String
    /// Requested, suggestion or admin.
    public var origin: MatchOrigin
    /// The partner asking (who thereby accepts); empty for admin.
    public var requestedBy: String

    /// Creates the message.
    public init(
        network: String = "", kind: MatchKind = .unspecified, mentorID: String = "", menteeID: String = "",
        origin: MatchOrigin = .unspecified, requestedBy: String = ""
    ) {
        self.network = network
        self.kind = kind
        self.mentorID = mentorID
        self.menteeID = menteeID
        self.origin = origin
        self.requestedBy = requestedBy
    }
}

extension ProposeMatchRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case network = 1, kind, mentorID, menteeID, origin, requestedBy
    }

    /// `mentornet.matching.v1.ProposeMatchRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.ProposeMatchRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ProposeMatchRequest>) {
        self.init(
            network: reader.string(.network),
            kind: MatchKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            mentorID: reader.string(.mentorID),
            menteeID: reader.string(.menteeID),
            origin: MatchOrigin(rawValue: reader.enumValue(.origin)) ?? .unspecified,
            requestedBy: reader.string(.requestedBy)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ProposeMatchRequest>) {
        writer.set(.network, network)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.mentorID, mentorID)
        writer.set(.menteeID, menteeID)
        writer.setEnum(.origin, origin.rawValue)
        writer.set(.requestedBy, requestedBy)
    }
}

/// Accepts, declines or withdraws a proposal, by one of its partners (proto `mentornet.matching.v1.MatchActionRequest`).
public struct MatchActionRequest: Sendable, Equatable, Hashable {
    /// The match.
    public var matchID: String
    /// The partner acting.
    public var memberID: String
    /// When non-zero, the match must still be at this version.
    public var expectedVersion: UInt64
    /// Why (decline, withdraw).
    public var reason: String

    /// Creates the message.
    public init(matchID: String = "", memberID: String = "", expectedVersion: UInt64 = 0, reason: String = "") {
        self.matchID = matchID
        self.memberID = memberID
        self.expectedVersion = expectedVersion
        self.reason = reason
    }
}

extension MatchActionRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case matchID = 1, memberID, expectedVersion, reason
    }

    /// `mentornet.matching.v1.MatchActionRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.MatchActionRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<MatchActionRequest>) {
        self.init(
            matchID: reader.string(.matchID),
            memberID: reader.string(.memberID),
            expectedVersion: reader.uint64(.expectedVersion),
            reason: reader.string(.reason)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<MatchActionRequest>) {
        writer.set(.matchID, matchID)
        writer.set(.memberID, memberID)
        writer.set(.expectedVersion, expectedVersion)
        writer.set(.reason, reason)
    }
}

/// Ends an active match (proto `mentornet.matching.v1.EndMatchRequest`).
public struct EndMatchRequest: Sendable, Equatable, Hashable {
    /// The match.
    public var matchID: String
    /// The partner acting.
    public var memberID: String
    /// Completed or ended.
    public var outcome: MatchState
    /// Why.
    public var reason: String
    /// When non-zero, the match must still be at this version.
    public var expectedVersion: UInt64

    /// Creates the message.
    public init(
        matchID: String = "", memberID: String = "", outcome: MatchState = .unspecified, reason: String = "",
        expectedVersion: UInt64 = 0
    ) {
        self.matchID = matchID
        self.memberID = memberID
        self.outcome = outcome
        self.reason = reason
        self.expectedVersion = expectedVersion
    }
}

extension EndMatchRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case matchID = 1, memberID, outcome, reason, expectedVersion
    }

    /// `mentornet.matching.v1.EndMatchRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.EndMatchRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<EndMatchRequest>) {
        self.init(
            matchID: reader.string(.matchID),
            memberID: reader.string(.memberID),
            outcome: MatchState(rawValue: reader.enumValue(.outcome)) ?? .unspecified,
            reason: reader.string(.reason),
            expectedVersion: reader.uint64(.expectedVersion)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<EndMatchRequest>) {
        writer.set(.matchID, matchID)
        writer.set(.memberID, memberID)
        writer.setEnum(.outcome, outcome.rawValue)
        writer.set(.reason, reason)
        writer.set(.expectedVersion, expectedVersion)
    }
}

/// Reads a match (proto `mentornet.matching.v1.GetMatchRequest`).
public struct GetMatchRequest: Sendable, Equatable, Hashable {
    /// The match id.
    public var id: String

    /// Creates the message.
    public init(id: String = "") {
        self.id = id
    }
}

extension GetMatchRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1
    }

    /// `mentornet.matching.v1.GetMatchRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.GetMatchRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<GetMatchRequest>) {
        self.init(
            id: reader.string(.id)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<GetMatchRequest>) {
        writer.set(.id, id)
    }
}

/// Lists a member's matches, newest first (proto `mentornet.matching.v1.ListMatchesRequest`).
public struct ListMatchesRequest: Sendable, Equatable, Hashable {
    /// The member (required).
    public var memberID: String
    /// A state, or unspecified for any.
    public var state: MatchState
    /// 1 to 200; 50 when 0.
    public var pageSize: UInt32
    /// From the previous page.
    public var pageToken: String

    /// Creates the message.
    public init(memberID: String = "", state: MatchState = .unspecified, pageSize: UInt32 = 0, pageToken: String = "") {
        self.memberID = memberID
        self.state = state
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension ListMatchesRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case memberID = 1, state, pageSize, pageToken
    }

    /// `mentornet.matching.v1.ListMatchesRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.ListMatchesRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListMatchesRequest>) {
        self.init(
            memberID: reader.string(.memberID),
            state: MatchState(rawValue: reader.enumValue(.state)) ?? .unspecified,
            pageSize: reader.uint32(.pageSize),
            pageToken: reader.string(.pageToken)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListMatchesRequest>) {
        writer.set(.memberID, memberID)
        writer.setEnum(.state, state.rawValue)
        writer.set(.pageSize, pageSize)
        writer.set(.pageToken, pageToken)
    }
}

/// A page of matches (proto `mentornet.matching.v1.ListMatchesResponse`).
public struct ListMatchesResponse: Sendable, Equatable {
    /// Newest first.
    public var matches: [Match]
    /// Empty on the last page.
    public var nextPageToken: String

    /// Creates the message.
    public init(matches: [Match] = [], nextPageToken: String = "") {
        self.matches = matches
        self.nextPageToken = nextPageToken
    }
}

extension ListMatchesResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case matches = 1, nextPageToken
    }

    /// `mentornet.matching.v1.ListMatchesResponse`.
    public static let schema = MessageSchema("mentornet.matching.v1.ListMatchesResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListMatchesResponse>) {
        self.init(
            matches: reader.messages(.matches),
            nextPageToken: reader.string(.nextPageToken)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListMatchesResponse>) {
        writer.set(.matches, matches)
        writer.set(.nextPageToken, nextPageToken)
    }
}
