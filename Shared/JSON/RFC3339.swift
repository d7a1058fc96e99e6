import Foundation

/// Times as RFC 3339 text in UTC, the way proto3 JSON writes `google.protobuf.Timestamp`.
public enum RFC3339 {
    /// Microseconds since 1970 as RFC 3339 in UTC with microseconds, e.g. `2026-11-27T09:15:00.123456Z`.
    /// Written digit by digit from the proleptic Gregorian calendar (Howard Hinnant's
    /// `civil_from_days`): two per member response, and `gmtime_r` with string padding was ~2% of
    /// the gateway's time on a GET. A year outside 0…9999 (no real member's) is written with the
    /// digits it needs, and a leading `-` before year 0.
    public static func format(_ micros: Int64) -> String {
        let seconds = micros.floorDivided(by: 1_000_000)
        let fraction = Int(micros - seconds * 1_000_000)
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let shifted = days + 719_468  // days since 0000-03-01
        let era = shifted.floorDivided(by: 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // March = 0
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let yearDigits = year.magnitude < 10_000 ? 4 : String(year.magnitude).count
        return String(unsafeUninitializedCapacity: 24 + yearDigits) { out in
            var index = 0
            func put(_ value: UInt64, digits: Int) {
                var value = value
                for position in stride(from: index + digits - 1, through: index, by: -1) {
                    out[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                index += digits
            }
            func put(_ value: Int, digits: Int) { put(UInt64(value), digits: digits) }
            func put(_ character: Unicode.Scalar) {
                out[index] = UInt8(ascii: character)
                index += 1
            }
            if year < 0 { put("-") }
            put(year.magnitude, digits: yearDigits)
            put("-")
            put(month, digits: 2)
            put("-")
            put(day, digits: 2)
            put("T")
            put(secondOfDay / 3600, digits: 2)
            put(":")
            put(secondOfDay / 60 % 60, digits: 2)
            put(":")
            put(secondOfDay % 60, digits: 2)
            put(".")
            put(fraction, digits: 6)
            put("Z")
            return index
        }
    }

    /// Microseconds since 1970 of an RFC 3339 time (`2026-11-27T09:15:00Z`, with up to nine
    /// fraction digits and any offset), or nil when `text` is not one.
    public static func parse(_ text: String) -> Int64? {
        let pattern =
            /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let (year, month, day) = (Int(match.1)!, Int(match.2)!, Int(match.3)!)
        let (hour, minute, second) = (Int(match.4)!, Int(match.5)!, Int(match.6)!)
        guard (1...12).contains(month), (1...daysIn(month, of: year)).contains(day), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var fraction = 0
        if let digits = match.7 {
            fraction = Int(digits.padding(toLength: 9, withPad: "0", startingAt: 0))! / 1000
        }
        var offset = 0
        if let sign = match.9, let hours = Int(match.10 ?? ""), let minutes = Int(match.11 ?? "") {
            guard hours < 24, minutes < 60 else { return nil }
            offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        let seconds = Int64(daysFromCivil(year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return (seconds - Int64(offset)) * 1_000_000 + Int64(fraction)
    }

    private static func daysIn(_ month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Int64 {
    /// The quotient rounded toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
