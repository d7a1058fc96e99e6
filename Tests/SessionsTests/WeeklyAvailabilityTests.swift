import Foundation
import SessionsService
import TestSupport
import Testing

@Suite("weekly availability in the member's own zone")
struct WeeklyAvailabilityTests {
    /// The model: every minute of the interval, in the zone's wall-clock time, inside a window.
    static func bruteForce(
        _ windows: [(weekday: Int, start: Int, end: Int)], zone: TimeZone, start: Int64, end: Int64
    ) -> Bool {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        var instant = start
        while instant < end {
            let date = Date(timeIntervalSince1970: Double(instant) / 1_000_000)
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            let weekday = (parts.weekday! + 5) % 7 + 1  // Calendar: Sunday 1 … Saturday 7; ISO: Monday 1
            let minute = parts.hour! * 60 + parts.minute!
            guard windows.contains(where: { $0.weekday == weekday && $0.start <= minute && minute < $0.end }) else {
                return false
            }
            instant += Times.minute
        }
        return true
    }

    @Test("Tuesdays 18:00–20:00 Berlin stay 18:00–20:00 local in winter and in summer")
    func berlinAcrossSeasons() {
        let availability = WeeklyAvailability(
            windows: [(weekday: 2, start: 18 * 60, end: 20 * 60)], timeZone: TimeZone(identifier: "Europe/Berlin")!)
        for (month, day) in [(1, 13), (7, 14)] {  // Tuesdays in 2026: winter (UTC+1) and summer (UTC+2)
            let start = Times.at(2026, month, day, 18, 0, zone: "Europe/Berlin")
            #expect(availability.covers(startMicros: start, endMicros: start + 2 * Times.hour))
            #expect(!availability.covers(startMicros: start - 30 * Times.minute, endMicros: start + Times.hour))
            #expect(!availability.covers(startMicros: start + Times.hour, endMicros: start + 2 * Times.hour + 1))
        }
    }

    @Test("windows meeting at midnight and at the week's end make one stretch")
    func acrossMidnightAndWeekEnd() {
        let zone = TimeZone(identifier: "America/New_York")!
        let availability = WeeklyAvailability(
            windows: [
                (weekday: 1, start: 23 * 60, end: 1440), (weekday: 2, start: 0, end: 60),
                (weekday: 7, start: 23 * 60, end: 1440), (weekday: 1, start: 0, end: 30),
            ], timeZone: zone)
        let monday = Times.at(2026, 11, 16, 23, 30, zone: "America/New_York")
        #expect(availability.covers(startMicros: monday, endMicros: monday + Times.hour))
        #expect(!availability.covers(startMicros: monday, endMicros: monday + 91 * Times.minute))
        let sunday = Times.at(2026, 11, 22, 23, 30, zone: "America/New_York")
        #expect(availability.covers(startMicros: sunday, endMicros: sunday + Times.hour))
        #expect(!availability.covers(startMicros: sunday, endMicros: sunday + Times.hour + Times.minute))
    }

    @Test(
        "agrees with a minute-by-minute model around DST transitions",
        arguments: [
            ("Europe/Berlin", (2026, 3, 29), (2026, 10, 25)),
            ("America/New_York", (2026, 3, 8), (2026, 11, 1)),
            ("America/Sao_Paulo", (2018, 11, 4), (2019, 2, 16)),
            ("Australia/Lord_Howe", (2026, 4, 5), (2026, 10, 4)),
        ] as [(String, (Int, Int, Int), (Int, Int, Int))])
    func agreesWithModel(_ zoneName: String, _ spring: (Int, Int, Int), _ autumn: (Int, Int, Int)) {
        let zone = TimeZone(identifier: zoneName)!
        var generator = SplitMix64(state: UInt64(zoneName.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        for (year, month, day) in [spring, autumn] {
            let around = Times.at(year, month, day, 0, 0, zone: "UTC")
            for _ in 0..<150 {
                // Random windows on the days around the transition, at 15-minute edges.
                var windows: [(weekday: Int, start: Int, end: Int)] = []
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let start = Int.random(in: 0..<96, using: &generator) * 15
                    let end = min(1440, start + Int.random(in: 1...24, using: &generator) * 15)
                    windows.append((weekday: Int.random(in: 1...7, using: &generator), start: start, end: end))
                }
                let availability = WeeklyAvailability(windows: windows, timeZone: zone)
                let start =
                    around + Int64.random(in: -36 * 60...36 * 60, using: &generator) / 15 * 15 * Times.minute
                let end = start + Int64.random(in: 1...16, using: &generator) * 15 * Times.minute
                let expected = Self.bruteForce(windows, zone: zone, start: start, end: end)
                #expect(
                    availability.covers(startMicros: start, endMicros: end) == expected,
                    "\(zoneName) \(windows) \(start)…\(end)")
            }
        }
    }
}
