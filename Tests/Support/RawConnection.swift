import NIOCore
import NIOPosix
import Wire

/// A bare TCP connection that sends any bytes and reads frames back, for protocol tests.
public final class RawConnection: Sendable {
    private let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let frames: AsyncThrowingStream<Frame, any Error>

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) async throws {
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(FrameDecoder(maximumFrameSize: 64 << 20)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let (stream, continuation) = AsyncThrowingStream<Frame, any Error>.makeStream()
        frames = stream
        let inbound = channel.inbound
        Task {
            do {
                for try await body in inbound { continuation.yield(try Frame(decoding: body)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    /// Sends raw bytes.
    public func send(_ bytes: [UInt8]) async throws {
        try await channel.channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// Sends one frame with its length prefix.
    public func send(_ frame: Frame) async throws {
        var buffer = ByteBuffer()
        try frame.encodeLengthPrefixed(into: &buffer)
        try await channel.channel.writeAndFlush(buffer)
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

    /// Closes the connection.
    public func close() async {
        try? await channel.channel.close()
    }
}
