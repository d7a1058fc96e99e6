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

/// Splits a byte stream into frame bodies in place, for a handler that reads frames itself:
/// a frame that arrived whole is handed over where it lies (no slice, no copy, no extra pipeline
/// event per frame); only the bytes of a frame split across reads are gathered in a buffer.
///
/// Like `FrameDecoder`, it checks a frame's length against `maximumFrameSize` as soon as the
/// 4 length bytes are in, before any of the body is buffered.
public struct FrameSplitter {
    /// The largest accepted body in bytes.
    public let maximumFrameSize: Int
    /// The start of a frame whose end has not arrived.
    private var partial: ByteBuffer?

    /// Creates a splitter.
    public init(maximumFrameSize: Int = defaultMaximumFrameSize) {
        self.maximumFrameSize = maximumFrameSize
    }

    /// How many bytes of an unfinished frame are held (non-zero at the end of input means the
    /// peer closed mid-frame).
    public var bufferedBytes: Int { partial?.readableBytes ?? 0 }

    /// Hands each whole frame body in `input`, in order, to `body`, which answers whether to go
    /// on; keeps the start of a frame left unfinished for the next call. The bytes are valid only
    /// during `body`. Throws when a length field exceeds the maximum (frames before it were
    /// handed over); after `body` answers false, the rest of `input` is dropped.
    public mutating func split(
        _ input: ByteBuffer, _ body: (UnsafeRawBufferPointer) -> Bool
    ) throws(FrameTooLargeError) {
        var input = input
        if var gathered = partial {
            partial = nil
            guard let complete = try gather(into: &gathered, from: &input) else {
                partial = gathered
                return
            }
            let goOn = gathered.withUnsafeReadableBytes { body(UnsafeRawBufferPointer(rebasing: $0[4..<4 + complete])) }
            guard goOn else { return }
        }
        while let length = input.getInteger(at: input.readerIndex, as: UInt32.self) {
            guard Int(length) <= maximumFrameSize else {
                throw FrameTooLargeError(length: Int(length), maximum: maximumFrameSize)
            }
            let size = 4 + Int(length)
            guard input.readableBytes >= size else { break }
            let goOn = input.withUnsafeReadableBytes { body(UnsafeRawBufferPointer(rebasing: $0[4..<size])) }
            input.moveReaderIndex(forwardBy: size)
            guard goOn else { return }
        }
        if input.readableBytes > 0 {
            // Keep only the unfinished frame's bytes, in a buffer of their own.
            var start = ByteBuffer()
            start.writeImmutableBuffer(input)
            partial = start
        }
    }

    /// Moves from `input` to `gathered` what its frame still lacks; answers the body's length
    /// once the whole frame is in `gathered`, nil while it is not.
    private func gather(into gathered: inout ByteBuffer, from input: inout ByteBuffer) throws(FrameTooLargeError)
        -> Int?
    {
        if gathered.readableBytes < 4 {
            var head = input.readSlice(length: min(4 - gathered.readableBytes, input.readableBytes))!
            gathered.writeBuffer(&head)
            guard gathered.readableBytes == 4 else { return nil }
        }
        let length = Int(gathered.getInteger(at: gathered.readerIndex, as: UInt32.self)!)
        guard length <= maximumFrameSize else { throw FrameTooLargeError(length: length, maximum: maximumFrameSize) }
        let missing = 4 + length - gathered.readableBytes
        var rest = input.readSlice(length: min(missing, input.readableBytes))!
        gathered.writeBuffer(&rest)
        return gathered.readableBytes == 4 + length ? length : nil
    }
}
