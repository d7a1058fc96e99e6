import Foundation
import ProfilesV1

/// A member's weekly availability windows, in their own IANA timezone, asked about instants.
///
/// A window is wall-clock time in the member's zone (Tuesday 18:00–20:00 Berlin), so whether an
/// instant falls inside depends on the zone's offset at that instant. An interval is cut where the
/// offset changes (a DST transition), each piece is moved to local minutes with its own offset,
/// and each must lie inside the windows: exact at every transition, including the hour a
/// spring-forward skips (no local time there is inside anything) and the hour a fall-back repeats.
public struct WeeklyAvailability: Sendable {
    /// Minutes in a week.
    static let week = 7 * 1440
    /// Merged windows as minutes of the week from Monday 00:00, `[start, end)`, sorted, each
    /// also shifted a week on, so that an interval crossing Sunday midnight is found whole.
    let spans: [Range<Int>]
    /// The zone the windows are in.
    public let timeZone: TimeZone

    /// The member's availability; nil when their timezone is not a known IANA name.
    public init?(_ member: Member) {
        guard let zone = TimeZone(identifier: member.timezone) else { return nil }
        self.init(
            windows: member.availability.map {
                (weekday: Int($0.weekday), start: Int($0.startMinute), end: Int($0.endMinute))
            }, timeZone: zone)
    }

    /// Windows (ISO weekday 1–7, minutes of the day, end exclusive) in `timeZone`.
    public init(windows: [(weekday: Int, start: Int, end: Int)], timeZone: TimeZone) {
        self.timeZone = timeZone
        var ranges = windows.compactMap { window -> Range<Int>? in
            let base = (window.weekday - 1) * 1440
            guard window.end > window.start else { return nil }
            return (base + window.start)..<(base + window.end)
        }
        ranges += ranges.map { ($0.lowerBound + Self.week)..<($0.upperBound + Self.week) }
        spans = SlotFinder.merge(ranges)
    }

    /// Whether every instant of `[start, end)` (microseconds since 1970 UTC) is inside a window.
    public func covers(startMicros start: Int64, endMicros end: Int64) -> Bool {
        localPieces(startMicros: start, endMicros: end).allSatisfy { piece in
            spans.contains { $0.lowerBound <= piece.lowerBound && piece.upperBound <= $0.upperBound }
        }
    }

    /// The available stretches of `[start, end)` (microseconds since 1970 UTC), sorted and merged:
    /// each window's occurrences in the zone's wall-clock time, moved to UTC with the offset in
    /// force, cut where the offset changes. An instant is inside a stretch exactly when `covers`
    /// says a minute starting there is available.
    public func intervals(from start: Int64, until end: Int64) -> [Range<Int64>] {
        var found: [Range<Int64>] = []
        let minute: Int64 = 60_000_000
        var from = start
        while from < end {
            let date = Date(timeIntervalSince1970: Double(from) / 1_000_000)
            let offset = Int64(timeZone.secondsFromGMT(for: date)) * 1_000_000
            var to = end
            if let transition = timeZone.nextDaylightSavingTimeTransition(after: date) {
                to = min(end, Int64((transition.timeIntervalSince1970 * 1_000_000).rounded()))
            }
            let localStart = Self.floorDiv(from + offset, minute)
            let localEnd = Self.ceilDiv(to + offset, minute)
            // Monday 00:00 of the local week `localStart` falls in (1970-01-01 was a Thursday).
            var week = localStart - Self.modulo(localStart + 3 * 1440, Int64(Self.week))
            while week < localEnd {
                for span in spans where span.lowerBound < Self.week {
                    let lower = max(from, (week + Int64(span.lowerBound)) * minute - offset)
                    let upper = min(to, (week + Int64(span.upperBound)) * minute - offset)
                    if lower < upper { found.append(lower..<upper) }
                }
                week += Int64(Self.week)
            }
            from = to
        }
        return SlotFinder.merge(found)
    }

    /// `[start, end)` as minutes of the week in the zone, one piece per stretch of constant
    /// offset; a piece starting late in the week runs on past `week`, matching the shifted spans.
    func localPieces(startMicros start: Int64, endMicros end: Int64) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var from = start
        while from < end {
            let date = Date(timeIntervalSince1970: Double(from) / 1_000_000)
            let offset = Int64(timeZone.secondsFromGMT(for: date))
            var to = end
            if let transition = timeZone.nextDaylightSavingTimeTransition(after: date) {
                to = min(end, Int64((transition.timeIntervalSince1970 * 1_000_000).rounded()))
            }
            // Local minutes since 1970-01-01 00:00 local; that day was a Thursday (ISO 4).
            let localStart = Self.floorDiv(from + offset * 1_000_000, 60_000_000)
            let localEnd = Self.ceilDiv(to + offset * 1_000_000, 60_000_000)
            let weekStart = Self.modulo(localStart + 3 * 1440, Int64(Self.week))
            pieces.append(Int(weekStart)..<Int(weekStart + (localEnd - localStart)))
            from = to
        }
        return pieces
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { -floorDiv(-a, b) }
    static func modulo(_ a: Int64, _ b: Int64) -> Int64 { ((a % b) + b) % b }
}
