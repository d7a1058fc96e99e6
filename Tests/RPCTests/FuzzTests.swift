import EchoService
import RPC
import TestSupport
import Testing
import TestingV1
import Wire

@Suite("random and mutated frames")
struct FuzzTests {
    static func lengthPrefixed(_ body: [UInt8]) -> [UInt8] {
        let n = UInt32(body.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
    }

    static func mutated(_ valid: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = valid
        switch rng.next() % 6 {
        case 0:  // flip bytes in the body
            for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
            return lengthPrefixed(bytes)
        case 1:  // truncate the body but keep its length
            return lengthPrefixed(bytes).dropLast(Int(rng.next() % UInt64(bytes.count + 1))).map { $0 }
        case 2:  // insert random bytes
            let insert = (0..<Int(rng.next() % 8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            bytes.insert(contentsOf: insert, at: Int(rng.next() % UInt64(bytes.count + 1)))
            return lengthPrefixed(bytes)
        case 3:  // a random length prefix
            let length = UInt32(truncatingIfNeeded: rng.next() % 200_000)
            return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                + bytes
        case 4:  // pure noise
            return (0..<Int(rng.next() % 64)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        default:  // valid envelope, random payload
            let payload = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let frame = Frame(
                callID: 1 + rng.next() % 1000, kind: .request, method: EchoAPI.get.path, payload: payload)
            return lengthPrefixed((try? frame.encoded()) ?? [])
        }
    }

    @Test("thousands of random and mutated frames leave the server answering correctly")
    func fuzz() async throws {
        let seed = UInt64.random(in: .min ... .max)
        var rng = SplitMix64(state: seed)
        let configuration = ServerConfiguration(maximumFrameSize: 64 * 1024)
        try await withTestServer([EchoService()], configuration: configuration) { server in
            let valid = try Frame(
                callID: 1,
                kind: .request,
                method: EchoAPI.get.path,
                timeoutMicros: 1_000_000,
                metadata: [MetadataEntry(key: "trace-id", value: "fuzz")],
                payload: EchoRequest(text: "fuzz", tags: ["a", "b"]).encoded()
            ).encoded()
            var sent = 0
            var connections = 0
            while sent < 3_000 {
                connections += 1
                let connection = try await RawConnection(port: server.port)
                for _ in 0..<100 {
                    guard connection.isOpen else { break }
                    try? await connection.send(Self.mutated(valid, &rng))
                    sent += 1
                }
                await connection.close()
            }
            #expect(connections > 1, "seed \(seed)")
            let client = server.client()
            defer { client.close() }
            let response = try await client.unary(EchoAPI.get, EchoRequest(text: "after the storm"))
            #expect(response.text == "after the storm", "seed \(seed)")
        }
    }
}
