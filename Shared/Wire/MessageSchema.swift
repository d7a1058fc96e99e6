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
    @usableFromInline let fieldsByNumber: [UnsafePointer<ProtobufCFieldDescriptor>?]
    /// Per field number, the kind the Swift side must read and write it as and whether it is
    /// repeated (`FieldKind.code`), so that the check on every access is one comparison.
    @usableFromInline let kinds: [UInt8]

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
        var kinds = [UInt8](repeating: FieldKind.absent, count: highest + 1)
        for index in fields.indices {
            let field = fields[index]
            table[Int(field.id)] = fields.baseAddress! + index
            if let kind = FieldKind(field.type) {
                kinds[Int(field.id)] = kind.code(repeated: field.label == PROTOBUF_C_LABEL_REPEATED)
            }
        }
        self.fieldsByNumber = table
        self.kinds = kinds
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
    @inlinable
    func field(
        _ number: UInt32,
        expecting kind: FieldKind,
        repeated: Bool,
        caller: StaticString = #function
    ) -> UnsafePointer<ProtobufCFieldDescriptor> {
        let index = Int(number)
        guard index < kinds.count, kinds[index] == kind.code(repeated: repeated), let field = fieldsByNumber[index]
        else { mismatch(number, caller) }
        return field
    }

    @usableFromInline
    func mismatch(_ number: UInt32, _ caller: StaticString) -> Never {
        guard let field = field(number) else {
            preconditionFailure("\(fullName) has no field \(number) (\(caller))")
        }
        preconditionFailure("\(fullName).\(String(cString: field.pointee.name)) is not read as declared (\(caller))")
    }
}

/// The Swift-side kind of a field, checked against the protobuf-c field type.
@usableFromInline
enum FieldKind: UInt8 {
    case uint64 = 1, int64, uint32, int32, double, bool, enumeration, string, bytes, message

    /// The kind a field of protobuf-c type `type` is read and written as; nil for the types no
    /// Swift mirror uses (float).
    init?(_ type: ProtobufCType) {
        switch type {
        case PROTOBUF_C_TYPE_UINT64, PROTOBUF_C_TYPE_FIXED64: self = .uint64
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64: self = .int64
        case PROTOBUF_C_TYPE_UINT32, PROTOBUF_C_TYPE_FIXED32: self = .uint32
        case PROTOBUF_C_TYPE_INT32, PROTOBUF_C_TYPE_SINT32, PROTOBUF_C_TYPE_SFIXED32: self = .int32
        case PROTOBUF_C_TYPE_DOUBLE: self = .double
        case PROTOBUF_C_TYPE_BOOL: self = .bool
        case PROTOBUF_C_TYPE_ENUM: self = .enumeration
        case PROTOBUF_C_TYPE_STRING: self = .string
        case PROTOBUF_C_TYPE_BYTES: self = .bytes
        case PROTOBUF_C_TYPE_MESSAGE: self = .message
        default: return nil
        }
    }

    /// A field's entry in `MessageSchema.kinds`: the kind, with the high bit set when repeated.
    @inlinable
    func code(repeated: Bool) -> UInt8 {
        rawValue | (repeated ? 0x80 : 0)
    }

    /// The entry of a field number the message does not declare (or of a type no kind reads).
    static let absent: UInt8 = 0
}
