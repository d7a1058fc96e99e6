import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

@testable import Gateway

/// What the gateway does when more comes than it will take: connections over its connection limit
/// and requests over its in-flight limit are refused at once with 503, `Retry-After` and a message
/// saying which limit, and what it holds is served on.
@Suite("overload protection: connection and in-flight limits")
struct OverloadProtectionTests {
    /// Requests to `/held` wait until the test lets them go.
    final class Gate: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        private let open = Mutex(false)

        func pass() async {
            await withCheckedContinuation { continuation in
                let proceed = open.withLock { open in
                    if open { return true }
                    waiting.withLock { $0.append(continuation) }
                    return false
                }
                if proceed { continuation.resume() }
            }
        }

        var waiters: Int { waiting.withLock { $0.count } }

        func release() {
            let all = open.withLock { open in
                open = true
                return waiting.withLock { waiting in
                    defer { waiting.removeAll() }
                    return waiting
                }
            }
            for continuation in all { continuation.resume() }
        }
    }

    static func app(
        connections: ConcurrencyLimit? = nil, requests: ConcurrencyLimit? = nil, gate: Gate = Gate(),
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Hummingbird.Router()
        if let requests { router.middlewares.add(AdmissionMiddleware(limit: requests)) }
        router.get("fast") { _, _ in "fast" }
        router.get("healthz") { _, _ in "ok" }
        router.get("held") { _, _ in
            await gate.pass()
            return "held"
        }
        return Application(
            router: router,
            server: .directHTTP1(
                responder: router.buildResponder(),
                configuration: .init(serverName: "test-server", connections: connections)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { onListening($0.localAddress?.port ?? 0) }
        )
    }

    /// Runs `app` with no client of its own (the testing framework's would hold a connection, and
    /// may let it go at any time), gives `body` its port, then shuts it down.
    static func withServer(
        connections: ConcurrencyLimit, gate: Gate, _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let app = app(connections: connections, gate: gate, onListening: { listening.yield($0) })
        let group = ServiceGroup(services: [app], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        defer { running.cancel() }
        var reader = ports.makeAsyncIterator()
        let port = try #require(await reader.next())
        try await body(port)
        await group.triggerGracefulShutdown()
        _ = await running.result
    }

    static let get = "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n"

    static func answered(_ text: String) -> Bool { text.hasSuffix("fast") || text.hasSuffix("held") }

    /// Starts `count` requests to `/held` in `group`, each on its own connection, and returns once
    /// all of them wait at the gate (each holds its connection and its request's place).
    static func hold(
        _ count: Int, port: Int, gate: Gate, in group: inout ThrowingTaskGroup<String, any Error>
    ) async throws {
        for _ in 0..<count {
            group.addTask {
                try await RawHTTP.exchange(port: port, "GET /held HTTP/1.1\r\nHost: t\r\n\r\n", until: Self.answered)
                    .text
            }
        }
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(10)
        while gate.waiters < count, clock.now < giveUp { try await Task.sleep(for: .milliseconds(5)) }
        #expect(gate.waiters == count)
    }

    /// Connects and sends `request` (if it still can: the refusal may close the connection first),
    /// then reads everything until the server closes.
    static func refused(port: Int, sending request: String) async throws -> RawHTTP.Exchange {
        let channel = try await RawHTTP.connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            if !request.isEmpty { try? await outbound.write(ByteBuffer(string: request)) }
            var reader = inbound.makeAsyncIterator()
            return try await RawHTTP.read(&reader)
        }
    }

    @Test("a connection over the limit is answered 503 with Retry-After and closed; the held ones serve on")
    func connectionLimit() async throws {
        let limit = ConcurrencyLimit(maximum: 3)
        let gate = Gate()
        try await Self.withServer(connections: limit, gate: gate) { port in
            let ours = limit.maximum
            try await withThrowingTaskGroup(of: String.self) { held in
                try await Self.hold(ours, port: port, gate: gate, in: &held)
                #expect(limit.held == limit.maximum)

                // One more: 503 whether it sent its request at once (as clients do) or nothing.
                for request in [Self.get, ""] {
                    let refused = try await Self.refused(port: port, sending: request)
                    #expect(refused.closed)
                    #expect(refused.text.hasPrefix("HTTP/1.1 503 Service Unavailable"), "\(refused.text)")
                    #expect(refused.text.contains("Retry-After: 1\r\n") && refused.text.contains("Connection: close"))
                    #expect(refused.text.contains("maximum of 3 connections"), "\(refused.text)")
                    let body = try #require(refused.text.components(separatedBy: "\r\n\r\n").last)
                    let error = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: [String: Any]]
                    #expect(error?["error"]?["code"] as? String == "UNAVAILABLE", "\(body)")
                }
                #expect(limit.held == limit.maximum)

                // The held connections are served on.
                gate.release()
                for try await text in held { #expect(text.hasPrefix("HTTP/1.1 200 OK"), "\(text)") }
            }
            // Closed: their places come back (on their event loops, so shortly), and a new
            // connection is served.
            let clock = ContinuousClock()
            let giveUp = clock.now + .seconds(10)
            while limit.held > 0, clock.now < giveUp { try await Task.sleep(for: .milliseconds(10)) }
            #expect(limit.held == 0)
            let again = try await RawHTTP.exchange(port: port, Self.get, until: Self.answered)
            #expect(again.text.hasPrefix("HTTP/1.1 200 OK"), "\(again.text)")
        }
    }

    @Test("a request over the in-flight limit is 503 at once with Retry-After; health is exempt; the held ones finish")
    func requestLimit() async throws {
        let limit = ConcurrencyLimit(maximum: 2)
        let gate = Gate()
        try await Self.app(requests: limit, gate: gate).test(.live) { client in
            let port = try #require(client.port)
            try await withThrowingTaskGroup(of: String.self) { held in
                // Both taken and waiting in their handler.
                try await Self.hold(2, port: port, gate: gate, in: &held)
                #expect(limit.held == 2)

                // Answered while both are still held (a request that waited for a place would wait
                // for the gate, which opens only below): bounded, so that such a wait fails the test.
                let answer = try await withThrowingTaskGroup(of: TestResponse?.self) { group in
                    group.addTask { try await client.execute(uri: "/fast", method: .get) }
                    group.addTask {
                        try await Task.sleep(for: .seconds(30))
                        return nil
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? nil
                }
                let refused = try #require(
                    answer, "a request over the limit was not answered while the others were held")
                #expect(refused.status == .serviceUnavailable)
                #expect(refused.headers[.retryAfter] == "1")
                let message = String(buffer: refused.body)
                #expect(
                    message.contains("UNAVAILABLE") && message.contains("maximum of 2 requests at once"), "\(message)")
                // Health is answered however full the gateway is.
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                #expect(limit.held == 2)

                gate.release()
                for try await text in held { #expect(text.hasPrefix("HTTP/1.1 200 OK"), "\(text)") }
            }
            #expect(limit.held == 0)
            #expect(try await client.execute(uri: "/fast", method: .get).status == .ok)
        }
    }
}
