import MatchingEngine
import Testing

/// Small random networks, reproducible from their seed.
func randomNetwork(seed: UInt64, mentors: Int, mentees: Int) -> [Participant] {
    var rng = SplitMix64(seed: seed)
    let skills = ["swift", "go", "rust", "python", "design", "sre"]
    let languages: [Set<String>] = [["en"], ["de"], ["en", "de"], ["fr"]]
    let organizations = ["acme", "globex", ""]
    func window() -> [Range<Int>] {
        let start = Int(rng.next() % 10_000)
        return [start..<(start + 60 + Int(rng.next() % 180))]
    }
    var people: [Participant] = []
    for index in 0..<mentors {
        var expertise: [String: Int] = [:]
        for skill in skills where rng.next() % 2 == 0 { expertise[skill] = 1 + Int(rng.next() % 5) }
        people.append(
            Participant(
                id: "m\(index)", isMentor: true, organization: organizations[Int(rng.next() % 3)],
                languages: languages[Int(rng.next() % 4)], yearsOfExperience: Int(rng.next() % 20),
                expertise: expertise, capacity: 1 + Int(rng.next() % 2), availabilityUTC: window(),
                organizationPreference: rng.next() % 4 == 0 ? .other : .any))
    }
    for index in 0..<mentees {
        var goals: [String: Int] = [:]
        for skill in skills where rng.next() % 3 == 0 { goals[skill] = 1 + Int(rng.next() % 5) }
        if goals.isEmpty { goals[skills[Int(rng.next() % 6)]] = 1 }
        people.append(
            Participant(
                id: "e\(index)", isMentee: true, organization: organizations[Int(rng.next() % 3)],
                languages: languages[Int(rng.next() % 4)], yearsOfExperience: Int(rng.next() % 8), goals: goals,
                maximumMentors: rng.next() % 5 == 0 ? 2 : 1, availabilityUTC: window()))
    }
    return people
}

/// The best objective value over every feasible assignment, by exhaustive search.
func bruteForce(_ people: [Participant], _ options: RoundOptions) -> (count: Int, total: Double) {
    let scorer = Scorer(rules: options.rules)
    let mentors = people.filter { $0.isMentor && $0.capacity > 0 }
    let mentees = people.filter(\.isMentee)
    // Per mentee, the eligible mentor indices with the pair's score in hundredths.
    let options2: [[(Int, Int)]] = mentees.map { mentee in
        mentors.enumerated().compactMap { index, mentor in
            guard let score = scorer.score(mentor: mentor, mentee: mentee), score.total >= options.minimumScore else {
                return nil
            }
            return (index, Int((score.total * 100).rounded()))
        }
    }
    var best = (count: 0, total: 0)
    var load = [Int](repeating: 0, count: mentors.count)
    func better(_ a: (count: Int, total: Int), _ b: (count: Int, total: Int)) -> Bool {
        options.objective == .maxParticipation ? (a.count, a.total) > (b.count, b.total) : a.total > b.total
    }
    func visit(_ j: Int, _ count: Int, _ total: Int) {
        if j == mentees.count {
            if better((count, total), best) { best = (count, total) }
            return
        }
        // Choose a set of at most maximumMentors distinct mentors for mentee j.
        let choices = options2[j]
        func choose(_ from: Int, _ taken: Int, _ count: Int, _ total: Int) {
            visit(j + 1, count, total)
            guard taken < mentees[j].maximumMentors else { return }
            for k in from..<choices.count where load[choices[k].0] < mentors[choices[k].0].capacity {
                load[choices[k].0] += 1
                choose(k + 1, taken + 1, taken == 0 ? count + 1 : count, total + choices[k].1)
                load[choices[k].0] -= 1
            }
        }
        choose(0, 0, count, total)
    }
    visit(0, 0, 0)
    return (best.count, Double(best.total) / 100)
}

