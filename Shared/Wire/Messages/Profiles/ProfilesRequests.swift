/// Creates a member. (proto `mentornet.profiles.v1.CreateMemberRequest`).
public struct CreateMemberRequest: Sendable, Equatable {
    /// The new member's fields.
    public var member: Member?

    /// Creates the message.
    public init(member: Member? = nil) {
        self.member = member
    }
}

extension CreateMemberRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case member = 1
    }

    /// `mentornet.profiles.v1.CreateMemberRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.CreateMemberRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<CreateMemberRequest>) {
        self.init(
            member: reader.message(.member)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<CreateMemberRequest>) {
        writer.set(.member, member)
    }
}

/// Reads one member. (proto `mentornet.profiles.v1.GetMemberRequest`).
public struct GetMemberRequest: Sendable, Equatable {
    /// The member's id.
    public var id: String

    /// Creates the message.
    public init(id: String = "") {
        self.id = id
    }
}

extension GetMemberRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1
    }

    /// `mentornet.profiles.v1.GetMemberRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.GetMemberRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<GetMemberRequest>) {
        self.init(
            id: reader.string(.id)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<GetMemberRequest>) {
        writer.set(.id, id)
    }
}

/// Reads several members. (proto `mentornet.profiles.v1.BatchGetMembersRequest`).
public struct BatchGetMembersRequest: Sendable, Equatable {
    /// The ids, at most 100.
    public var ids: [String]

    /// Creates the message.
    public init(ids: [String] = []) {
        self.ids = ids
    }
}

extension BatchGetMembersRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case ids = 1
    }

    /// `mentornet.profiles.v1.BatchGetMembersRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.BatchGetMembersRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<BatchGetMembersRequest>) {
        self.init(
            ids: reader.strings(.ids)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<BatchGetMembersRequest>) {
        writer.set(.ids, ids)
    }
}

/// The members found, in the order asked. (proto `mentornet.profiles.v1.BatchGetMembersResponse`).
public struct BatchGetMembersResponse: Sendable, Equatable {
    /// The members found.
    public var members: [Member]
    /// The ids with no member.
    public var missingIDs: [String]

    /// Creates the message.
    public init(members: [Member] = [], missingIDs: [String] = []) {
        self.members = members
        self.missingIDs = missingIDs
    }
}

extension BatchGetMembersResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case members = 1, missingIDs
    }

    /// `mentornet.profiles.v1.BatchGetMembersResponse`.
    public static let schema = MessageSchema("mentornet.profiles.v1.BatchGetMembersResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<BatchGetMembersResponse>) {
        self.init(
            members: reader.messages(.members),
            missingIDs: reader.strings(.missingIDs)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<BatchGetMembersResponse>) {
        writer.set(.members, members)
        writer.set(.missingIDs, missingIDs)
    }
}

/// Changes some fields of a member. (proto `mentornet.profiles.v1.UpdateMemberRequest`).
public struct UpdateMemberRequest: Sendable, Equatable {
    /// The id and the new values.
    public var member: Member?
    /// The proto field names to change; empty: every updatable field.
    public var updateMask: [String]
    /// The version read; 0 skips the check.
    public var expectedVersion: UInt64

    /// Creates the message.
    public init(member: Member? = nil, updateMask: [String] = [], expectedVersion: UInt64 = 0) {
        self.member = member
        self.updateMask = updateMask
        self.expectedVersion = expectedVersion
    }
}

extension UpdateMemberRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case member = 1, updateMask, expectedVersion
    }

    /// `mentornet.profiles.v1.UpdateMemberRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.UpdateMemberRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<UpdateMemberRequest>) {
        self.init(
            member: reader.message(.member),
            updateMask: reader.strings(.updateMask),
            expectedVersion: reader.uint64(.expectedVersion)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<UpdateMemberRequest>) {
        writer.set(.member, member)
        writer.set(.updateMask, updateMask)
        writer.set(.expectedVersion, expectedVersion)
    }
}

/// Pauses, resumes or deactivates a member. (proto `mentornet.profiles.v1.SetMemberStatusRequest`).
public struct SetMemberStatusRequest: Sendable, Equatable {
    /// The member's id.
    public var id: String
    /// The version read; 0 skips the check.
    public var expectedVersion: UInt64

    /// Creates the message.
    public init(id: String = "", expectedVersion: UInt64 = 0) {
        self.id = id
        self.expectedVersion = expectedVersion
    }
}

extension SetMemberStatusRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case id = 1, expectedVersion
    }

    /// `mentornet.profiles.v1.SetMemberStatusRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.SetMemberStatusRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<SetMemberStatusRequest>) {
        self.init(
            id: reader.string(.id),
            expectedVersion: reader.uint64(.expectedVersion)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<SetMemberStatusRequest>) {
        writer.set(.id, id)
        writer.set(.expectedVersion, expectedVersion)
    }
}

/// Searches members; every filter given must match. (proto `mentornet.profiles.v1.ListMembersRequest`).
public struct ListMembersRequest: Sendable, Equatable {
    /// Only members of this network.
    public var network: String
    /// Only members with this role.
    public var role: Role
    /// Only members who teach or want to learn this skill.
    public var skill: String
    /// Words that must all appear in the profile.
    public var query: String
    /// Only members in this status.
    public var status: MemberStatus
    /// At most this many (default 50, at most 200).
    public var pageSize: UInt32
    /// From a previous response's next_page_token.
    public var pageToken: String

    /// Creates the message.
    public init(
        network: String = "", role: Role = .unspecified, skill: String = "", query: String = "",
        status: MemberStatus = .unspecified, pageSize: UInt32 = 0, pageToken: String = ""
    ) {
        self.network = network
        self.role = role
        self.skill = skill
        self.query = query
        self.status = status
        self.pageSize = pageSize
        self.pageToken = pageToken
    }
}

extension ListMembersRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case network = 1, role, skill, query, status, pageSize, pageToken
    }

    /// `mentornet.profiles.v1.ListMembersRequest`.
    public static let schema = MessageSchema("mentornet.profiles.v1.ListMembersRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListMembersRequest>) {
        self.init(
            network: reader.string(.network),
            role: Role(rawValue: reader.enumValue(.role)) ?? .unspecified,
            skill: reader.string(.skill),
            query: reader.string(.query),
            status: MemberStatus(rawValue: reader.enumValue(.status)) ?? .unspecified,
            pageSize: reader.uint32(.pageSize),
            pageToken: reader.string(.pageToken)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListMembersRequest>) {
        writer.set(.network, network)
        writer.setEnum(.role, role.rawValue)
        writer.set(.skill, skill)
        writer.set(.query, query)
        writer.setEnum(.status, status.rawValue)
        writer.set(.pageSize, pageSize)
        writer.set(.pageToken, pageToken)
    }
}

/// One page of members. (proto `mentornet.profiles.v1.ListMembersResponse`).
public struct ListMembersResponse: Sendable, Equatable {
    /// The page.
    public var members: [Member]
    /// Empty on the last page.
    public var nextPageToken: String

    /// Creates the message.
    public init(members: [Member] = [], nextPageToken: String = "") {
        self.members = members
        self.nextPageToken = nextPageToken
    }
}

extension ListMembersResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case members = 1, nextPageToken
    }

    /// `mentornet.profiles.v1.ListMembersResponse`.
    public static let schema = MessageSchema("mentornet.profiles.v1.ListMembersResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<ListMembersResponse>) {
        self.init(
            members: reader.messages(.members),
            nextPageToken: reader.string(.nextPageToken)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<ListMembersResponse>) {
        writer.set(.members, members)
        writer.set(.nextPageToken, nextPageToken)
    }
}
