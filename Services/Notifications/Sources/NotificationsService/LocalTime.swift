import Foundation
import Synchronization

/// Wall-clock arithmetic in a member's IANA zone, daylight-saving changes included: whether an
/// instant falls in a daily window, and the next instant a given local time comes round.
enum LocalTime {
    /// The zone named `identifier`, or UTC when the name is empty or unknown.
    static func zone(_ identifier: String) -> TimeZone {
        (identifier.isEmpty ? nil : TimeZone(identifier: identifier)) ?? TimeZone(identifier: "UTC")!
    }

    /// Whether `identifier` names an IANA zone this machine knows.
    static func isKnownZone(_ identifier: String) -> Bool {
        !identifier.isEmpty && TimeZone(identifier: identifier) != nil
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    private static func date(_ micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }

    private static func micros(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// Minutes after local midnight at `micros`.
    static func minuteOfDay(_ micros: Int64, in zone: TimeZone) -> Int {
        let parts = calendar(zone).dateComponents([.hour, .minute], from: date(micros))
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// Whether `minute` lies in the daily window from `start` (inclusive) to `end` (exclusive),
    /// which crosses midnight when `end` is before `start`.
    static func inside(_ minute: Int, start: Int, end: Int) -> Bool {
        start <= end ? (start..<end).contains(minute) : (minute >= start || minute < end)
    }

    /// The first instant after `micros` whose local time is `minuteOfDay` (a time skipped by a
    /// daylight-saving change: the first instant after the gap; one repeated: its first pass).
    static func next(minuteOfDay: Int, after micros: Int64, in zone: TimeZone) -> Int64 {
        let wanted = DateComponents(hour: minuteOfDay / 60, minute: minuteOfDay % 60, second: 0)
        let found = calendar(zone).nextDate(
            after: date(micros), matching: wanted, matchingPolicy: .nextTime, repeatedTimePolicy: .first,
            direction: .forward)
        return found.map(Self.micros) ?? micros + 86_400_000_000
    }

    /// One formatter per zone, made once: making a `DateFormatter` (ICU underneath) costs far
    /// more than formatting with it, and every notification about a session renders times.
    private static let formatters = Mutex<[String: DateFormatter]>([:])

    /// `micros` as people read it in `zone`: `Tue 8 Dec, 18:00`.
    static func describe(_ micros: Int64, in zone: TimeZone) -> String {
        formatters.withLock { formatters in
            let formatter: DateFormatter
            if let made = formatters[zone.identifier] {
                formatter = made
            } else {
                formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = zone
                formatter.dateFormat = "EEE d MMM, HH:mm"
                formatters[zone.identifier] = formatter
            }
            return formatter.string(from: date(micros))
        }
    }

    /// `minute` after midnight as `HH:mm`.
    static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
    }
}
