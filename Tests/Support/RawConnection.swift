import NIOCore
import NIOPosix
import Wire

/// A bare TCP connection that sends any bytes and reads frames back, for protocol tests.
public final class RawConnection: Sendable {
    private let channel: any Channel
    private let frames: AsyncThrowingStream<Frame, any Error>

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) async throws {
        let (stream, continuation) = AsyncThrowingStream<Frame, any Error>.makeStream()
        frames = stream
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maximumFrameSize: 64 << 20))
                    )
                    try channel.pipeline.syncOperations.addHandler(Collector(continuation: continuation))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .get()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let continuation: AsyncThrowingStream<Frame, any Error>.Continuation

        init(continuation: AsyncThrowingStream<Frame, any Error>.Continuation) {
            self.continuation = continuation
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            do {
                continuation.yield(try Frame(decoding: unwrapInboundIn(data)))
            } catch {
                continuation.finish(throwing: error)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            continuation.finish()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            continuation.finish(throwing: error)
            context.close(promise: nil)
        }
    }

    /// Sends raw bytes.
    public func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends one frame with its length prefix.
    public func send(_ frame: Frame) async throws {
        var buffer = ByteBuffer()
        try frame.encodeLengthPrefixed(into: &buffer)
        try await channel.writeAndFlush(buffer)
    }

    /// Sends a request frame for `method` with `payload`.
    public func request(_ id: UInt64, _ method: String, _ payload: [UInt8], timeoutMicros: UInt64 = 0) async throws {
        try await send(
            Frame(callID: id, kind: .request, method: method, timeoutMicros: timeoutMicros, payload: payload))
    }

    /// The next frame, or nil when the server closed the connection.
    public func next() async throws -> Frame? {
        var iterator = frames.makeAsyncIterator()
        return try await iterator.next()
    }

    /// Frames until the server closes the connection.
    public func remainingFrames() async throws -> [Frame] {
        var all: [Frame] = []
        while let frame = try await next() { all.append(frame) }
        return all
    }

    /// Whether the connection is still open.
    public var isOpen: Bool { channel.isActive }

    /// Closes the connection.
    public func close() async {
        try? await channel.close()
    }
}
