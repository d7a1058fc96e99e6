import Foundation
import ProfilesV1
import Wire

/// The rules a member's profile must follow, and the normal form it is stored in.
/// Every rule breaks into a `FieldViolation` naming the field and the rule.
public enum MemberValidator {
    /// The limits, stated once on the fields in profiles.proto (`(mentornet.api.v1.limits)`),
    /// whence the OpenAPI document's come too.
    typealias Limits = Member.Limits

    /// Returns the member in normal form (trimmed text, lower-case skills, networks and languages),
    /// or the violations. `path` prefixes field names (e.g. `member.`).
    public static func normalise(_ member: Member, path: String = "") -> Result<Member, RPCViolations> {
        var violations: [FieldViolation] = []
        func fail(_ field: String, _ rule: String) {
            violations.append(FieldViolation(field: path + field, description: rule))
        }
        var m = member

        m.email = trimmed(m.email, .whitespaces)
        if m.email.isEmpty {
            fail("email", "is required")
        } else if m.email.count > Limits.emailLength.upperBound || !isEmail(m.email) {
            fail(
                "email",
                "must be an address like name@example.org (at most \(Limits.emailLength.upperBound) characters)")
        }
        m.displayName = collapse(m.displayName)
        if m.displayName.isEmpty { fail("display_name", "is required") }
        if m.displayName.count > Limits.displayNameLength.upperBound {
            fail("display_name", "must be at most \(Limits.displayNameLength.upperBound) characters")
        }
        m.headline = collapse(m.headline)
        if m.headline.count > Limits.headlineLength.upperBound {
            fail("headline", "must be at most \(Limits.headlineLength.upperBound) characters")
        }
        m.bio = trimmed(m.bio, .whitespacesAndNewlines)
        if m.bio.count > Limits.bioLength.upperBound {
            fail("bio", "must be at most \(Limits.bioLength.upperBound) characters")
        }
        for (name, value, limit) in [
            ("organization", m.organization, Limits.organizationLength.upperBound),
            ("department", m.department, Limits.departmentLength.upperBound),
            ("location", m.location, Limits.locationLength.upperBound),
        ]
        where collapse(value).count > limit {
            fail(name, "must be at most \(limit) characters")
        }
        m.organization = collapse(m.organization)
        m.department = collapse(m.department)
        m.location = collapse(m.location)
        for (index, text) in [m.email, m.displayName, m.headline, m.bio].enumerated()
        where text.unicodeScalars.contains(where: isControl) {
            fail(["email", "display_name", "headline", "bio"][index], "must not contain control characters")
        }

        if m.roles.isEmpty { fail("roles", "must name at least one role (ROLE_MENTOR, ROLE_MENTEE)") }
        for (index, role) in m.roles.enumerated() where role == .unspecified {
            fail("roles[\(index)]", "must be ROLE_MENTOR or ROLE_MENTEE")
        }
        if Set(m.roles).count != m.roles.count { fail("roles", "must not repeat a role") }
        m.roles = Role.allCases.filter { m.roles.contains($0) && $0 != .unspecified }

        m.networks = m.networks.map { trimmed($0, .whitespaces).lowercased() }
        if m.networks.isEmpty { fail("networks", "must name at least one network") }
        if m.networks.count > Limits.networksCount.upperBound {
            fail("networks", "must be at most \(Limits.networksCount.upperBound)")
        }
        for (index, network) in m.networks.enumerated() where !isSlug(network) {
            fail("networks[\(index)]", "must be 1 to \(Limits.networksLength.upperBound) of a-z, 0-9 and '-'")
        }
        if Set(m.networks).count != m.networks.count { fail("networks", "must not repeat a network") }

        m.timezone = trimmed(m.timezone, .whitespaces)
        if m.timezone.isEmpty {
            fail("timezone", "is required (an IANA name such as Europe/Berlin)")
        } else if !isIANATimeZone(m.timezone) {
            fail("timezone", "must be an IANA timezone name such as Europe/Berlin")
        }

        m.languages = m.languages.map { trimmed($0, .whitespaces).lowercased() }
        if m.languages.isEmpty { fail("languages", "must name at least one language") }
        if m.languages.count > Limits.languagesCount.upperBound {
            fail("languages", "must be at most \(Limits.languagesCount.upperBound)")
        }
        for (index, language) in m.languages.enumerated() where !isLanguageCode(language) {
            fail("languages[\(index)]", "must be a two-letter ISO 639-1 code such as en")
        }
        if Set(m.languages).count != m.languages.count { fail("languages", "must not repeat a language") }

        if !Limits.yearsOfExperienceRange.contains(m.yearsOfExperience) {
            fail("years_of_experience", "must be at most \(Limits.yearsOfExperienceRange.upperBound)")
        }

        if m.expertise.count > Limits.expertiseCount.upperBound {
            fail("expertise", "must be at most \(Limits.expertiseCount.upperBound) skills")
        }
        for index in m.expertise.indices {
            m.expertise[index].skill = normaliseSkill(m.expertise[index].skill)
            if !isSkill(m.expertise[index].skill) { fail("expertise[\(index)].skill", skillRule) }
            if !Expertise.Limits.levelRange.contains(m.expertise[index].level) {
                fail("expertise[\(index)].level", "must be \(range(Expertise.Limits.levelRange))")
            }
        }
        if Set(m.expertise.map(\.skill)).count != m.expertise.count { fail("expertise", "must not repeat a skill") }

        if m.learningGoals.count > Limits.learningGoalsCount.upperBound {
            fail("learning_goals", "must be at most \(Limits.learningGoalsCount.upperBound)")
        }
        for index in m.learningGoals.indices {
            m.learningGoals[index].skill = normaliseSkill(m.learningGoals[index].skill)
            if !isSkill(m.learningGoals[index].skill) { fail("learning_goals[\(index)].skill", skillRule) }
            if !LearningGoal.Limits.priorityRange.contains(m.learningGoals[index].priority) {
                fail("learning_goals[\(index)].priority", "must be \(range(LearningGoal.Limits.priorityRange))")
            }
        }
        if Set(m.learningGoals.map(\.skill)).count != m.learningGoals.count {
            fail("learning_goals", "must not repeat a skill")
        }

        if !Limits.mentoringCapacityRange.contains(m.mentoringCapacity) {
            fail("mentoring_capacity", "must be at most \(Limits.mentoringCapacityRange.upperBound)")
        }
        if m.roles.contains(.mentor) {
            if m.mentoringCapacity == 0 { fail("mentoring_capacity", "must be at least 1 for a mentor") }
            if m.expertise.isEmpty { fail("expertise", "must name at least one skill for a mentor") }
        } else if m.mentoringCapacity != 0 {
            fail("mentoring_capacity", "must be 0 for a member who is not a mentor")
        }
        if m.roles.contains(.mentee) && m.learningGoals.isEmpty {
            fail("learning_goals", "must name at least one skill for a mentee")
        }

        if m.availability.count > Limits.availabilityCount.upperBound {
            fail("availability", "must be at most \(Limits.availabilityCount.upperBound) windows")
        }
        for (index, window) in m.availability.enumerated() {
            if !AvailabilityWindow.Limits.weekdayRange.contains(window.weekday) {
                fail("availability[\(index)].weekday", "must be 1 (Monday) to 7 (Sunday)")
            }
            if !AvailabilityWindow.Limits.startMinuteRange.contains(window.startMinute) {
                fail(
                    "availability[\(index)].start_minute",
                    "must be \(range(AvailabilityWindow.Limits.startMinuteRange))")
            }
            let end = AvailabilityWindow.Limits.endMinuteRange
            if !end.contains(window.endMinute) || window.endMinute <= window.startMinute {
                fail("availability[\(index)].end_minute", "must be after start_minute and at most \(end.upperBound)")
            }
        }
        let sorted = m.availability.enumerated().sorted {
            ($0.element.weekday, $0.element.startMinute) < ($1.element.weekday, $1.element.startMinute)
        }
        for (previous, next) in zip(sorted, sorted.dropFirst())
        where previous.element.weekday == next.element.weekday && next.element.startMinute < previous.element.endMinute
        {
            fail("availability[\(next.offset)]", "overlaps availability[\(previous.offset)]")
        }
        m.availability = sorted.map(\.element)

        let preferences = m.preferences ?? MatchPreferences(oneWay: true, mutual: false, organization: .any)
        if !preferences.oneWay && !preferences.mutual {
            fail("preferences", "must allow one-way or mutual mentoring (or both)")
        }
        m.preferences = preferences

        return violations.isEmpty ? .success(m) : .failure(RPCViolations(violations))
    }

