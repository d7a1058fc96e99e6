import ArgumentParser
import EchoService
import GRPCCore
import GRPCNIOTransportHTTP2
import NIOCore
import NIOPosix
import RPC
import Wire

#if canImport(Glibc)
import Glibc
import TestingV1
#endif

/// Serves the benchmark's echo call three ways, on an event loop group of `--threads` threads:
/// `rpc` (MentorNet's runtime with the echo service), `echo` (bare SwiftNIO length-prefixed echo,
/// answered inside the pipeline) and `grpc` (grpc-swift-2 over HTTP/2, raw bytes echoed).
@main
struct BenchServer: AsyncParsableCommand {
    enum Kind: String, ExpressibleByArgument { case rpc, echo, grpc }

    @Argument var kind: Kind
    @Option var port = 0
    @Option var threads = 1

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        switch kind {
        case .rpc:
            var router = Router()
            router.add(EchoService())
            let server = Server(
                router: router,
                configuration: ServerConfiguration(port: port, maximumConcurrentCalls: 1024),
                group: group,
                onListening: { address in announce(address.port!) }
            )
            try await server.run()
        case .echo:
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(EchoHandler())
                    }
                }
                .bind(host: "127.0.0.1", port: port)
                .get()
            announce(channel.localAddress!.port!)
            try await channel.closeFuture.get()
        case .grpc:
            let transport = HTTP2ServerTransport.Posix(
                address: .ipv4(host: "127.0.0.1", port: port),
                transportSecurity: .plaintext,
                eventLoopGroup: group
            )
            let server = GRPCServer(transport: transport, services: [GRPCEcho()])
            try await withThrowingDiscardingTaskGroup { tasks in
                tasks.addTask { try await server.serve() }
                let address = try await transport.listeningAddress
                announce(address.ipv4!.port)
            }
        }
    }
}

/// Tells the driver the port (stdout is a pipe: flush at once).
func announce(_ port: Int) {
    print("listening on 127.0.0.1:\(port)")
    fflush(nil)
}

/// The bare echo: every frame goes straight back, one flush per read burst.
final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let body = unwrapInboundIn(data)
        var out = context.channel.allocator.buffer(capacity: body.readableBytes + 4)
        out.writeInteger(UInt32(body.readableBytes))
        out.writeImmutableBuffer(body)
        context.write(wrapOutboundOut(out), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

/// Bytes in, the same bytes out.
struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] {
        bytes.withUnsafeBytes { Array($0) }
    }
}

/// grpc-swift-2's unary echo of raw bytes.
struct GRPCEcho: RegistrableRPCService {
    static let get = GRPCCore.MethodDescriptor(fullyQualifiedService: "mentornet.testing.v1.Echo", method: "Get")

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(forMethod: Self.get, deserializer: RawBytes(), serializer: RawBytes()) { request, _ in
            var message: [UInt8] = []
            for try await part in request.messages { message = part }
            let reply = message
            return StreamingServerResponse(single: ServerResponse(message: reply))
        }
    }
}
