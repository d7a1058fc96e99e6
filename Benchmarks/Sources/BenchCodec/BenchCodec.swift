import NIOCore
import TestingV1
import Wire

/// Encode + decode of a ~200-byte message through the protobuf-c bridge, and of a whole request
/// frame carrying it, in nanoseconds per operation.
@main
struct BenchCodec {
    static func measure(_ name: String, iterations: Int, _ body: () throws -> Void) rethrows {
        for _ in 0..<(iterations / 10) { try body() }  // warm-up
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<5 {
            let start = clock.now
            for _ in 0..<iterations { try body() }
            let elapsed = clock.now - start
            let nanos = (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9)
            best = min(best, nanos / Double(iterations))
        }
        print("{\"case\":\"\(name)\",\"ns_per_op\":\(Int(best.rounded()))}")
    }

    static func main() throws {
        let request = EchoRequest(text: String(repeating: "m", count: 190), tags: ["mentor", "mentee"])
        let payload = try request.encoded()
        let frame = Frame(
            callID: 12345,
            kind: .request,
            method: "/mentornet.testing.v1.Echo/Get",
            timeoutMicros: 250_000,
            metadata: [MetadataEntry(key: "trace-id", value: "0123456789abcdef")],
            payload: payload
        )
        let frameBytes = try frame.encoded()
        print("{\"case\":\"sizes\",\"message_bytes\":\(payload.count),\"frame_bytes\":\(frameBytes.count)}")
        var buffer = ByteBuffer()
        buffer.reserveCapacity(4096)
        try measure("message encode", iterations: 200_000) { _ = try request.encoded() }
        try measure("message decode", iterations: 200_000) { _ = try EchoRequest(decoding: payload) }
        try measure("message encode+decode", iterations: 200_000) { _ = try EchoRequest(decoding: request.encoded()) }
        try measure("frame encode into buffer", iterations: 200_000) {
            buffer.clear()
            try frame.encodeLengthPrefixed(into: &buffer)
        }
        try measure("frame decode", iterations: 200_000) { _ = try Frame(decoding: frameBytes) }
    }
}
