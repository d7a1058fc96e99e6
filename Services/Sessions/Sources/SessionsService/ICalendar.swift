import Foundation
import ProfilesV1
import SessionsV1

/// Sessions as iCalendar (RFC 5545): a member's feed (METHOD:PUBLISH) and one session's invitation
/// (METHOD:REQUEST, or METHOD:CANCEL once it is cancelled). Each booking is one event: its UID is
/// the booking's `calendar_uid` (kept by every reschedule), SEQUENCE its `sequence`, times in UTC.
/// Lines end in CRLF and are folded at 75 octets; text is escaped as §3.3.11 says.
public enum ICalendar {
    /// A feed of `sessions` (the current session of each booking) for a calendar named `name`.
    public static func feed(_ sessions: [Session], members: [String: Member], name: String) -> [UInt8] {
        var lines = header(method: "PUBLISH")
        lines.append("X-WR-CALNAME:" + escape(name))
        for session in sessions { lines += event(session, members: members) }
        lines.append("END:VCALENDAR")
        return serialise(lines)
    }

    /// One session's invitation.
    public static func invite(_ session: Session, members: [String: Member]) -> [UInt8] {
        var lines = header(method: session.state == .cancelled ? "CANCEL" : "REQUEST")
        lines += event(session, members: members)
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
        lines.append("END:VEVENT")
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
