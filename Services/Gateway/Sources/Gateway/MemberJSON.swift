import Foundation
import ProfilesV1
import Wire

/// Members in proto3 JSON: lowerCamelCase names, enums by name, 64-bit integers as strings,
/// timestamps as RFC 3339 in UTC (`createdAt`, `updatedAt`).
enum MemberJSON {
    static let roleNames: [String: Role] = ["ROLE_MENTOR": .mentor, "ROLE_MENTEE": .mentee]
    static let statusNames: [String: MemberStatus] = [
        "MEMBER_STATUS_ACTIVE": .active, "MEMBER_STATUS_PAUSED": .paused, "MEMBER_STATUS_DEACTIVATED": .deactivated,
    ]
    static let organizationNames: [String: OrganizationPreference] = [
        "ORGANIZATION_PREFERENCE_ANY": .any, "ORGANIZATION_PREFERENCE_SAME": .same,
        "ORGANIZATION_PREFERENCE_OTHER": .other,
    ]

    /// JSON name → proto field name, for the fields a client may send.
    static let writableFields: [String: String] = [
        "email": "email", "displayName": "display_name", "headline": "headline", "bio": "bio", "roles": "roles",
        "networks": "networks", "organization": "organization", "department": "department", "location": "location",
        "timezone": "timezone", "languages": "languages", "yearsOfExperience": "years_of_experience",
        "expertise": "expertise", "learningGoals": "learning_goals", "mentoringCapacity": "mentoring_capacity",
        "availability": "availability", "preferences": "preferences",
    ]

    /// Reads the writable fields present in `reader` into a member; returns the proto names read.
    static func read(_ reader: JSONObjectReader, allowing extra: Set<String> = []) throws(APIError) -> (
        Member, [String]
    ) {
        try reader.rejectUnknown(Set(writableFields.keys).union(extra))
        var member = Member()
        var present: [String] = []
        for key in writableFields.keys.sorted() where reader.has(key) { present.append(writableFields[key]!) }
        member.email = try reader.string("email") ?? ""
        member.displayName = try reader.string("displayName") ?? ""
        member.headline = try reader.string("headline") ?? ""
        member.bio = try reader.string("bio") ?? ""
        if let roles = try reader.array("roles") {
            member.roles = []
            for (index, role) in roles.enumerated() {
                guard case .string(let name) = role, let value = roleNames[name] else {
                    throw APIError.badField("roles[\(index)]", "must be ROLE_MENTOR or ROLE_MENTEE")
                }
                member.roles.append(value)
            }
        }
        member.networks = try reader.strings("networks") ?? []
        member.organization = try reader.string("organization") ?? ""
        member.department = try reader.string("department") ?? ""
        member.location = try reader.string("location") ?? ""
        member.timezone = try reader.string("timezone") ?? ""
        member.languages = try reader.strings("languages") ?? []
        member.yearsOfExperience = UInt32(try reader.integer("yearsOfExperience", in: 0...1000) ?? 0)
        for entry in try reader.objects("expertise") ?? [] {
            try entry.rejectUnknown(["skill", "level"])
            member.expertise.append(
                Expertise(
                    skill: try entry.string("skill") ?? "", level: UInt32(try entry.integer("level", in: 0...1000) ?? 0)
                ))
        }
        for entry in try reader.objects("learningGoals") ?? [] {
            try entry.rejectUnknown(["skill", "priority"])
            member.learningGoals.append(
                LearningGoal(
                    skill: try entry.string("skill") ?? "",
                    priority: UInt32(try entry.integer("priority", in: 0...1000) ?? 0))
            )
        }
        member.mentoringCapacity = UInt32(try reader.integer("mentoringCapacity", in: 0...1000) ?? 0)
        for window in try reader.objects("availability") ?? [] {
            try window.rejectUnknown(["weekday", "startMinute", "endMinute"])
            member.availability.append(
                AvailabilityWindow(
                    weekday: UInt32(try window.integer("weekday", in: 0...1000) ?? 0),
                    startMinute: UInt32(try window.integer("startMinute", in: 0...100_000) ?? 0),
                    endMinute: UInt32(try window.integer("endMinute", in: 0...100_000) ?? 0)
                )
            )
        }
        if let preferences = try reader.object("preferences") {
            try preferences.rejectUnknown(["oneWay", "mutual", "organization"])
            member.preferences = MatchPreferences(
                oneWay: try preferences.bool("oneWay") ?? false,
                mutual: try preferences.bool("mutual") ?? false,
                organization: try preferences.enumeration("organization", organizationNames) ?? .any
            )
        }
        return (member, present)
    }

