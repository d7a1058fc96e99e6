import CProtobufC
import ProtoC

/// Sets the fields of one protobuf-c message being built for encoding; used in `write(to:)`.
public struct ProtoWriter<Message: ProtoMessage> {
    private let arena: OpaquePointer
    private let schema: MessageSchema
    private var base: UnsafeMutableRawPointer?
    /// The first field that could not be encoded (a string holding NUL, or memory ran out).
    @usableFromInline private(set) var failure: ProtoEncodingError?

    @usableFromInline
    init(arena: OpaquePointer, schema: MessageSchema) {
        self.arena = arena
        self.schema = schema
    }

    /// Allocates and initialises the C message in the arena.
    @usableFromInline
    mutating func makeMessage() -> UnsafePointer<ProtobufCMessage>? {
        guard let message = proto_arena_new_message(arena, schema.descriptor) else { return nil }
        base = UnsafeMutableRawPointer(message)
        return UnsafePointer(message)
    }

    private func slot(_ field: Message.Field, _ kind: FieldKind, repeated: Bool) -> UnsafePointer<
        ProtobufCFieldDescriptor
    > {
        schema.field(field.rawValue, expecting: kind, repeated: repeated)
    }

    /// The field's name in failures; a nested message's failure is prefixed with it on the way
    /// up (so no path is built unless something fails).
    private func name(_ field: Message.Field, index: Int? = nil) -> String {
        (schema.fieldName(field.rawValue) ?? "\(field.rawValue)") + (index.map { "[\($0)]" } ?? "")
    }

    private mutating func fail(_ field: Message.Field, index: Int? = nil, _ reason: String) {
        if failure == nil { failure = ProtoEncodingError(field: name(field, index: index), reason: reason) }
    }

    private func store<T>(_ value: T, _ field: Message.Field, _ kind: FieldKind) {
        let descriptor = slot(field, kind, repeated: false)
        base!.storeBytes(of: value, toByteOffset: Int(descriptor.pointee.offset), as: T.self)
    }

    /// Sets a `uint64` or `fixed64` field.
    public mutating func set(_ field: Message.Field, _ value: UInt64) {
        store(value, field, .uint64)
    }

    /// Sets an `int64`, `sint64` or `sfixed64` field.
    public mutating func set(_ field: Message.Field, _ value: Int64) {
        store(value, field, .int64)
    }

    /// Sets a `uint32` or `fixed32` field.
    public mutating func set(_ field: Message.Field, _ value: UInt32) {
        store(value, field, .uint32)
    }

    /// Sets an `int32`, `sint32` or `sfixed32` field.
    public mutating func set(_ field: Message.Field, _ value: Int32) {
        store(value, field, .int32)
    }

    /// Sets a `double` field.
    public mutating func set(_ field: Message.Field, _ value: Double) {
        store(value, field, .double)
    }

    /// Sets a `bool` field.
    public mutating func set(_ field: Message.Field, _ value: Bool) {
        store(Int32(value ? 1 : 0), field, .bool)
    }

    /// Sets an enum field by number.
    public mutating func setEnum(_ field: Message.Field, _ value: Int32) {
        store(value, field, .enumeration)
    }

    /// Sets a `string` field; a string holding NUL cannot be encoded by protobuf-c and fails.
    public mutating func set(_ field: Message.Field, _ value: String) {
        let descriptor = slot(field, .string, repeated: false)
        guard !value.isEmpty else { return }
        guard let copy = cString(value) else {
            return fail(field, "contains NUL, which protobuf-c strings cannot hold")
        }
        base!.storeBytes(of: copy, toByteOffset: Int(descriptor.pointee.offset), as: UnsafeMutablePointer<CChar>.self)
    }

    /// Sets a `bytes` field.
    public mutating func set(_ field: Message.Field, _ value: [UInt8]) {
        let descriptor = slot(field, .bytes, repeated: false)
        guard !value.isEmpty else { return }
        guard let binary = binaryData(value) else { return fail(field, "out of memory") }
        base!.storeBytes(of: binary, toByteOffset: Int(descriptor.pointee.offset), as: ProtobufCBinaryData.self)
    }

    /// Sets a `bytes` field to `value` in place: the bytes must outlive the encoding.
    mutating func set(_ field: Message.Field, borrowing value: UnsafeRawBufferPointer) {
        let descriptor = slot(field, .bytes, repeated: false)
        guard let data = value.baseAddress, value.count > 0 else { return }
        let binary = ProtobufCBinaryData(
            len: value.count, data: UnsafeMutablePointer(mutating: data.assumingMemoryBound(to: UInt8.self)))
        base!.storeBytes(of: binary, toByteOffset: Int(descriptor.pointee.offset), as: ProtobufCBinaryData.self)
    }

