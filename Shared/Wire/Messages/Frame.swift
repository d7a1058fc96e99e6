import CProtobufC
import NIOCore
import ProtoC

/// What a frame does (proto `mentornet.rpc.v1.FrameKind`).
public enum FrameKind: Int32, Sendable, CaseIterable {
    /// Not a valid kind; also what an unrecognised number decodes to.
    case unspecified = 0
    /// Client → server: opens a call.
    case request = 1
    /// Server → client: one message of a server stream.
    case message = 2
    /// Server → client: ends a call with a status (and a unary call's response).
    case response = 3
    /// Client → server: abandons a call.
    case cancel = 4
    /// Server → client: no new calls on this connection.
    case goAway = 5
}

/// The envelope of every frame (proto `mentornet.rpc.v1.Frame`).
public struct Frame: Sendable, Equatable {
    /// The call this frame belongs to (for GOAWAY: the highest call the server will complete).
    public var callID: UInt64
    /// What the frame does.
    public var kind: FrameKind
    /// `/package.Service/Method`, on requests.
    public var method: String
    /// The call's time budget in microseconds, 0 for none, on requests.
    public var timeoutMicros: UInt64
    /// Call metadata, on requests.
    public var metadata: [MetadataEntry]
    /// The encoded request or response message.
    public var payload: [UInt8]
    /// How the call ended, on responses and GOAWAY; nil means OK.
    public var status: Status?

    /// Creates a frame.
    public init(
        callID: UInt64 = 0,
        kind: FrameKind = .unspecified,
        method: String = "",
        timeoutMicros: UInt64 = 0,
        metadata: [MetadataEntry] = [],
        payload: [UInt8] = [],
        status: Status? = nil
    ) {
        self.callID = callID
        self.kind = kind
        self.method = method
        self.timeoutMicros = timeoutMicros
        self.metadata = metadata
        self.payload = payload
        self.status = status
    }
}

extension Frame: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case callID = 1, kind, method, timeoutMicros, metadata, payload, status
    }

    /// `mentornet.rpc.v1.Frame`.
    public static let schema = MessageSchema("mentornet.rpc.v1.Frame")

    /// Copies the fields out of a decoded frame.
    public init(reading reader: ProtoReader<Frame>) {
        self.init(
            callID: reader.uint64(.callID),
            kind: FrameKind(rawValue: reader.enumValue(.kind)) ?? .unspecified,
            method: reader.string(.method),
            timeoutMicros: reader.uint64(.timeoutMicros),
            metadata: reader.messages(.metadata),
            payload: reader.bytes(.payload),
            status: reader.message(.status)
        )
    }

    /// Copies the fields into a frame being encoded.
    public func write(to writer: inout ProtoWriter<Frame>) {
        writer.set(.callID, callID)
        writer.setEnum(.kind, kind.rawValue)
        writer.set(.method, method)
        writer.set(.timeoutMicros, timeoutMicros)
        writer.set(.metadata, metadata)
        writer.set(.payload, payload)
        writer.set(.status, status)
    }
}

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

    /// Packs `payloadMessage` into `arena`, then a frame carrying it, length-prefixed, into `buffer`.
    @usableFromInline
    static func packLengthPrefixed(
        arena: OpaquePointer, callID: UInt64, kind: FrameKind, payloadMessage: UnsafePointer<ProtobufCMessage>,
        into buffer: inout ByteBuffer
    ) throws(ProtoEncodingError) -> Int {
        let size = protobuf_c_message_get_packed_size(payloadMessage)
        guard let bytes = proto_arena_alloc(arena, max(size, 1)) else { throw .outOfMemory }
        let packed = protobuf_c_message_pack(payloadMessage, bytes.assumingMemoryBound(to: UInt8.self))
        let payload = UnsafeRawBufferPointer(start: bytes, count: packed)
        return try packEnvelope(arena: arena, callID: callID, kind: kind, payload: payload, into: &buffer)
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