@Suite("matching rounds")
struct RoundTests {
    @Test("a round's total equals the brute-force optimum on small random networks", arguments: 1...150)
    func optimal(_ seed: UInt64) {
        let people = randomNetwork(seed: seed, mentors: 1 + Int(seed % 4), mentees: 2 + Int(seed % 5))
        for objective in [Objective.maxScore, .maxParticipation] {
            let options = RoundOptions(objective: objective, minimumScore: 20, seed: seed)
            let round = Round.run(people, options: options)
            let best = bruteForce(people, options)
            #expect(
                abs(round.totalScore - best.total) < 0.001 || objective == .maxParticipation,
                "seed \(seed) \(objective)")
            if objective == .maxParticipation {
                #expect(Set(round.pairs.map(\.mentee)).count == best.count, "seed \(seed)")
                #expect(abs(round.totalScore - best.total) < 0.001, "seed \(seed)")
            }
        }
    }

    @Test("no capacity, maximum or hard rule is ever broken", arguments: 1...30)
    func constraints(_ seed: UInt64) {
        let people = randomNetwork(seed: seed * 7919, mentors: 6, mentees: 12)
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
        let round = Round.run(people, options: RoundOptions(minimumScore: 10, seed: seed))
        let scorer = Scorer()
        for (mentor, pairs) in Dictionary(grouping: round.pairs, by: \.mentor) {
            #expect(pairs.count <= byID[mentor]!.capacity)
        }
        for (mentee, pairs) in Dictionary(grouping: round.pairs, by: \.mentee) {
            #expect(pairs.count <= byID[mentee]!.maximumMentors)
            #expect(Set(pairs.map(\.mentor)).count == pairs.count)
        }
        for pair in round.pairs {
            #expect(scorer.ineligibility(mentor: byID[pair.mentor]!, mentee: byID[pair.mentee]!) == nil)
            #expect(pair.total >= 10)
            #expect(!byID[pair.mentor]!.languages.isDisjoint(with: byID[pair.mentee]!.languages))
        }
        let matched = Set(round.pairs.map(\.mentee))
        #expect(Set(round.unmatched.map(\.id)) == Set(people.filter(\.isMentee).map(\.id)).subtracting(matched))
    }

    @Test("the same input and seed give the same round")
    func deterministic() {
        let people = randomNetwork(seed: 99, mentors: 8, mentees: 20)
        let first = Round.run(people, options: RoundOptions(seed: 5))
        let again = Round.run(people.reversed(), options: RoundOptions(seed: 5))
        #expect(first.pairs == again.pairs)
        #expect(first.unmatched == again.unmatched)
    }

    @Test("MAX_PARTICIPATION matches at least as many mentees as MAX_SCORE, MAX_SCORE scores at least as much")
    func objectives() {
        for seed in UInt64(1)...20 {
            let people = randomNetwork(seed: seed, mentors: 5, mentees: 10)
            let byScore = Round.run(people, options: RoundOptions(objective: .maxScore, seed: seed))
            let byCount = Round.run(people, options: RoundOptions(objective: .maxParticipation, seed: seed))
            #expect(Set(byCount.pairs.map(\.mentee)).count >= Set(byScore.pairs.map(\.mentee)).count)
            #expect(byScore.totalScore >= byCount.totalScore - 0.001)
        }
    }

    @Test("unmatched mentees say why")
    func reasons() {
        let mentor = Participant(id: "m", isMentor: true, languages: ["en"], expertise: ["go": 5], capacity: 1)
        let people = [
            mentor,
            Participant(id: "a", isMentee: true, languages: ["en"], goals: ["go": 1]),
            Participant(id: "b", isMentee: true, languages: ["en"], goals: ["go": 1]),
            Participant(id: "c", isMentee: true, languages: ["ja"], goals: ["go": 1]),
            Participant(id: "d", isMentee: true, languages: ["en"], goals: ["cobol": 1]),
        ]
        let round = Round.run(people, options: RoundOptions(minimumScore: 0))
        let reasons = Dictionary(uniqueKeysWithValues: round.unmatched.map { ($0.id, $0.reason) })
        #expect(round.pairs.count == 1)
        #expect(reasons.values.contains("every compatible mentor is full"))
        #expect(reasons["c"] == "no compatible mentor: no shared language")
        #expect(reasons["d"] == "no compatible mentor: the mentor teaches none of the mentee's goals")
        let strict = Round.run(people, options: RoundOptions(minimumScore: 99))
        #expect(strict.pairs.isEmpty)
        #expect(strict.unmatched.first { $0.id == "a" }?.reason.hasPrefix("no mentor scores at least 99") == true)
    }
}
