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

@Suite("sessions and matches make notifications; reminders are moved, dropped and fired once")
struct SessionNotificationTests {
    @Test("a booking tells the other partner, in their zone; reminders fire 24 h and 1 h ahead, once")
    func bookingAndReminders() async throws {
        try await withNetwork { network in
            let ada = member("ada", timezone: "Europe/Berlin")
            let bo = member("bo", timezone: "America/New_York")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            // Both heard of the partnership.
            #expect(try await network.items(ada).map(\.kind) == [.matchActivated])
            #expect(try await network.items(bo).first?.title == "Your partnership with ada is active")
            let start = Times.utc(2026, 11, 20, 17, 0)
            let session = try await network.schedule(match, by: ada, at: start)
            let booked = try #require(try await network.items(bo).first)
            #expect(booked.kind == .sessionScheduled && booked.title == "ada booked “Weekly”")
            #expect(booked.body.hasPrefix("On Fri 20 Nov, 12:00 for 60 minutes"))  // New York time
            #expect(booked.links.contains(Link(type: "session", id: session.id)))
            #expect(try await network.items(ada).count == 1)  // the organizer is not told of their own booking
            // Nothing is due yet; at 24 hours ahead both get their reminder, once.
            #expect(try await network.tick() == 0)
            network.clock.set(start - 24 * Times.hour)
            #expect(try await network.tick() == 2)
            #expect(try await network.tick() == 0)
            let reminder = try #require(try await network.items(ada).first)
            #expect(reminder.kind == .sessionReminder && reminder.title == "“Weekly” with bo in 24 hours")
            #expect(reminder.priority == .normal && !reminder.late)
            network.clock.set(start - Times.hour)
            #expect(try await network.tick() == 2)
            let soon = try await network.items(ada)
            // The 1-hour reminder replaces the 24-hour one (same session): no pile-up.
            #expect(soon.filter { $0.kind == .sessionReminder }.map(\.title) == ["“Weekly” with bo in 1 hour"])
            #expect(soon.first?.priority == .urgent)
        }
    }

