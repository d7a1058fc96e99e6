import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("recurring series")
struct SeriesTests {
    /// The local wall-clock time of `micros` in `zone`, as `HH:mm`.
    static func local(_ micros: Int64, _ zone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(micros) / 1e6))
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    @Test(
        "occurrences keep the zone's wall-clock time across DST; a skipped time moves past the gap, a doubled one is the first",
        arguments: ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Sao_Paulo"])
    func wallClockAcrossTransitions(_ zone: String) {
        // Weekly at 18:00 local for a year: every occurrence at 18:00, exactly a local week apart.
        let first = Times.at(2026, 1, 6, 18, 0, zone: zone)
        let recurrence = Recurrence(timeZone: TimeZone(identifier: zone)!, firstStart: first, intervalWeeks: 1)
        let starts = recurrence.starts(count: 52, until: 0, limit: 52)
        #expect(starts.count == 52)
        #expect(starts.allSatisfy { Self.local($0, zone) == "18:00" })
        #expect(zip(starts, starts.dropFirst()).allSatisfy { abs($1 - $0 - 7 * 86_400_000_000) <= Times.hour })
    }

    @Test("Berlin: 02:30 on the spring-forward Sunday is 03:30 summer time; on the fall-back Sunday, the first 02:30")
    func gapsAndFolds() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let spring = Recurrence(
            timeZone: berlin, firstStart: Times.at(2026, 3, 22, 2, 30, zone: "Europe/Berlin"), intervalWeeks: 1)
        let springStarts = spring.starts(count: 3, until: 0, limit: 3)
        #expect(springStarts[1] == Times.utc(2026, 3, 29, 1, 30))  // 02:30 CET = 03:30 CEST
        #expect(Self.local(springStarts[2], "Europe/Berlin") == "02:30")
        let autumn = Recurrence(
            timeZone: berlin, firstStart: Times.at(2026, 10, 18, 2, 30, zone: "Europe/Berlin"), intervalWeeks: 2)
        let autumnStarts = autumn.starts(count: 0, until: Times.utc(2026, 11, 10, 0, 0), limit: 52)
        #expect(autumnStarts.count == 2)
        #expect(
            Recurrence(timeZone: berlin, firstStart: autumnStarts[0], intervalWeeks: 1).start(1)
                == Times.utc(2026, 10, 25, 0, 30))  // the first 02:30 (CEST)
    }

    /// Two partners and their active match; both free all week.
    func pair(_ fixture: SessionsFixture) async throws -> (Member, Member, String) {
        let ada = member("ada", timezone: "Europe/Berlin")
        let bo = member("bo", timezone: "America/New_York")
        try await fixture.add(ada, bo)
        return (ada, bo, try await fixture.match(ada, bo))
    }

    func schedule(_ fixture: SessionsFixture, _ match: String, by member: Member, first: Int64, count: UInt32 = 6)
        async throws -> Series
    {
        try await fixture.client.scheduleSeries(
            ScheduleSeriesRequest(
                matchID: match, memberID: member.id, firstStartAtMicros: first, durationMinutes: 60, count: count,
                title: "Weekly"))
    }

    @Test("a series books every occurrence, or none, naming each that cannot be booked")
    func allOrNothing() async throws {
        try await withSessions { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let first = Times.at(2026, 11, 24, 18, 0, zone: "Europe/Berlin")  // a Tuesday
            // Something else in bo's week 3 and 5, at that time.
            let cy = member("cy")
            try await fixture.add(cy)
            let other = try await fixture.match(bo, cy)
            let clash3 = try await fixture.schedule(other, by: cy, at: first + 14 * 86_400_000_000)
            _ = try await fixture.schedule(other, by: cy, at: first + 28 * 86_400_000_000 + 30 * Times.minute)
            let before = try await fixture.feed().count
            await #expect { _ = try await schedule(fixture, match, by: ada, first: first) } throws: { error in
                isRPCError(error, .aborted, "2 occurrence(s) cannot be booked, so none is")
                    && isRPCError(
                        error, .aborted, "occurrence 3 (2026-12-08 18:00 Europe/Berlin): overlaps session \(clash3.id)")
                    && isRPCError(error, .aborted, "occurrence 5")
            }
            #expect(try await fixture.feed().count == before)
            // Without the clashes, all six are booked: one UID, numbered, a week apart in Berlin.
            let series = try await schedule(fixture, match, by: ada, first: first + Times.hour * 2)
            #expect(series.sessionIDs.count == 6 && series.count == 6 && series.timezone == "Europe/Berlin")
            for (index, id) in series.sessionIDs.enumerated() {
                let session = try await fixture.client.getSession(GetSessionRequest(id: id))
                #expect(session.seriesID == series.id && session.calendarUid == series.id)
                #expect(session.occurrence == UInt32(index + 1) && session.participantIDs == [ada.id, bo.id])
                #expect(Self.local(session.startAtMicros, "Europe/Berlin") == "20:00")
            }
            #expect(try await fixture.client.getSeries(GetSeriesRequest(id: series.id)) == series)
        }
    }

    @Test("this one, this and following, then all: exactly the expected occurrences change")
    func scopes() async throws {
        try await withSessions { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let first = Times.at(2026, 11, 24, 18, 0, zone: "Europe/Berlin")
            var series = try await schedule(fixture, match, by: ada, first: first)
            // This one: occurrence 2 an hour later, alone.
            let second = try await fixture.client.rescheduleSession(
                RescheduleSessionRequest(
                    sessionID: series.sessionIDs[1], memberID: bo.id,
                    startAtMicros: first + 7 * 86_400_000_000 + Times.hour))
            series = try await fixture.client.getSeries(GetSeriesRequest(id: series.id))
            #expect(series.sessionIDs[1] == second.id && second.occurrence == 2 && second.seriesID == series.id)
            // This and following: from occurrence 4, 19:30 on Thursdays instead.
            let thursday = Times.at(2026, 12, 17, 19, 30, zone: "Europe/Berlin")
            let original = series.sessionIDs
            series = try await fixture.client.rescheduleSeries(
                RescheduleSeriesRequest(
                    seriesID: series.id, memberID: bo.id, fromOccurrence: 4, startAtMicros: thursday,
                    reason: "new term",
                    expectedVersion: series.version))
            #expect(Array(series.sessionIDs.prefix(3)) == Array(original.prefix(3)))
            for (index, id) in series.sessionIDs.enumerated() {
                let session = try await fixture.client.getSession(GetSessionRequest(id: id))
                #expect(session.state == .scheduled)
                if index >= 3 {
                    #expect(id != original[index] && session.replacesSessionID == original[index])
                    #expect(session.startAtMicros == thursday + Int64(index - 3) * 7 * 86_400_000_000)
                    #expect(Self.local(session.startAtMicros, "Europe/Berlin") == "19:30" && session.sequence == 1)
                } else if index != 1 {
                    #expect(session.startAtMicros == first + Int64(index) * 7 * 86_400_000_000)
                }
            }
            // Cancel this and following from 5, then all: every occurrence cancelled exactly once.
            series = try await fixture.client.cancelSeries(
                CancelSeriesRequest(seriesID: series.id, memberID: ada.id, fromOccurrence: 5, reason: "holiday"))
            var states: [SessionState] = []
            for id in series.sessionIDs {
                states.append(try await fixture.client.getSession(GetSessionRequest(id: id)).state)
            }
            #expect(states == [.scheduled, .scheduled, .scheduled, .scheduled, .cancelled, .cancelled])
            series = try await fixture.client.cancelSeries(
                CancelSeriesRequest(seriesID: series.id, memberID: ada.id, reason: "ended"))
            let feed = try await fixture.feed()
            #expect(feed.filter { $0.kind == .cancelled }.count == 6)
            #expect(feed.filter { $0.kind == .rescheduled }.count == 4)
            #expect(series.sequence == 3)
            await #expect {
                _ = try await fixture.client.cancelSeries(
                    CancelSeriesRequest(seriesID: series.id, memberID: ada.id, fromOccurrence: 7, reason: "x"))
            } throws: { names($0, "from_occurrence") }
        }
    }

    @Test(
        "malformed series name the field",
        arguments: [
            ("count", ScheduleSeriesRequest(firstStartAtMicros: 60_000_000, durationMinutes: 60)),
            ("count", ScheduleSeriesRequest(firstStartAtMicros: 60_000_000, durationMinutes: 60, count: 53)),
            (
                "interval_weeks",
                ScheduleSeriesRequest(firstStartAtMicros: 60_000_000, durationMinutes: 60, intervalWeeks: 9, count: 3)
            ),
            (
                "until_at",
                ScheduleSeriesRequest(firstStartAtMicros: 120_000_000, durationMinutes: 60, untilAtMicros: 60_000_000)
            ),
            (
                "until_at",
                ScheduleSeriesRequest(
                    firstStartAtMicros: 60_000_000, durationMinutes: 60, count: 3, untilAtMicros: 600_000_000)
            ),
            ("first_start_at", ScheduleSeriesRequest(durationMinutes: 60, count: 3)),
        ])
    func malformed(_ field: String, _ request: ScheduleSeriesRequest) async throws {
        try await withSessions { fixture in
            await #expect { _ = try await fixture.client.scheduleSeries(request) } throws: { names($0, field) }
        }
    }
}
