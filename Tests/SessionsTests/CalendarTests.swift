import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsV1
import TestSupport
import Testing
import Wire

@testable import SessionsService

@Suite("calendar feeds and invitations (iCalendar)")
struct CalendarTests {
    /// The document's content lines, unfolded (RFC 5545 §3.1); every physical line must end in CRLF
    /// and be at most 75 octets.
    static func lines(_ document: CalendarDocument) -> [String] {
        let text = String(decoding: document.data, as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        var physical = text.components(separatedBy: "\r\n")
        physical.removeLast()
        var unfolded: [String] = []
        for line in physical {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
            if line.hasPrefix(" ") {
                unfolded[unfolded.count - 1] += line.dropFirst()
            } else {
                unfolded.append(line)
            }
        }
        return unfolded
    }

    /// The events of a document, each as its property lines.
    static func events(_ lines: [String]) -> [[String]] {
        var events: [[String]] = []
        var current: [String]?
        for line in lines {
            if line == "BEGIN:VEVENT" {
                current = []
            } else if line == "END:VEVENT" {
                events.append(current ?? [])
                current = nil
            } else {
                current?.append(line)
            }
        }
        return events
    }

    static func value(_ event: [String], _ name: String) -> String? {
        event.first { $0.hasPrefix(name + ":") || $0.hasPrefix(name + ";") }.map {
            String($0[$0.index(after: $0.firstIndex(of: ":")!)...])
        }
    }

    @Test("text is escaped, long lines folded at 75 octets without splitting a character, times in UTC")
    func format() {
        #expect(ICalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        let long = String(repeating: "é", count: 100)  // 200 octets
        let data = ICalendar.serialise(["SUMMARY:" + long])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(text.replacingOccurrences(of: "\r\n ", with: "") == "SUMMARY:" + long + "\r\n")
        #expect(ICalendar.utc(Times.utc(2026, 12, 8, 17, 5)) == "20261208T170500Z")
    }

    @Test("a feed: one event per booking, its UID kept and SEQUENCE 5 after five moves; cancelled says so; ETag")
    func feed() async throws {
        try await withSessions { fixture in
            let ada = member("ada", timezone: "Europe/Berlin")
            let bo = member("bo", timezone: "America/New_York")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)
            var moving = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(24))
            let uid = moving.calendarUid
            for step in 1...5 {
                moving = try await fixture.client.rescheduleSession(
                    RescheduleSessionRequest(
                        sessionID: moving.id, memberID: bo.id, startAtMicros: fixture.hoursAhead(24 + Int64(step))))
            }
            let other = try await fixture.schedule(match, by: bo, at: fixture.hoursAhead(48))
            let feed = try await fixture.client.createCalendarFeed(CreateCalendarFeedRequest(memberID: ada.id))
            #expect(feed.path == "/v1/calendars/\(feed.token)" && feed.token.count == 32)
            let first = try await fixture.client.getCalendar(GetCalendarRequest(token: feed.token))
            let lines = Self.lines(first)
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
            #expect(lines.contains("METHOD:PUBLISH") && lines.contains("VERSION:2.0"))
            let events = Self.events(lines)
            #expect(events.count == 2)
            let moved = try #require(events.first { Self.value($0, "UID") == "\(uid)@mentornet" })
            #expect(Self.value(moved, "SEQUENCE") == "5" && Self.value(moved, "STATUS") == "CONFIRMED")
            #expect(Self.value(moved, "DTSTART") == ICalendar.utc(moving.startAtMicros))
            #expect(Self.value(moved, "DTEND") == ICalendar.utc(moving.startAtMicros + 3_600_000_000))
            #expect(Self.value(moved, "DESCRIPTION") == "1. Goals\\n2. Next steps")
            #expect(moved.contains { $0.hasPrefix("ATTENDEE;CN=\"ada\"") && $0.hasSuffix("mailto:ada@example.org") })
            #expect(moved.contains { $0.hasPrefix("ORGANIZER;CN=\"bo\"") })

            let again = try await fixture.client.getCalendar(GetCalendarRequest(token: feed.token))
            #expect(again.etag == first.etag && again.data == first.data)
            _ = try await fixture.client.cancelSession(
                CancelSessionRequest(sessionID: other.id, memberID: ada.id, reason: "ill; sorry, truly"))
            let changed = try await fixture.client.getCalendar(GetCalendarRequest(token: feed.token))
            #expect(changed.etag != first.etag)
            let cancelled = try #require(
                Self.events(Self.lines(changed)).first { Self.value($0, "UID") == "\(other.calendarUid)@mentornet" })
            #expect(Self.value(cancelled, "STATUS") == "CANCELLED" && Self.value(cancelled, "SEQUENCE") == "1")

