import Foundation
import ProfilesV1
import SessionsV1

/// Sessions as iCalendar (RFC 5545): a member's feed (METHOD:PUBLISH) and one session's invitation
/// (METHOD:REQUEST, or METHOD:CANCEL once it is cancelled). Each booking is one event: its UID is
/// the booking's `calendar_uid` (kept by every reschedule), SEQUENCE its `sequence`, times in UTC.
/// Lines end in CRLF and are folded at 75 octets; text is escaped as §3.3.11 says.
public enum ICalendar {
    /// A feed of `sessions` (the current session of each booking) for a calendar named `name`.
    /// The occurrences of a series in `series` become one recurring event: a master with the
    /// series' RRULE in its zone (TZID, with a VTIMEZONE), EXDATE for each cancelled occurrence,
    /// and an override (RECURRENCE-ID) for each occurrence moved from the rule's time.
    public static func feed(
        _ sessions: [Session], members: [String: Member], series: [String: Series] = [:], name: String
    ) -> [UInt8] {
        var lines = header(method: "PUBLISH")
        lines.append("X-WR-CALNAME:" + escape(name))
        var occurrences: [String: [Session]] = [:]
        var zones: [String: (from: Int64, to: Int64)] = [:]
        for session in sessions {
            if let owner = series[session.seriesID] {
                occurrences[owner.id, default: []].append(session)
                let last = Recurrence(owner).start(Int(owner.count) - 1) + Int64(owner.durationMinutes) * 60_000_000
                let span = zones[owner.timezone] ?? (owner.firstStartAtMicros, last)
                zones[owner.timezone] = (min(span.from, owner.firstStartAtMicros), max(span.to, last))
            } else {
                lines += event(session, members: members)
            }
        }
        for (zone, span) in zones.sorted(by: { $0.key < $1.key }) {
            lines += timezone(zone, from: span.from, to: span.to)
        }
        for (id, sessions) in occurrences.sorted(by: { $0.key < $1.key }) {
            lines += recurring(series[id]!, sessions, members: members)
        }
        lines.append("END:VCALENDAR")
        return serialise(lines)
    }

    /// A series as a master event and its overrides.
    private static func recurring(_ series: Series, _ sessions: [Session], members: [String: Member]) -> [String] {
        let rule = Recurrence(series)
        let zone = series.timezone
        let duration = Int64(series.durationMinutes) * 60_000_000
        let byOccurrence = Dictionary(
            sessions.map { (Int($0.occurrence), $0) }, uniquingKeysWith: { first, _ in first })
        let sample = sessions.min { $0.occurrence < $1.occurrence }!
        let cancelled = (1...Int(series.count)).filter { byOccurrence[$0]?.state == .cancelled }
        var master = [
            "BEGIN:VEVENT",
            "UID:\(series.id)@mentornet",
            "DTSTAMP:" + utc(series.updatedAtMicros),
            "DTSTART;TZID=\(zone):" + rule.localStamp(series.firstStartAtMicros),
            "DTEND;TZID=\(zone):" + rule.localStamp(series.firstStartAtMicros + duration),
            "RRULE:FREQ=WEEKLY;INTERVAL=\(series.intervalWeeks);COUNT=\(series.count)",
            "SEQUENCE:\(series.sequence)",
            "STATUS:" + (cancelled.count == Int(series.count) ? "CANCELLED" : "CONFIRMED"),
            "SUMMARY:" + escape(series.title.isEmpty ? "Mentoring session" : series.title),
            "CREATED:" + utc(series.createdAtMicros),
            "LAST-MODIFIED:" + utc(series.updatedAtMicros),
        ]
        if !cancelled.isEmpty {
            master.append(
                "EXDATE;TZID=\(zone):" + cancelled.map { rule.localStamp(rule.start($0 - 1)) }.joined(separator: ","))
        }
        master += details(sample, members: members)
        master.append("END:VEVENT")
        var overrides: [String] = []
        for occurrence in 1...Int(series.count) {
            guard let session = byOccurrence[occurrence], session.state != .cancelled else { continue }
            let original = rule.start(occurrence - 1)
            guard session.startAtMicros != original || session.durationMinutes != series.durationMinutes else {
                continue
            }
            var lines = event(session, members: members)
            lines.insert("RECURRENCE-ID;TZID=\(zone):" + rule.localStamp(original), at: 2)
            overrides += lines
        }
        return master + overrides
    }

