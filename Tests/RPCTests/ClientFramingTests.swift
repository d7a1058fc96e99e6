import EchoService
import NIOCore
import NIOPosix
import RPC
import Testing
import TestingV1
import Wire

/// A server that answers each request frame with bytes a test chooses, written in pieces.
final class ScriptedServerHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What to answer to call `id`: byte strings to write one after another (each flushed), and
    /// whether to close afterwards.
    let answer: @Sendable (UInt64) -> (pieces: [[UInt8]], close: Bool)

    init(answer: @escaping @Sendable (UInt64) -> (pieces: [[UInt8]], close: Bool)) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let input = unwrapInboundIn(data)
        // The test's client sends one small request at a time: a read holds it whole.
        guard let body = input.getSlice(at: input.readerIndex + 4, length: input.readableBytes - 4),
            let request = try? Frame(decoding: Array(body.readableBytesView))
        else { return }
        let (pieces, close) = answer(request.callID)
        for piece in pieces {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: piece)), promise: nil)
        }
        if close { context.close(promise: nil) }
    }
}

@Suite("the client's framing")
struct ClientFramingTests {
    static let maximum = 4096

    /// Runs `body` with a client of a scripted server.
    func withScriptedServer(
        _ answer: @escaping @Sendable (UInt64) -> (pieces: [[UInt8]], close: Bool),
        _ body: (Client) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedServerHandler(answer: answer))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let client = Client(
            configuration: ClientConfiguration(
                host: "127.0.0.1", port: port, maximumFrameSize: Self.maximum, defaultTimeout: .seconds(20)))
        do {
            try await body(client)
        } catch {
            client.close()
            try await server.close()
            throw error
        }
        client.close()
        try await server.close()
    }

    static func response(_ id: UInt64, text: String) throws -> [UInt8] {
        var buffer = ByteBuffer()
        _ = try Frame(callID: id, kind: .response, payload: try EchoResponse(text: text).encoded())
            .encodeLengthPrefixed(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("responses arriving a byte at a time are read whole, call after call")
    func piecewise() async throws {
        try await withScriptedServer({ id in
            let frame = (try? Self.response(id, text: "answer \(id)")) ?? []
            return (frame.map { [$0] }, false)
        }) { client in
            for call in 1...3 {
                let response = try await client.unary(EchoAPI.get, EchoRequest(text: "x"))
                #expect(response.text.hasPrefix("answer "), "call \(call)")
            }
        }
    }

    @Test("a frame over the client's maximum fails the call from its length field")
    func oversized() async throws {
        try await withScriptedServer({ _ in
            // The length field alone: the body never comes.
            ([[0, 0, 0x10, 0x01]], false)
        }) { client in
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(text: "x"))
            }
            #expect(error?.code == .unavailable)
            #expect(
                error?.message.contains("frame of 4097 bytes exceeds the maximum frame size of 4096 bytes") == true,
                "\(String(describing: error))")
        }
    }

    @Test("a server that closes inside a frame fails the call, saying so")
    func closedMidFrame() async throws {
        try await withScriptedServer({ id in
            let frame = (try? Self.response(id, text: "cut short")) ?? []
            return ([Array(frame.prefix(6))], true)
        }) { client in
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(text: "x"))
            }
            #expect(error?.code == .unavailable)
            #expect(
                error?.message.contains("closed inside a frame (6 bytes of it received)") == true,
                "\(String(describing: error))")
        }
    }
}
