/// A pair's points per criterion, in hundredths of a point so that they add up exactly.
struct Points: Sendable, Hashable {
    var coverage: Int
    var experience: Int
    var availability: Int
    var organization: Int
    var overlapMinutes: Int

    /// The score in hundredths: the sum of the parts.
    var total: Int { coverage + experience + availability + organization }

    var totalPoints: Double { Double(total) / 100 }

    var parts: [String: Double] {
        [
            "coverage": Double(coverage) / 100, "experience": Double(experience) / 100,
            "availability": Double(availability) / 100, "organization": Double(organization) / 100,
        ]
    }
}

/// The scoring model on compiled profiles: hard rules, then points per criterion. Everything the
/// engine scores (single pairs, suggestions, rounds) goes through here, so scores always agree.
struct ScoringKernel: Sendable {
    let rules: ScoringRules
    private let coverageWeight: Double
    private let experienceWeight: Double
    private let availabilityWeight: Double
    private let organizationPoints: Int

    init(rules: ScoringRules) {
        self.rules = rules
        coverageWeight = rules.coverage * 100
        experienceWeight = rules.experience * 100
        availabilityWeight = rules.availability * 100
        organizationPoints = Int((rules.organization * 100).rounded())
    }

    /// `mentor` mentoring `mentee` (the caller has ruled out the same person).
    @inline(__always)
    func oneWay(mentor: Profile, mentee: Profile, _ lists: ProfileStore.Lists) -> Verdict {
        if !mentor.isMentor || !mentee.isMentee { return .ineligible(.wrongRoles) }
        if !mentor.acceptsOneWay || !mentee.acceptsOneWay { return .ineligible(.notOpenToOneWay) }
        if rules.requireSharedLanguage && !lists.sharesLanguage(mentor, mentee) {
            return .ineligible(.noSharedLanguage)
        }
        if mentor.expertiseMask & mentee.goalMask == 0 { return .ineligible(.noCoverage) }
        let covered = Self.coverage(lists.skills(mentor.expertise), lists.skills(mentee.goals))
        if covered.count == 0 { return .ineligible(.noCoverage) }
        let fits = organizationFits(mentor, mentee)
        if rules.organizationIsHard && !fits { return .ineligible(.organizationPreference) }
        let gap = Double(max(mentor.years - mentee.years, 0))
        return .eligible(
            points(
                coverage: Double(covered.sum) / Double(5 * Int(mentee.goalWeight)),
                experience: min(gap / rules.idealExperienceGap, 1),
                lists.integers(mentor.availability), lists.integers(mentee.availability), fits: fits))
    }

    /// Two peers mentoring each other: each must teach the other something the other wants,
    /// and not only the one same skill both ways.
    func mutual(_ a: Profile, _ b: Profile, _ lists: ProfileStore.Lists) -> Verdict {
        if !a.isMentee || !b.isMentee { return .ineligible(.wrongRoles) }
        if !a.acceptsMutual || !b.acceptsMutual { return .ineligible(.notOpenToMutual) }
        if rules.requireSharedLanguage && !lists.sharesLanguage(a, b) { return .ineligible(.noSharedLanguage) }
        if a.expertiseMask & b.goalMask == 0 || b.expertiseMask & a.goalMask == 0 {
            return .ineligible(.noMutualCoverage)
        }
        let forward = Self.coverage(lists.skills(a.expertise), lists.skills(b.goals))
        let backward = Self.coverage(lists.skills(b.expertise), lists.skills(a.goals))
        if forward.count == 0 || backward.count == 0
            || (forward.count == 1 && backward.count == 1 && forward.first == backward.first)
        {
            return .ineligible(.noMutualCoverage)
        }
        let fits = organizationFits(a, b)
        if rules.organizationIsHard && !fits { return .ineligible(.organizationPreference) }
        let coverage =
            (Double(forward.sum) / Double(5 * Int(b.goalWeight)) + Double(backward.sum)
                / Double(5 * Int(a.goalWeight))) / 2
        let gap = Double(abs(a.years - b.years))
        return .eligible(
            points(
                coverage: coverage, experience: 1 - min(gap / rules.idealExperienceGap, 1),
                lists.integers(a.availability), lists.integers(b.availability), fits: fits))
    }

    @inline(__always)
    private func points(
        coverage: Double, experience: Double, _ a: UnsafeBufferPointer<Int32>, _ b: UnsafeBufferPointer<Int32>,
        fits: Bool
    ) -> Points {
        let minutes = Self.overlap(a, b)
        let hours = Double(minutes) / 60
        return Points(
            coverage: Int((coverageWeight * coverage).rounded()),
            experience: Int((experienceWeight * experience).rounded()),
            availability: Int((availabilityWeight * min(hours / rules.idealOverlapHours, 1)).rounded()),
            organization: fits ? organizationPoints : 0,
            overlapMinutes: minutes)
    }

    /// Σ weight × level over the learner's goals the teacher knows, how many there are and the first.
    @inline(__always)
    static func coverage(_ taught: UnsafeBufferPointer<SkillValue>, _ wanted: UnsafeBufferPointer<SkillValue>) -> (
        sum: Int, count: Int, first: Int32
    ) {
        var sum = 0
        var count = 0
        var first: Int32 = -1
        var i = 0
        var j = 0
        while i < taught.count && j < wanted.count {
            let x = taught[i].skill
            let y = wanted[j].skill
            if x < y {
                i += 1
            } else if y < x {
                j += 1
            } else {
                sum += Int(taught[i].value) * Int(wanted[j].value)
                if count == 0 { first = x }
                count += 1
                i += 1
                j += 1
            }
        }
        return (sum, count, first)
    }

    /// Minutes two normalised availabilities share.
    @inline(__always)
    static func overlap(_ x: UnsafeBufferPointer<Int32>, _ y: UnsafeBufferPointer<Int32>) -> Int {
        var total = 0
        var i = 0
        var j = 0
        while i < x.count && j < y.count {
            let start = max(x[i], y[j])
            let end = min(x[i + 1], y[j + 1])
            if end > start { total += Int(end - start) }
            if x[i + 1] < y[j + 1] { i += 2 } else { j += 2 }
        }
        return total
    }

    @inline(__always)
    private func organizationFits(_ a: Profile, _ b: Profile) -> Bool {
        @inline(__always) func accepts(_ rule: Participant.OrganizationRule, _ mine: Int32, _ theirs: Int32) -> Bool {
            switch rule {
            case .any: true
            case .same: mine >= 0 && mine == theirs
            case .other: mine < 0 || mine != theirs
            }
        }
        return accepts(a.organizationRule, a.organization, b.organization)
            && accepts(b.organizationRule, b.organization, a.organization)
    }
}

/// A pair's verdict: eligible with its points, or the hard rule that rules it out.
enum Verdict: Sendable {
    case eligible(Points)
    case ineligible(Ineligibility)
}
