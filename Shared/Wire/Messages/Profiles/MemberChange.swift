/// One entry of the change feed. (proto `mentornet.profiles.v1.MemberChange`).
public struct MemberChange: Sendable, Equatable {
    /// Position in the feed, increasing without gaps.
    public var sequence: UInt64
    /// Unique id, for de-duplication.
    public var eventID: String
    /// What happened.
    public var kind: ChangeKind
    /// The member after the change.
    public var member: Member?
    /// When, microseconds since 1970 UTC.
    public var occurredAtMicros: Int64

    /// Creates the message.
    public init(
        sequence: UInt64 = 0, eventID: String = "", kind: ChangeKind = .unspecified, member: Member? = nil,
        occurredAtMicros: Int64 = 0
    ) {
        self.sequence = sequence
        self.eventID = eventID
        self.kind = kind
        self.member = member
        self.occurredAtMicros = occurredAtMicros
    }
}

extension MemberChange: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case sequence = 1, eventID, kind, member, occurredAtMicros
    }

    /// `mentornet.profiles.v1.MemberChange`.
    public static let schema = MessageSchema("mentornet.profiles.v1.MemberChange")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<MemberChange>) {
        self.init(
            sequence: reader.uint64(.sequence),
            eventID: reader.string(.eventID),
            kind: ChangeKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            member: reader.message(.member),
            occurredAtMicros: reader.int64(.occurredAtMicros)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<MemberChange>) {
        writer.set(.sequence, sequence)
        writer.set(.eventID, eventID)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.member, member)
        writer.set(.occurredAtMicros, occurredAtMicros)
    }
}

/// Reads the change feed from a position. (proto `mentornet.profiles.v1.ListChangesRequest`).
public struct ListChangesRequest: Sendable, Equatable {
    /// Changes after this sequence; 0 from the start.
    public var afterSequence: UInt64
    /// At most this many (default 100, at most 1000).
    public var limit: UInt32

    /// Creates the message.
    public init(afterSequence: UInt64 = 0, limit: UInt32 = 0) {
        self.afterSequence = afterSequence
        self.limit = limit
    }
}

extension ListChangesRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case afterSequence = 1, limit
    }

    /// `mentornet.profiles.v1.ListChangesRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.ListChangesRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListChangesRequest>) {
        self.init(
            afterSequence: reader.uint64(.afterSequence),
            limit: reader.uint32(.limit)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListChangesRequest>) {
        writer.set(.afterSequence, afterSequence)
        writer.set(.limit, limit)
    }
}

/// A page of the change feed. (proto `mentornet.profiles.v1.ListChangesResponse`).
public struct ListChangesResponse: Sendable, Equatable {
    /// The changes, in order.
    public var changes: [MemberChange]
    /// The feed's last sequence when read.
    public var headSequence: UInt64

    /// Creates the message.
    public init(changes: [MemberChange] = [], headSequence: UInt64 = 0) {
        self.changes = changes
        self.headSequence = headSequence
    }
}

extension ListChangesResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case changes = 1, headSequence
    }

    /// `mentornet.profiles.v1.ListChangesResponse`.
    public static let schema = MessageSchema("mentornet.profiles.v1.ListChangesResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListChangesResponse>) {
        self.init(
            changes: reader.messages(.changes),
            headSequence: reader.uint64(.headSequence)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListChangesResponse>) {
        writer.set(.changes, changes)
        writer.set(.headSequence, headSequence)
    }
}
