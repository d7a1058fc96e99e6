import Foundation
import SessionsV1

/// The starts of a weekly series in a zone's wall-clock time: the first start's local time of day,
/// every `intervalWeeks` weeks. A local time a spring-forward skips is taken with the offset before
/// the gap (02:30 becomes 03:30 in summer time) and a time a fall-back repeats is the first of the
/// two, as RFC 5545 §3.3.5 says; so no occurrence is missing or doubled.
public struct Recurrence: Sendable {
    /// The zone whose wall-clock time the occurrences keep.
    public let timeZone: TimeZone
    /// The first occurrence's start, microseconds since 1970 UTC.
    public let firstStart: Int64
    /// Weeks between occurrences.
    public let intervalWeeks: Int

    public init(timeZone: TimeZone, firstStart: Int64, intervalWeeks: Int) {
        self.timeZone = timeZone
        self.firstStart = firstStart
        self.intervalWeeks = intervalWeeks
    }

    /// A series' rule.
    public init(_ series: Series) {
        self.init(
            timeZone: TimeZone(identifier: series.timezone) ?? TimeZone(identifier: "UTC")!,
            firstStart: series.firstStartAtMicros, intervalWeeks: Int(series.intervalWeeks))
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The first start's local date and time of day.
    var anchor: DateComponents {
        calendar.dateComponents(
            [.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(firstStart) / 1_000_000))
    }

    /// The start of occurrence `index` (0 is the first).
    public func start(_ index: Int) -> Int64 {
        let calendar = calendar
        let anchor = anchor
        // The local date `index` intervals on (calendar days, at noon, so no transition moves it).
        let noon = calendar.date(
            from: DateComponents(year: anchor.year, month: anchor.month, day: anchor.day, hour: 12))!
        let day = calendar.dateComponents(
            [.year, .month, .day], from: calendar.date(byAdding: .day, value: 7 * intervalWeeks * index, to: noon)!)
        var local = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: anchor.hour, minute: anchor.minute)
        local.timeZone = timeZone
        // Foundation resolves a skipped time forward by the gap and a repeated one to the first.
        let date = calendar.date(from: local)!
        return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The starts of the first `count` occurrences, or of those starting before `until`, at most
    /// `limit`.
    public func starts(count: Int, until: Int64, limit: Int) -> [Int64] {
        var starts: [Int64] = []
        var index = 0
        while starts.count < limit {
            let start = start(index)
            if count > 0 ? index >= count : start >= until { break }
            starts.append(start)
            index += 1
        }
        return starts
    }

    /// `2026-12-08 18:00 Europe/Berlin`: a start as people in the zone read it.
    public func readable(_ micros: Int64) -> String {
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
        return String(
            format: "%04d-%02d-%02d %02d:%02d ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
            + timeZone.identifier
    }

    /// `20261208T180000`: a local time for iCalendar's `TZID=` form.
    public func localStamp(_ micros: Int64) -> String {
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
        return String(
            format: "%04d%02d%02dT%02d%02d%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
    }
}
