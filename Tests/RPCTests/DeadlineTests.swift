import EchoService
import NIOCore
import NIOPosix
import RPC
import TestSupport
import Testing
import TestingV1
import Wire

@Suite("deadlines, cancellation and propagation")
struct DeadlineTests {
    @Test("the server answers DEADLINE_EXCEEDED and cancels the handler when the budget runs out")
    func serverDeadline() async throws {
        let probe = ProbeService()
        try await withTestServer([probe]) { server in
            let connection = try await RawConnection(port: server.port)
            let request = try EchoRequest(text: "slow", delayMillis: 60_000).encoded()
            let started = ContinuousClock.now
            try await connection.request(1, ProbeService.sleep.path, request, timeoutMicros: 300_000)
            let frame = try #require(try await connection.next())
            #expect(frame.callID == 1)
            #expect(frame.status?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - started < .seconds(20))
            await connection.close()
            // The handler saw cancellation rather than running on. (On a machine starved for the
            // whole budget the call expires before its handler starts, and the handler never runs:
            // both are right, a handler that started and was not cancelled is not.)
            let deadline = ContinuousClock.now + .seconds(5)
            while probe.cancellations + probe.completions < probe.starts && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(probe.cancellations == probe.starts)
            #expect(probe.completions == 0)
        }
    }

