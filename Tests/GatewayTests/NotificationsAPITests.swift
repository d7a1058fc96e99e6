import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Reads a response as it streams in, over a raw connection (the test client waits for whole
/// bodies), keeping everything that came.
final class StreamReader: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private struct State {
        var text = ""
        var waiter: (done: @Sendable (String) -> Bool, continuation: CheckedContinuation<String, Never>)?
    }

    private let state = Mutex(State())

    /// How many SSE events (`id:` lines) `text` holds.
    /// (Counted in the bytes: "\r\n" before a line is one Character to String's own searches.)
    static func events(in text: String) -> Int {
        let bytes = Array(text.utf8)
        let needle = Array("\nid: ".utf8)
        guard bytes.count >= needle.count else { return 0 }
        return (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }.count
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = String(buffer: unwrapInboundIn(data))
        let ready = state.withLock { state -> (CheckedContinuation<String, Never>, String)? in
            state.text += part
            guard let waiter = state.waiter, waiter.done(state.text) else { return nil }
            state.waiter = nil
            return (waiter.continuation, state.text)
        }
        if let (continuation, text) = ready { continuation.resume(returning: text) }
    }

    /// Everything received once it holds `count` events, or after 10 seconds, whatever came.
    func text(events count: Int) async -> String {
        await text { Self.events(in: $0) >= count }
    }

    /// Everything received once `done` says so, or after 10 seconds, whatever came.
    func text(until done: @escaping @Sendable (String) -> Bool) async -> String {
        let timeout = Task { [weak self] in
            // Cancelled (the text came in time): wakes nobody, least of all the next waiter.
            guard (try? await Task.sleep(for: .seconds(10))) != nil else { return }
            self?.wake()
        }
        defer { timeout.cancel() }
        return await withCheckedContinuation { continuation in
            let text = state.withLock { state -> String? in
                if done(state.text) { return state.text }
                state.waiter = (done, continuation)
                return nil
            }
            if let text { continuation.resume(returning: text) }
        }
    }

    private func wake() {
        let waiting = state.withLock { state -> (CheckedContinuation<String, Never>, String)? in
            defer { state.waiter = nil }
            return state.waiter.map { ($0.continuation, state.text) }
        }
        if let (continuation, text) = waiting { continuation.resume(returning: text) }
    }

    /// Sends a GET for `path` to the gateway on `port`; answers the channel and its reader.
    static func get(port: Int, path: String, headers: [String] = []) async throws -> (any Channel, StreamReader) {
        let reader = StreamReader()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(reader) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let request = (["GET \(path) HTTP/1.1", "Host: localhost"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        try await channel.writeAndFlush(ByteBuffer(string: request))
        return (channel, reader)
    }
}

@Suite("the notifications API through the gateway: inbox, marking, preferences, the SSE stream")
struct NotificationsAPITests {
    func post(_ client: any TestClientProtocol, _ uri: String, _ object: [String: Any]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: jsonHeaders, body: try body(object))
    }

    @Test("a proposal reaches both inboxes; counts, marking, preferences and their errors; SSE resumes exactly")
    func inboxAndStream() async throws {
        try await withMatchingGateway { client, harness in
            var ids: [String] = []
            for (name, roles) in [("ada", ["ROLE_MENTOR"]), ("cy", ["ROLE_MENTEE"])] {
                let member = memberBody(email: "\(name)@example.org", name: name, roles: roles, skill: "Rust")
                ids.append(try #require(try json(try await post(client, "/v1/members", member))["id"] as? String))
            }
            try await harness.waitForMembers()
            let (ada, cy) = (ids[0], ids[1])
            let proposed = try await post(
                client, "/v1/matches", ["network": "acme", "mentorId": ada, "menteeId": cy, "requestedBy": cy])
            let match = try #require(try json(proposed)["id"] as? String)
            try await harness.waitForNotifications()
            let inbox = try json(try await client.execute(uri: "/v1/members/\(ada)/notifications", method: .get))
            let items = try #require(inbox["notifications"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["kind"] as? String == "NOTIFICATION_KIND_MATCH_PROPOSED")
            #expect(inbox["unreadCount"] as? Int == 1)
            let first = try #require(items[0]["id"] as? String)
            let counts = try json(try await client.execute(uri: "/v1/members/\(ada)/notification-counts", method: .get))
            let position = try #require(counts["lastEventId"] as? String)
            // The stream from that position: nothing yet; then the acceptance arrives live.
            let port = try #require(client.port)
            let (channel, stream) = try await StreamReader.get(
                port: port, path: "/v1/members/\(ada)/notification-stream", headers: ["Last-Event-ID: \(position)"])
            defer { channel.close(promise: nil) }
            let accepted = try await post(client, "/v1/matches/\(match):accept", ["memberId": ada])
            #expect(try json(accepted)["state"] as? String == "MATCH_STATE_ACTIVE")
            let live = await stream.text(events: 1)
            #expect(live.hasPrefix("HTTP/1.1 200 OK\r\n") && live.contains("Content-Type: text/event-stream"))
            #expect(live.contains("event: delivered\ndata: {") && live.contains("NOTIFICATION_KIND_MATCH_ACTIVATED"))
            // Marking through the gateway; the stream hears the counts.
            let read = try await post(client, "/v1/members/\(ada)/notifications:markRead", ["all": true])
            #expect(try json(read)["unreadCount"] as? Int == 0)
            let both = await stream.text(events: 2)
            #expect(both.contains("event: counts"))
            // A second client resuming from the first position gets exactly the two events since.
            let (again, replay) = try await StreamReader.get(
                port: port, path: "/v1/members/\(ada)/notification-stream?lastEventId=\(position)")
            defer { again.close(promise: nil) }
            let replayed = await replay.text(events: 2)
            let idsOf = { (text: String) in text.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("id: ") } }
            #expect(idsOf(replayed) == idsOf(both) && idsOf(both).count == 2)
            // Heartbeats keep an idle stream alive (every 500 ms in these tests, 15 s by default).
            let idle = await replay.text { $0.contains(": heartbeat") }
            #expect(idle.contains(": heartbeat"))
            // Errors: a malformed member, a malformed Last-Event-ID, another member's notification.
            let bad = try await client.execute(uri: "/v1/members/nobody/notification-stream", method: .get)
            #expect(bad.status == .badRequest)
            #expect(try errorFields(bad) == ["member_id"])
            var header = HTTPFields()
            header[HTTPField.Name("Last-Event-ID")!] = "yesterday"
            let badID = try await client.execute(
                uri: "/v1/members/\(ada)/notification-stream", method: .get, headers: header)
            #expect(badID.status == .badRequest)
            #expect(try errorFields(badID) == ["Last-Event-ID"])
            let foreign = try await post(
                client, "/v1/members/\(cy)/notifications:markRead", ["notificationIds": [first]])
            #expect(foreign.status == .notFound)
            // Preferences: a PATCH with its mask from the body's keys; a bad zone changes nothing.
            let patched = try await client.execute(
                uri: "/v1/members/\(ada)/notification-preferences", method: .patch, headers: jsonHeaders,
                body: try body([
                    "quietHours": ["enabled": true, "startMinute": 1320, "endMinute": 420], "digestHour": 8,
                ]))
            let preferences = try json(patched)
            #expect(
                patched.status == .ok && preferences["digestHour"] as? Int == 8
                    && preferences["version"] as? String == "1")
            let refused = try await client.execute(
                uri: "/v1/members/\(ada)/notification-preferences", method: .patch, headers: jsonHeaders,
                body: try body(["timezone": "Mars/Olympus"]))
            #expect(refused.status == .badRequest)
            #expect(try errorFields(refused) == ["timezone"])  // named as in the body
            let stored = try json(
                try await client.execute(uri: "/v1/members/\(ada)/notification-preferences", method: .get))
            #expect(stored["version"] as? String == "1" && (stored["timezone"] as? String ?? "") == "")
            let rules = try await client.execute(
                uri: "/v1/networks/acme/notification-rules", method: .patch, headers: jsonHeaders,
                body: try body(["adminMemberIds": [ada], "noSessionDays": 14]))
            #expect(try json(rules)["noSessionDays"] as? Int == 14)
        }
    }
}