    private static let skillRule =
        "must be 1 to \(Expertise.Limits.skillLength.upperBound) characters of letters, digits, spaces and + # . - /"

    /// `1 to 5`.
    private static func range(_ range: ClosedRange<UInt32>) -> String {
        "\(range.lowerBound) to \(range.upperBound)"
    }

    /// Lower-case, trimmed, inner white space collapsed to one space.
    public static func normaliseSkill(_ skill: String) -> String {
        collapse(skill).lowercased()
    }

    /// The email's case-insensitive key.
    public static func emailKey(_ email: String) -> String {
        trimmed(email, .whitespaces).lowercased()
    }

    /// Runs of whitespace as one space, none at either end. Text of printable ASCII with single
    /// spaces inside (nearly all text) is already so, and is returned without being rebuilt.
    private static func collapse(_ text: String) -> String {
        var afterSpace = true
        for byte in text.utf8 {
            if byte < 0x20 || byte >= 0x7F || (byte == 0x20 && afterSpace) {
                return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            }
            afterSpace = byte == 0x20
        }
        return afterSpace && !text.isEmpty
            ? text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") : text
    }

    /// `text.trimmingCharacters(in: set)` (`set` is whitespace, with or without newlines), without
    /// Foundation's detour through NSString when both ends are printable ASCII (nothing to trim).
    private static func trimmed(_ text: String, _ set: CharacterSet) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first),
            (0x21...0x7E).contains(last)
        {
            return text
        }
        return text.trimmingCharacters(in: set)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t"
    }

    private static func isEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count >= 2 else { return false }
        let local = parts[0]
        guard !local.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "<" || $0 == ">" }) else {
            return false
        }
        return domain.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// Whether `text` is a network name: 1 to 64 of a-z, 0-9 and `-`.
    public static func isSlug(_ text: String) -> Bool {
        Limits.networksLength.contains(text.utf8.count)
            && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    private static func isLanguageCode(_ text: String) -> Bool {
        text.utf8.count == 2 && text.utf8.allSatisfy { $0 >= 97 && $0 <= 122 }
    }

    private static func isSkill(_ text: String) -> Bool {
        Expertise.Limits.skillLength.contains(text.count)
            && text.allSatisfy { $0.isLetter || $0.isNumber || " +#.-/".contains($0) }
    }

    /// Whether `name` is in the system's IANA database (tzdata), e.g. `Europe/Berlin`, `UTC`.
    /// Foundation's ICU data decides; offsets such as `GMT+5` are refused because ICU renames them.
    public static func isIANATimeZone(_ name: String) -> Bool {
        if name == "UTC" { return true }
        guard name.utf8.count <= 64, !name.contains(".."), !name.hasPrefix("/") else { return false }
        return TimeZone(identifier: name)?.identifier == name
    }
}

/// Field violations as an error (INVALID_ARGUMENT on the wire).
public struct RPCViolations: Error, Equatable {
    /// The violations.
    public var violations: [FieldViolation]

    /// Wraps violations.
    public init(_ violations: [FieldViolation]) {
        self.violations = violations
    }
}