    @Test("the client gives up at its deadline")
    func clientDeadline() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let error = await #expect(throws: RPCError.self) {
                try await client.unary(
                    EchoAPI.get, EchoRequest(delayMillis: 5_000), options: CallOptions(timeout: .milliseconds(100)))
            }
            #expect(error?.code == .deadlineExceeded)
        }
    }

    @Test("a burst of a thousand calls whose handlers all suspend is answered in full")
    func burstOfSuspendingHandlers() async throws {
        // Each handler suspends, so each hands the rest of the burst to a new task, whose start
        // goes through the loop's queue; every call must still be answered.
        let configuration = ServerConfiguration(maximumConcurrentCalls: 1000)
        try await withTestServer([EchoService()], configuration: configuration) { server in
            let connection = try await RawConnection(port: server.port)
            let payload = try EchoRequest(text: "later", delayMillis: 1).encoded()
            var burst: [UInt8] = []
            for id in 1...1000 {
                var buffer = ByteBuffer()
                try Frame(callID: UInt64(id), kind: .request, method: EchoAPI.get.path, payload: payload)
                    .encodeLengthPrefixed(into: &buffer)
                burst += buffer.readableBytesView
            }
            try await connection.send(burst)
            var answered = Set<UInt64>()
            while answered.count < 1000, let frame = try await connection.next() {
                #expect(frame.status == nil)
                answered.insert(frame.callID)
            }
            #expect(answered == Set(1...1000))
            await connection.close()
        }
    }

    @Test("calls with different deadlines on one connection each end at their own, on the server")
    func serverDeadlinesInterleaved() async throws {
        try await withTestServer([EchoService()]) { server in
            let connection = try await RawConnection(port: server.port)
            // A long budget first, then shorter ones: the later, earlier deadlines must still fire
            // on time, and after the first has fired the next one must too.
            let started = ContinuousClock.now
            try await connection.request(
                1, EchoAPI.get.path, try EchoRequest(text: "long", delayMillis: 300).encoded(),
                timeoutMicros: 10_000_000)
            try await connection.request(
                2, EchoAPI.get.path, try EchoRequest(text: "short", delayMillis: 60_000).encoded(),
                timeoutMicros: 50_000)
            try await connection.request(
                3, EchoAPI.get.path, try EchoRequest(text: "middle", delayMillis: 60_000).encoded(),
                timeoutMicros: 150_000)
            var ends: [UInt64: (StatusCode, Duration)] = [:]
            while ends.count < 3, let frame = try await connection.next() {
                ends[frame.callID] = (frame.status?.code ?? .ok, ContinuousClock.now - started)
            }
            #expect(ends[1]?.0 == .ok)
            #expect(ends[2]?.0 == .deadlineExceeded)
            #expect(ends[3]?.0 == .deadlineExceeded)
            let short = try #require(ends[2]?.1)
            let middle = try #require(ends[3]?.1)
            #expect(short >= .milliseconds(50) && short < .seconds(20))
            #expect(middle >= .milliseconds(150) && middle < .seconds(20))
            #expect(short < middle)
            await connection.close()
        }
    }

    @Test("deadlines that come due together, while the loop was busy, are answered earliest first")
    func lateSweepAnswersInDeadlineOrder() async throws {
        let probe = ProbeService()
        // Its own loop, since the test blocks it.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { group.shutdownGracefully { _ in } }
        try await withTestServer([probe], group: group) { server in
            let connection = try await RawConnection(port: server.port)
            // Eight sleeping calls whose budgets are not in call-id order; once all their handlers
            // run, a call that holds the connection's loop for longer than any budget: every
            // deadline passes while the loop is blocked, and one sweep finds them all expired.
            // (A call whose deadline passes before its handler starts is answered when its turn
            // comes, in arrival order: hence the wait for the handlers.)
            let budgets: [UInt64: UInt64] = [1: 650, 2: 600, 3: 680, 4: 620, 5: 690, 6: 610, 7: 670, 8: 630]
            var burst: [UInt8] = []
            let sleeping = try EchoRequest(delayMillis: 5_000).encoded()
            for id in UInt64(1)...8 {
                var buffer = ByteBuffer()
                try Frame(
                    callID: id, kind: .request, method: ProbeService.sleep.path,
                    timeoutMicros: budgets[id]! * 1000, payload: sleeping
                ).encodeLengthPrefixed(into: &buffer)
                burst += buffer.readableBytesView
            }
            try await connection.send(burst)
            let started = ContinuousClock.now + .seconds(5)
            while probe.starts < 8 && ContinuousClock.now < started { try await Task.sleep(for: .milliseconds(2)) }
            try #require(probe.starts == 8)
            try await connection.request(
                9, ProbeService.block.path, try EchoRequest(text: "busy", delayMillis: 800).encoded())

            var expired: [UInt64] = []
            var blocked = false
            while expired.count < 8 || !blocked, let frame = try await connection.next() {
                if frame.callID == 9 {
                    blocked = true
                } else {
                    #expect(frame.status?.code == .deadlineExceeded)
                    expired.append(frame.callID)
                }
            }
            #expect(expired == budgets.keys.sorted { budgets[$0]! < budgets[$1]! })
            await connection.close()
        }
    }

    @Test("calls with different deadlines from one client each give up at their own")
    func clientDeadlinesInterleaved() async throws {
        try await withTestServer([EchoService()]) { server in
            let client = server.client()
            defer { client.close() }
            let started = ContinuousClock.now
            async let long = client.unary(
                EchoAPI.get, EchoRequest(text: "long", delayMillis: 300),
                options: CallOptions(timeout: .seconds(60)))
            // Usually the long call registers first (the case that matters); either order must work.
            async let short: Duration = {
                do {
                    _ = try await client.unary(
                        EchoAPI.get, EchoRequest(delayMillis: 60_000),
                        options: CallOptions(timeout: .milliseconds(50)))
                } catch let error as RPCError where error.code == .deadlineExceeded {}
                return ContinuousClock.now - started
            }()
            let shortEnded = try await short
            #expect(shortEnded < .seconds(20), "the short call waited for the long call's deadline")
            #expect(try await long.text == "long")
        }
    }

    @Test("a client's cancel frame ends the call with CANCELLED and cancels the handler")
    func cancelFrame() async throws {
        let probe = ProbeService()
        try await withTestServer([probe]) { server in
            let connection = try await RawConnection(port: server.port)
            try await connection.request(7, ProbeService.sleep.path, try EchoRequest(delayMillis: 5_000).encoded())
            try await connection.request(
                8, ProbeService.sleep.path, try EchoRequest(text: "quick", delayMillis: 1).encoded())
            let quick = try #require(try await connection.next())
            #expect(quick.callID == 8)
            try await connection.send(Frame(callID: 7, kind: .cancel))
            let cancelled = try #require(try await connection.next())
            #expect(cancelled.callID == 7)
            #expect(cancelled.status?.code == .cancelled)
            await connection.close()
            let deadline = ContinuousClock.now + .seconds(5)
            while probe.cancellations == 0 && ContinuousClock.now < deadline { await Task.yield() }
            #expect(probe.cancellations == 1)
        }
    }

    @Test("calls after a cancelled and an expired call on the same connection run uncancelled")
    func laterCallsUncancelled() async throws {
        try await withTestServer([ProbeService()]) { server in
            let connection = try await RawConnection(port: server.port)
            let sleep = ProbeService.sleep.path
            // A call whose handler is suspended when the client cancels it.
            try await connection.request(1, sleep, try EchoRequest(delayMillis: 60_000).encoded())
            try await connection.send(Frame(callID: 1, kind: .cancel))
            #expect(try #require(try await connection.next()).status?.code == .cancelled)
            // A handler that suspends fails with CANCELLED if its task was cancelled before.
            try await connection.request(2, sleep, try EchoRequest(text: "two", delayMillis: 2).encoded())
            let second = try #require(try await connection.next())
            #expect(second.callID == 2 && second.status == nil)
            #expect(try EchoResponse(decoding: second.payload).text == "two")
            // A call whose deadline passes while its handler is suspended.
            try await connection.request(
                3, sleep, try EchoRequest(delayMillis: 60_000).encoded(), timeoutMicros: 50_000)
            #expect(try #require(try await connection.next()).status?.code == .deadlineExceeded)
            for id in UInt64(4)...8 {
                try await connection.request(id, sleep, try EchoRequest(text: "\(id)", delayMillis: 1).encoded())
                let frame = try #require(try await connection.next())
                #expect(frame.callID == id && frame.status == nil, "call \(id): \(String(describing: frame.status))")
            }
            await connection.close()
        }
    }

    @Test("cancelling the calling task cancels the call")
    func taskCancellation() async throws {
        let probe = ProbeService()
        try await withTestServer([probe]) { server in
            let client = server.client()
            defer { client.close() }
            let call = Task { try await client.unary(ProbeService.sleep, EchoRequest(delayMillis: 10_000)) }
            let started = ContinuousClock.now + .seconds(10)
            while probe.starts == 0 && ContinuousClock.now < started { try await Task.sleep(for: .milliseconds(5)) }
            call.cancel()
            let error = await #expect(throws: RPCError.self) { try await call.value }
            #expect(error?.code == .cancelled)
            let deadline = ContinuousClock.now + .seconds(5)
            while probe.cancellations == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(probe.cancellations == 1)
        }
    }

    @Test("a call made while serving a call inherits its remaining budget, trace id and principal")
    func propagation() async throws {
        try await withTestServer([ProbeService()]) { downstream in
            let downstreamClient = downstream.client(defaultTimeout: nil)
            defer { downstreamClient.close() }
            try await withTestServer([ProbeService(downstream: downstreamClient)]) { upstream in
                let client = upstream.client(defaultTimeout: nil)
                defer { client.close() }
                var metadata = Metadata()
                metadata.traceID = "trace-42"
                metadata.principal = "member:7"
                let response = try await client.unary(
                    ProbeService.relay,
                    EchoRequest(),
                    // Ample: at the start of a full parallel test run the shared loops are
                    // busy enough for the two hops and two connects to take seconds.
                    options: CallOptions(timeout: .seconds(20), metadata: metadata)
                )
                #expect(response.text == "trace-42")
                #expect(response.tags == ["member:7"])
                #expect(response.index > 0)
                #expect(response.index <= 20_000)
            }
        }
    }

    @Test("a call without a trace id gets one from the server, passed downstream")
    func generatedTraceID() async throws {
        try await withTestServer([ProbeService()]) { downstream in
            let downstreamClient = downstream.client(defaultTimeout: nil)
            defer { downstreamClient.close() }
            try await withTestServer([ProbeService(downstream: downstreamClient)]) { upstream in
                let client = upstream.client(defaultTimeout: nil)
                defer { client.close() }
                let first = try await client.unary(ProbeService.relay, EchoRequest())
                let second = try await client.unary(ProbeService.relay, EchoRequest())
                #expect(!first.text.isEmpty)
                #expect(first.text != second.text)
                #expect(first.index == 0)  // no deadline anywhere
            }
        }
    }

    @Test("a context made outside a server reports the deadline, peer and origin it was given")
    func standaloneContext() throws {
        let deadline = ContinuousClock.now + .seconds(30)
        let context = CallContext(
            method: "/mentornet.testing.v1.Probe/Inspect", metadata: ["principal": "member-1"], deadline: deadline,
            peer: "127.0.0.1:4000", origin: .init(connection: 7, call: 42))
        #expect(context.method == "/mentornet.testing.v1.Probe/Inspect")
        #expect(context.metadata.principal == "member-1")
        #expect(context.peer == "127.0.0.1:4000")
        #expect(context.origin == .init(connection: 7, call: 42))
        #expect(context.traceID.hasSuffix("-7-2a"))
        // The deadline is kept on the event loops' clock: it comes back within a millisecond.
        let back = try #require(context.deadline)
        #expect(back - deadline < .milliseconds(1) && deadline - back < .milliseconds(1))
        let remaining = try #require(context.remaining)
        #expect(remaining > .seconds(25) && remaining <= .seconds(30))

        let open = CallContext(method: "/a.B/C")
        #expect(open.deadline == nil && open.remaining == nil && open.origin == nil)
        let past = CallContext(method: "/a.B/C", deadline: ContinuousClock.now - .seconds(1))
        #expect(past.remaining == .zero)
    }
}
