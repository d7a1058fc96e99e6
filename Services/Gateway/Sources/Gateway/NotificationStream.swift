import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NotificationsV1
import ProtoJSON
import RPC
import Wire

/// `GET /v1/members/{member_id}/notification-stream`: a member's live notifications as
/// Server-Sent Events (WatchNotifications on the notifications service). Every event carries
/// `id:` (its event id); a client that reconnects with `Last-Event-ID` (browsers' EventSource
/// does by itself; `?lastEventId=` for clients that cannot set headers) gets exactly the events it
/// missed, or a `reset` event when the position is older than the service keeps. A comment line
/// goes out every `heartbeat` so that proxies keep the connection. The stream (and its call to the
/// service) ends as soon as the client closes the connection, or the gateway shuts down.
enum NotificationStream {
    static let path = "v1/members/:member_id/notification-stream"

    static func register(
        in router: Hummingbird.Router<BasicRequestContext>, backends: Backends, heartbeat: Duration = .seconds(15)
    ) {
        router.get(RouterPath(path)) { request, context in
            let memberID = try context.parameters.require("member_id")
            var after: UInt64 = 0
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
            // loop's connection may still be reconnecting after the service restarted).
            var attempts = 0
            while true {
                do {
                    _ = try await backends.call(
                        client, "notifications", NotificationsAPI.getNotificationCounts,
                        GetNotificationCountsRequest(memberID: memberID))
                    break
                } catch {
                    guard (error as? APIError)?.code == .unavailable, attempts < 10 else { throw error }
                    attempts += 1
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-store"
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            let request = WatchNotificationsRequest(memberID: memberID, afterEventID: after)
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    let (frames, sink) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingOldest(1024))
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            defer { sink.finish() }
                            let events = NotificationsClient(client).watchNotifications(
                                request, options: CallOptions())
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
                        if let ending = CurrentConnection.ending {
                            group.addTask {
                                try? await ending.get()
                                sink.finish()
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
