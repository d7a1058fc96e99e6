import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NotificationsV1
import ProtoJSON
import RPC
import Synchronization
import Wire

/// `GET /v1/members/{member_id}/notification-stream`: a member's live notifications as
/// Server-Sent Events (WatchNotifications on the notifications service). Every event carries
/// `id:` (its event id); a client that reconnects with `Last-Event-ID` (browsers' EventSource
/// does by itself; `?lastEventId=` for clients that cannot set headers) gets exactly the events it
/// missed, or a `reset` event when the position is older than the service keeps. A comment line
/// goes out every `heartbeat` so that proxies keep the connection. The stream (and its call to the
/// service) ends as soon as the client closes the connection, or the gateway shuts down.
///
/// The streams' calls go over connections of their own (`StreamConnections`): the service
/// accepts at most 256 calls in flight per connection, and each stream is one for its whole life.
enum NotificationStream {
    static let path = "v1/members/:member_id/notification-stream"

    static func register(
        in router: Hummingbird.Router<BasicRequestContext>, backends: Backends, heartbeat: Duration = .seconds(15),
        maximumStreams: Int = 10_000
    ) {
        let connections = StreamConnections(
            configuration: backends.client("notifications").configuration, maximum: maximumStreams)
        router.get(RouterPath(path)) { request, context in
            let memberID = try context.parameters.require("member_id")
            var after: UInt64?
            if let given = request.headers[HTTPField.Name("Last-Event-ID")!]
                ?? request.uri.queryParameters["lastEventId"]
                .map(String.init)
            {
                guard let parsed = UInt64(given.trimmingCharacters(in: .whitespaces)) else {
                    throw APIError.badField("Last-Event-ID", "must be an event id the stream sent (a whole number)")
                }
                after = parsed
            }
            let client = backends.client("notifications")
            // Refuses a malformed member or an unreachable service as an HTTP error, before the
            // stream's head goes out. A browser's EventSource gives up for good on an error
            // answer, so an unreachable service is asked again for up to a second first (this
            // loop's connection may still be reconnecting after the service restarted). A new
            // stream (no Last-Event-ID) starts after the member's newest event as of this check,
            // so nothing that happens while the stream is being set up is missed.
            var attempts = 0
            while true {
                do {
                    let counts = try await backends.call(
                        client, "notifications", NotificationsAPI.getNotificationCounts,
                        GetNotificationCountsRequest(memberID: memberID))
                    after = after ?? counts.lastEventID
                    break
                } catch {
                    guard (error as? APIError)?.code == .unavailable, attempts < 10 else { throw error }
                    attempts += 1
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            guard connections.hasRoom else {
                throw APIError(.unavailable, "too many live streams are open (\(maximumStreams)); try again later")
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            let request = WatchNotificationsRequest(memberID: memberID, afterEventID: after ?? 0, fromStart: true)
            // The body is written after this handler returns, outside the request's task-locals.
            let metadata = Metadata(
                RequestPrincipal.current.map { [MetadataEntry(key: Metadata.principalKey, value: $0.metadataValue)] }
                    ?? [])
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    let (frames, sink) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingOldest(1024))
                    // The client's connection closing ends the stream (a callback, not a task
                    // waiting on it: the task group below must be able to finish without it).
                    CurrentConnection.ending?.whenComplete { _ in sink.finish() }
                    guard let stream = connections.acquire() else {
                        try await writer.write(ByteBuffer(string: ": too many live streams are open\n\n"))
                        try await writer.finish(nil)
                        return
                    }
                    defer { connections.release(stream) }
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            defer { sink.finish() }
                            let events = NotificationsClient(stream).watchNotifications(
                                request, options: CallOptions(metadata: metadata))
                            for try await event in events {
                                if case .dropped = sink.yield(frame(event)) { return }
                            }
                        }
                        group.addTask {
                            while !Task.isCancelled {
                                try await Task.sleep(for: heartbeat)
                                sink.yield(ByteBuffer(string: ": heartbeat\n\n"))
                            }
                        }
                        try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                        defer { group.cancelAll() }
                        for await frame in frames {
                            try await writer.write(frame)
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }

    /// One event as an SSE frame: `id:`, `event:` (delivered, counts, reset) and the event as JSON.
    static func frame(_ event: NotificationEvent) -> ByteBuffer {
        let name =
            switch event.kind {
            case .delivered: "delivered"
            case .countsChanged: "counts"
            case .reset: "reset"
            case .unspecified: "message"
            }
        var buffer = ByteBuffer(string: "id: \(event.eventID)\nevent: \(name)\ndata: ")
        buffer.writeBytes(event.jsonBytes())
        buffer.writeString("\n\n")
        return buffer
    }
}

/// The gateway's connections to the notifications service for live streams. A stream's call is in
/// flight for as long as the stream is open, and the service accepts at most 256 calls in flight
/// per connection; so each connection here carries at most `perConnection` streams, a new one is
/// opened when all are full, and one whose last stream ended is closed (the first stays). At most
/// `maximum` streams in all.
final class StreamConnections: Sendable {
    private struct Connection {
        let client: Client
        var streams: Int
    }

    private let configuration: ClientConfiguration
    private let perConnection: Int
    private let maximum: Int
    private let connections = Mutex<[Connection]>([])

    init(configuration: ClientConfiguration, perConnection: Int = 200, maximum: Int) {
        self.configuration = configuration
        self.perConnection = perConnection
        self.maximum = maximum
    }

    /// Whether another stream may open now.
    var hasRoom: Bool { connections.withLock { $0.reduce(0) { $0 + $1.streams } } < maximum }

    /// The client a new stream uses (counted until `release`), or nil when `maximum` are open.
    func acquire() -> Client? {
        connections.withLock { connections in
            guard connections.reduce(0, { $0 + $1.streams }) < maximum else { return nil }
            if let index = connections.firstIndex(where: { $0.streams < perConnection }) {
                connections[index].streams += 1
                return connections[index].client
            }
            let client = Client(configuration: configuration)
            connections.append(Connection(client: client, streams: 1))
            return client
        }
    }

    /// A stream on `client` ended.
    func release(_ client: Client) {
        let idle = connections.withLock { connections -> Client? in
            guard let index = connections.firstIndex(where: { $0.client === client }) else { return nil }
            connections[index].streams -= 1
            guard connections[index].streams == 0, index > 0 else { return nil }
            return connections.remove(at: index).client
        }
        idle?.close()
    }

    /// Connections open for streams (for tests).
    var count: Int { connections.withLock { $0.count } }
}
