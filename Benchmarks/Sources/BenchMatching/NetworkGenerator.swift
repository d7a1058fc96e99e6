import MatchingEngine

/// Generates a believable network: mentors teach several of `skills`, mentees want a few; people
/// speak one or two of `languages`, live in one of `timezones` and are free a few evenings a week.
struct NetworkGenerator {
    var skills = 30
    var languages = 5
    var timezones = 10
    var organizations = 20
    var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    private mutating func uniform(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(rng.next() % UInt64(range.count))
    }

    /// A skewed pick: low indices are more common (popular skills, widespread languages).
    private mutating func skewed(_ count: Int) -> Int {
        min(Int(Double(count) * pow01(Double(rng.next() % 10_000) / 10_000)), count - 1)
    }

    private func pow01(_ x: Double) -> Double { x * x }

    private mutating func languageSet() -> Set<String> {
        var set: Set<String> = ["l\(skewed(languages))"]
        if uniform(0...2) == 0 { set.insert("l\(uniform(0...(languages - 1)))") }
        return set
    }

    /// Two to four windows of one to three hours on random days, in the member's local evening,
    /// shifted to UTC by the member's timezone (offsets −8…+9 hours, 10 zones).
    private mutating func availability() -> [Range<Int>] {
        let offsetHours = -8 + uniform(0...(timezones - 1)) * 17 / max(timezones - 1, 1)
        var windows: [Range<Int>] = []
        var days = Array(0..<7)
        days.shuffle(using: &rng)
        for day in days.prefix(uniform(2...4)) {
            let startLocal = day * 1440 + uniform(16...20) * 60 + [0, 30][uniform(0...1)]
            let start = startLocal - offsetHours * 60 + 7 * 1440
            windows.append(start..<(start + uniform(1...3) * 60))
        }
        return windows
    }

    mutating func mentor(_ index: Int) -> Participant {
        var expertise: [String: Int] = [:]
        for _ in 0..<uniform(3...6) { expertise["s\(skewed(skills))"] = uniform(2...5) }
        return Participant(
            id: "mentor-\(index)", isMentor: true, organization: "org\(uniform(0...(organizations - 1)))",
            languages: languageSet(), yearsOfExperience: uniform(3...25), expertise: expertise,
            capacity: uniform(1...5), availabilityUTC: availability(),
            organizationPreference: uniform(0...9) == 0 ? .other : .any)
    }

    mutating func mentee(_ index: Int) -> Participant {
        var goals: [String: Int] = [:]
        for _ in 0..<uniform(1...4) { goals["s\(skewed(skills))"] = uniform(1...5) }
        var expertise: [String: Int] = [:]
        for _ in 0..<uniform(1...3) { expertise["s\(uniform(0...(skills - 1)))"] = uniform(2...4) }
        return Participant(
            id: "mentee-\(index)", isMentee: true, organization: "org\(uniform(0...(organizations - 1)))",
            languages: languageSet(), yearsOfExperience: uniform(0...10), expertise: expertise, goals: goals,
            availabilityUTC: availability(), organizationPreference: uniform(0...9) == 0 ? .other : .any,
            acceptsMutual: uniform(0...9) < 4)
    }

    mutating func network(mentors: Int, mentees: Int) -> [Participant] {
        (0..<mentors).map { mentor($0) } + (0..<mentees).map { mentee($0) }
    }
}