    /// The member as proto3 JSON.
    static func value(_ member: Member) -> JSONValue {
        func name<E: Equatable>(_ value: E, in names: [String: E]) -> JSONValue {
            .string(names.first { $0.value == value }?.key ?? "\(value)")
        }
        var fields: [String: JSONValue] = [
            "id": .string(member.id),
            "email": .string(member.email),
            "displayName": .string(member.displayName),
            "headline": .string(member.headline),
            "bio": .string(member.bio),
            "roles": .array(member.roles.map { name($0, in: roleNames) }),
            "networks": .array(member.networks.map(JSONValue.string)),
            "organization": .string(member.organization),
            "department": .string(member.department),
            "location": .string(member.location),
            "timezone": .string(member.timezone),
            "languages": .array(member.languages.map(JSONValue.string)),
            "yearsOfExperience": .integer(Int64(member.yearsOfExperience)),
            "expertise": .array(
                member.expertise.map { .object(["skill": .string($0.skill), "level": .integer(Int64($0.level))]) }),
            "learningGoals": .array(
                member.learningGoals.map {
                    .object(["skill": .string($0.skill), "priority": .integer(Int64($0.priority))])
                }
            ),
            "mentoringCapacity": .integer(Int64(member.mentoringCapacity)),
            "availability": .array(
                member.availability.map {
                    .object([
                        "weekday": .integer(Int64($0.weekday)), "startMinute": .integer(Int64($0.startMinute)),
                        "endMinute": .integer(Int64($0.endMinute)),
                    ])
                }
            ),
            "status": name(member.status, in: statusNames),
            "version": .string(String(member.version)),
            "createdAt": .string(rfc3339(member.createdAtMicros)),
            "updatedAt": .string(rfc3339(member.updatedAtMicros)),
        ]
        if let preferences = member.preferences {
            fields["preferences"] = .object([
                "oneWay": .bool(preferences.oneWay), "mutual": .bool(preferences.mutual),
                "organization": name(preferences.organization, in: organizationNames),
            ])
        }
        return .object(fields)
    }

    /// Microseconds since 1970 as RFC 3339 in UTC with microseconds, e.g. `2026-11-27T09:15:00.123456Z`.
    /// Written digit by digit from the proleptic Gregorian calendar (Howard Hinnant's
    /// `civil_from_days`): two per member response, and `gmtime_r` with string padding was ~2% of
    /// the gateway's time on a GET. A year outside 0…9999 (no real member's) is written with the
    /// digits it needs, and a leading `-` before year 0.
    static func rfc3339(_ micros: Int64) -> String {
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
}

extension Int64 {
    /// The quotient rounded toward negative infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

extension MemberJSON {
    /// The member as proto3 JSON text, byte for byte what `value(_:).serialized()` gives (keys in
    /// sorted order), written straight from the fields: every single-member response takes this
    /// path, and building the dictionary, sorting its keys and walking it was a visible share of a
    /// GET's time in the gateway benchmark. `MemberJSONTests` holds the two equal.
    static func bytes(_ member: Member) -> [UInt8] {
        var out = JSONBytes()
        out.open("{")
        out.key("availability", first: true)
        out.list(member.availability) { out, window in
            out.open("{")
            out.key("endMinute", first: true)
            out.integer(Int64(window.endMinute))
            out.key("startMinute")
            out.integer(Int64(window.startMinute))
            out.key("weekday")
            out.integer(Int64(window.weekday))
            out.close("}")
        }
        out.key("bio")
        out.string(member.bio)
        out.key("createdAt")
        out.string(rfc3339(member.createdAtMicros))
        out.key("department")
        out.string(member.department)
        out.key("displayName")
        out.string(member.displayName)
        out.key("email")
        out.string(member.email)
        out.key("expertise")
        out.list(member.expertise) { out, entry in
            out.open("{")
            out.key("level", first: true)
            out.integer(Int64(entry.level))
            out.key("skill")
            out.string(entry.skill)
            out.close("}")
        }
        out.key("headline")
        out.string(member.headline)
        out.key("id")
        out.string(member.id)
        out.key("languages")
        out.list(member.languages) { $0.string($1) }
        out.key("learningGoals")
        out.list(member.learningGoals) { out, goal in
            out.open("{")
            out.key("priority", first: true)
            out.integer(Int64(goal.priority))
            out.key("skill")
            out.string(goal.skill)
            out.close("}")
        }
        out.key("location")
        out.string(member.location)
        out.key("mentoringCapacity")
        out.integer(Int64(member.mentoringCapacity))
        out.key("networks")
        out.list(member.networks) { $0.string($1) }
        out.key("organization")
        out.string(member.organization)
        if let preferences = member.preferences {
            out.key("preferences")
            out.open("{")
            out.key("mutual", first: true)
            out.bool(preferences.mutual)
            out.key("oneWay")
            out.bool(preferences.oneWay)
            out.key("organization")
            out.string(name(preferences.organization, in: organizationNames))
            out.close("}")
        }
        out.key("roles")
        out.list(member.roles) { $0.string(name($1, in: roleNames)) }
        out.key("status")
        out.string(name(member.status, in: statusNames))
        out.key("timezone")
        out.string(member.timezone)
        out.key("updatedAt")
        out.string(rfc3339(member.updatedAtMicros))
        out.key("version")
        out.string(String(member.version))
        out.key("yearsOfExperience")
        out.integer(Int64(member.yearsOfExperience))
        out.close("}")
        return out.bytes
    }

    /// An enum's JSON name (its number when the name is unknown).
    private static func name<E: Equatable>(_ value: E, in names: [String: E]) -> String {
        names.first { $0.value == value }?.key ?? "\(value)"
    }
}

/// JSON text written in order, for the response paths that know their fields.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    mutating func open(_ bracket: Unicode.Scalar) { bytes.append(UInt8(ascii: bracket)) }
    mutating func close(_ bracket: Unicode.Scalar) { bytes.append(UInt8(ascii: bracket)) }

    /// `"key":`, after a comma unless it is the object's first.
    mutating func key(_ key: String, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ text: String) { JSONValue.writeString(text, to: &bytes) }
    mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }
    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    /// `[…]`, each element written by `element`.
    mutating func list<Element>(_ elements: [Element], _ element: (inout JSONBytes, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
