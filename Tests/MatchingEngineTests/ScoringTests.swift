import MatchingEngine
import Testing

@Suite("pair scores")
struct ScoringTests {
    let mentor = Participant(
        id: "m", isMentor: true, organization: "acme", languages: ["en", "de"], yearsOfExperience: 12,
        expertise: ["rust": 5, "go": 3], capacity: 2, availabilityUTC: [600..<780])
    let mentee = Participant(
        id: "e", isMentee: true, organization: "globex", languages: ["de"], yearsOfExperience: 2,
        goals: ["rust": 1, "go": 3, "cobol": 5], availabilityUTC: [660..<900])

    @Test("a score's parts add up to it, and each stays within its weight")
    func partsAddUp() throws {
        let score = try #require(Scorer().score(mentor: mentor, mentee: mentee))
        #expect(abs(score.parts.values.reduce(0, +) - score.total) < 0.011)
        let rules = ScoringRules()
        #expect(score.parts["coverage"]! <= rules.coverage)
        #expect(score.parts["experience"] == rules.experience)  // 10 years ahead ≥ ideal 5
        #expect(score.parts["availability"] == rules.availability)  // 2 h in common = ideal
        #expect(score.overlapHours == 2)
        #expect(score.coveredSkills == ["rust", "go"])
        #expect(score.explanation.contains("rust (level 5)"))
        #expect(score.explanation.contains("2 h/week in common"))
        #expect(score.total > 0 && score.total <= 100)
    }

    @Test("coverage weighs goals by priority and level")
    func coverage() throws {
        // Goals: rust (priority 1, weight 5, level 5 → 5), go (priority 3, weight 3, level 3 → 1.8), cobol (weight 1, 0).
        let score = try #require(Scorer().score(mentor: mentor, mentee: mentee))
        #expect(abs(score.parts["coverage"]! - 55 * (5 + 1.8) / 9) < 0.006)
    }

    @Test(
        "hard rules make a pair ineligible",
        arguments: [
            ("no shared language", Ineligibility.noSharedLanguage),
            ("nothing to teach", .noCoverage),
            ("self", .samePerson),
            ("not a mentor", .wrongRoles),
        ]
    )
    func hardRules(_ name: String, _ expected: Ineligibility) {
        var m = mentor
        var e = mentee
        switch expected {
        case .noSharedLanguage: e.languages = ["ja"]
        case .noCoverage: e.goals = ["cobol": 1]
        case .samePerson: e.id = m.id
        case .wrongRoles: m.isMentor = false
        case .organizationPreference, .notOpenToOneWay, .notOpenToMutual, .noMutualCoverage, .excluded: break
        }
        #expect(Scorer().ineligibility(mentor: m, mentee: e) == expected)
        #expect(Scorer().score(mentor: m, mentee: e) == nil)
    }

    @Test("organization preferences: a criterion by default, a hard rule when the network says so")
    func organization() throws {
        var e = mentee
        e.organizationPreference = .same
        let soft = try #require(Scorer().score(mentor: mentor, mentee: e))
        #expect(soft.parts["organization"] == 0)
        var rules = ScoringRules()
        rules.organizationIsHard = true
        #expect(Scorer(rules: rules).ineligibility(mentor: mentor, mentee: e) == .organizationPreference)
    }

    @Test("availability overlap counts across the end of the week")
    func weekWrap() {
        let week = 7 * 24 * 60
        #expect(Scorer.overlapMinutes([(week - 60)..<(week + 60)], [0..<30]) == 30)
        #expect(Scorer.overlapMinutes([0..<60, 120..<180], [30..<150]) == 60)
        #expect(Scorer.overlapMinutes([], [0..<60]) == 0)
    }
}
