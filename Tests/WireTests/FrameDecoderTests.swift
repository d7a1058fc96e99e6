import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing
import Wire

@Suite("framing: 4-byte length + body")
struct FrameDecoderTests {
    static let maximum = 1024

    func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameDecoder(maximumFrameSize: Self.maximum)))
        return channel
    }

    func frame(_ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.count))
        buffer.writeBytes(body)
        return buffer
    }

    @Test("frames split at every byte are reassembled")
    func split() throws {
        let channel = try makeChannel()
        let body = Array(0..<200).map { UInt8($0) }
        var whole = frame(body)
        while whole.readableBytes > 0 {
            try channel.writeInbound(whole.readSlice(length: 1)!)
        }
        let out = try channel.readInbound(as: ByteBuffer.self)
        #expect(out.map { Array($0.readableBytesView) } == body)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test("coalesced frames come out one by one")
    func coalesced() throws {
        let channel = try makeChannel()
        var all = frame([1])
        var second = frame([2, 2])
        var third = frame([])
        all.writeBuffer(&second)
        all.writeBuffer(&third)
        try channel.writeInbound(all)
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 1)
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 2)
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == 0)
        #expect(try channel.finish().isClean)
    }

    @Test("a frame of exactly the maximum is accepted")
    func exactlyMaximum() throws {
        let channel = try makeChannel()
        try channel.writeInbound(frame([UInt8](repeating: 7, count: Self.maximum)))
        #expect(try channel.readInbound(as: ByteBuffer.self)?.readableBytes == Self.maximum)
        #expect(try channel.finish().isClean)
    }

    @Test("maximum + 1 is refused from the length field alone, before any body arrives")
    func overMaximum() throws {
        let channel = try makeChannel()
        var header = ByteBuffer()
        header.writeInteger(UInt32(Self.maximum + 1))
        let error = #expect(throws: FrameTooLargeError.self) { try channel.writeInbound(header) }
        #expect(error == FrameTooLargeError(length: Self.maximum + 1, maximum: Self.maximum))
        #expect(error?.description.contains("exceeds the maximum frame size") == true)
        _ = try? channel.finish()
    }

    @Test("a huge announced length is refused without allocating it")
    func hugeLength() throws {
        let channel = try makeChannel()
        var header = ByteBuffer()
        header.writeInteger(UInt32.max)
        #expect(throws: FrameTooLargeError.self) { try channel.writeInbound(header) }
        _ = try? channel.finish()
    }

    @Test("input that ends inside a frame is reported as truncated")
    func truncated() throws {
        let channel = try makeChannel()
        var partial = frame([1, 2, 3, 4])
        try channel.writeInbound(partial.readSlice(length: 6)!)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(throws: TruncatedFrameError.self) { try channel.finish() }
    }

    @Test("the decoder passes NIO's ByteToMessageDecoderVerifier")
    func verifier() throws {
        let inputs: [(ByteBuffer, [ByteBuffer])] = [
            (frame([1, 2, 3]), [ByteBuffer(bytes: [1, 2, 3])]),
            (frame([]), [ByteBuffer()]),
            (frame(Array(repeating: 9, count: 300)), [ByteBuffer(bytes: Array(repeating: 9, count: 300))]),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: inputs) {
            FrameDecoder(maximumFrameSize: Self.maximum)
        }
    }
}
