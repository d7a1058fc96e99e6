import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("finding free slots, and holding them")
struct SlotTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kolkata", "UTC",
    ]

    /// The model: every aligned start in the range, kept when each partner's availability covers
    /// the whole session and no blocked interval meets it.
    static func model(
        duration: Int64, from: Int64, until: Int64, step: Int64, limit: Int, partners: [WeeklyAvailability],
        blocked: [Range<Int64>]
    ) -> [Int64] {
        var starts: [Int64] = []
        var start = (from + step - 1) / step * step
        while start + duration <= until && starts.count < limit {
            let end = start + duration
            if partners.allSatisfy({ $0.covers(startMicros: start, endMicros: end) })
                && !blocked.contains(where: { $0.lowerBound < end && start < $0.upperBound })
            {
                starts.append(start)
            }
            start += step
        }
        return starts
    }

    @Test("agrees with a start-by-start model on thousands of random calendars, across DST transitions")
    func agreesWithModel() {
        var random = SplitMix64(state: 2026)
        // Around the March and October/November transitions, and a quiet week.
        let anchors = [
            Times.utc(2026, 3, 27, 0, 0), Times.utc(2026, 10, 23, 0, 0), Times.utc(2026, 4, 3, 0, 0),
            Times.utc(2026, 6, 10, 0, 0),
        ]
        for round in 0..<2000 {
            let partners = (0..<2).map { _ -> WeeklyAvailability in
                var windows: [(weekday: Int, start: Int, end: Int)] = []
                for _ in 0..<Int.random(in: 0...8, using: &random) {
                    let start = Int.random(in: 0..<96, using: &random) * 15
                    windows.append(
                        (
                            weekday: Int.random(in: 1...7, using: &random), start: start,
                            end: min(1440, start + Int.random(in: 1...32, using: &random) * 15)
                        ))
                }
                let zone = TimeZone(identifier: Self.zones[Int.random(in: 0..<Self.zones.count, using: &random)])!
                return WeeklyAvailability(windows: windows, timeZone: zone)
            }
            let from = anchors[round % anchors.count] + Int64.random(in: 0..<96, using: &random) * 5 * Times.minute
            let until = from + Int64.random(in: 1...5, using: &random) * 86_400_000_000
            let blocked = (0..<Int.random(in: 0...12, using: &random)).map { _ -> Range<Int64> in
                let start = from + Int64.random(in: -60..<(5 * 24 * 60), using: &random) * Times.minute
                return start..<(start + Int64.random(in: 15...280, using: &random) * Times.minute)
            }
            let duration = Int64([15, 30, 45, 60, 90, 240][Int.random(in: 0..<6, using: &random)]) * Times.minute
            let step = Int64([5, 15, 30, 60][Int.random(in: 0..<4, using: &random)]) * Times.minute
            let limit = [1, 10, 100][Int.random(in: 0..<3, using: &random)]
            let found = SlotFinder.find(
                duration: duration, from: from, until: until, step: step, limit: limit,
                available: partners.map { $0.intervals(from: from, until: until) }, blocked: blocked)
            let expected = Self.model(
                duration: duration, from: from, until: until, step: step, limit: limit, partners: partners,
                blocked: blocked)
            #expect(found == expected, "round \(round)")
            if found != expected { return }
        }
    }

    /// Two partners free 09:00–17:00 on weekdays in their zones, with an active match.
    func pair(_ fixture: SessionsFixture) async throws -> (Member, Member, String) {
        let workdays = (1...5).map { AvailabilityWindow(weekday: UInt32($0), startMinute: 540, endMinute: 1020) }
        let ada = member("ada", timezone: "Europe/London", availability: workdays)
        let bo = member("bo", timezone: "America/New_York", availability: workdays)
        try await fixture.add(ada, bo)
        return (ada, bo, try await fixture.match(ada, bo))
    }

    @Test("slots lie where both are free in their own zones, after the notice, around sessions and holds")
    func findsSlots() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 60, bufferMinutes: 15)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            // Thursday 2026-11-19: London 09:00–17:00 is 09:00–17:00 UTC; New York 14:00–22:00 UTC.
            let thursday = Times.utc(2026, 11, 19, 0, 0)
            func slots(_ minutes: UInt32, limit: UInt32 = 100) async throws -> [Int64] {
                try await fixture.client.findSlots(
                    FindSlotsRequest(
                        matchID: match, memberID: ada.id, durationMinutes: minutes, windowStartAtMicros: thursday,
                        windowEndAtMicros: thursday + 86_400_000_000, stepMinutes: 30, limit: limit)
                ).slots.map(\.startAtMicros)
            }
            let hour = Times.hour
            #expect(try await slots(60) == [14, 14.5, 15, 15.5, 16].map { thursday + Int64($0 * 2) * hour / 2 })
            // A session of bo's 15:00–16:00, with the buffer 14:45–16:15: 30 minutes fit before and after.
            _ = try await fixture.schedule(match, by: bo, at: thursday + 15 * hour)
            #expect(try await slots(30) == [thursday + 14 * hour, thursday + 16 * hour + hour / 2])
            // A live hold counts like a session; once it lapses, its time is free again.
            let hold = try await fixture.client.holdSlot(
                HoldSlotRequest(
                    matchID: match, memberID: bo.id, startAtMicros: thursday + 14 * hour, durationMinutes: 30,
                    holdMinutes: 10))
            #expect(hold.token.count == 32 && hold.expiresAtMicros == fixture.clock.now + 10 * 60_000_000)
            #expect(try await slots(30) == [thursday + 16 * hour + hour / 2])
            fixture.clock.advance(.seconds(11 * 60))
            #expect(try await slots(30) == [thursday + 14 * hour, thursday + 16 * hour + hour / 2])
            #expect(try await slots(30, limit: 1) == [thursday + 14 * hour])
        }
    }

    @Test("partners 13 hours apart: a London evening is the next Auckland morning, and the slots say so")
    func thirteenHoursApart() async throws {
        try await withSessions(policy: SessionPolicy(bufferMinutes: 0)) { fixture in
            // London evenings Monday to Friday; Auckland mornings Tuesday to Saturday (NZDT, UTC+13).
            let evenings = (1...5).map {
                AvailabilityWindow(weekday: UInt32($0), startMinute: 19 * 60, endMinute: 21 * 60)
            }
            let mornings = (2...6).map {
                AvailabilityWindow(weekday: UInt32($0), startMinute: 7 * 60, endMinute: 9 * 60)
            }
            let ada = member("ada", timezone: "Europe/London", availability: evenings)
            let kiri = member("kiri", timezone: "Pacific/Auckland", availability: mornings)
            try await fixture.add(ada, kiri)
            let match = try await fixture.match(ada, kiri)
            let found = try await fixture.client.findSlots(
                FindSlotsRequest(
                    matchID: match, memberID: kiri.id, durationMinutes: 60,
                    windowStartAtMicros: Times.utc(2026, 11, 23, 0, 0),
                    windowEndAtMicros: Times.utc(2026, 11, 25, 0, 0),
                    stepMinutes: 30))
            // Monday and Tuesday 19:00-21:00 in London are Tuesday and Wednesday 08:00-10:00 in Auckland,
            // where the window ends at 09:00: one hour in common, 19:00-20:00 London.
            #expect(
                found.slots.map(\.startAtMicros) == [Times.utc(2026, 11, 23, 19, 0), Times.utc(2026, 11, 24, 19, 0)])
            let booked = try await fixture.schedule(match, by: ada, at: Times.utc(2026, 11, 24, 19, 0))
            #expect(booked.timezone == "Europe/London")
            // 20:00 in London is 09:00 in Auckland, where kiri's morning has ended.
            await #expect {
                _ = try await fixture.schedule(match, by: ada, at: Times.utc(2026, 11, 23, 20, 0))
            } throws: {
                isRPCError(
                    $0, .failedPrecondition,
                    "outside \(kiri.id)'s weekly availability (Tue 09:00–10:00 Pacific/Auckland")
            }
        }
    }

    @Test("a hold keeps the time from other bookings; confirming books it; release and lapse give it back")
    func holds() async throws {
        try await withSessions(policy: SessionPolicy(bufferMinutes: 0)) { fixture in
            let (ada, bo, match) = try await pair(fixture)
            let cy = member("cy")
            try await fixture.add(cy)
            let other = try await fixture.match(ada, cy)
            let start = Times.utc(2026, 11, 20, 15, 0)  // Friday: free for both
            let monday = Times.utc(2026, 11, 23, 15, 0)
            let hold = try await fixture.client.holdSlot(
                HoldSlotRequest(matchID: match, memberID: bo.id, startAtMicros: start, durationMinutes: 60))
            await #expect { _ = try await fixture.schedule(other, by: cy, at: start) } throws: {
                isRPCError($0, .aborted, "held for another booking of \(ada.id)")
            }
            await #expect {
                _ = try await fixture.client.confirmHold(ConfirmHoldRequest(holdID: hold.id, token: "guess"))
            } throws: { isRPCError($0, .permissionDenied) }
            let session = try await fixture.client.confirmHold(
                ConfirmHoldRequest(holdID: hold.id, token: hold.token, title: "Held and booked"))
            #expect(
                session.startAtMicros == start && session.organizerID == bo.id && session.title == "Held and booked")
            await #expect {
                _ = try await fixture.client.confirmHold(ConfirmHoldRequest(holdID: hold.id, token: hold.token))
            } throws: { isRPCError($0, .notFound) }

            let second = try await fixture.client.holdSlot(
                HoldSlotRequest(
                    matchID: match, memberID: ada.id, startAtMicros: start + Times.hour, durationMinutes: 30))
            let released = try await fixture.client.releaseHold(
                ReleaseHoldRequest(holdID: second.id, token: second.token))
            #expect(released.token.isEmpty)
            _ = try await fixture.schedule(other, by: cy, at: start + Times.hour)

            let third = try await fixture.client.holdSlot(
                HoldSlotRequest(
                    matchID: match, memberID: ada.id, startAtMicros: monday, durationMinutes: 30, holdMinutes: 1))
            fixture.clock.advance(.seconds(61))
            await #expect {
                _ = try await fixture.client.confirmHold(ConfirmHoldRequest(holdID: third.id, token: third.token))
            } throws: { isRPCError($0, .failedPrecondition, "lapsed") }
            _ = try await fixture.schedule(other, by: cy, at: monday)
            // Holds are checked as bookings: outside availability is refused, with no override.
            await #expect {
                _ = try await fixture.client.holdSlot(
                    HoldSlotRequest(
                        matchID: match, memberID: ada.id, startAtMicros: Times.utc(2026, 11, 21, 3, 0),
                        durationMinutes: 30))
            } throws: { isRPCError($0, .failedPrecondition, "weekly availability") }
        }
    }

    @Test(
        "malformed slot and hold requests name the field",
        arguments: [
            ("duration_minutes", FindSlotsRequest(durationMinutes: 5)),
            ("step_minutes", FindSlotsRequest(durationMinutes: 30, stepMinutes: 1)),
            ("limit", FindSlotsRequest(durationMinutes: 30, limit: 101)),
            ("window_end_at", FindSlotsRequest(durationMinutes: 30, windowStartAtMicros: 10, windowEndAtMicros: 5)),
            (
                "window_end_at",
                FindSlotsRequest(durationMinutes: 30, windowStartAtMicros: 1, windowEndAtMicros: 60 * 86_400_000_000)
            ),
        ])
    func malformedSearches(_ field: String, _ request: FindSlotsRequest) async throws {
        try await withSessions { fixture in
            await #expect { _ = try await fixture.client.findSlots(request) } throws: { names($0, field) }
        }
    }

    @Test("malformed holds name the field")
    func malformedHolds() async throws {
        try await withSessions { fixture in
            for (field, request) in [
                ("hold_minutes", HoldSlotRequest(startAtMicros: 60_000_000, durationMinutes: 30, holdMinutes: 31)),
                ("start_at", HoldSlotRequest(startAtMicros: 1, durationMinutes: 30)),
                ("match_id", HoldSlotRequest(matchID: "x", startAtMicros: 60_000_000, durationMinutes: 30)),
            ] {
                await #expect { _ = try await fixture.client.holdSlot(request) } throws: { names($0, field) }
            }
            await #expect {
                _ = try await fixture.client.confirmHold(ConfirmHoldRequest(holdID: "hld_x"))
            } throws: { names($0, "hold_id") && names($0, "token") }
        }
    }
}
