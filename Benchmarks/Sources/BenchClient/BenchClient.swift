import ArgumentParser
import GRPCCore
import GRPCNIOTransportHTTP2
import Histogram
import NIOCore
import NIOPosix
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
import TestingV1
#endif

/// Drives one benchmark server with C connections × K calls in flight (closed loop) for a fixed
/// time after a warm-up, and prints one JSON line of results. `MEASURE START` and `MEASURE END`
/// lines mark the measured window so the driver can read the server's CPU time around it.
@main
struct BenchClient: AsyncParsableCommand {
    enum Kind: String, ExpressibleByArgument { case frames, grpc }

    @Argument(help: "frames: MentorNet frames (for the rpc and echo servers); grpc: grpc-swift-2")
    var kind: Kind
    @Option var port: Int
    @Option var connections = 4
    @Option var inflight = 64
    @Option(help: "Measured seconds") var duration = 5.0
    @Option(help: "Warm-up seconds, not measured") var warmup = 1.0
    @Option(help: "Characters of text in the ~200-byte request") var textLength = 190

    func run() async throws {
        let request = EchoRequest(text: String(repeating: "m", count: textLength))
        let payload = try request.encoded()
        let phase = Phase()
        let result: Totals
        switch kind {
        case .frames:
            result = try await FrameLoad(port: port, connections: connections, inflight: inflight, payload: payload)
                .run(phase: phase, warmup: warmup, duration: duration)
        case .grpc:
            result = try await GRPCLoad(port: port, connections: connections, inflight: inflight, payload: payload)
                .run(phase: phase, warmup: warmup, duration: duration)
        }
        let h = result.histogram
        func micros(_ percentile: Double) -> Double { Double(h.valueAtPercentile(percentile)) / 1000 }
        let line = """
            {"client":"\(kind.rawValue)","connections":\(connections),"inflight":\(inflight),\
            "seconds":\(result.seconds),"calls":\(result.calls),"errors":\(result.errors),\
            "rps":\(Double(result.calls) / result.seconds),"payload_bytes":\(payload.count),\
            "p50_us":\(micros(50)),"p99_us":\(micros(99)),"p999_us":\(micros(99.9)),"max_us":\(Double(h.max) / 1000)}
            """
        print(line)
    }
}

/// Warm-up → measuring → stopped, shared by every connection.
final class Phase: Sendable {
    enum Value: Int { case warmup = 0, measuring = 1, stopped = 2 }
    private let value = Atomic<Int>(0)
    var current: Value { Value(rawValue: value.load(ordering: .relaxed))! }
    func set(_ new: Value) { value.store(new.rawValue, ordering: .relaxed) }

    /// Runs the warm-up and the measured window, printing the markers.
    func drive(warmup: Double, duration: Double) async throws -> Double {
        try await Task.sleep(for: .seconds(warmup))
        print("MEASURE START")
        fflush(nil)
        let start = ContinuousClock.now
        set(.measuring)
        try await Task.sleep(for: .seconds(duration))
        set(.stopped)
        let elapsed = ContinuousClock.now - start
        print("MEASURE END")
        fflush(nil)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// What one run measured.
struct Totals {
    var calls: UInt64 = 0
    var errors: UInt64 = 0
    var seconds = 0.0
    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    mutating func add(_ other: Totals) {
        calls += other.calls
        errors += other.errors
        histogram.add(other.histogram)
    }
}

func nowNanos() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

// MARK: - MentorNet frames over raw NIO

struct FrameLoad {
    let port: Int
    let connections: Int
    let inflight: Int
    let payload: [UInt8]

    func run(phase: Phase, warmup: Double, duration: Double) async throws -> Totals {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var channels: [any Channel] = []
        for _ in 0..<connections {
            let frames = try (1...inflight).map { id -> ByteBuffer in
                var buffer = ByteBuffer()
                let frame = Frame(callID: UInt64(id), kind: .request, method: "/mentornet.testing.v1.Echo/Get", payload: payload)
                try frame.encodeLengthPrefixed(into: &buffer)
                return buffer
            }
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(FrameLoadHandler(frames: frames, phase: phase))
                    }
                }
                .connect(host: "127.0.0.1", port: port)
                .get()
            channels.append(channel)
        }
        let seconds = try await phase.drive(warmup: warmup, duration: duration)
        var totals = Totals()
        totals.seconds = seconds
        for channel in channels {
            let part = try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.handler(type: FrameLoadHandler.self).totals
            }.get()
            totals.add(part)
            try? await channel.close()
        }
        try await group.shutdownGracefully()
        return totals
    }
}

