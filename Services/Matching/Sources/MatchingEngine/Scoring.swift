/// How much each criterion weighs (points out of 100) and which rules are hard, per network.
public struct ScoringRules: Sendable, Hashable {
    /// How well the mentor's expertise covers the mentee's goals, by level and priority.
    public var coverage: Double = 55
    /// The mentor's head start in years (full points from `idealExperienceGap`).
    public var experience: Double = 15
    /// Weekly hours both are free (full points from `idealOverlapHours`).
    public var availability: Double = 20
    /// The organization preference of both sides is met.
    public var organization: Double = 10
    /// Years of head start that earn full experience points.
    public var idealExperienceGap = 5.0
    /// Weekly shared hours that earn full availability points.
    public var idealOverlapHours = 2.0
    /// A shared language is required (hard rule).
    public var requireSharedLanguage = true
    /// An organization preference is a hard rule instead of a criterion.
    public var organizationIsHard = false

    /// The default rules.
    public init() {}

    /// The sum of the weights: the best possible score.
    public var maximum: Double { coverage + experience + availability + organization }
}

/// Why a pair cannot be matched at all.
public enum Ineligibility: String, Sendable, Hashable, CaseIterable {
    /// The same person.
    case samePerson = "the same person"
    /// One side is not a mentor / not a mentee.
    case wrongRoles = "roles do not fit"
    /// No language in common.
    case noSharedLanguage = "no shared language"
    /// The mentor teaches none of the mentee's goals.
    case noCoverage = "the mentor teaches none of the mentee's goals"
    /// An organization preference that is a hard rule is not met.
    case organizationPreference = "an organization preference is not met"
}

/// A pair's score: 0…100, the points of each criterion (which add up to the score), and a line
/// a person can read.
public struct PairScore: Sendable, Hashable {
    /// The mentor.
    public var mentor: String
    /// The mentee.
    public var mentee: String
    /// The total, the sum of `parts`, rounded to hundredths.
    public var total: Double
    /// Points per criterion: `coverage`, `experience`, `availability`, `organization`.
    public var parts: [String: Double]
    /// The skills the mentor covers, most wanted first.
    public var coveredSkills: [String]
    /// Shared weekly hours.
    public var overlapHours: Double
    /// One line for people, e.g. "teaches rust (level 5) and go; 3.5 h/week in common; 4 years ahead".
    public var explanation: String
}

/// Scores pairs by `rules`.
public struct Scorer: Sendable {
    /// The rules in force.
    public var rules: ScoringRules

    /// A scorer.
    public init(rules: ScoringRules = ScoringRules()) {
        self.rules = rules
    }

    /// Why `mentor` cannot mentor `mentee`, or nil when they can.
    public func ineligibility(mentor: Participant, mentee: Participant) -> Ineligibility? {
        if mentor.id == mentee.id { return .samePerson }
        if !mentor.isMentor || !mentee.isMentee { return .wrongRoles }
        if rules.requireSharedLanguage && mentor.languages.isDisjoint(with: mentee.languages) {
            return .noSharedLanguage
        }
        if !mentee.goals.keys.contains(where: { (mentor.expertise[$0] ?? 0) > 0 }) { return .noCoverage }
        if rules.organizationIsHard && !organizationFits(mentor, mentee) { return .organizationPreference }
        return nil
    }

    /// The score of the pair, or nil when it is ineligible.
    public func score(mentor: Participant, mentee: Participant) -> PairScore? {
        guard ineligibility(mentor: mentor, mentee: mentee) == nil else { return nil }
        // Coverage: each goal weighs 6 - priority; a mentor at level L covers L/5 of it.
        var wanted = 0.0
        var covered = 0.0
        var skills: [(String, Int, Int)] = []
        for (skill, priority) in mentee.goals {
            let weight = Double(6 - min(max(priority, 1), 5))
            wanted += weight
            let level = min(max(mentor.expertise[skill] ?? 0, 0), 5)
            covered += weight * Double(level) / 5
            if level > 0 { skills.append((skill, priority, level)) }
        }
        skills.sort { ($0.1, -$0.2, $0.0) < ($1.1, -$1.2, $1.0) }
        let gap = Double(mentor.yearsOfExperience - mentee.yearsOfExperience)
        let hours = Double(Self.overlapMinutes(mentor.availabilityUTC, mentee.availabilityUTC)) / 60
        let parts: [String: Double] = [
            "coverage": round2(rules.coverage * (wanted > 0 ? covered / wanted : 0)),
            "experience": round2(rules.experience * min(max(gap, 0) / rules.idealExperienceGap, 1)),
            "availability": round2(rules.availability * min(hours / rules.idealOverlapHours, 1)),
            "organization": round2(organizationFits(mentor, mentee) ? rules.organization : 0),
        ]
        let total = round2(parts.values.reduce(0, +))
        var phrases: [String] = []
        phrases.append("teaches " + skills.prefix(3).map { "\($0.0) (level \($0.2))" }.joined(separator: ", "))
        phrases.append(hours > 0 ? "\(formatted(hours)) h/week in common" : "no common free time")
        if gap > 0 { phrases.append("\(Int(gap)) years ahead") }
        if parts["organization"] == 0 && rules.organization > 0 { phrases.append("organization preference not met") }
        return PairScore(
            mentor: mentor.id,
            mentee: mentee.id,
            total: total,
            parts: parts,
            coveredSkills: skills.map(\.0),
            overlapHours: hours,
            explanation: phrases.joined(separator: "; ")
        )
    }

    private func organizationFits(_ mentor: Participant, _ mentee: Participant) -> Bool {
        func accepts(_ rule: Participant.OrganizationRule, _ mine: String, _ theirs: String) -> Bool {
            switch rule {
            case .any: true
            case .same: !mine.isEmpty && mine == theirs
            case .other: mine.isEmpty || mine != theirs
            }
        }
        return accepts(mentor.organizationPreference, mentor.organization, mentee.organization)
            && accepts(mentee.organizationPreference, mentee.organization, mentor.organization)
    }

    /// Minutes two sets of weekly windows (UTC minutes of the week) share; windows may wrap past
    /// the end of the week (start < 10080 ≤ end).
    public static func overlapMinutes(_ a: [Range<Int>], _ b: [Range<Int>]) -> Int {
        let week = 7 * 24 * 60
        func normalised(_ ranges: [Range<Int>]) -> [Range<Int>] {
            ranges.flatMap { range -> [Range<Int>] in
                let start = ((range.lowerBound % week) + week) % week
                let end = start + range.count
                return end <= week ? [start..<end] : [start..<week, 0..<(end - week)]
            }
        }
        var total = 0
        for x in normalised(a) {
            for y in normalised(b) {
                total += max(0, min(x.upperBound, y.upperBound) - max(x.lowerBound, y.lowerBound))
            }
        }
        return total
    }
}

func round2(_ value: Double) -> Double { (value * 100).rounded() / 100 }

private func formatted(_ hours: Double) -> String {
    hours == hours.rounded() ? String(Int(hours)) : String(round2(hours))
}
