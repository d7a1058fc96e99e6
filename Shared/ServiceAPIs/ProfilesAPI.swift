import RPC
import Wire

/// The methods of `mentornet.profiles.v1.Profiles`, for servers and clients alike.
public enum ProfilesAPI {
    /// The service's full name.
    public static let service = "mentornet.profiles.v1.Profiles"
    /// Creates a member; honours `idempotency-key`.
    public static let createMember = MethodDescriptor<CreateMemberRequest, Member>(
        service: service, name: "CreateMember")
    /// Reads a member.
    public static let getMember = MethodDescriptor<GetMemberRequest, Member>(service: service, name: "GetMember")
    /// Reads up to 100 members.
    public static let batchGetMembers = MethodDescriptor<BatchGetMembersRequest, BatchGetMembersResponse>(
        service: service,
        name: "BatchGetMembers"
    )
    /// Changes the fields in the update mask, checking the expected version.
    public static let updateMember = MethodDescriptor<UpdateMemberRequest, Member>(
        service: service, name: "UpdateMember")
    /// Active → paused.
    public static let pauseMember = MethodDescriptor<SetMemberStatusRequest, Member>(
        service: service, name: "PauseMember")
    /// Paused → active.
    public static let resumeMember = MethodDescriptor<SetMemberStatusRequest, Member>(
        service: service, name: "ResumeMember")
    /// Active or paused → deactivated.
    public static let deactivateMember = MethodDescriptor<SetMemberStatusRequest, Member>(
        service: service,
        name: "DeactivateMember"
    )
    /// Searches members, a page at a time.
    public static let listMembers = MethodDescriptor<ListMembersRequest, ListMembersResponse>(
        service: service, name: "ListMembers")
    /// Reads the change feed after a position.
    public static let listChanges = MethodDescriptor<ListChangesRequest, ListChangesResponse>(
        service: service, name: "ListChanges")
    /// Streams the change feed after a position, then every new change.
    public static let watchChanges = MethodDescriptor<ListChangesRequest, MemberChange>(
        service: service, name: "WatchChanges")
}
