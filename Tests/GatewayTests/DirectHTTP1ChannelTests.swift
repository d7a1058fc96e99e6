import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@testable import Gateway

@Suite("the gateway's HTTP/1 connections")
struct DirectHTTP1ChannelTests {
    /// A small app on `DirectHTTP1Channel`: `/where` says whether its handler runs on an event loop,
    /// `/slow` answers after 50 ms, `/size` counts the body it was given (up to the limit).
    private static func app(maximumBodySize: Int = 1024, idleTimeout: TimeAmount = .seconds(60))
        -> some ApplicationProtocol
    {
        let router = Hummingbird.Router()
        router.get("where") { _, _ in MultiThreadedEventLoopGroup.currentEventLoop != nil ? "loop" : "elsewhere" }
        router.get("slow") { _, _ in
            try await Task.sleep(for: .milliseconds(50))
            return "slow"
        }
        router.get("fast") { _, _ in "fast" }
        router.head("fast") { _, _ in "fast" }  // a body the channel must not send
        router.get("stream") { _, _ in
            // A body of unknown length, as a streaming route produces it.
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "hello"))
                    try await writer.write(ByteBuffer())
                    try await writer.write(ByteBuffer(string: ", world"))
                    try await writer.finish(nil)
                })
        }
        router.get("own-fields") { _, _ in
            // Fields the channel sets itself: its own replace these, one of each.
            Response(
                status: .ok,
                headers: [.date: "yesterday", .server: "handler", .connection: "keep-alive", .contentLength: "2"],
                body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("long") { _, _ in
            // A response that takes longer than a short idle timeout (a live stream does).
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    for part in 0..<5 {
                        try await Task.sleep(for: .milliseconds(400))
                        try await writer.write(ByteBuffer(string: "part \(part);"))
                    }
                    try await writer.finish(nil)
                })
        }
        router.post("size") { request, _ in
            let body = try await request.body.collect(upTo: maximumBodySize)
            return "\(body.readableBytes)"
        }
        return Application(
            router: router,
            server: .directHTTP1(
                responder: router.buildResponder(),
                configuration: .init(
                    serverName: "test-server", maximumBodySize: maximumBodySize, idleTimeout: idleTimeout)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
    }

    @Test("handlers run on the connection's event loop; Hummingbird's default channel does not")
    func onTheLoop() async throws {
        try await Self.app().test(.live) { client in
            let response = try await client.execute(uri: "/where", method: .get)
            #expect(String(buffer: response.body) == "loop")
            #expect(response.headers[.server] == "test-server")
            let date = try #require(response.headers[.date])
            #expect(date.hasSuffix(" GMT") && date.count == 29)
        }
        let router = Hummingbird.Router()
        router.get("where") { _, _ in MultiThreadedEventLoopGroup.currentEventLoop != nil ? "loop" : "elsewhere" }
        let stock = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await stock.test(.live) { client in
            let response = try await client.execute(uri: "/where", method: .get)
            #expect(String(buffer: response.body) == "elsewhere")
        }
    }

    @Test("the channel's Date, Server and Connection: close replace a handler's, once each")
    func ownFields() async throws {
        try await Self.app().test(.live) { client in
            let port = try #require(client.port)
            for (request, closes) in [
                ("GET /own-fields HTTP/1.1\r\nHost: t\r\n\r\n", false),
                ("GET /own-fields HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", true),
            ] {
                let exchange = try await RawHTTP.exchange(
                    port: port, request, until: { $0.hasSuffix("\r\n\r\nok") })
                let head = exchange.text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
                let names = head.dropFirst().map { $0.prefix { $0 != ":" }.lowercased() }
                for name in ["date", "server", "connection", "content-length"] {
                    #expect(names.filter { $0 == name }.count == 1, "\(name) in \(head)")
                }
                #expect(head.contains("Server: test-server"))
                #expect(!head.contains("Date: yesterday"))
                #expect(head.contains(closes ? "Connection: close" : "Connection: keep-alive"))
            }
        }
    }

    @Test("pipelined requests are answered in the order they came, though the first is the slowest")
    func pipelining() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawHTTP.exchange(
                port: try #require(client.port),
                "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\nGET /where HTTP/1.1\r\nHost: t\r\n\r\n",
                until: { $0.components(separatedBy: "HTTP/1.1 200 OK").count == 4 })
            let slow = try #require(exchange.text.range(of: "\r\n\r\nslow"))
            let fast = try #require(exchange.text.range(of: "\r\n\r\nfast"))
            let loop = try #require(exchange.text.range(of: "\r\n\r\nloop"))
            #expect(slow.lowerBound < fast.lowerBound && fast.lowerBound < loop.lowerBound)
            #expect(!exchange.closed)
        }
    }

    @Test("a body of unknown length goes out chunked")
    func chunked() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawHTTP.exchange(
                port: try #require(client.port), "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n",
                until: { $0.hasSuffix("0\r\n\r\n") })
            #expect(exchange.text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(exchange.text.contains("\r\nTransfer-Encoding: chunked\r\n"))
            #expect(!exchange.text.lowercased().contains("content-length"))
            #expect(exchange.text.hasSuffix("\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"))
            let response = try await client.execute(uri: "/stream", method: .get)
            #expect(String(buffer: response.body) == "hello, world")
        }
    }

    @Test("a streamed body's parts reach the client as they are written, before the body ends")
    func streamedParts() async throws {
        let (gate, open) = AsyncStream<Void>.makeStream()
        let router = Hummingbird.Router()
        router.get("events") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "first"))
                    // The rest once the client has seen the first part (or after 10 s, so that a
                    // first part held back fails the test below instead of hanging it).
                    await withTaskGroup(of: Void.self) { race in
                        race.addTask { _ = await gate.first { _ in true } }
                        race.addTask { try? await Task.sleep(for: .seconds(10)) }
                        await race.next()
                        race.cancelAll()
                    }
                    try await writer.write(ByteBuffer(string: "second"))
                    try await writer.finish(nil)
                })
        }
        let app = Application(
            router: router,
            server: .directHTTP1(responder: router.buildResponder(), configuration: .init()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0))
        )
        try await app.test(.live) { client in
            let connection = try await RawHTTP.connect(port: try #require(client.port))
            try await connection.executeThenClose { inbound, outbound in
                var reader = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(string: "GET /events HTTP/1.1\r\nHost: t\r\n\r\n"))
                let early = try await RawHTTP.read(&reader) { $0.contains("5\r\nfirst\r\n") }
                #expect(!early.text.contains("second"), "the first part came only with the rest")
                open.yield()
                let rest =
                    early.text.contains("0\r\n\r\n")
                    ? early : try await RawHTTP.read(&reader) { $0.hasSuffix("0\r\n\r\n") }
                #expect(rest.text.hasSuffix("6\r\nsecond\r\n0\r\n\r\n"))
            }
        }
    }

    @Test("a HEAD request gets the head alone, and the connection goes on")
    func head() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawHTTP.exchange(
                port: try #require(client.port),
                "HEAD /fast HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n",
                until: { $0.hasSuffix("\r\n\r\nfast") })
            let responses = exchange.text.components(separatedBy: "HTTP/1.1 ")
            try #require(responses.count == 3)
            #expect(responses[1].hasPrefix("200 OK\r\n") && responses[1].hasSuffix("\r\n\r\n"))
            #expect(responses[1].contains("Content-Length: 4\r\n"))
            #expect(responses[2].hasSuffix("\r\n\r\nfast"))
        }
    }

    @Test(
        "a request that does not keep the connection alive gets its answer, marked so, and then the connection closes",
        arguments: [
            "GET /fast HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            "GET /fast HTTP/1.1\r\nHost: t\r\nConnection: TE, close\r\n\r\n",
            "GET /fast HTTP/1.0\r\n\r\n",
        ]
    )
    func connectionClose(_ request: String) async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawHTTP.exchange(port: try #require(client.port), request)
            #expect(exchange.text.hasPrefix("HTTP/1.1 200 OK"))
            #expect(exchange.text.lowercased().contains("connection: close"))
            #expect(exchange.text.hasSuffix("fast"))
            #expect(exchange.closed)
        }
    }

    @Test("an HTTP/1.0 request asking for keep-alive keeps the connection")
    func keepAlive10() async throws {
        try await Self.app().test(.live) { client in
            let exchange = try await RawHTTP.exchange(
                port: try #require(client.port),
                "GET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /fast HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                until: { $0.components(separatedBy: "fast").count == 3 })
            #expect(!exchange.closed)
        }
    }

    @Test("what is not HTTP gets 400 and the connection closes, after the requests before it are answered")
    func malformed() async throws {
        try await Self.app().test(.live) { client in
            let port = try #require(client.port)
            let garbage = try await RawHTTP.exchange(port: port, "NOT HTTP AT ALL\r\n\r\n")
            #expect(garbage.text.hasPrefix("HTTP/1.1 400 Bad Request"))
            #expect(garbage.closed)
            let after = try await RawHTTP.exchange(
                port: port, "GET /slow HTTP/1.1\r\nHost: t\r\n\r\n\u{1}\u{2} junk\r\n\r\n")
            let answered = try #require(after.text.range(of: "HTTP/1.1 200 OK"))
            let rejected = try #require(after.text.range(of: "HTTP/1.1 400 Bad Request"))
            #expect(answered.lowerBound < rejected.lowerBound)
            #expect(after.closed)
        }
    }

    @Test("a body over the limit reaches the handler cut just past it (so it can refuse it); the connection goes on")
    func bodyLimit() async throws {
        try await Self.app(maximumBodySize: 1000).test(.live) { client in
            let small = try await client.execute(
                uri: "/size", method: .post, body: ByteBuffer(repeating: 1, count: 1000))
            #expect(String(buffer: small.body) == "1000")
            let port = try #require(client.port)
            let big = String(repeating: "x", count: 200_000)
            let exchange = try await RawHTTP.exchange(
                port: port,
                "POST /size HTTP/1.1\r\nHost: t\r\nContent-Length: \(big.utf8.count)\r\n\r\n\(big)"
                    + "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n",
                until: { $0.hasSuffix("fast") })
            #expect(exchange.text.hasPrefix("HTTP/1.1 413 "))
            #expect(exchange.text.hasSuffix("fast"))
        }
    }
}

