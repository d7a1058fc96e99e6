import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Live notification streams (Server-Sent Events) held open on the gateway while a run goes on,
/// one connection each, spread over the seeded members: what an audience of open browser tabs
/// costs the gateway and the notifications service. Counts the events and heartbeats that arrive.
public final class LiveStreams: Sendable {
    /// What the streams saw.
    public struct Figures: Codable, Sendable, Equatable {
        /// Streams asked for.
        public var asked: Int
        /// Streams the gateway answered with 200 and `text/event-stream`.
        public var opened: Int
        /// Streams refused, failed to connect, or ended by the server before the run was over.
        public var failed: Int
        /// Events received (`id:` lines).
        public var events: Int
        /// Heartbeat comments (`: heartbeat`) received.
        public var heartbeats: Int
        /// Failures by reason.
        public var failures: [String: Int]

        /// These figures and `other`'s together (streams held by several holders).
        public func adding(_ other: Figures) -> Figures {
            Figures(
                asked: asked + other.asked, opened: opened + other.opened, failed: failed + other.failed,
                events: events + other.events, heartbeats: heartbeats + other.heartbeats,
                failures: failures.merging(other.failures, uniquingKeysWith: +))
        }
    }

    private let client: HTTPClient
    private let base: String
    private let memberIDs: [String]
    private let count: Int
    private let tokens: TokenSource?
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let figures: Mutex<Figures>
    private let closing = Atomic<Bool>(false)
    /// Streams answered so far (opened or failed).
    private let answered = Atomic<Int>(0)

    /// `count` streams on the gateway at `base`, for `memberIDs` in turn, each opened with its
    /// member's token from `tokens`.
    public init(base: String, memberIDs: [String], count: Int, tokens: TokenSource? = nil) {
        self.tokens = tokens
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(count, 1))
        // The gateway sends a heartbeat every 15 s; a stream silent for a minute is broken.
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(60))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.memberIDs = memberIDs
        self.count = count
        figures = Mutex(Figures(asked: count, opened: 0, failed: 0, events: 0, heartbeats: 0, failures: [:]))
    }

    /// Opens the streams and waits until each has been answered (or failed), for at most `timeout`.
    public func open(timeout: Duration) async throws {
        precondition(!memberIDs.isEmpty, "streams need seeded members")
        let started = tasks.withLock { tasks in
            for index in 0..<count {
                let member = memberIDs[index % memberIDs.count]
                tasks.append(Task { await self.follow(member) })
            }
            return tasks.count
        }
        let deadline = ContinuousClock.now + timeout
        while answered.load(ordering: .relaxed) < started {
            guard ContinuousClock.now < deadline else {
                throw LoadError(
                    "only \(answered.load(ordering: .relaxed)) of \(started) live streams were answered in \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What the streams have seen so far.
    public var seen: Figures { figures.withLock { $0 } }

    /// Closes the streams; answers what they saw.
    public func close() async -> Figures {
        closing.store(true, ordering: .relaxed)
        let running = tasks.withLock { $0 }
        for task in running { task.cancel() }
        try? await client.shutdown()
        for task in running { await task.value }
        return figures.withLock { $0 }
    }

    private func fail(_ reason: String) {
        figures.withLock {
            $0.failed += 1
            $0.failures[reason, default: 0] += 1
        }
    }

    /// One stream: opens it, then reads it line by line until closed.
    private func follow(_ memberID: String) async {
        var request = HTTPClientRequest(url: "\(base)/v1/members/\(memberID)/notification-stream")
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response: HTTPClientResponse
        do {
            if let tokens {
                request.headers.add(name: "Authorization", value: try await tokens.authorization(for: memberID))
            }
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            answered.add(1, ordering: .relaxed)
            if !closing.load(ordering: .relaxed) { fail(HTTPTarget.describe(error)) }
            return
        }
        answered.add(1, ordering: .relaxed)
        guard response.status.code == 200,
            response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true
        else {
            fail("answered \(response.status.code)")
            return
        }
        figures.withLock { $0.opened += 1 }
        var line: [UInt8] = []
        do {
            for try await chunk in response.body {
                var events = 0
                var heartbeats = 0
                for byte in chunk.readableBytesView {
                    guard byte == UInt8(ascii: "\n") else {
                        line.append(byte)
                        continue
                    }
                    if line.starts(with: Array("id:".utf8)) { events += 1 }
                    if line.elementsEqual(": heartbeat".utf8) { heartbeats += 1 }
                    line.removeAll(keepingCapacity: true)
                }
                if events + heartbeats > 0 {
                    figures.withLock {
                        $0.events += events
                        $0.heartbeats += heartbeats
                    }
                }
            }
            if !closing.load(ordering: .relaxed) { fail("ended by the server") }
        } catch {
            if !closing.load(ordering: .relaxed) { fail(HTTPTarget.describe(error)) }
        }
    }
}
