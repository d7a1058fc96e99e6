import EchoService
import NIOCore
import RPC
import TestSupport
import Testing
import TestingV1
import Wire

@Suite("bad frames get a clear status and never affect other connections")
struct ProtocolAbuseTests {
    static let get = EchoAPI.get.path

    func echo(_ connection: RawConnection, id: UInt64, text: String) async throws -> Frame? {
        try await connection.request(id, Self.get, try EchoRequest(text: text).encoded())
        return try await connection.next()
    }

    @Test(
        "requests sent a byte at a time, and several in one write, are each answered",
        .timeLimit(.minutes(1)))
    func splitAndCoalescedRequests() async throws {
        try await withTestServer([EchoService()]) { server in
            let connection = try await RawConnection(port: server.port)
            func frame(_ id: UInt64, _ text: String) throws -> [UInt8] {
                var buffer = ByteBuffer()
                _ = try Frame(
                    callID: id, kind: .request, method: Self.get, payload: try EchoRequest(text: text).encoded()
                ).encodeLengthPrefixed(into: &buffer)
                return Array(buffer.readableBytesView)
            }
            for byte in try frame(1, "one") { try await connection.send([byte]) }
            // Three whole requests and the first half of a fourth in one write, its rest in another.
            let fourth = try frame(5, "five")
            try await connection.send(try frame(2, "two") + frame(3, "three") + frame(4, "four") + fourth.prefix(7))
            try await connection.send(Array(fourth.dropFirst(7)))
            var answers: [UInt64: String] = [:]
            while answers.count < 5, let answer = try await connection.next() {
                answers[answer.callID] = try EchoResponse(decoding: answer.payload).text
            }
            #expect(answers == [1: "one", 2: "two", 3: "three", 4: "four", 5: "five"])
            await connection.close()
        }
    }

    @Test("a payload that does not decode is INVALID_ARGUMENT and the connection keeps serving")
    func undecodablePayload() async throws {
        try await withTestServer([EchoService()]) { server in
            let connection = try await RawConnection(port: server.port)
            try await connection.request(1, Self.get, [0x0A, 0x02, 0xFF, 0xFE])  // text: invalid UTF-8
            let frame = try #require(try await connection.next())
            #expect(frame.callID == 1)
            #expect(frame.status?.code == .invalidArgument)
            #expect(frame.status?.violations.first?.field == "text")
            #expect(frame.status?.message.contains("not valid UTF-8") == true)
            let after = try await echo(connection, id: 2, text: "fine")
            #expect(try after.map { try EchoResponse(decoding: $0.payload).text } == "fine")
            await connection.close()
        }
    }

    @Test("an envelope that cannot be parsed gets a GOAWAY naming the problem, then the connection closes")
    func undecodableEnvelope() async throws {
        try await withTestServer([EchoService()]) { server in
            let bystander = try await RawConnection(port: server.port)
            let connection = try await RawConnection(port: server.port)
            try await connection.send([0, 0, 0, 3, 0x1A, 0x05, 0x61])  // method: truncated string
            let frames = try await connection.remainingFrames()
            #expect(frames.count == 1)
            #expect(frames.first?.kind == .goaway)
            #expect(frames.first?.status?.code == .invalidArgument)
            #expect(frames.first?.status?.message.contains("cannot decode frame envelope") == true)
            let answer = try await echo(bystander, id: 1, text: "unaffected")
            #expect(answer?.status == nil)
            await bystander.close()
        }
    }

    @Test("an oversized frame is refused from its length field, before its body is sent")
    func oversizedFrame() async throws {
        let configuration = ServerConfiguration(maximumFrameSize: 64 * 1024)
        try await withTestServer([EchoService()], configuration: configuration) { server in
            let connection = try await RawConnection(port: server.port)
            try await connection.send([0x00, 0x01, 0x00, 0x01])  // 65537 bytes announced, none sent
            let frames = try await connection.remainingFrames()
            #expect(frames.first?.kind == .goaway)
            #expect(frames.first?.status?.code == .resourceExhausted)
            #expect(frames.first?.status?.message.contains("65537") == true)
        }
    }

    @Test(
        "frames a client may not send are protocol errors",
        arguments: [
            (Frame(callID: 1, kind: .response), "may not send"),
            (Frame(callID: 1, kind: .unspecified), "may not send"),
            (Frame(callID: 1, kind: .goaway), "may not send"),
            (Frame(callID: 0, kind: .request, method: "/mentornet.testing.v1.Echo/Get"), "call id 0"),
        ]
    )
    func forbiddenFrames(_ frame: Frame, _ message: String) async throws {
        try await withTestServer([EchoService()]) { server in
            let connection = try await RawConnection(port: server.port)
            try await connection.send(frame)
            let frames = try await connection.remainingFrames()
            #expect(frames.last?.kind == .goaway)
            #expect(frames.last?.status?.message.contains(message) == true)
        }
    }

    @Test("a call id reused while its call is open is a protocol error")
    func duplicateCallID() async throws {
        try await withTestServer([EchoService()]) { server in
            let connection = try await RawConnection(port: server.port)
            let slow = try EchoRequest(delayMillis: 2_000).encoded()
            try await connection.request(5, Self.get, slow)
            try await connection.request(5, Self.get, slow)
            let frames = try await connection.remainingFrames()
            #expect(frames.last?.kind == .goaway)
            #expect(frames.last?.status?.message.contains("already in use") == true)
        }
    }

