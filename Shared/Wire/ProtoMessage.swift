import CProtobufC
import NIOCore
import ProtoC

/// A Swift value type that mirrors one proto message and is encoded by protobuf-c.
///
/// Conformers name their fields by number in `Field` and copy them in `init(reading:)` and
/// `write(to:)`; the schema tests check that `Field` covers exactly the `.proto`'s fields.
public protocol ProtoMessage: Sendable, Equatable {
    /// The message's fields, by proto field number.
    associatedtype Field: RawRepresentable, CaseIterable where Field.RawValue == UInt32
    /// The protobuf-c descriptor this type mirrors.
    static var schema: MessageSchema { get }
    /// Copies every field out of a decoded message.
    init(reading reader: ProtoReader<Self>)
    /// Copies every field into a message about to be encoded.
    func write(to writer: inout ProtoWriter<Self>)
}

/// The deepest nesting of messages a decoder accepts.
public let maximumMessageDepth: UInt32 = 32

extension ProtoMessage {
    /// Decodes `bytes`, rejecting malformed input, invalid UTF-8 and NUL in strings.
    public init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        let schema = Self.schema
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var failure = ProtoValidationError()
        let code = proto_validate(schema.descriptor, base, bytes.count, maximumMessageDepth, &failure)
        if code != PROTO_VALID {
            throw ProtoDecodingError(message: schema.fullName, validation: failure)
        }
        guard let arena = proto_arena_acquire(0) else {
            throw ProtoDecodingError(message: schema.fullName, reason: .outOfMemory, field: "", offset: 0)
        }
        defer { proto_arena_release(arena) }
        // An empty buffer may have no base address; protobuf-c needs a pointer even for 0 bytes.
        var empty: UInt8 = 0
        guard
            let message = proto_arena_unpack(
                arena, schema.descriptor, bytes.count, base ?? withUnsafePointer(to: &empty) { $0 })
        else {
            throw ProtoDecodingError(message: schema.fullName, reason: .rejectedByProtobufC, field: "", offset: 0)
        }
        self.init(reading: ProtoReader(base: UnsafeRawPointer(message), schema: schema))
    }

    /// Decodes the readable bytes of `buffer`.
    public init(decoding buffer: ByteBuffer) throws(ProtoDecodingError) {
        let result = buffer.withUnsafeReadableBytes { bytes in
            Result { () throws(ProtoDecodingError) in try Self(decoding: bytes) }
        }
        self = try result.get()
    }

    /// Decodes an array of bytes.
    public init(decoding bytes: [UInt8]) throws(ProtoDecodingError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(ProtoDecodingError) in try Self(decoding: raw) }
        }
        self = try result.get()
    }

    /// Encodes the message and appends it to `buffer`; returns the number of bytes written.
    @discardableResult
    public func encode(into buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int {
        try withPackedMessage { message in
            let size = protobuf_c_message_get_packed_size(message)
            return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
                protobuf_c_message_pack(message, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
    }

    /// Encodes the message and appends a 4-byte big-endian length prefix and then it to `buffer`.
    @discardableResult
    public func encodeLengthPrefixed(into buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int {
        try withPackedMessage { message in
            let size = protobuf_c_message_get_packed_size(message)
            guard size <= Int(UInt32.max) else { return -1 }
            buffer.writeInteger(UInt32(truncatingIfNeeded: size))
            return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
                protobuf_c_message_pack(message, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
    }

    /// The encoded message as bytes.
    public func encoded() throws(ProtoEncodingError) -> [UInt8] {
        try withPackedMessage { message in
            let size = protobuf_c_message_get_packed_size(message)
            return [UInt8](unsafeUninitializedCapacity: size) { out, count in
                count = protobuf_c_message_pack(message, out.baseAddress!)
            }
        }
    }

    /// The size of the encoded message in bytes.
    public func encodedSize() throws(ProtoEncodingError) -> Int {
        try withPackedMessage { message in protobuf_c_message_get_packed_size(message) }
    }

    private func withPackedMessage<R>(
        _ body: (UnsafePointer<ProtobufCMessage>) -> R
    ) throws(ProtoEncodingError) -> R {
        guard let arena = proto_arena_acquire(0) else { throw ProtoEncodingError(field: "", reason: "out of memory") }
        defer { proto_arena_release(arena) }
        var writer = ProtoWriter<Self>(arena: arena, schema: Self.schema)
        guard let message = writer.makeMessage() else { throw ProtoEncodingError(field: "", reason: "out of memory") }
        write(to: &writer)
        if let failure = writer.failure { throw failure }
        return body(message)
    }
}
