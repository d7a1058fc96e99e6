/// One entry of the matching change feed (proto `mentornet.matching.v1.MatchChange`).
public struct MatchChange: Sendable, Equatable {
    /// Position in the feed, increasing.
    public var sequence: UInt64
    /// Unique id, for de-duplication.
    public var eventID: String
    /// What happened.
    public var kind: MatchChangeKind
    /// The match after the change.
    public var match: Match?
    /// When, microseconds since 1970 UTC.
    public var occurredAtMicros: Int64

    /// Creates the message.
    public init(
        sequence: UInt64 = 0, eventID: String = "", kind: MatchChangeKind = .unspecified, match: Match? = nil,
        occurredAtMicros: Int64 = 0
    ) {
        self.sequence = sequence
        self.eventID = eventID
        self.kind = kind
        self.match = match
        self.occurredAtMicros = occurredAtMicros
    }
}

extension MatchChange: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case sequence = 1, eventID, kind, match, occurredAtMicros
    }

    /// `mentornet.matching.v1.MatchChange`.
    public static let schema = MessageSchema("mentornet.matching.v1.MatchChange")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<MatchChange>) {
        self.init(
            sequence: reader.uint64(.sequence),
            eventID: reader.string(.eventID),
            kind: MatchChangeKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            match: reader.message(.match),
            occurredAtMicros: reader.int64(.occurredAtMicros)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<MatchChange>) {
        writer.set(.sequence, sequence)
        writer.set(.eventID, eventID)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.match, match)
        writer.set(.occurredAtMicros, occurredAtMicros)
    }
}

/// Reads the matching change feed from a position (proto `mentornet.matching.v1.ListMatchChangesRequest`).
public struct ListMatchChangesRequest: Sendable, Equatable, Hashable {
    /// Changes after this sequence; 0 from the start.
    public var afterSequence: UInt64
    /// 1 to 1000; 100 when 0.
    public var limit: UInt32

    /// Creates the message.
    public init(afterSequence: UInt64 = 0, limit: UInt32 = 0) {
        self.afterSequence = afterSequence
        self.limit = limit
    }
}

extension ListMatchChangesRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case afterSequence = 1, limit
    }

    /// `mentornet.matching.v1.ListMatchChangesRequest`.
    public static let schema = MessageSchema("mentornet.matching.v1.ListMatchChangesRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListMatchChangesRequest>) {
        self.init(
            afterSequence: reader.uint64(.afterSequence),
            limit: reader.uint32(.limit)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListMatchChangesRequest>) {
        writer.set(.afterSequence, afterSequence)
        writer.set(.limit, limit)
    }
}

/// A page of the matching change feed (proto `mentornet.matching.v1.ListMatchChangesResponse`).
public struct ListMatchChangesResponse: Sendable, Equatable {
    /// In order.
    public var changes: [MatchChange]
    /// The newest sequence when the page was read.
    public var headSequence: UInt64

    /// Creates the message.
    public init(changes: [MatchChange] = [], headSequence: UInt64 = 0) {
        self.changes = changes
        self.headSequence = headSequence
    }
}

extension ListMatchChangesResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case changes = 1, headSequence
    }

    /// `mentornet.matching.v1.ListMatchChangesResponse`.
    public static let schema = MessageSchema("mentornet.matching.v1.ListMatchChangesResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListMatchChangesResponse>) {
        self.init(
            changes: reader.messages(.changes),
            headSequence: reader.uint64(.headSequence)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListMatchChangesResponse>) {
        writer.set(.changes, changes)
        writer.set(.headSequence, headSequence)
    }
}