/// Keeps `frames.count` calls in flight: every response sends its slot's request again.
final class FrameLoadHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let frames: [ByteBuffer]
    private var sentAt: [UInt64]
    private let phase: Phase
    private var received: UInt64 = 0
    var totals = Totals()

    init(frames: [ByteBuffer], phase: Phase) {
        self.frames = frames
        self.sentAt = Array(repeating: 0, count: frames.count)
        self.phase = phase
    }

    func channelActive(context: ChannelHandlerContext) {
        let now = nowNanos()
        for slot in frames.indices {
            sentAt[slot] = now
            context.write(wrapOutboundOut(frames[slot]), promise: nil)
        }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let body = unwrapInboundIn(data)
        let now = nowNanos()
        // call_id is field 1, encoded first: 0x08 then a varint.
        var id: UInt64 = 0
        var shift: UInt64 = 0
        var index = body.readerIndex + 1
        while let byte = body.getInteger(at: index, as: UInt8.self) {
            id |= UInt64(byte & 0x7F) << shift
            index += 1
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        let slot = Int(id) - 1
        guard body.getInteger(at: body.readerIndex, as: UInt8.self) == 0x08, frames.indices.contains(slot) else {
            totals.errors += 1
            return
        }
        received += 1
        let current = phase.current
        if current == .measuring {
            totals.calls += 1
            totals.histogram.record(now - sentAt[slot])
            // Check one response in 1,024 in full, so a server answering errors cannot look fast.
            if received & 1023 == 0, let frame = try? Frame(decoding: body), frame.status != nil {
                totals.errors += 1
            }
        }
        if current != .stopped {
            sentAt[slot] = now
            context.write(wrapOutboundOut(frames[slot]), promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

// MARK: - grpc-swift-2

struct RawBytes: MessageSerializer, MessageDeserializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
    func deserialize<Bytes: GRPCContiguousBytes>(_ bytes: Bytes) throws -> [UInt8] {
        bytes.withUnsafeBytes { Array($0) }
    }
}

struct GRPCLoad {
    let port: Int
    let connections: Int
    let inflight: Int
    let payload: [UInt8]

    func run(phase: Phase, warmup: Double, duration: Double) async throws -> Totals {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let method = GRPCCore.MethodDescriptor(fullyQualifiedService: "mentornet.testing.v1.Echo", method: "Get")
        let clients = try (0..<connections).map { _ in
            GRPCClient(
                transport: try HTTP2ClientTransport.Posix(
                    target: .ipv4(address: "127.0.0.1", port: port),
                    transportSecurity: .plaintext,
                    eventLoopGroup: group
                )
            )
        }
        let payload = self.payload
        let inflight = self.inflight
        return try await withThrowingTaskGroup(of: Totals?.self) { tasks in
            for client in clients { tasks.addTask { try await client.runConnections(); return nil } }
            var seconds = 0.0
            let workers = try await withThrowingTaskGroup(of: Totals.self) { workers in
                for client in clients {
                    for _ in 0..<inflight {
                        workers.addTask {
                            var totals = Totals()
                            while phase.current != .stopped {
                                let start = nowNanos()
                                do {
                                    _ = try await client.unary(
                                        request: ClientRequest(message: payload),
                                        descriptor: method,
                                        serializer: RawBytes(),
                                        deserializer: RawBytes(),
                                        options: .defaults
                                    ) { try $0.message }
                                    if phase.current == .measuring {
                                        totals.calls += 1
                                        totals.histogram.record(nowNanos() - start)
                                    }
                                } catch {
                                    if phase.current == .measuring { totals.errors += 1 }
                                }
                            }
                            return totals
                        }
                    }
                }
                seconds = try await phase.drive(warmup: warmup, duration: duration)
                var all = Totals()
                for try await part in workers { all.add(part) }
                return all
            }
            for client in clients { client.beginGracefulShutdown() }
            try await tasks.waitForAll()
            var totals = workers
            totals.seconds = seconds
            try await group.shutdownGracefully()
            return totals
        }
    }
}
