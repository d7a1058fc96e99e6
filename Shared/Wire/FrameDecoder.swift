import NIOCore

/// The largest frame body a peer may send unless configured otherwise: 4 MiB.
public let defaultMaximumFrameSize = 4 * 1024 * 1024

/// A frame whose length field exceeds the limit; raised before any of its body is buffered.
public struct FrameTooLargeError: Error, Equatable, CustomStringConvertible {
    /// The length the peer announced.
    public var length: Int
    /// The limit in force.
    public var maximum: Int

    /// Creates the error.
    public init(length: Int, maximum: Int) {
        self.length = length
        self.maximum = maximum
    }

    /// A one-line explanation.
    public var description: String { "frame of \(length) bytes exceeds the maximum frame size of \(maximum) bytes" }
}

/// Splits a byte stream into frame bodies: a 4-byte big-endian length N, then N bytes.
///
/// The length is checked against `maximumFrameSize` as soon as its 4 bytes arrive, so an
/// oversized frame is refused before its body is buffered.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    /// A frame body, without the length prefix.
    public typealias InboundOut = ByteBuffer

    /// The largest accepted body in bytes.
    public let maximumFrameSize: Int

    /// Creates a decoder.
    public init(maximumFrameSize: Int = defaultMaximumFrameSize) {
        self.maximumFrameSize = maximumFrameSize
    }

    /// Emits one frame body when a whole frame is buffered.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= maximumFrameSize else {
            throw FrameTooLargeError(length: Int(length), maximum: maximumFrameSize)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let body = buffer.readSlice(length: Int(length))!
        context.fireChannelRead(Self.wrapInboundOut(body))
        return .continue
    }

    /// At end of input a partial frame is an error: the peer closed mid-frame.
    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            throw TruncatedFrameError(bufferedBytes: buffer.readableBytes)
        }
        return .needMoreData
    }
}

/// The connection ended in the middle of a frame.
public struct TruncatedFrameError: Error, Equatable, CustomStringConvertible {
    /// How many bytes of the unfinished frame had arrived.
    public var bufferedBytes: Int

    /// Creates the error.
    public init(bufferedBytes: Int) {
        self.bufferedBytes = bufferedBytes
    }

    /// A one-line explanation.
    public var description: String { "connection closed inside a frame (\(bufferedBytes) bytes of it buffered)" }
}
