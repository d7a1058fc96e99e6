import CProtobufC
import MatchingV1
import NotificationsV1
import ProfilesV1
import ProtoC
import RPC
import SessionsV1
import Testing
import TestingV1
import Wire

/// The Swift types and the protobuf-c descriptors are generated from the same `.proto` files by
/// two generators (protoc-gen-mentornet and protoc-c); these tests fail when the two disagree,
/// e.g. when one was regenerated and the other was not.
@Suite("Generated Swift types agree with the protobuf-c descriptors")
struct SchemaAgreementTests {
    struct Mirror: Sendable, CustomStringConvertible {
        let name: String
        let fieldNumbers: [UInt32]
        let fieldNames: [String]
        let schema: MessageSchema
        /// Decodes the empty message and encodes it again: reads and writes every field, each
        /// checked against the descriptor's field type (a mismatch stops the process).
        let roundTrip: @Sendable () throws -> [UInt8]
        var description: String { name }

        init<M: ProtoMessage>(_ type: M.Type) {
            name = M.schema.fullName
            schema = M.schema
            fieldNumbers = M.Field.allCases.map(\.rawValue).sorted()
            fieldNames = M.Field.allCases.sorted { $0.rawValue < $1.rawValue }.map { "\($0)" }
            roundTrip = { try M(decoding: [UInt8]()).encoded() }
        }
    }

    static let generated: [any ProtoMessage.Type] =
        FrameProto.messages + HealthProto.messages + EchoProto.messages + ProfilesProto.messages
        + MatchingProto.messages + SessionsProto.messages + NotificationsProto.messages
    static let mirrors = generated.map { Mirror($0) }

    @Test("each Swift type names exactly the .proto's fields, by number and name", arguments: mirrors)
    func fields(_ mirror: Mirror) throws {
        #expect(mirror.fieldNumbers == mirror.schema.fieldNumbers)
        let protoNames = mirror.schema.fieldNumbers.map { mirror.schema.fieldName($0)! }
        let normalise = { (name: String) in String(name.lowercased().filter { $0 != "_" }) }
        #expect(mirror.fieldNames.map(normalise) == protoNames.map(normalise))
        #expect(try mirror.roundTrip() == [])
    }

    @Test("every message protoc-c generated has a Swift type, and no other")
    func everyMessageMirrored() {
        var generated: [String] = []
        var index: UInt32 = 0
        while let descriptor = proto_registry_message_at(index) {
            generated.append(String(cString: descriptor.pointee.name))
            index += 1
        }
        #expect(generated.sorted() == Self.mirrors.map(\.name).sorted())
    }

    @Test("Swift enums list the .proto's enum values under their proto names")
    func enums() {
        #expect(StatusCode.allCases.map(\.rawValue) == Array(0...16))
        #expect(FrameKind.allCases.map(\.rawValue) == Array(0...5))
        #expect(HealthCheckResponse.ServingStatus.allCases.map(\.rawValue) == Array(0...3))
        #expect(StatusCode.invalidArgument.description == "INVALID_ARGUMENT")
        #expect(FrameKind.goaway.protoName == "FRAME_KIND_GOAWAY")
        #expect(MemberStatus(protoName: "MEMBER_STATUS_PAUSED") == .paused)
        #expect(MemberStatus(protoName: "PAUSED") == nil)
        #expect(
            OrganizationPreference.allCases.map(\.protoName) == [
                "ORGANIZATION_PREFERENCE_ANY", "ORGANIZATION_PREFERENCE_SAME", "ORGANIZATION_PREFERENCE_OTHER",
            ])
    }
}
