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
    @inlinable
    public init(decoding bytes: UnsafeRawBufferPointer) throws(ProtoDecodingError) {
        var decoded: Self?
        if let failure = decodeMessage(
            Self.schema, bytes, { decoded = Self(reading: ProtoReader(base: $0, schema: Self.schema)) })
        {
            throw failure
        }
        self = decoded!
    }

    /// Decodes the readable bytes of `buffer`.
    @inlinable
    public init(decoding buffer: ByteBuffer) throws(ProtoDecodingError) {
        var decoded: Self?
        var failure: ProtoDecodingError?
        buffer.withUnsafeReadableBytes { bytes in
            failure = decodeMessage(Self.schema, bytes) {
                decoded = Self(reading: ProtoReader(base: $0, schema: Self.schema))
            }
        }
        if let failure { throw failure }
        self = decoded!
    }

    /// Decodes an array of bytes.
    @inlinable
    public init(decoding bytes: [UInt8]) throws(ProtoDecodingError) {
        var decoded: Self?
        var failure: ProtoDecodingError?
        bytes.withUnsafeBytes { raw in
            failure = decodeMessage(Self.schema, raw) {
                decoded = Self(reading: ProtoReader(base: $0, schema: Self.schema))
            }
        }
        if let failure { throw failure }
        self = decoded!
    }

    /// Encodes the message and appends it to `buffer`; returns the number of bytes written.
    @discardableResult
    @inlinable
    public func encode(into buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int {
        try withPackedMessage { _, message in
            let size = protobuf_c_message_get_packed_size(message)
            return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
                protobuf_c_message_pack(message, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
    }

    /// Encodes the message and appends a 4-byte big-endian length prefix and then it to `buffer`.
    @discardableResult
    @inlinable
    public func encodeLengthPrefixed(into buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int {
        try withPackedMessage { _, message in packMessageLengthPrefixed(message, into: &buffer) }
    }

    /// Encodes a frame of `kind` for call `callID` whose payload is this message, length-prefixed,
    /// and appends it to `buffer`; returns the frame's size without the prefix. The bytes are those
    /// of `Frame(callID:kind:payload: encoded())`, without its intermediate copies: the message is
    /// packed into the arena the frame's envelope is built in, and packed from there.
    @discardableResult
    @inlinable
    public func encodeAsPayload(
        callID: UInt64, kind: FrameKind, into buffer: inout ByteBuffer
    ) throws(ProtoEncodingError) -> Int {
        try withPackedMessage { arena, message throws(ProtoEncodingError) in
            try Frame.packLengthPrefixed(
                arena: arena, callID: callID, kind: kind, payloadMessage: message, into: &buffer)
        }
    }

    /// The encoded message as bytes.
    @inlinable
    public func encoded() throws(ProtoEncodingError) -> [UInt8] {
        try withPackedMessage { _, message in
            let size = protobuf_c_message_get_packed_size(message)
            return [UInt8](unsafeUninitializedCapacity: size) { out, count in
                count = protobuf_c_message_pack(message, out.baseAddress!)
            }
        }
    }

    /// The size of the encoded message in bytes.
    @inlinable
    public func encodedSize() throws(ProtoEncodingError) -> Int {
        try withPackedMessage { _, message in protobuf_c_message_get_packed_size(message) }
    }

    /// Builds the C message in an arena and hands it, with the arena, to `body`.
    @inlinable
    func withPackedMessage<R>(
        _ body: (OpaquePointer, UnsafePointer<ProtobufCMessage>) throws(ProtoEncodingError) -> R
    ) throws(ProtoEncodingError) -> R {
        guard let arena = proto_arena_acquire(0) else { throw .outOfMemory }
        defer { proto_arena_release(arena) }
        var writer = ProtoWriter<Self>(arena: arena, schema: Self.schema)
        guard let message = writer.makeMessage() else { throw .outOfMemory }
        write(to: &writer)
        if let failure = writer.failure { throw failure }
        return try body(arena, message)
    }

    /// Decodes `bytes` and hands the decoded fields to `body` in place, without copying them
    /// into a value: for reading a few fields, or strings and bytes without copying them. The
    /// reader is valid only during `body`.
    @inlinable
    public static func read<R>(_ bytes: UnsafeRawBufferPointer, _ body: (ProtoReader<Self>) -> R)
        throws(ProtoDecodingError) -> R
    {
        var result: R?
        if let failure = decodeMessage(schema, bytes, { result = body(ProtoReader(base: $0, schema: schema)) }) {
            throw failure
        }
        return result!
    }
}

/// Packs `message` after a 4-byte big-endian length into `buffer`; returns the packed size, or -1
/// (nothing written) when it exceeds what the length prefix can say.
@usableFromInline
func packMessageLengthPrefixed(_ message: UnsafePointer<ProtobufCMessage>, into buffer: inout ByteBuffer) -> Int {
    let size = protobuf_c_message_get_packed_size(message)
    guard size <= Int(UInt32.max) else { return -1 }
    buffer.writeInteger(UInt32(truncatingIfNeeded: size))
    return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
        protobuf_c_message_pack(message, out.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }
}

/// Validates and unpacks `bytes` as `schema`'s message into an arena, hands the C message to
/// `read`, then releases the arena. Non-generic, so the hot path needs no generic metadata.
@usableFromInline
func decodeMessage(
    _ schema: MessageSchema,
    _ bytes: UnsafeRawBufferPointer,
    _ read: (UnsafeRawPointer) -> Void
) -> ProtoDecodingError? {
    // protobuf-c needs a pointer even for 0 bytes; an empty buffer may have none.
    let empty: StaticString = ""
    let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty.utf8Start
    // Validated without an error record first: zeroing the record's 256-byte path on every
    // decode showed in profiles; only bytes found invalid are walked again for the details.
    if proto_validate(schema.descriptor, base, bytes.count, maximumMessageDepth, nil) != PROTO_VALID {
        var failure = ProtoValidationError()
        _ = proto_validate(schema.descriptor, base, bytes.count, maximumMessageDepth, &failure)
        return ProtoDecodingError(message: schema.fullName, validation: failure)
    }
    guard let arena = proto_arena_acquire(0) else {
        return ProtoDecodingError(message: schema.fullName, reason: .outOfMemory, field: "", offset: 0)
    }
    defer { proto_arena_release(arena) }
    guard let message = proto_arena_unpack(arena, schema.descriptor, bytes.count, base) else {
        return ProtoDecodingError(message: schema.fullName, reason: .rejectedByProtobufC, field: "", offset: 0)
    }
    read(UnsafeRawPointer(message))
    return nil
}