extension DirectHTTP1ChannelTests {
    @Test("a connection left with nothing to answer is closed once the idle timeout has passed since its last answer")
    func idleTimeout() async throws {
        try await Self.app(idleTimeout: .seconds(1)).test(.live) { client in
            let port = try #require(client.port)
            // The server's idle clock starts after it answers, so after this send; the client may
            // read the answer late on a busy machine, so the time is taken before sending.
            let sent = ContinuousClock.now
            let exchange = try await RawHTTP.exchange(port: port, "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(exchange.text.hasPrefix("HTTP/1.1 200 OK") && exchange.text.hasSuffix("fast"), "\(exchange.text)")
            #expect(exchange.closed)
            #expect(ContinuousClock.now - sent >= .milliseconds(950))
            // A connection that never sends a byte goes the same way.
            let silent = try await RawHTTP.exchange(port: port, "")
            #expect(silent.closed && silent.text.isEmpty)
        }
    }

    @Test("a request that does not arrive within the idle timeout: 408 once it has begun, then the connection closes")
    func slowRequest() async throws {
        try await Self.app(idleTimeout: .seconds(1)).test(.live) { client in
            let port = try #require(client.port)
            // The head came, the body never will: 408.
            let body = try await RawHTTP.exchange(
                port: port, "POST /size HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            #expect(body.text.hasPrefix("HTTP/1.1 408 Request Timeout"), "\(body.text)")
            #expect(body.text.contains("Connection: close") && body.closed)
            // Behind an answered request, the next one's body never comes: 408 all the same.
            let pipelined = try await RawHTTP.exchange(
                port: port,
                "GET /fast HTTP/1.1\r\nHost: t\r\n\r\nPOST /size HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab")
            #expect(pipelined.text.hasPrefix("HTTP/1.1 200 OK"), "\(pipelined.text)")
            #expect(pipelined.text.contains("HTTP/1.1 408 Request Timeout") && pipelined.closed, "\(pipelined.text)")
            // A head that never ends (slowloris) is not a request yet: the connection just closes.
            let head = try await RawHTTP.exchange(port: port, "GET /fast HTTP/1.1\r\nHost: t\r\nX-Slow: 1")
            #expect(head.closed && head.text.isEmpty, "\(head.text)")
        }
    }

    @Test("a response that takes longer than the idle timeout is not cut, and the connection goes on after it")
    func longResponse() async throws {
        try await Self.app(idleTimeout: .seconds(1)).test(.live) { client in
            let exchange = try await RawHTTP.exchange(
                port: try #require(client.port),
                "GET /long HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n",
                until: { $0.hasSuffix("fast") })
            #expect(exchange.text.contains("part 0;") && exchange.text.contains("part 4;"), "\(exchange.text)")
            #expect(exchange.text.hasSuffix("fast") && !exchange.closed, "\(exchange.text)")
        }
    }

    @Test("graceful shutdown answers the requests read, closes idle connections, and the server stops")
    func gracefulShutdown() async throws {
        let (started, slowStarted) = AsyncStream<Void>.makeStream()
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let router = Hummingbird.Router()
        router.get("fast") { _, _ in "fast" }
        router.get("slow") { _, _ in
            slowStarted.yield()
            // Answers once the connection has heard of the shutdown (not after a fixed time, which
            // a loaded machine can outrun), so the request after it is the connection's last.
            try await CurrentConnection.ending?.get()
            return "slow"
        }
        let logger = Logger(label: "test")
        let app = Application(
            router: router,
            server: .directHTTP1(responder: router.buildResponder(), configuration: .init()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { listening.yield($0.localAddress?.port ?? 0) },
            logger: logger
        )
        let group = ServiceGroup(services: [app], logger: logger)
        // Not a child task: if shutdown hung, the test must fail rather than wait for it forever.
        let (stops, stopped) = AsyncStream<Void>.makeStream()
        let running = Task {
            try await group.run()
            stopped.yield()
        }
        defer { running.cancel() }
        var portReader = ports.makeAsyncIterator()
        let port = try #require(await portReader.next())
        let idle = try await RawHTTP.connect(port: port)
        let busy = try await RawHTTP.connect(port: port)
        try await idle.executeThenClose { idleInbound, idleOutbound in
            var idleReader = idleInbound.makeAsyncIterator()
            try await idleOutbound.write(ByteBuffer(string: "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n"))
            let first = try await RawHTTP.read(&idleReader) { $0.hasSuffix("fast") }
            #expect(first.text.hasPrefix("HTTP/1.1 200 OK"))
            try await busy.executeThenClose { busyInbound, busyOutbound in
                var busyReader = busyInbound.makeAsyncIterator()
                try await busyOutbound.write(
                    ByteBuffer(string: "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /fast HTTP/1.1\r\nHost: t\r\n\r\n"))
                var startedReader = started.makeAsyncIterator()
                await startedReader.next()
                await group.triggerGracefulShutdown()
                let answer = try await RawHTTP.read(&busyReader)
                // Both requests it had read are answered, the last marked as the connection's end.
                let responses = answer.text.components(separatedBy: "HTTP/1.1 200 OK")
                #expect(responses.count == 3)
                #expect(responses.first == "" && responses.dropFirst().first?.hasSuffix("slow") == true)
                #expect(responses.last?.hasSuffix("fast") == true)
                #expect(responses.last?.contains("Connection: close") == true)
                #expect(answer.closed)
            }
            let rest = try await RawHTTP.read(&idleReader)
            #expect(rest.text.isEmpty && rest.closed)
        }
        let stoppedInTime = await withTaskGroup(of: Bool.self) { race in
            race.addTask { await stops.first { _ in true } != nil }
            race.addTask {
                try? await Task.sleep(for: .seconds(20))
                return false
            }
            defer { race.cancelAll() }
            return await race.next() ?? false
        }
        #expect(stoppedInTime, "the server did not stop within 20 s of the shutdown")
    }
}

@Suite("the raw HTTP test client")
struct RawHTTPTests {
    @Test("a server that accepts and never answers fails the exchange at its cap instead of hanging it")
    func silentServer() async throws {
        // Accepts connections and reads nothing, answers nothing.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        await #expect(throws: CancellationError.self) {
            _ = try await RawHTTP.exchange(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout: .milliseconds(300))
        }
    }
}

/// A client speaking bytes over TCP, for what an HTTP client library would tidy away.
enum RawHTTP {
    struct Exchange {
        /// Everything the server sent.
        var text: String
        /// Whether the server closed the connection.
        var closed: Bool
    }

    /// Sends `request` and reads until `done` holds for what arrived or the server closes (at most
    /// `timeout`, then it throws).
    static func exchange(
        port: Int, _ request: String, until done: @escaping @Sendable (String) -> Bool = { _ in false },
        timeout: Duration = .seconds(10)
    )
        async throws -> Exchange
    {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await withThrowingTaskGroup(of: Exchange?.self) { group in
                group.addTask {
                    var received = ByteBuffer()
                    for try await var part in inbound {
                        received.writeBuffer(&part)
                        if done(String(buffer: received)) {
                            return Exchange(text: String(buffer: received), closed: false)
                        }
                    }
                    return Exchange(text: String(buffer: received), closed: true)
                }
                group.addTask {
                    // A cap, so that a server that never answers fails the test instead of hanging it.
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let exchange = try await group.next() ?? nil else {
                    throw CancellationError()
                }
                return exchange
            }
        }
    }

    /// A connection to the server at `port`.
    static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Reads from `reader` until `done` holds for what arrived or the server closes.
    static func read(
        _ reader: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        until done: (String) -> Bool = { _ in false }
    ) async throws -> Exchange {
        var received = ByteBuffer()
        while var part = try await reader.next() {
            received.writeBuffer(&part)
            if done(String(buffer: received)) { return Exchange(text: String(buffer: received), closed: false) }
        }
        return Exchange(text: String(buffer: received), closed: true)
    }
}
