import CProtobufC
import ProtoC
import Testing
import Wire

/// The `.proto` files are the source of truth: these tests fail when a Swift type and the
/// protobuf-c descriptor generated from the `.proto` disagree.
@Suite("Swift types agree with the protobuf-c descriptors")
struct SchemaAgreementTests {
    struct Mirror: Sendable, CustomStringConvertible {
        let name: String
        let fieldNumbers: [UInt32]
        let fieldNames: [String]
        let schema: MessageSchema
        var description: String { name }

        init<M: ProtoMessage>(_ type: M.Type) {
            name = M.schema.fullName
            schema = M.schema
            fieldNumbers = M.Field.allCases.map(\.rawValue).sorted()
            fieldNames = M.Field.allCases.sorted { $0.rawValue < $1.rawValue }.map { "\($0)" }
        }
    }

    static let mirrors = [
        Mirror(Frame.self), Mirror(Status.self), Mirror(FieldViolation.self), Mirror(MetadataEntry.self),
        Mirror(HealthCheckRequest.self), Mirror(HealthCheckResponse.self),
        Mirror(EchoRequest.self), Mirror(EchoResponse.self), Mirror(Node.self),
        Mirror(Expertise.self), Mirror(LearningGoal.self), Mirror(AvailabilityWindow.self),
        Mirror(MatchPreferences.self),
        Mirror(Member.self), Mirror(CreateMemberRequest.self), Mirror(GetMemberRequest.self),
        Mirror(BatchGetMembersRequest.self), Mirror(BatchGetMembersResponse.self), Mirror(UpdateMemberRequest.self),
        Mirror(SetMemberStatusRequest.self), Mirror(ListMembersRequest.self), Mirror(ListMembersResponse.self),
        Mirror(MemberChange.self), Mirror(ListChangesRequest.self), Mirror(ListChangesResponse.self),
        Mirror(ScorePart.self), Mirror(Match.self), Mirror(Suggestion.self), Mirror(GetSuggestionsRequest.self),
        Mirror(GetSuggestionsResponse.self), Mirror(ProposeMatchRequest.self), Mirror(MatchActionRequest.self),
        Mirror(EndMatchRequest.self), Mirror(GetMatchRequest.self), Mirror(ListMatchesRequest.self),
        Mirror(ListMatchesResponse.self), Mirror(MatchChange.self), Mirror(ListMatchChangesRequest.self),
        Mirror(ListMatchChangesResponse.self), Mirror(RoundPair.self), Mirror(UnmatchedMember.self),
        Mirror(RoundPairKey.self), Mirror(Round.self), Mirror(RunRoundRequest.self), Mirror(GetRoundRequest.self),
    ]

    @Test("each Swift type names exactly the .proto's fields, by number and name", arguments: mirrors)
    func fields(_ mirror: Mirror) {
        #expect(mirror.fieldNumbers == mirror.schema.fieldNumbers)
        let protoNames = mirror.schema.fieldNumbers.map { mirror.schema.fieldName($0)! }
        let normalise = { (name: String) in String(name.lowercased().filter { $0 != "_" }) }
        #expect(mirror.fieldNames.map(normalise) == protoNames.map(normalise))
    }

    @Test("every message generated from proto/ has a Swift type")
    func everyMessageMirrored() {
        var generated: [String] = []
        var index: UInt32 = 0
        while let descriptor = proto_registry_message_at(index) {
            generated.append(String(cString: descriptor.pointee.name))
            index += 1
        }
        #expect(generated.sorted() == Self.mirrors.map(\.name).sorted())
    }

    @Test("Swift enums list the .proto's enum values")
    func enums() {
        #expect(StatusCode.allCases.map(\.rawValue) == Array(0...16))
        #expect(FrameKind.allCases.map(\.rawValue) == Array(0...5))
        #expect(HealthCheckResponse.ServingStatus.allCases.map(\.rawValue) == Array(0...3))
        #expect(StatusCode.invalidArgument.description == "INVALID_ARGUMENT")
        #expect(Role.allCases.map(\.rawValue) == Array(0...2))
        #expect(MemberStatus.allCases.map(\.rawValue) == Array(0...3))
        #expect(OrganizationPreference.allCases.map(\.rawValue) == Array(0...2))
        #expect(ChangeKind.allCases.map(\.rawValue) == Array(0...5))
    }
}
