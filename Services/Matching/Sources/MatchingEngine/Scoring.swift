/// How much each criterion weighs (points out of 100) and which rules are hard, per network.
public struct ScoringRules: Sendable, Hashable {
    /// How well the mentor's expertise covers the mentee's goals, by level and priority.
    public var coverage: Double = 55
    /// The mentor's head start in years (full points from `idealExperienceGap`); for peers,
    /// full points when their experience is the same, none from `idealExperienceGap` apart.
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
    /// One side only wants mutual (peer) mentoring.
    case notOpenToOneWay = "not open to one-way mentoring"
    /// One of two peers does not accept mutual mentoring.
    case notOpenToMutual = "not open to mutual mentoring"
    /// Two peers cannot each teach the other a different skill the other wants.
    case noMutualCoverage = "they cannot teach each other different skills"
    /// The two are already matched, have a pending proposal, or one declined the other.
    case excluded = "already matched, proposed or declined"

    /// The position in `allCases`, without hashing the raw value.
    var index: Int {
        switch self {
        case .samePerson: 0
        case .wrongRoles: 1
        case .noSharedLanguage: 2
        case .noCoverage: 3
        case .organizationPreference: 4
        case .notOpenToOneWay: 5
        case .notOpenToMutual: 6
        case .noMutualCoverage: 7
        case .excluded: 8
        }
    }
}

/// Whether a pair is one-way (a mentor and a mentee) or mutual (each mentors the other).
public enum MatchKind: String, Sendable, Hashable, Codable {
    /// A mentor and a mentee.
    case oneWay = "ONE_WAY"
    /// Two peers, each mentoring the other on different skills.
    case mutual = "MUTUAL"
}

/// A pair's score: 0…100, the points of each criterion (which add up to the score), and a line
/// a person can read.
public struct PairScore: Sendable, Hashable {
    /// One-way or mutual.
    public var kind: MatchKind
    /// The mentor (in a mutual pair, the partner whose id sorts first).
    public var mentor: String
    /// The mentee (in a mutual pair, the other partner).
    public var mentee: String
    /// The total, the sum of `parts`, in points with two decimals.
    public var total: Double
    /// Points per criterion: `coverage`, `experience`, `availability`, `organization`.
    public var parts: [String: Double]
    /// The skills `mentor` teaches `mentee`, most wanted first.
    public var coveredSkills: [String]
    /// In a mutual pair, the skills `mentee` teaches `mentor`; empty in a one-way pair.
    public var reverseCoveredSkills: [String]
    /// Shared weekly hours.
    public var overlapHours: Double
    /// One line for people, e.g. "teaches rust (level 5), go (level 3); 3.5 h/week in common; 4 years ahead".
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
        evaluate(mentor, mentee, mutual: false).ineligibility
    }

    /// The score of the pair, or nil when it is ineligible.
    public func score(mentor: Participant, mentee: Participant) -> PairScore? {
        let result = evaluate(mentor, mentee, mutual: false)
        guard let points = result.points else { return nil }
        return describe(mentor: mentor, mentee: mentee, points: points)
    }

    /// Why two peers cannot mentor each other, or nil when they can.
    public func mutualIneligibility(_ a: Participant, _ b: Participant) -> Ineligibility? {
        evaluate(a, b, mutual: true).ineligibility
    }

    /// The score of a mutual pair (each mentors the other), or nil when it is ineligible.
    public func mutualScore(_ a: Participant, _ b: Participant) -> PairScore? {
        let result = evaluate(a, b, mutual: true)
        guard let points = result.points else { return nil }
        return describeMutual(a, b, points: points)
    }

    private func evaluate(_ a: Participant, _ b: Participant, mutual: Bool) -> (
        ineligibility: Ineligibility?, points: Points?
    ) {
        if a.id == b.id { return (.samePerson, nil) }
        let kernel = ScoringKernel(rules: rules)
        let store = ProfileStore([a, b])
        let verdict = store.withLists { lists in
            mutual ? kernel.mutual(store[0], store[1], lists) : kernel.oneWay(mentor: store[0], mentee: store[1], lists)
        }
        switch verdict {
        case .eligible(let points): return (nil, points)
        case .ineligible(let reason): return (reason, nil)
        }
    }

    /// A one-way pair's full description from its points.
    func describe(mentor: Participant, mentee: Participant, points: Points) -> PairScore {
        let skills = Self.taught(by: mentor, to: mentee)
        let hours = Double(points.overlapMinutes) / 60
        let gap = mentor.yearsOfExperience - mentee.yearsOfExperience
        var phrases = ["teaches " + skills.prefix(3).map { "\($0.name) (level \($0.level))" }.joined(separator: ", ")]
        phrases.append(hours > 0 ? "\(formatted(hours)) h/week in common" : "no common free time")
        if gap > 0 { phrases.append("\(gap) years ahead") }
        if points.organization == 0 && rules.organization > 0 { phrases.append("organization preference not met") }
        return PairScore(
            kind: .oneWay, mentor: mentor.id, mentee: mentee.id, total: points.totalPoints,
            parts: points.parts, coveredSkills: skills.map(\.name), reverseCoveredSkills: [], overlapHours: hours,
            explanation: phrases.joined(separator: "; "))
    }

    /// A mutual pair's full description from its points; the partner whose id sorts first leads.
    func describeMutual(_ a: Participant, _ b: Participant, points: Points) -> PairScore {
        let (first, second) = a.id < b.id ? (a, b) : (b, a)
        let forward = Self.taught(by: first, to: second).map(\.name)
        let backward = Self.taught(by: second, to: first).map(\.name)
        let hours = Double(points.overlapMinutes) / 60
        var phrases = [
            "\(first.id) teaches " + forward.prefix(3).joined(separator: ", "),
            "\(second.id) teaches " + backward.prefix(3).joined(separator: ", "),
            hours > 0 ? "\(formatted(hours)) h/week in common" : "no common free time",
        ]
        if points.organization == 0 && rules.organization > 0 { phrases.append("organization preference not met") }
        return PairScore(
            kind: .mutual, mentor: first.id, mentee: second.id, total: points.totalPoints, parts: points.parts,
            coveredSkills: forward, reverseCoveredSkills: backward, overlapHours: hours,
            explanation: phrases.joined(separator: "; "))
    }

    /// The skills `teacher` can teach `learner`, most wanted first, then by level, then by name.
    static func taught(by teacher: Participant, to learner: Participant) -> [(name: String, level: Int)] {
        learner.goals.compactMap { skill, priority -> (String, Int, Int)? in
            let level = min(teacher.expertise[skill] ?? 0, 5)
            return level > 0 ? (skill, priority, level) : nil
        }
        .sorted { ($0.1, -$0.2, $0.0) < ($1.1, -$1.2, $1.0) }
        .map { ($0.0, $0.2) }
    }

    /// Minutes two sets of weekly windows (UTC minutes of the week) share; windows may wrap past
    /// the end of the week (start < 10080 ≤ end), and overlapping windows of one person count once.
    public static func overlapMinutes(_ a: [Range<Int>], _ b: [Range<Int>]) -> Int {
        Vocabulary.normalise(a).withUnsafeBufferPointer { x in
            Vocabulary.normalise(b).withUnsafeBufferPointer { y in ScoringKernel.overlap(x, y) }
        }
    }
}

private func formatted(_ hours: Double) -> String {
    let rounded = (hours * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
}
