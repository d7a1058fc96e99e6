import EchoService
import RPC
import TestSupport
import Testing
import TestingV1
import Wire

@Suite("calls over a live connection")
struct EchoCallTests {
    @Test("a unary call returns the echoed message")
    func unary() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let response = try await client.unary(
                EchoAPI.get, EchoRequest(text: "héllo", blob: [0, 1], tags: ["a"]))
            #expect(response == EchoResponse(text: "héllo", blob: [0, 1], tags: ["a"]))
        }
    }

    @Test("many concurrent calls on one connection are answered out of order, each to its caller")
    func outOfOrder() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let order = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<100 {
                    group.addTask {
                        // The first call is by far the slowest (seconds: the whole suite runs at once
                        // on two cores, and a second was once not enough for 99 calls to start and
                        // overtake it), so every later one must overtake it; the others finish in a
                        // mixed order of their own.
                        let delay: UInt32 = index == 0 ? 4_000 : UInt32(index % 5) * 10
                        let response = try await client.unary(
                            EchoAPI.get, EchoRequest(text: "call \(index)", delayMillis: delay))
                        return (index, response.text)
                    }
                }
                var order: [Int] = []
                for try await (index, text) in group {
                    #expect(text == "call \(index)")
                    order.append(index)
                }
                return order
            }
            #expect(order.count == 100)
            #expect(order.first != 0)
            #expect(order.last == 0)
        }
    }

    @Test("a server stream delivers every message, then ends")
    func serverStreaming() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            var indices: [UInt32] = []
            for try await response in client.serverStreaming(EchoAPI.expand, EchoRequest(text: "x", count: 5)) {
                #expect(response.text == "x")
                indices.append(response.index)
            }
            #expect(indices == [0, 1, 2, 3, 4])
        }
    }

    @Test("a stream that fails ends with the handler's status")
    func streamFailure() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let error = await #expect(throws: RPCError.self) {
                for try await _ in client.serverStreaming(
                    EchoAPI.expand, EchoRequest(text: "status:PERMISSION_DENIED", count: 3))
                {}
            }
            #expect(error?.code == .permissionDenied)
        }
    }

    @Test(
        "a handler's error reaches the caller with its code",
        arguments: [StatusCode.notFound, .alreadyExists, .aborted, .failedPrecondition, .unauthenticated]
    )
    func handlerStatus(_ code: StatusCode) async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(text: "status:\(code)"))
            }
            #expect(error?.code == code)
            #expect(error?.message == "failed as asked")
        }
    }

    @Test("an unexpected handler error is INTERNAL and leaks nothing")
    func internalError() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(text: "panic"))
            }
            #expect(error?.code == .internal)
            #expect(error?.message == "internal error")
            // The connection still serves.
            let after = try await client.unary(EchoAPI.get, EchoRequest(text: "ok"))
            #expect(after.text == "ok")
        }
    }

    @Test("bad arguments come back as INVALID_ARGUMENT with a violation per field")
    func fieldViolations() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(count: 1_000_000, delayMillis: 999_999))
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.violations.map(\.field) == ["count", "delay_millis"])
        }
    }

    @Test("an unknown method is UNIMPLEMENTED and the connection keeps serving")
    func unknownMethod() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let missing = MethodDescriptor<EchoRequest, EchoResponse>(
                service: "mentornet.testing.v1.Echo", name: "Nope")
            let error = await #expect(throws: RPCError.self) { try await client.unary(missing, EchoRequest()) }
            #expect(error?.code == .unimplemented)
            #expect(error?.message.contains("/mentornet.testing.v1.Echo/Nope") == true)
            let after = try await client.unary(EchoAPI.get, EchoRequest(text: "still"))
            #expect(after.text == "still")
        }
    }
}

@Suite("responses that cannot be sent")
struct UnsendableResponseTests {
    @Test(
        "a response that cannot be encoded is INTERNAL; one over the frame limit RESOURCE_EXHAUSTED; the connection goes on"
    )
    func unsendable() async throws {
        let configuration = ServerConfiguration(maximumFrameSize: 4096)
        try await withTestServer([OversizedAnswers()], configuration: configuration) { server in
            let client = server.client()
            defer { client.close() }
            let unencodable = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(text: "nul"))
            }
            #expect(unencodable?.code == .internal)
            #expect(unencodable?.message == "internal error")
            for method in [EchoAPI.get, OversizedAnswers.stored] {
                let error = await #expect(throws: RPCError.self) {
                    try await client.unary(method, EchoRequest(text: "large"))
                }
                #expect(error?.code == .resourceExhausted)
                #expect(error?.message.contains("exceeds the maximum frame size of 4096 bytes") == true)
            }
            let after = try await client.unary(EchoAPI.get, EchoRequest(text: "ok"))
            #expect(after.text == "ok")
        }
    }
}

/// Answers with a message protobuf-c cannot encode ("nul"), or one larger than the 4 KiB frames
/// the test's server allows ("large"), built (`Get`) or already encoded (`Stored`).
private struct OversizedAnswers: RPCService {
    static let stored = MethodDescriptor<EchoRequest, EchoResponse>(service: EchoAPI.service, name: "Stored")
    static let large = EchoResponse(text: String(repeating: "m", count: 8192))

    func register(in router: inout Router) {
        router.unary(EchoAPI.get) { request, _ in
            switch request.text {
            case "nul": EchoResponse(text: "a\u{0}b")
            case "large": Self.large
            default: EchoResponse(text: request.text)
            }
        }
        router.unary(Self.stored, encoded: { _, _ in try Encoded(Self.large) })
    }
}

/// Answers `EchoAPI.get` with bytes it already holds, as a service answers a stored message.
private struct StoredAnswers: RPCService {
    let stored: Encoded<EchoResponse>

    func register(in router: inout Router) {
        router.unary(
            EchoAPI.get,
            encoded: { request, _ in
                if request.text == "fail" { throw RPCError(.notFound, "nothing stored") }
                return stored
            })
    }
}

@Suite("responses answered already encoded")
struct EncodedAnswerTests {
    @Test("the stored bytes reach the caller as the message they encode")
    func storedBytes() async throws {
        let message = EchoResponse(text: "stored ünïcode", blob: [9, 8, 7], tags: ["x", "y"])
        let stored = try Encoded(message)
        #expect(try stored.decoded() == message)
        try await withTestServer([StoredAnswers(stored: stored)]) { server in
            let client = server.client()
            defer { client.close() }
            let response = try await client.unary(EchoAPI.get, EchoRequest(text: "any"))
            #expect(response == message)
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(EchoAPI.get, EchoRequest(text: "fail"))
            }
            #expect(error?.code == .notFound)
        }
    }
}