    /// A VTIMEZONE for `zone` covering `[from, to]`: each offset change as a STANDARD or DAYLIGHT
    /// observance starting at its local time (in the offset before it), from the one in force at
    /// `from`.
    static func timezone(_ identifier: String, from: Int64, to: Int64) -> [String] {
        guard let zone = TimeZone(identifier: identifier) else { return [] }
        func offset(_ seconds: Int) -> String {
            let sign = seconds < 0 ? "-" : "+"
            let minutes = abs(seconds) / 60
            return String(format: "%@%02d%02d", sign, minutes / 60, minutes % 60)
        }
        let start = Date(timeIntervalSince1970: Double(from) / 1_000_000)
        let end = Date(timeIntervalSince1970: Double(to) / 1_000_000)
        // The transitions from the last one before `from` to `end`.
        var transitions: [Date] = []
        var cursor = start.addingTimeInterval(-366 * 86_400)
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= end {
            transitions.append(next)
            cursor = next
        }
        if let last = transitions.lastIndex(where: { $0 <= start }) { transitions.removeFirst(last) }
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + identifier]
        if transitions.isEmpty {
            let now = offset(zone.secondsFromGMT(for: start))
            lines += [
                "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + now, "TZOFFSETTO:" + now,
                "END:STANDARD",
            ]
        }
        for transition in transitions {
            let before = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: transition)
            let kind = zone.isDaylightSavingTime(for: transition) ? "DAYLIGHT" : "STANDARD"
            let onset = Int64((transition.timeIntervalSince1970 + Double(before)) * 1_000_000)
            lines += [
                "BEGIN:" + kind, "DTSTART:" + String(utc(onset).dropLast()), "TZOFFSETFROM:" + offset(before),
                "TZOFFSETTO:" + offset(after), "END:" + kind,
            ]
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// One session's invitation; an occurrence of `series` names the occurrence it is
    /// (RECURRENCE-ID in the series' zone, with its VTIMEZONE).
    public static func invite(_ session: Session, members: [String: Member], series: Series? = nil) -> [UInt8] {
        var lines = header(method: session.state == .cancelled ? "CANCEL" : "REQUEST")
        var event = event(session, members: members)
        if let series, session.occurrence > 0 {
            let rule = Recurrence(series)
            let original = rule.start(Int(session.occurrence) - 1)
            lines += timezone(series.timezone, from: original, to: original)
            event.insert("RECURRENCE-ID;TZID=\(series.timezone):" + rule.localStamp(original), at: 2)
        }
        lines += event
        lines.append("END:VCALENDAR")
        return serialise(lines)
    }

    /// A document's ETag: FNV-1a (64 bits) of its bytes, in hex. It only has to tell versions apart.
    public static func etag(_ data: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func header(method: String) -> [String] {
        [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//MentorNet//Sessions//EN", "CALSCALE:GREGORIAN",
            "METHOD:" + method,
        ]
    }

    private static func event(_ session: Session, members: [String: Member]) -> [String] {
        let end = session.startAtMicros + Int64(session.durationMinutes) * 60_000_000
        var lines = [
            "BEGIN:VEVENT",
            "UID:\(session.calendarUid)@mentornet",
            "DTSTAMP:" + utc(session.updatedAtMicros),
            "DTSTART:" + utc(session.startAtMicros),
            "DTEND:" + utc(end),
            "SEQUENCE:\(session.sequence)",
            "STATUS:" + (session.state == .cancelled ? "CANCELLED" : "CONFIRMED"),
            "SUMMARY:" + escape(session.title.isEmpty ? "Mentoring session" : session.title),
            "CREATED:" + utc(session.createdAtMicros),
            "LAST-MODIFIED:" + utc(session.updatedAtMicros),
        ]
        lines += details(session, members: members)
        lines.append("END:VEVENT")
        return lines
    }

    /// The agenda, place and people of a session's event.
    private static func details(_ session: Session, members: [String: Member]) -> [String] {
        var lines: [String] = []
        if !session.agenda.isEmpty { lines.append("DESCRIPTION:" + escape(session.agenda)) }
        if !session.location.isEmpty {
            lines.append("LOCATION:" + escape(session.location))
            if session.location.hasPrefix("https://") || session.location.hasPrefix("http://"),
                !session.location.contains(where: { $0.isWhitespace })
            {
                lines.append("URL:" + session.location)
            }
        }
        if let organizer = members[session.organizerID] {
            lines.append("ORGANIZER;CN=\(parameter(organizer.displayName)):mailto:\(organizer.email)")
        }
        for id in session.participantIDs {
            guard let member = members[id] else { continue }
            lines.append(
                "ATTENDEE;CN=\(parameter(member.displayName));ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:\(member.email)"
            )
        }
        return lines
    }

    /// `20261208T170000Z`.
    static func utc(_ micros: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: Double(micros / 1_000_000))
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
    }

    /// TEXT escaping (§3.3.11): backslash, semicolon, comma and line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(character)
            }
        }
        return out
    }

    /// A parameter value (§3.2): quoted, without the characters a quoted value cannot hold.
    static func parameter(_ text: String) -> String {
        "\"" + text.filter { $0 != "\"" && !$0.isNewline } + "\""
    }

    /// The lines folded at 75 octets (§3.1: a continuation starts with a space, and a fold never
    /// splits a UTF-8 sequence), each ended by CRLF.
    static func serialise(_ lines: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            var count = 0
            for scalar in line.unicodeScalars {
                let bytes = Array(String(scalar).utf8)
                if count + bytes.count > 75 {
                    out += [13, 10, 32]
                    count = 1
                }
                out += bytes
                count += bytes.count
            }
            out += [13, 10]
        }
        return out
    }
}
