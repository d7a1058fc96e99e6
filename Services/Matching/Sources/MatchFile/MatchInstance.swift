import Foundation
import MatchingEngine
import ProfilesV1
import ProtoJSON
import Wire

/// A matching instance file: the members of a network as the gateway's JSON shapes them, the
/// round's options and, optionally, the previous round's pairs (for the difference). What
/// `mentornet-match` reads for dry runs and offline analysis.
public struct MatchInstance: Sendable {
    /// The members, as the profiles service keeps them (only active members are matched).
    public var members: [Member]
    /// The round's options.
    public var options: RoundOptions
    /// Only members of this network take part; nil for everyone in the file.
    public var network: String?
    /// How many mentors a mentee may have at once.
    public var maximumMentors: Int
    /// The moment whose UTC offsets place everyone's weekly availability.
    public var at: Date
    /// The previous round's pairs, when the file gives them.
    public var previousPairs: [PairKey]?

    /// Reads an instance; every problem is reported with the path of the field, e.g.
    /// `members[3].expertise[0].level` or `options.objective`.
    public static func parse(_ data: Data, now: Date = Date()) throws(JSONError) -> MatchInstance {
        let root = try JSONObjectReader(JSONValue.parse(data, subject: "instance"), path: "")
        try root.rejectUnknown(["members", "options", "previousPairs"])
        guard let entries = try root.objects("members") else { throw JSONError("members", "is required") }
        let members = try entries.concurrentMap { entry throws(JSONError) in
            var member = try Member(json: entry)
            guard !member.id.isEmpty else { throw JSONError("\(entry.path).id", "is required") }
            if member.status == .unspecified { member.status = .active }
            return member
        }
        var seen = Set<String>()
        for (entry, member) in zip(entries, members) where !seen.insert(member.id).inserted {
            throw JSONError("\(entry.path).id", "repeats \(member.id)")
        }

        var instance = MatchInstance(
            members: members, options: RoundOptions(), network: nil, maximumMentors: 1, at: now, previousPairs: nil)
        if let options = try root.object("options") {
            try options.rejectUnknown([
                "objective", "minimumScore", "seed", "mutual", "maximumMentors", "network", "at", "rules",
            ])
            instance.options.objective = try options.enumeration("objective", objectives) ?? .maxScore
            instance.options.minimumScore = try options.number("minimumScore", in: 0...100) ?? 30
            instance.options.seed = try options.integer("seed", in: 0...UInt64.max) ?? 1
            instance.options.mutual = try options.bool("mutual") ?? true
            instance.maximumMentors = Int(try options.integer("maximumMentors", in: 1...10) ?? 1)
            instance.network = try options.string("network")
            if let text = try options.string("at") {
                guard let date = ISO8601DateFormatter().date(from: text) else {
                    throw JSONError("options.at", "must be an RFC 3339 time such as 2026-11-27T09:00:00Z")
                }
                instance.at = date
            }
            if let rules = try options.object("rules") {
                instance.options.rules = try readRules(rules)
            }
        }
        if let pairs = try root.objects("previousPairs") {
            var keys: [PairKey] = []
            for pair in pairs {
                try pair.rejectUnknown(["kind", "mentor", "mentee"])
                guard let mentor = try pair.string("mentor"), let mentee = try pair.string("mentee") else {
                    throw JSONError(pair.path, "needs a mentor and a mentee")
                }
                let kind = try pair.enumeration("kind", kinds) ?? .oneWay
                keys.append(PairKey(kind: kind, mentor: mentor, mentee: mentee))
            }
            instance.previousPairs = keys
        }
        return instance
    }

    /// The active members of the instance's network, as the engine sees them.
    public func participants(convert: @Sendable (Member, Date, Int) -> Participant) -> [Participant] {
        let (at, maximumMentors) = (at, maximumMentors)
        return members.filter { member in
            member.status == .active && (network.map { member.networks.contains($0) } ?? true)
        }
        .concurrentMap { convert($0, at, maximumMentors) }
    }

    /// Each member normalised by `normalise`, on every core; the first member that fails, fails.
    public mutating func normaliseMembers<E: Error>(_ normalise: @Sendable (Int, Member) throws(E) -> Member) throws(E)
    {
        members = try Array(members.enumerated()).concurrentMap { (index, member) throws(E) in
            try normalise(index, member)
        }
    }

    static let objectives: [String: Objective] = ["MAX_SCORE": .maxScore, "MAX_PARTICIPATION": .maxParticipation]
    static let kinds: [String: MatchingEngine.MatchKind] = ["ONE_WAY": .oneWay, "MUTUAL": .mutual]

    private static func readRules(_ reader: JSONObjectReader) throws(JSONError) -> ScoringRules {
        try reader.rejectUnknown([
            "coverage", "experience", "availability", "organization", "idealExperienceGap", "idealOverlapHours",
            "requireSharedLanguage", "organizationIsHard",
        ])
        var rules = ScoringRules()
        rules.coverage = try reader.number("coverage", in: 0...100) ?? rules.coverage
        rules.experience = try reader.number("experience", in: 0...100) ?? rules.experience
        rules.availability = try reader.number("availability", in: 0...100) ?? rules.availability
        rules.organization = try reader.number("organization", in: 0...100) ?? rules.organization
        rules.idealExperienceGap = try reader.number("idealExperienceGap", in: 0.5...50) ?? rules.idealExperienceGap
        rules.idealOverlapHours = try reader.number("idealOverlapHours", in: 0.25...100) ?? rules.idealOverlapHours
        rules.requireSharedLanguage = try reader.bool("requireSharedLanguage") ?? rules.requireSharedLanguage
        rules.organizationIsHard = try reader.bool("organizationIsHard") ?? rules.organizationIsHard
        guard abs(rules.maximum - 100) < 0.001 else {
            throw JSONError(reader.path, "the weights must add up to 100 (they add up to \(rules.maximum))")
        }
        return rules
    }
}
