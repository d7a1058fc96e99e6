import CProtobufC
import ProtoC

/// The protobuf-c descriptor of one proto message, looked up by its full proto name.
///
/// `@unchecked Sendable`: it only holds pointers to the immutable, statically allocated
/// descriptors that protoc-c generated; nothing here is ever written after `init`.
public final class MessageSchema: @unchecked Sendable {
    /// The message's full proto name, e.g. `mentornet.rpc.v1.Frame`.
    public let fullName: String
    @usableFromInline let descriptor: UnsafePointer<ProtobufCMessageDescriptor>
    private let fieldsByNumber: [UnsafePointer<ProtobufCFieldDescriptor>?]

    /// Finds the generated descriptor; a name missing from proto/ is a programming error.
    public init(_ fullName: String) {
        guard let descriptor = proto_registry_message_named(fullName) else {
            preconditionFailure("no protobuf-c descriptor for \(fullName): add it to proto/ and run scripts/gen-proto")
        }
        self.fullName = fullName
        self.descriptor = descriptor
        let fields = UnsafeBufferPointer(start: descriptor.pointee.fields, count: Int(descriptor.pointee.n_fields))
        let highest = fields.map { Int($0.id) }.max() ?? 0
        var table = [UnsafePointer<ProtobufCFieldDescriptor>?](repeating: nil, count: highest + 1)
        for index in fields.indices {
            table[Int(fields[index].id)] = fields.baseAddress! + index
        }
        self.fieldsByNumber = table
    }

    /// The field numbers the `.proto` declares, ascending.
    public var fieldNumbers: [UInt32] {
        fieldsByNumber.indices.filter { fieldsByNumber[$0] != nil }.map { UInt32($0) }
    }

    /// The declared name of field `number`, or nil.
    public func fieldName(_ number: UInt32) -> String? {
        field(number).map { String(cString: $0.pointee.name) }
    }

    func field(_ number: UInt32) -> UnsafePointer<ProtobufCFieldDescriptor>? {
        Int(number) < fieldsByNumber.count ? fieldsByNumber[Int(number)] : nil
    }

    /// The field, checked against the kind the Swift side expects; a mismatch is a programming
    /// error that the schema-agreement tests catch.
    @usableFromInline
    func field(
        _ number: UInt32,
        expecting kind: FieldKind,
        repeated: Bool,
        caller: String = #function
    ) -> UnsafePointer<ProtobufCFieldDescriptor> {
        guard let field = field(number) else {
            preconditionFailure("\(fullName) has no field \(number) (\(caller))")
        }
        let isRepeated = field.pointee.label == PROTOBUF_C_LABEL_REPEATED
        guard kind.accepts(field.pointee.type), isRepeated == repeated else {
            preconditionFailure(
                "\(fullName).\(String(cString: field.pointee.name)) is not read as declared (\(caller))")
        }
        return field
    }
}

/// The Swift-side kind of a field, checked against the protobuf-c field type.
@usableFromInline
enum FieldKind {
    case uint64, int64, uint32, int32, double, bool, enumeration, string, bytes, message

    func accepts(_ type: ProtobufCType) -> Bool {
        switch self {
        case .uint64: type == PROTOBUF_C_TYPE_UINT64 || type == PROTOBUF_C_TYPE_FIXED64
        case .int64: type == PROTOBUF_C_TYPE_INT64 || type == PROTOBUF_C_TYPE_SINT64 || type == PROTOBUF_C_TYPE_SFIXED64
        case .uint32: type == PROTOBUF_C_TYPE_UINT32 || type == PROTOBUF_C_TYPE_FIXED32
        case .int32: type == PROTOBUF_C_TYPE_INT32 || type == PROTOBUF_C_TYPE_SINT32 || type == PROTOBUF_C_TYPE_SFIXED32
        case .double: type == PROTOBUF_C_TYPE_DOUBLE
        case .bool: type == PROTOBUF_C_TYPE_BOOL
        case .enumeration: type == PROTOBUF_C_TYPE_ENUM
        case .string: type == PROTOBUF_C_TYPE_STRING
        case .bytes: type == PROTOBUF_C_TYPE_BYTES
        case .message: type == PROTOBUF_C_TYPE_MESSAGE
        }
    }
}