    @Test("calls beyond the in-flight limit are RESOURCE_EXHAUSTED; the others complete")
    func inFlightLimit() async throws {
        let configuration = ServerConfiguration(maximumConcurrentCalls: 4)
        try await withTestServer([EchoService()], configuration: configuration) { server in
            let connection = try await RawConnection(port: server.port)
            // All ten in one write, so they arrive together however busy the machine is.
            var burst = ByteBuffer()
            for id in 1...10 {
                let payload = try EchoRequest(text: "\(id)", delayMillis: 1_000).encoded()
                try Frame(callID: UInt64(id), kind: .request, method: Self.get, payload: payload)
                    .encodeLengthPrefixed(into: &burst)
            }
            try await connection.send(Array(burst.readableBytesView))
            var exhausted: [UInt64] = []
            var served: [UInt64] = []
            for _ in 1...10 {
                let frame = try #require(try await connection.next())
                if frame.status?.code == .resourceExhausted {
                    exhausted.append(frame.callID)
                    #expect(frame.status?.message.contains("limit 4") == true)
                    #expect(frame.status?.retryAfterMicros == ServerConfiguration.retryAfterMicros)
                } else {
                    #expect(frame.status == nil)
                    served.append(frame.callID)
                }
            }
            #expect(served.sorted() == [1, 2, 3, 4])
            #expect(exhausted.sorted() == Array(5...10))
            await connection.close()
        }
    }

    @Test(
        "flow control: health advertises the limits; the project's client retries refused calls and a burst completes")
    func flowControl() async throws {
        let configuration = ServerConfiguration(maximumFrameSize: 65_536, maximumConcurrentCalls: 4)
        try await withTestServer(
            [EchoService(), HealthService(configuration: configuration)], configuration: configuration
        ) { server in
            let client = server.client()
            defer { client.close() }
            let health = try await client.unary(HealthAPI.check, HealthCheckRequest())
            #expect(health.maxCallsInFlight == 4 && health.maxFrameSize == 65_536)
            // Twenty-four calls at once on one connection that takes four: each refused one is sent again
            // after the advertised wait, backing off, and every call completes.
            let texts = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await client.unary(EchoAPI.get, EchoRequest(text: "\(index)", delayMillis: 5)).text
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(texts) == Set((0..<24).map { "\($0)" }))
        }
    }

    @Test("the retry rule: waits double from the advertised one, each at random between half and all of it")
    func backoff() {
        for retry in 1...5 {
            let full = Duration.microseconds(1000 * (1 << (retry - 1)))
            for _ in 0..<50 {
                let wait = Client.refusalBackoff(retryAfterMicros: 1000, retry: retry)
                #expect(wait >= full / 2 && wait <= full)
            }
        }
    }

    @Test(
        "a connection over the connection limit gets GOAWAY RESOURCE_EXHAUSTED and is closed; the held ones serve on",
        .timeLimit(.minutes(1)))
    func connectionLimit() async throws {
        let configuration = ServerConfiguration(maximumConnections: 2)
        try await withTestServer([EchoService()], configuration: configuration) { server in
            // Answered, so each is held by the server before the next one connects.
            let first = try await RawConnection(port: server.port)
            let second = try await RawConnection(port: server.port)
            #expect(try await echo(first, id: 1, text: "one")?.status == nil)
            #expect(try await echo(second, id: 1, text: "two")?.status == nil)

            let third = try await RawConnection(port: server.port)
            let frames = try await third.remainingFrames()
            #expect(frames.count == 1)
            #expect(frames.first?.kind == .goaway)
            #expect(frames.first?.status?.code == .resourceExhausted)
            #expect(frames.first?.status?.message.contains("maximum of 2 connections") == true)
            #expect(try await echo(second, id: 2, text: "still")?.status == nil)

            // Once one closes, a new connection is held again (the server lets go of the closed one
            // on its own event loop, so the first tries may still be refused).
            await first.close()
            var served = false
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(10)
            while !served, clock.now < giveUp {
                let again = try await RawConnection(port: server.port)
                // A refused connection may be closed before the request is written: not an error here.
                try? await again.request(1, Self.get, try EchoRequest(text: "again").encoded())
                served = (try? await again.next())??.kind == .response
                await again.close()
                if !served { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(served)
            await second.close()
        }
    }

    @Test("a connection that sends nothing is closed after the handshake timeout")
    func handshakeTimeout() async throws {
        let configuration = ServerConfiguration(handshakeTimeout: .milliseconds(100))
        try await withTestServer([EchoService()], configuration: configuration) { server in
            let connection = try await RawConnection(port: server.port)
            #expect(try await connection.remainingFrames().isEmpty)
        }
    }

    @Test("an idle connection is sent GOAWAY and closed; a busy one is not")
    func idleTimeout() async throws {
        let configuration = ServerConfiguration(idleTimeout: .milliseconds(300))
        try await withTestServer([EchoService()], configuration: configuration) { server in
            let connection = try await RawConnection(port: server.port)
            // A call longer than the idle timeout keeps the connection open.
            try await connection.request(1, Self.get, try EchoRequest(text: "long", delayMillis: 600).encoded())
            let frames = try await connection.remainingFrames()
            #expect(frames.count == 2)
            #expect(frames.first?.callID == 1)
            #expect(frames.first?.status == nil)
            #expect(frames.last?.kind == .goaway)
            #expect(frames.last?.status?.message == "idle timeout")
        }
    }
}
