import Foundation
import MatchingV1
import NotificationsService
import NotificationsV1
import ProfilesV1
import RPC
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("the inbox: counts that equal the items, marking, explanations, the live stream")
struct InboxTests {
    /// Books `count` sessions for `bo` to hear of (one notification each).
    func fill(
        _ network: Network, _ ada: Member, _ match: Match, count: Int, from start: Int64 = Times.utc(2026, 12, 1, 0, 0)
    ) async throws {
        for index in 0..<count {
            _ = try await network.sessions.scheduleSession(
                ScheduleSessionRequest(
                    matchID: match.id, memberID: ada.id, startAtMicros: start + Int64(index) * 2 * Times.hour,
                    durationMinutes: 30))
        }
        try await network.pump()
    }

    @Test("after thousands of random operations every count equals a count of the items")
    func countsHold() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            try await fill(network, ada, match, count: 60)
            var random = SplitMix64(state: 20_261_202)
            var ids = try await network.everything(bo).map(\.id)
            for step in 0..<1000 {
                var request = MarkNotificationsRequest(memberID: bo.id)
                if Int.random(in: 0..<20, using: &random) == 0 {
                    request.all = true
                } else {
                    request.notificationIDs = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                        ids.randomElement(using: &random)!
                    }
                }
                let answer: MarkNotificationsResponse
                switch Int.random(in: 0..<6, using: &random) {
                case 0: answer = try await network.inbox.markRead(request)
                case 1: answer = try await network.inbox.markUnread(request)
                case 2: answer = try await network.inbox.markSeen(request)
                case 3: answer = try await network.inbox.archive(request)
                case 4: answer = try await network.inbox.unarchive(request)
                default:
                    // A new notification arrives.
                    _ = try await network.sessions.scheduleSession(
                        ScheduleSessionRequest(
                            matchID: match.id, memberID: ada.id,
                            startAtMicros: Times.utc(2027, 1, 1, 0, 0) + Int64(step) * Times.hour, durationMinutes: 30))
                    try await network.pump()
                    continue
                }
                let items = try await network.everything(bo)
                ids = items.map(\.id)
                let unread = items.filter { $0.archivedAtMicros == 0 && $0.readAtMicros == 0 }.count
                let unseen = items.filter { $0.archivedAtMicros == 0 && $0.seenAtMicros == 0 }.count
                #expect(Int(answer.unreadCount) == unread && Int(answer.unseenCount) == unseen)
                let counts = try await network.inbox.getNotificationCounts(
                    GetNotificationCountsRequest(memberID: bo.id))
                #expect(Int(counts.unreadCount) == unread && Int(counts.unseenCount) == unseen)
                if Int(counts.unreadCount) != unread { break }
            }
        }
    }

    @Test("marking: read implies seen, all at once, archive takes items out of the counts, pages are stable")
    func marking() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            try await fill(network, ada, match, count: 7)
            var counts = try await network.inbox.getNotificationCounts(GetNotificationCountsRequest(memberID: bo.id))
            #expect(counts.unreadCount == 8 && counts.unseenCount == 8)  // 7 bookings and the activation
            let items = try await network.items(bo)
            let read = try await network.inbox.markRead(
                MarkNotificationsRequest(memberID: bo.id, notificationIDs: [items[0].id, items[0].id, items[1].id]))
            #expect(read.changedCount == 2 && read.unreadCount == 6 && read.unseenCount == 6)
            let archived = try await network.inbox.archive(
                MarkNotificationsRequest(memberID: bo.id, notificationIDs: [items[2].id]))
            #expect(archived.unreadCount == 5 && archived.unseenCount == 5)
            #expect(try await network.items(bo, filter: .archived).map(\.id) == [items[2].id])
            #expect(try await network.items(bo, filter: .unread).count == 5)
            let all = try await network.inbox.markRead(MarkNotificationsRequest(memberID: bo.id, all: true))
            #expect(all.changedCount == 6 && all.unreadCount == 0 && all.unseenCount == 0)  // the archived one too
            counts = try await network.inbox.getNotificationCounts(GetNotificationCountsRequest(memberID: bo.id))
            #expect(counts.unreadCount == 0 && counts.lastEventID > 0)
            // Pages: newest first, no item twice, none missed.
            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await network.inbox.listNotifications(
                    ListNotificationsRequest(memberID: bo.id, filter: .all, pageSize: 3, pageToken: token))
                seen += page.notifications.map(\.id)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == (try await network.items(bo, filter: .all)).map(\.id) && seen.count == 8)
            // Another member's notification is not found in bo's inbox.
            let adaItem = try #require(try await network.items(ada).first)
            await #expect {
                _ = try await network.inbox.markRead(
                    MarkNotificationsRequest(memberID: bo.id, notificationIDs: [adaItem.id]))
            } throws: { isRPCError($0, .notFound, "no notification \(adaItem.id) in the inbox of \(bo.id)") }
            await #expect {
                _ = try await network.inbox.getNotification(GetNotificationRequest(id: adaItem.id, memberID: bo.id))
            } throws: { isRPCError($0, .notFound) }
            let explained = try await network.inbox.explainNotification(
                ExplainNotificationRequest(id: adaItem.id, memberID: ada.id))
            #expect(explained.delivery == .delivered && explained.reasons.first?.hasPrefix("delivered at once") == true)
        }
    }

    @Test("malformed marking and listing requests are refused, naming the field; nothing changes")
    func badRequests() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            try await fill(network, ada, match, count: 2)
            let id = try #require(try await network.items(bo).first?.id)
            let cases: [(MarkNotificationsRequest, String)] = [
                (MarkNotificationsRequest(memberID: "bo", notificationIDs: [id]), "member_id"),
                (MarkNotificationsRequest(memberID: bo.id), "notification_ids"),
                (MarkNotificationsRequest(memberID: bo.id, notificationIDs: [id], all: true), "notification_ids"),
                (MarkNotificationsRequest(memberID: bo.id, notificationIDs: [id, "ntf_x"]), "notification_ids[1]"),
                (
                    MarkNotificationsRequest(memberID: bo.id, notificationIDs: Array(repeating: id, count: 101)),
                    "notification_ids"
                ),
            ]
            for (request, field) in cases {
                await #expect { _ = try await network.inbox.markRead(request) } throws: { names($0, field) }
            }
            // An unknown id among known ones: NOT_FOUND, and the known ones stay unread.
            let unknown = "ntf_" + String(repeating: "0", count: 26)
            await #expect {
                _ = try await network.inbox.markRead(
                    MarkNotificationsRequest(memberID: bo.id, notificationIDs: [id, unknown]))
            } throws: { isRPCError($0, .notFound, unknown) }
            #expect(try await network.items(bo, filter: .unread).count == 3)
            for request in [
                ListNotificationsRequest(memberID: bo.id, pageSize: 201),
                ListNotificationsRequest(memberID: bo.id, pageToken: "garbage"),
                ListNotificationsRequest(memberID: ""),
            ] {
                await #expect { _ = try await network.inbox.listNotifications(request) } throws: {
                    ($0 as? RPCError)?.code == .invalidArgument
                }
            }
        }
    }

    @Test("the live stream: resumed after an event it gets exactly the missed ones; a lost position resets")
    func stream() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            let first = try await network.inbox.getNotificationCounts(GetNotificationCountsRequest(memberID: bo.id))
            try await fill(network, ada, match, count: 3)
            _ = try await network.inbox.markRead(MarkNotificationsRequest(memberID: bo.id, all: true))
            // Resume after the first event: the three deliveries and the marking, in order, once.
            var events: [NotificationEvent] = []
            for try await event in network.inbox.watchNotifications(
                WatchNotificationsRequest(memberID: bo.id, afterEventID: first.lastEventID))
            {
                events.append(event)
                if events.count == 4 { break }
            }
            #expect(events.map(\.kind) == [.delivered, .delivered, .delivered, .countsChanged])
            #expect(events.map(\.eventID) == events.map(\.eventID).sorted() && events[0].eventID > first.lastEventID)
            #expect(events.map(\.unreadCount) == [2, 3, 4, 0])
            #expect(events[0].notification?.kind == .sessionScheduled)
            // A live follower hears a new notification as it arrives.
            let last = try await network.inbox.getNotificationCounts(GetNotificationCountsRequest(memberID: bo.id))
            let live = Task {
                var iterator = network.inbox.watchNotifications(
                    WatchNotificationsRequest(memberID: bo.id, afterEventID: last.lastEventID)
                ).makeAsyncIterator()
                return try await iterator.next()
            }
            try await fill(network, ada, match, count: 1, from: Times.utc(2026, 12, 10, 0, 0))
            let heard = try #require(try await live.value)
            #expect(heard.kind == .delivered && heard.unreadCount == 1 && heard.eventID > last.lastEventID)
            // A position the service never gave: RESET first.
            var iterator = network.inbox.watchNotifications(
                WatchNotificationsRequest(memberID: bo.id, afterEventID: 1_000_000)
            ).makeAsyncIterator()
            let reset = try #require(try await iterator.next())
            #expect(reset.kind == .reset)
            // From the start: every event kept, the first one included.
            var replay = network.inbox.watchNotifications(
                WatchNotificationsRequest(memberID: bo.id, afterEventID: 0, fromStart: true)
            ).makeAsyncIterator()
            let earliest = try #require(try await replay.next())
            #expect(earliest.eventID <= first.lastEventID && earliest.kind == .delivered)
        }
    }
}
