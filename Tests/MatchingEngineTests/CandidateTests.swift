import Testing

@testable import MatchingEngine

/// Random people of every kind: mentors, mentees, both; open or not to one-way and mutual
/// mentoring; up to 80 languages (so that some are past the 64 of a profile's language mask);
/// skills with level 0 (which teach nothing); every organization rule.
func mixedNetwork(seed: UInt64, people count: Int) -> [Participant] {
    var rng = SplitMix64(seed: seed)
    func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    let languageCount = [3, 12, 80][pick(3)]
    let skillCount = [4, 20, 90][pick(3)]
    return (0..<count).map { index in
        let role = pick(3)
        var person = Participant(
            id: "p\(index)", isMentor: role != 1, isMentee: role != 0, organization: ["", "acme", "globex"][pick(3)])
        person.languages = Set((0..<(1 + pick(3))).map { _ in "l\(pick(languageCount))" })
        person.yearsOfExperience = pick(20)
        for _ in 0..<pick(5) { person.expertise["s\(pick(skillCount))"] = pick(6) }
        for _ in 0..<(1 + pick(4)) { person.goals["s\(pick(skillCount))"] = 1 + pick(5) }
        person.capacity = pick(3)
        person.maximumMentors = 1 + pick(2)
        let start = pick(10_000)
        person.availabilityUTC = [start..<(start + 60 + pick(300))]
        person.organizationPreference = [.any, .any, .same, .other][pick(4)]
        person.acceptsMutual = pick(2) == 0
        person.acceptsOneWay = pick(5) != 0
        return person
    }
}

/// Every rule variant the candidate sets depend on.
func mixedRules(_ seed: UInt64) -> ScoringRules {
    var rules = ScoringRules()
    rules.requireSharedLanguage = seed % 3 != 0
    rules.organizationIsHard = seed % 4 == 1
    return rules
}

@Suite("candidate generation")
struct CandidateTests {
    /// The reference: every (mentor, mentee) pair scored by the kernel.
    static func scoreEveryPair(
        _ profiles: ProfileStore, mentors: [Int], mentees: [Int], kernel: ScoringKernel, minimum: Int,
        excluded: [[Int]]
    ) -> ScoredRows {
        profiles.withLists { lists in
            var rows = ScoredRows(columns: mentors.count)
            for (j, mentee) in mentees.enumerated() {
                var reasons = [Int](repeating: 0, count: Ineligibility.allCases.count)
                var best = -1
                for (i, mentor) in mentors.enumerated() where mentor != mentee {
                    if excluded[j].contains(i) {
                        reasons[Ineligibility.excluded.index] += 1
                        continue
                    }
                    switch kernel.oneWay(mentor: profiles[mentor], mentee: profiles[mentee], lists) {
                    case .ineligible(let reason): reasons[reason.index] += 1
                    case .eligible(let points):
                        if points.total >= minimum {
                            rows.pairs.append(column: i, cost: -Int64(points.total))
                        } else {
                            best = max(best, points.total)
                        }
                    }
                }
                rows.pairs.endRow()
                rows.reasons.append(reasons)
                rows.bestBelowMinimum.append(best)
            }
            return rows
        }
    }

    @Test(
        "scoring only the candidates finds every pair, score and reason count that scoring every pair finds",
        arguments: 1...120)
    func oneWay(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed &* 7)
        let people = mixedNetwork(seed: seed, people: 20 + Int(seed % 13) * 17)
        let profiles = ProfileStore(people)
        let mentors = people.indices.filter { people[$0].isMentor && people[$0].capacity > 0 }
        let mentees = people.indices.filter { people[$0].isMentee }
        // Some excluded pairs, repeated now and then, as a round builds them.
        var excluded = [[Int]](repeating: [], count: mentees.count)
        for j in excluded.indices where !mentors.isEmpty && rng.next() % 3 == 0 {
            for _ in 0..<(1 + rng.next() % 3) { excluded[j].append(Int(rng.next() % UInt64(mentors.count))) }
        }
        let kernel = ScoringKernel(rules: mixedRules(seed))
        let minimum = Int(rng.next() % 60) * 100
        let expected = Self.scoreEveryPair(
            profiles, mentors: mentors, mentees: mentees, kernel: kernel, minimum: minimum, excluded: excluded)
        for slices in [1, 3] {
            let found = Round.scoreOneWay(
                profiles, mentors: mentors, mentees: mentees, kernel: kernel, minimum: minimum, excluded: excluded,
                slices: slices)
            #expect(found.pairs.rowStart == expected.pairs.rowStart, "seed \(seed)")
            #expect(found.pairs.column == expected.pairs.column, "seed \(seed)")
            #expect(found.pairs.cost == expected.pairs.cost, "seed \(seed)")
            #expect(found.reasons == expected.reasons, "seed \(seed)")
            #expect(found.bestBelowMinimum == expected.bestBelowMinimum, "seed \(seed)")
        }
    }

    @Test("mutual candidates include every eligible peer pair, and leave some ineligible ones out")
    func mutual() {
        var pruned = 0
        var eligibleTotal = 0
        for seed in UInt64(1)...120 {
            let people = mixedNetwork(seed: seed, people: 10 + Int(seed % 11) * 23)
            let profiles = ProfileStore(people)
            let kernel = ScoringKernel(rules: mixedRules(seed))
            let group = people.indices.filter { people[$0].isMentee && people[$0].acceptsMutual }
            profiles.withLists { lists in
                var expected: [[Int]] = []
                for x in group.indices {
                    for y in (x + 1)..<group.count {
                        if case .eligible = kernel.mutual(profiles[group[x]], profiles[group[y]], lists) {
                            expected.append([x, y])
                        }
                    }
                }
                var candidates: [[Int]] = []
                Round.forEachMutualCandidate(
                    profiles, group: group, lists: lists, requireLanguage: kernel.rules.requireSharedLanguage
                ) { candidates.append([$0, $1]) }
                #expect(candidates == candidates.sorted { $0.lexicographicallyPrecedes($1) }, "seed \(seed)")
                let found = candidates.filter { pair in
                    if case .eligible = kernel.mutual(profiles[group[pair[0]]], profiles[group[pair[1]]], lists) {
                        return true
                    }
                    return false
                }
                #expect(found == expected, "seed \(seed)")
                pruned += group.count * (group.count - 1) / 2 - candidates.count
                eligibleTotal += expected.count
            }
        }
        #expect(pruned > 0 && eligibleTotal > 0)
    }
}
