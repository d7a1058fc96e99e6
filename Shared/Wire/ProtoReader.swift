import CProtobufC
import ProtoC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the fields of one decoded protobuf-c message; valid only inside `init(reading:)`.
public struct ProtoReader<Message: ProtoMessage> {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let schema: MessageSchema

    @inlinable
    init(base: UnsafeRawPointer, schema: MessageSchema) {
        self.base = base
        self.schema = schema
    }

    @inlinable
    func scalar<T>(_ field: Message.Field, _ kind: FieldKind, as: T.Type) -> T {
        let descriptor = schema.field(field.rawValue, expecting: kind, repeated: false)
        return base.load(fromByteOffset: Int(descriptor.pointee.offset), as: T.self)
    }

    /// A `uint64` or `fixed64` field.
    @inlinable
    public func uint64(_ field: Message.Field) -> UInt64 {
        scalar(field, .uint64, as: UInt64.self)
    }

    /// An `int64`, `sint64` or `sfixed64` field.
    @inlinable
    public func int64(_ field: Message.Field) -> Int64 {
        scalar(field, .int64, as: Int64.self)
    }

    /// A `uint32` or `fixed32` field.
    @inlinable
    public func uint32(_ field: Message.Field) -> UInt32 {
        scalar(field, .uint32, as: UInt32.self)
    }

    /// An `int32`, `sint32` or `sfixed32` field.
    @inlinable
    public func int32(_ field: Message.Field) -> Int32 {
        scalar(field, .int32, as: Int32.self)
    }

    /// A `double` field.
    @inlinable
    public func double(_ field: Message.Field) -> Double {
        scalar(field, .double, as: Double.self)
    }

    /// A `bool` field.
    @inlinable
    public func bool(_ field: Message.Field) -> Bool {
        scalar(field, .bool, as: Int32.self) != 0
    }

    /// An enum field's number; proto3 enums are open, so it may be one the `.proto` does not list.
    @inlinable
    public func enumValue(_ field: Message.Field) -> Int32 {
        scalar(field, .enumeration, as: Int32.self)
    }

    /// A `string` field (already checked for valid UTF-8 without NUL).
    @inlinable
    public func string(_ field: Message.Field) -> String {
        let pointer = scalar(field, .string, as: UnsafePointer<CChar>?.self)
        return pointer.map { String(cString: $0) } ?? ""
    }

    /// A `bytes` field.
    @inlinable
    public func bytes(_ field: Message.Field) -> [UInt8] {
        let binary = scalar(field, .bytes, as: ProtobufCBinaryData.self)
        return Self.copy(binary)
    }

    /// A `string` field's UTF-8 (valid, without NUL) in place, without making a `String`; the
    /// bytes are valid only during `body`.
    @inlinable
    public func withUTF8<R>(_ field: Message.Field, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let pointer = scalar(field, .string, as: UnsafePointer<CChar>?.self) else {
            return body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return body(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
    }

    /// A `bytes` field in place, without copying it; the bytes are valid only during `body`.
    @inlinable
    public func withBytes<R>(_ field: Message.Field, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let binary = scalar(field, .bytes, as: ProtobufCBinaryData.self)
        return body(UnsafeRawBufferPointer(start: binary.data, count: binary.data == nil ? 0 : binary.len))
    }

    /// A singular message field; nil when absent.
    public func message<Nested: ProtoMessage>(_ field: Message.Field, as type: Nested.Type = Nested.self) -> Nested? {
        let descriptor = schema.field(field.rawValue, expecting: .message, repeated: false)
        precondition(UnsafeRawPointer(descriptor.pointee.descriptor) == UnsafeRawPointer(Nested.schema.descriptor))
        let pointer = base.load(fromByteOffset: Int(descriptor.pointee.offset), as: UnsafeRawPointer?.self)
        return pointer.map { Nested(reading: ProtoReader<Nested>(base: $0, schema: Nested.schema)) }
    }

    @inlinable
    func repeated<T>(_ field: Message.Field, _ kind: FieldKind, element: (UnsafeRawPointer) -> T) -> [T] {
        let descriptor = schema.field(field.rawValue, expecting: kind, repeated: true)
        let count = base.load(fromByteOffset: Int(descriptor.pointee.quantifier_offset), as: Int.self)
        guard count > 0,
            let elements = base.load(fromByteOffset: Int(descriptor.pointee.offset), as: UnsafeRawPointer?.self)
        else { return [] }
        let stride = Self.elementStride(descriptor.pointee.type)
        return (0..<count).map { element(elements + $0 * stride) }
    }

    /// A `repeated string` field.
    public func strings(_ field: Message.Field) -> [String] {
        repeated(field, .string) { slot in
            slot.load(as: UnsafePointer<CChar>?.self).map { String(cString: $0) } ?? ""
        }
    }

    /// A `repeated bytes` field.
    public func bytesList(_ field: Message.Field) -> [[UInt8]] {
        repeated(field, .bytes) { Self.copy($0.load(as: ProtobufCBinaryData.self)) }
    }

    /// A `repeated uint32` field.
    public func uint32s(_ field: Message.Field) -> [UInt32] {
        repeated(field, .uint32) { $0.load(as: UInt32.self) }
    }

    /// A `repeated int32`, `sint32` or `sfixed32` field.
    public func int32s(_ field: Message.Field) -> [Int32] {
        repeated(field, .int32) { $0.load(as: Int32.self) }
    }

    /// A `repeated` enum field's numbers.
    public func enumValues(_ field: Message.Field) -> [Int32] {
        repeated(field, .enumeration) { $0.load(as: Int32.self) }
    }

    /// A `repeated` message field.
    @inlinable
    public func messages<Nested: ProtoMessage>(_ field: Message.Field, as type: Nested.Type = Nested.self) -> [Nested] {
        repeated(field, .message) { slot in
            let pointer = slot.load(as: UnsafeRawPointer.self)
            return Nested(reading: ProtoReader<Nested>(base: pointer, schema: Nested.schema))
        }
    }

    @usableFromInline
    static func copy(_ binary: ProtobufCBinaryData) -> [UInt8] {
        guard binary.len > 0, let data = binary.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: binary.len))
    }

    @usableFromInline
    static func elementStride(_ type: ProtobufCType) -> Int {
        switch type {
        case PROTOBUF_C_TYPE_INT64, PROTOBUF_C_TYPE_SINT64, PROTOBUF_C_TYPE_SFIXED64, PROTOBUF_C_TYPE_UINT64,
            PROTOBUF_C_TYPE_FIXED64, PROTOBUF_C_TYPE_DOUBLE:
            return 8
        case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_MESSAGE:
            return MemoryLayout<UnsafeRawPointer>.stride
        case PROTOBUF_C_TYPE_BYTES:
            return MemoryLayout<ProtobufCBinaryData>.stride
        default:
            return 4
        }
    }
}