            // The partner's own feed shows the same events; a new feed revokes the old address.
            let boFeed = try await fixture.client.createCalendarFeed(CreateCalendarFeedRequest(memberID: bo.id))
            let boEvents = Self.events(
                Self.lines(try await fixture.client.getCalendar(GetCalendarRequest(token: boFeed.token))))
            #expect(
                Set(boEvents.compactMap { Self.value($0, "UID") }) == Set(events.compactMap { Self.value($0, "UID") }))
            let renewed = try await fixture.client.createCalendarFeed(CreateCalendarFeedRequest(memberID: ada.id))
            #expect(renewed.token != feed.token)
            await #expect { _ = try await fixture.client.getCalendar(GetCalendarRequest(token: feed.token)) } throws: {
                isRPCError($0, .notFound, "no calendar feed")
            }
            #expect(try await fixture.client.revokeCalendarFeed(RevokeCalendarFeedRequest(memberID: ada.id)).revoked)
            #expect(!(try await fixture.client.revokeCalendarFeed(RevokeCalendarFeedRequest(memberID: ada.id)).revoked))
            await #expect {
                _ = try await fixture.client.getCalendar(GetCalendarRequest(token: renewed.token))
            } throws: {
                isRPCError($0, .notFound)
            }
            await #expect {
                _ = try await fixture.client.createCalendarFeed(
                    CreateCalendarFeedRequest(memberID: "mbr_00000000000000000000000000"))
            } throws: { isRPCError($0, .failedPrecondition, "not known to sessions") }
        }
    }

    @Test(
        "a series is one recurring event in its zone: RRULE, VTIMEZONE, EXDATE for a cancelled occurrence, an override for a moved one"
    )
    func series() async throws {
        try await withSessions { fixture in
            let ada = member("ada", timezone: "Europe/Berlin")
            let bo = member("bo", timezone: "America/New_York")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)
            // Tuesdays 18:00 Berlin from 2027-03-16, across the start of summer time on 2027-03-28.
            let first = Times.at(2027, 3, 16, 18, 0, zone: "Europe/Berlin")
            let series = try await fixture.client.scheduleSeries(
                ScheduleSeriesRequest(
                    matchID: match, memberID: ada.id, firstStartAtMicros: first, durationMinutes: 45, count: 4,
                    title: "Weekly"))
            let moved = try await fixture.client.rescheduleSession(
                RescheduleSessionRequest(
                    sessionID: series.sessionIDs[1], memberID: bo.id,
                    startAtMicros: first + 7 * 86_400_000_000 + Times.hour))
            _ = try await fixture.client.cancelSession(
                CancelSessionRequest(sessionID: series.sessionIDs[2], memberID: bo.id, reason: "away"))
            let feed = try await fixture.client.createCalendarFeed(CreateCalendarFeedRequest(memberID: bo.id))
            let lines = Self.lines(try await fixture.client.getCalendar(GetCalendarRequest(token: feed.token)))
            #expect(lines.contains("BEGIN:VTIMEZONE") && lines.contains("TZID:Europe/Berlin"))
            #expect(lines.contains("TZOFFSETFROM:+0100") && lines.contains("TZOFFSETTO:+0200"))
            let events = Self.events(lines)
            #expect(events.count == 2)
            let master = try #require(events.first { Self.value($0, "RRULE") != nil })
            #expect(Self.value(master, "UID") == "\(series.id)@mentornet")
            #expect(Self.value(master, "RRULE") == "FREQ=WEEKLY;INTERVAL=1;COUNT=4")
            #expect(master.contains("DTSTART;TZID=Europe/Berlin:20270316T180000"))
            #expect(master.contains("DTEND;TZID=Europe/Berlin:20270316T184500"))
            #expect(master.contains("EXDATE;TZID=Europe/Berlin:20270330T180000"))
            let override = try #require(events.first { Self.value($0, "RECURRENCE-ID") != nil })
            #expect(override.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270323T180000"))
            #expect(Self.value(override, "DTSTART") == ICalendar.utc(moved.startAtMicros))
            #expect(Self.value(override, "UID") == "\(series.id)@mentornet" && Self.value(override, "SEQUENCE") == "1")
            let invite = Self.lines(
                try await fixture.client.getSessionInvite(GetSessionInviteRequest(sessionID: moved.id)))
            #expect(invite.contains("RECURRENCE-ID;TZID=Europe/Berlin:20270323T180000"))
        }
    }

    @Test("an invitation is METHOD:REQUEST, and METHOD:CANCEL once the session is cancelled")
    func invite() async throws {
        try await withSessions { fixture in
            let ada = member("ada")
            let bo = member("bo")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)
            let session = try await fixture.schedule(match, by: ada, at: fixture.hoursAhead(30))
            let request = GetSessionInviteRequest(sessionID: session.id)
            let invitation = Self.lines(try await fixture.client.getSessionInvite(request))
            #expect(invitation.contains("METHOD:REQUEST") && Self.events(invitation).count == 1)
            _ = try await fixture.client.cancelSession(
                CancelSessionRequest(sessionID: session.id, memberID: bo.id, reason: "travel"))
            let cancellation = Self.lines(try await fixture.client.getSessionInvite(request))
            #expect(cancellation.contains("METHOD:CANCEL"))
            #expect(Self.value(Self.events(cancellation)[0], "STATUS") == "CANCELLED")
            await #expect {
                _ = try await fixture.client.getSessionInvite(GetSessionInviteRequest(sessionID: "x"))
            } throws: {
                names($0, "session_id")
            }
            await #expect { _ = try await fixture.client.getCalendar(GetCalendarRequest(token: "short")) } throws: {
                names($0, "token")
            }
        }
    }
}