    @Test("a reschedule moves the reminders and replaces the booking's notification; a cancel drops them")
    func moveAndCancel() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            let start = Times.utc(2026, 11, 20, 17, 0)
            let session = try await network.schedule(match, by: ada, at: start)
            let later = start + 2 * Times.day
            let moved = try await network.sessions.rescheduleSession(
                RescheduleSessionRequest(
                    sessionID: session.id, memberID: ada.id, startAtMicros: later, reason: "travel"))
            try await network.pump()
            let items = try await network.items(bo)
            #expect(items.first?.kind == .sessionRescheduled && items.first?.body.contains("Reason: travel.") == true)
            #expect(!items.contains { $0.kind == .sessionScheduled })  // collapsed into the newer one
            let all = try await network.items(bo, filter: .all)
            #expect(!all.contains { $0.kind == .sessionScheduled })
            // The old time passes without a reminder; the new one's fire.
            network.clock.set(start - Times.hour)
            #expect(try await network.tick() == 0)
            network.clock.set(later - 24 * Times.hour)
            #expect(try await network.tick() == 2)
            network.clock.set(later - Times.hour)
            #expect(try await network.tick() == 2)
            // A cancel just before a due time sends nothing.
            let third = try await network.schedule(match, by: bo, at: later + 3 * Times.day)
            network.clock.set(third.startAtMicros - Times.hour - Times.minute)
            _ = try await network.sessions.cancelSession(
                CancelSessionRequest(sessionID: third.id, memberID: bo.id, reason: "ill"))
            try await network.pump()
            network.clock.set(third.startAtMicros - Times.hour)
            #expect(try await network.tick() == 0)
            let cancelled = try #require(try await network.items(ada).first)
            #expect(cancelled.kind == .sessionCancelled && cancelled.priority == .urgent)
            #expect(cancelled.category == .cancellations && cancelled.title == "bo called off “Weekly”")
            #expect(try await network.items(bo).first?.kind != .sessionCancelled)  // the canceller is not told
            _ = moved
        }
    }

    @Test("after an outage a reminder still ahead goes out marked late; one whose session began is dropped")
    func lateAndDropped() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            let start = Times.utc(2026, 11, 20, 17, 0)
            _ = try await network.schedule(match, by: ada, at: start)
            // Down from before the 24 h reminder until 30 minutes after the 1 h reminder's time.
            network.clock.set(start - 30 * Times.minute)
            // Both reminders of both partners are overdue, the session still ahead: all four go out, late,
            // and the 1-hour one replaces the 24-hour one in each inbox.
            #expect(try await network.tick() == 4)
            let reminders = try await network.items(ada, filter: .all).filter { $0.kind == .sessionReminder }
            #expect(reminders.count == 1 && reminders.allSatisfy(\.late))
            #expect(reminders.first?.body.contains("Sent late") == true)
            let second = try await network.schedule(match, by: ada, at: start + Times.day)
            network.clock.set(second.startAtMicros + Times.minute)  // the session began: nothing to remind of
            #expect(try await network.tick() == 4)
            let after = try await network.items(ada, filter: .all).filter { $0.kind == .sessionReminder }
            #expect(after.count == 1)
        }
    }

    @Test("a series is one piece of news for the partner, with reminders for every occurrence")
    func series() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            let first = Times.utc(2026, 11, 20, 17, 0)
            let series = try await network.sessions.scheduleSeries(
                ScheduleSeriesRequest(
                    matchID: match.id, memberID: ada.id, firstStartAtMicros: first, durationMinutes: 60,
                    intervalWeeks: 1,
                    count: 3, title: "Weekly"))
            try await network.pump()
            let booked = try await network.items(bo).filter { $0.kind == .sessionScheduled }
            #expect(booked.map(\.title) == ["ada booked a series: “Weekly”"])
            #expect(booked.first?.links.contains(Link(type: "series", id: series.id)) == true)
            // Each occurrence has its reminders: the first's go out (2 offsets × 2 partners) ...
            network.clock.set(first - Times.hour)
            #expect(try await network.tick() == 4)
            #expect(try await network.items(bo).filter { $0.kind == .sessionReminder }.count == 1)
            // ... then, after an outage over the second, its four are dropped and the third's sent.
            network.clock.set(first + 14 * Times.day - Times.hour)
            #expect(try await network.tick() == 8)
            let reminders = try await network.items(bo).filter { $0.kind == .sessionReminder }
            #expect(reminders.count == 2 && reminders.allSatisfy { $0.title.hasSuffix("in 1 hour") })
        }
    }

    @Test("each feed change has its effects once: a page applied again, or overlapping, adds nothing")
    func exactlyOnce() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            for day in 0..<5 {
                _ = try await network.sessions.scheduleSession(
                    ScheduleSessionRequest(
                        matchID: match.id, memberID: ada.id,
                        startAtMicros: Times.utc(2026, 11, 20, 9, 0) + Int64(day) * Times.day, durationMinutes: 30))
            }
            let changes = try await network.sessions.listChanges(
                ListSessionChangesRequest(afterSequence: 0, limit: 100)
            )
            .changes
            try await network.store.apply(Array(changes.prefix(3)), now: network.clock.now)
            try await network.store.apply(changes, now: network.clock.now)  // 1–3 again, then 4–5
            try await network.store.apply(changes, now: network.clock.now)
            #expect(try await network.items(bo).filter { $0.kind == .sessionScheduled }.count == 5)
            #expect(try await network.store.position(NotificationStore.sessionsFeed) == changes.last?.sequence)
        }
    }

    @Test("a member who leaves is reminded of nothing and gets nothing new")
    func leaver() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            var bo = member("bo")
            try await network.add(ada, bo)
            let match = try await network.match(ada, bo)
            let start = Times.utc(2026, 11, 20, 17, 0)
            _ = try await network.schedule(match, by: ada, at: start)
            bo.status = .deactivated
            bo.version = 2
            try await network.add(bo)
            network.clock.set(start - Times.hour)
            #expect(try await network.tick() == 2)  // ada's two reminders only
            #expect(try await network.items(bo).filter { $0.kind == .sessionReminder }.isEmpty)
            #expect(try await network.items(ada).filter { $0.kind == .sessionReminder }.count == 1)
        }
    }

    @Test("match changes reach the partners they concern")
    func matches() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let id = "mat_" + String(repeating: "0", count: 25) + "1"
            _ = try await network.match(ada, bo, .proposed, state: .proposed, id: id)
            #expect(try await network.items(ada).first?.title == "New match proposed: bo")
            #expect(try await network.items(bo).first?.title == "New match proposed: ada")
            _ = try await network.match(ada, bo, .accepted, state: .proposed, id: id, version: 2, mentorAccepted: true)
            #expect(try await network.items(bo).first?.title == "ada accepted your match")
            #expect(try await network.items(ada).first?.kind == .matchProposed)  // the one who accepted: nothing
            // The newer news about the match replaces the older in the inbox.
            #expect(try await network.items(bo).count == 1)
            _ = try await network.match(ada, bo, .ended, state: .ended, id: id, version: 3)
            #expect(try await network.items(ada).map(\.kind) == [.matchEnded])
            // An older version arriving late changes nothing.
            _ = try await network.match(ada, bo, .proposed, state: .proposed, id: id, version: 1)
            #expect(try await network.items(ada).map(\.kind) == [.matchEnded])
        }
    }
}