    /// Sets a singular message field; nil leaves it absent.
    public mutating func set<Nested: ProtoMessage>(_ field: Message.Field, _ value: Nested?) {
        let descriptor = slot(field, .message, repeated: false)
        precondition(UnsafeRawPointer(descriptor.pointee.descriptor) == UnsafeRawPointer(Nested.schema.descriptor))
        guard let value else { return }
        guard let nested = build(value, field) else { return }
        base!.storeBytes(of: nested, toByteOffset: Int(descriptor.pointee.offset), as: UnsafeRawPointer.self)
    }

    private mutating func setRepeated(
        _ field: Message.Field,
        _ kind: FieldKind,
        count: Int,
        element: (inout Self, Int, UnsafeMutableRawPointer) -> Bool
    ) {
        let descriptor = slot(field, kind, repeated: true)
        guard count > 0 else { return }
        let stride = ProtoReader<Message>.elementStride(descriptor.pointee.type)
        guard let elements = proto_arena_alloc(arena, count * stride) else { return fail(field, "out of memory") }
        for index in 0..<count where !element(&self, index, elements + index * stride) { return }
        base!.storeBytes(of: count, toByteOffset: Int(descriptor.pointee.quantifier_offset), as: Int.self)
        base!.storeBytes(of: elements, toByteOffset: Int(descriptor.pointee.offset), as: UnsafeMutableRawPointer.self)
    }

    /// Sets a `repeated string` field.
    public mutating func set(_ field: Message.Field, _ values: [String]) {
        setRepeated(field, .string, count: values.count) { writer, index, slot -> Bool in
            guard let copy = writer.cString(values[index]) else {
                writer.fail(field, index: index, "contains NUL, which protobuf-c strings cannot hold")
                return false
            }
            slot.storeBytes(of: copy, as: UnsafeMutablePointer<CChar>.self)
            return true
        }
    }

    /// Sets a `repeated bytes` field.
    public mutating func set(_ field: Message.Field, _ values: [[UInt8]]) {
        setRepeated(field, .bytes, count: values.count) { writer, index, slot -> Bool in
            let binary = writer.binaryData(values[index]) ?? ProtobufCBinaryData(len: 0, data: nil)
            slot.storeBytes(of: binary, as: ProtobufCBinaryData.self)
            return true
        }
    }

    /// Sets a `repeated uint32` or `fixed32` field.
    public mutating func set(_ field: Message.Field, _ values: [UInt32]) {
        setRepeated(field, .uint32, count: values.count) { _, index, slot -> Bool in
            slot.storeBytes(of: values[index], as: UInt32.self)
            return true
        }
    }

    /// Sets a `repeated int32`, `sint32` or `sfixed32` field.
    public mutating func set(_ field: Message.Field, _ values: [Int32]) {
        setRepeated(field, .int32, count: values.count) {
            _, index, slot -> Bool in
            slot.storeBytes(of: values[index], as: Int32.self)
            return true
        }
    }

    /// Sets a `repeated` enum field by numbers.
    public mutating func setEnums(_ field: Message.Field, _ values: [Int32]) {
        setRepeated(field, .enumeration, count: values.count) { _, index, slot -> Bool in
            slot.storeBytes(of: values[index], as: Int32.self)
            return true
        }
    }

    /// Sets a `repeated` message field.
    public mutating func set<Nested: ProtoMessage>(_ field: Message.Field, _ values: [Nested]) {
        setRepeated(field, .message, count: values.count) { writer, index, slot -> Bool in
            guard let nested = writer.build(values[index], field, index: index) else { return false }
            slot.storeBytes(of: nested, as: UnsafeRawPointer.self)
            return true
        }
    }

    private mutating func build<Nested: ProtoMessage>(_ value: Nested, _ field: Message.Field, index: Int? = nil)
        -> UnsafeRawPointer?
    {
        var writer = ProtoWriter<Nested>(arena: arena, schema: Nested.schema)
        guard let message = writer.makeMessage() else {
            if failure == nil {
                failure = ProtoEncodingError(field: name(field, index: index), reason: "out of memory")
            }
            return nil
        }
        value.write(to: &writer)
        if let nested = writer.failure {
            if failure == nil {
                failure = ProtoEncodingError(
                    field: "\(name(field, index: index)).\(nested.field)", reason: nested.reason)
            }
            return nil
        }
        return UnsafeRawPointer(message)
    }

    /// A NUL-terminated copy in the arena; nil when the string holds NUL or memory ran out.
    private func cString(_ value: String) -> UnsafeMutablePointer<CChar>? {
        var value = value
        return value.withUTF8 { utf8 -> UnsafeMutablePointer<CChar>? in
            var copy: UnsafeMutablePointer<CChar>?
            guard proto_arena_copy_string(arena, utf8.baseAddress, utf8.count, &copy) == 0 else { return nil }
            return copy
        }
    }

    private func binaryData(_ value: [UInt8]) -> ProtobufCBinaryData? {
        let copy = value.withUnsafeBufferPointer { proto_arena_copy_bytes(arena, $0.baseAddress, value.count) }
        guard let copy else { return nil }
        return ProtobufCBinaryData(len: value.count, data: copy)
    }
}
