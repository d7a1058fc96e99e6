import CProtobufC
import NIOCore
import ProtoC

extension Frame {
    /// Encodes a frame holding only `callID`, `kind` and `payload` (used in place, not copied),
    /// length-prefixed, and appends it to `buffer`; returns the frame's size without the prefix.
    /// The same bytes as `Frame(callID:kind:payload:).encodeLengthPrefixed(into:)`.
    @discardableResult
    public static func encodeLengthPrefixed(
        callID: UInt64, kind: FrameKind, payload: UnsafeRawBufferPointer, into buffer: inout ByteBuffer
    ) throws(ProtoEncodingError) -> Int {
        guard let arena = proto_arena_acquire(0) else { throw .outOfMemory }
        defer { proto_arena_release(arena) }
        return try packEnvelope(arena: arena, callID: callID, kind: kind, payload: payload, into: &buffer)
    }

    /// Encodes a frame holding only `callID`, `kind` and `payload`, like the method above.
    @discardableResult
    public static func encodeLengthPrefixed(
        callID: UInt64, kind: FrameKind, payload: [UInt8], into buffer: inout ByteBuffer
    ) throws(ProtoEncodingError) -> Int {
        let result = payload.withUnsafeBytes { bytes in
            Result { () throws(ProtoEncodingError) -> Int in
                try encodeLengthPrefixed(callID: callID, kind: kind, payload: bytes, into: &buffer)
            }
        }
        return try result.get()
    }

    /// Packs a frame carrying `payloadMessage`, length-prefixed, into `buffer`: protobuf-c packs
    /// the frame's other fields, then the payload's key and length follow and protobuf-c packs the
    /// message straight after them, so the payload is neither packed into the arena first nor
    /// copied into the frame. `payload` is the highest field set here, so these are the bytes
    /// protobuf-c packs for the whole frame (an empty payload is left out, as protobuf-c does).
    @usableFromInline
    static func packLengthPrefixed(
        arena: OpaquePointer, callID: UInt64, kind: FrameKind, payloadMessage: UnsafePointer<ProtobufCMessage>,
        into buffer: inout ByteBuffer
    ) throws(ProtoEncodingError) -> Int {
        var writer = ProtoWriter<Frame>(arena: arena, schema: schema)
        guard let head = writer.makeMessage() else { throw .outOfMemory }
        writer.set(.callID, callID)
        writer.setEnum(.kind, kind.rawValue)
        let payloadSize = protobuf_c_message_get_packed_size(payloadMessage)
        let headSize = protobuf_c_message_get_packed_size(head)
        let payloadKey = UInt64(Field.payload.rawValue) << 3 | 2  // length-delimited
        let size =
            payloadSize == 0
            ? headSize : headSize + varintSize(payloadKey) + varintSize(UInt64(payloadSize)) + payloadSize
        guard size <= Int(UInt32.max) else { return -1 }
        buffer.writeInteger(UInt32(truncatingIfNeeded: size))
        return buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            let start = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var used = protobuf_c_message_pack(head, start)
            guard payloadSize > 0 else { return used }
            used += writeVarint(payloadKey, to: start + used)
            used += writeVarint(UInt64(payloadSize), to: start + used)
            return used + protobuf_c_message_pack(payloadMessage, start + used)
        }
    }

    private static func packEnvelope(
        arena: OpaquePointer, callID: UInt64, kind: FrameKind, payload: UnsafeRawBufferPointer,
        into buffer: inout ByteBuffer
    ) throws(ProtoEncodingError) -> Int {
        var writer = ProtoWriter<Frame>(arena: arena, schema: schema)
        guard let message = writer.makeMessage() else { throw .outOfMemory }
        writer.set(.callID, callID)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.payload, borrowing: payload)
        return packMessageLengthPrefixed(message, into: &buffer)
    }
}

/// The bytes a protobuf varint of `value` takes.
private func varintSize(_ value: UInt64) -> Int {
    (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0)
}

/// Writes `value` as a protobuf varint at `out`; returns the bytes written.
private func writeVarint(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
    var value = value
    var count = 0
    while value >= 0x80 {
        out[count] = UInt8(truncatingIfNeeded: value) | 0x80
        value >>= 7
        count += 1
    }
    out[count] = UInt8(value)
    return count + 1
}
