import Foundation
import Synchronization

/// A clock tests can move, in microseconds since 1970; by default it starts on Wednesday
/// 2026-11-18 at 11:00 UTC.
public final class TestClock: Sendable {
    private let micros: Atomic<Int64>

    public init(_ start: Int64 = Times.utc(2026, 11, 18, 11, 0)) { micros = Atomic(start) }

    public var now: Int64 { micros.load(ordering: .relaxed) }

    public func advance(_ duration: Duration) {
        micros.add(duration.components.seconds * 1_000_000, ordering: .relaxed)
    }

    public func set(_ value: Int64) { micros.store(value, ordering: .relaxed) }
}

/// Wall-clock times for tests, as microseconds since 1970.
public enum Times {
    /// A UTC wall-clock time.
    public static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int) -> Int64 {
        at(year, month, day, hour, minute, zone: "UTC")
    }

    /// A wall-clock time in `zone`.
    public static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, zone: String) -> Int64 {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let date = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
        return Int64(date.timeIntervalSince1970) * 1_000_000
    }

    public static let minute: Int64 = 60_000_000
    public static let hour: Int64 = 60 * minute
    public static let day: Int64 = 24 * hour
}
