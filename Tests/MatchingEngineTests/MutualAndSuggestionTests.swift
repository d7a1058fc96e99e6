import Testing

@testable import MatchingEngine

/// Mentees who could mentor each other: few mentors, everyone open to mutual mentoring.
func peerNetwork(seed: UInt64, mentors: Int, mentees: Int) -> [Participant] {
    var rng = SplitMix64(seed: seed)
    let skills = ["swift", "go", "rust", "python", "design", "sre"]
    return randomNetwork(seed: seed, mentors: mentors, mentees: mentees).map { person in
        var person = person
        if person.isMentee {
            person.acceptsMutual = rng.next() % 5 != 0
            person.expertise = [:]
            for skill in skills where rng.next() % 3 == 0 { person.expertise[skill] = 2 + Int(rng.next() % 4) }
        }
        return person
    }
}

@Suite("mutual pairs, suggestions and round differences")
struct MutualAndSuggestionTests {
    @Test("the mutual step's total equals the brute-force best among the peers left", arguments: 1...60)
    func mutualOptimal(_ seed: UInt64) {
        let people = peerNetwork(seed: seed, mentors: 1, mentees: 4 + Int(seed % 7))
        for objective in [Objective.maxScore, .maxParticipation] {
            let options = RoundOptions(objective: objective, minimumScore: 15, seed: seed)
            let round = Round.run(people, options: options)
            let withMentor = Set(round.pairs.map(\.mentee))
            let peers = people.filter { $0.isMentee && $0.acceptsMutual && !withMentor.contains($0.id) }
            let scorer = Scorer(rules: options.rules)
            var edges: [MaximumWeightMatching.Edge] = []
            for a in peers.indices {
                for b in peers.indices where a < b {
                    if let score = scorer.mutualScore(peers[a], peers[b]), score.total >= 15 {
                        edges.append(.init(a: a, b: b, weight: Int64((score.total * 100).rounded())))
                    }
                }
            }
            let best = bruteForceMatching(peers.count, edges, maximumCardinality: objective == .maxParticipation)
            #expect(Int64((round.mutualScore * 100).rounded()) == best.weight, "seed \(seed) \(objective)")
            #expect(round.mutualPairs.count == best.count || objective == .maxScore, "seed \(seed)")
            // Every mutual pair is valid, and nobody is in two pairs.
            var seen = Set<String>()
            let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
            for pair in round.mutualPairs {
                #expect(pair.kind == .mutual)
                #expect(scorer.mutualIneligibility(byID[pair.mentor]!, byID[pair.mentee]!) == nil)
                #expect(!withMentor.contains(pair.mentor) && !withMentor.contains(pair.mentee))
                #expect(seen.insert(pair.mentor).inserted && seen.insert(pair.mentee).inserted)
                #expect(abs(pair.parts.values.reduce(0, +) - pair.total) < 0.001)
            }
            let unmatched = Set(round.unmatched.map(\.id))
            #expect(unmatched.isDisjoint(with: seen))
            #expect(unmatched.isDisjoint(with: withMentor))
            #expect(unmatched.count + seen.count + withMentor.count == people.filter(\.isMentee).count)
        }
    }

    @Test("networks short of mentors do produce mutual pairs (the optimality test is not vacuous)")
    func mutualHappens() {
        let total = (UInt64(1)...60).reduce(0) { sum, seed in
            sum
                + Round.run(
                    peerNetwork(seed: seed, mentors: 1, mentees: 4 + Int(seed % 7)),
                    options: RoundOptions(minimumScore: 15, seed: seed)
                ).mutualPairs.count
        }
        #expect(total >= 30)
    }

    @Test("scoring in slices on several cores gives exactly what one slice gives")
    func slices() {
        let people = randomNetwork(seed: 5, mentors: 40, mentees: 70)
        let profiles = ProfileStore(people)
        let mentors = people.indices.filter { people[$0].isMentor }
        let mentees = people.indices.filter { people[$0].isMentee }
        let kernel = ScoringKernel(rules: ScoringRules())
        let one = Round.scoreOneWay(
            profiles, mentors: mentors, mentees: mentees, kernel: kernel, minimum: 2000, slices: 1)
        let three = Round.scoreOneWay(
            profiles, mentors: mentors, mentees: mentees, kernel: kernel, minimum: 2000, slices: 3)
        #expect(one.pairs.rowStart == three.pairs.rowStart)
        #expect(one.pairs.column == three.pairs.column && one.pairs.cost == three.pairs.cost)
        #expect(one.reasons == three.reasons && one.bestBelowMinimum == three.bestBelowMinimum)
        #expect(one.pairs.rows == mentees.count && !one.pairs.column.isEmpty)
    }

    @Test("routing from either side gives the same optimum", arguments: 1...40)
    func bothSides(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let rows = 3 + Int(rng.next() % 30)
        let columns = 2 + Int(rng.next() % 20)
        var matrix = EligibleMatrix(columns: columns)
        for _ in 0..<rows {
            for c in 0..<columns where rng.next() % 3 == 0 {
                matrix.append(column: c, cost: -Int64(1 + rng.next() % (seed % 2 == 0 ? 5 : 10_000)))
            }
            matrix.endRow()
        }
        let supply = (0..<rows).map { _ in 1 + Int(rng.next() % 2) }
        let capacity = (0..<columns).map { _ in Int(rng.next() % 4) }
        for participation in [nil, 100.0] {
            func outcome(_ fromMentors: Bool) -> (Int, Int64) {
                let used = Round.assignOneWay(
                    matrix, supply: supply, capacity: capacity, participation: participation,
                    fromMentors: fromMentors)
                var load = [Int](repeating: 0, count: columns)
                var covered = 0
                for r in 0..<rows {
                    let taken = matrix.row(r).filter { used[$0] }
                    #expect(taken.count <= supply[r])
                    if !taken.isEmpty { covered += 1 }
                    for e in taken { load[Int(matrix.column[e])] += 1 }
                }
                #expect(zip(load, capacity).allSatisfy { $0 <= $1 })
                return (
                    covered, -matrix.cost.indices.filter { used[$0] }.reduce(Int64(0)) { $0 + Int64(matrix.cost[$1]) }
                )
            }
            let (a, b) = (outcome(false), outcome(true))
            #expect(a.1 == b.1, "seed \(seed)")
            if participation != nil { #expect(a.0 == b.0, "seed \(seed)") }
        }
    }

    @Test("suggestions are the best-scoring candidates, best first, without the excluded", arguments: 1...20)
    func suggestions(_ seed: UInt64) {
        let people = peerNetwork(seed: seed, mentors: 15, mentees: 25)
        var withFullMentor = people
        withFullMentor[0].capacity = 0  // m0 has no open slot
        let index = SuggestionIndex(withFullMentor)
        let scorer = Scorer()
        for mentee in people.filter(\.isMentee).prefix(5) {
            let excluded: Set<String> = ["m1", "m2"]
            let found = index.mentors(for: mentee.id, limit: 4, excluding: excluded)
            let expected = withFullMentor.filter { $0.capacity > 0 && !excluded.contains($0.id) }
                .compactMap { scorer.score(mentor: $0, mentee: mentee) }
                .sorted { ($1.total, $0.mentor) < ($0.total, $1.mentor) }
                .prefix(4)
            #expect(found.map(\.mentor) == expected.map(\.mentor), "seed \(seed) \(mentee.id)")
            #expect(found.map(\.total) == expected.map(\.total))
            #expect(!found.contains { $0.mentor == "m0" })

            let peers = index.peers(for: mentee.id, limit: 3)
            let expectedPeers = people.filter { $0.id != mentee.id }
                .compactMap { scorer.mutualScore(mentee, $0) }
                .sorted { ($1.total, $0.explanation) < ($0.total, $1.explanation) }
            #expect(peers.map(\.total) == expectedPeers.prefix(3).map(\.total))
            for peer in peers { #expect(peer.kind == .mutual && [peer.mentor, peer.mentee].contains(mentee.id)) }
        }
        #expect(index.mentors(for: "nobody", limit: 3).isEmpty)
        #expect(index.mentors(for: people[30].id, limit: 0).isEmpty)
    }

    @Test("excluded pairs are never proposed, one-way or mutual, whichever order names them")
    func excludedPairs() {
        for seed in UInt64(1)...20 {
            let people = peerNetwork(seed: seed, mentors: 2, mentees: 8)
            let before = Round.run(people, options: RoundOptions(minimumScore: 15, seed: seed))
            // Exclude every pair the first round proposed (mutual ones named the other way round).
            let excluded = Set(
                before.pairs.map { PairKey(kind: .oneWay, mentor: $0.mentor, mentee: $0.mentee) }
                    + before.mutualPairs.map { PairKey(kind: .oneWay, mentor: $0.mentee, mentee: $0.mentor) })
            let after = Round.run(
                people, options: RoundOptions(minimumScore: 15, seed: seed, excludedPairs: excluded))
            let unordered = Set(excluded.map { Set([$0.mentor, $0.mentee]) })
            for pair in after.pairs + after.mutualPairs {
                #expect(!unordered.contains([pair.mentor, pair.mentee]), "seed \(seed)")
            }
        }
    }

    @Test("a round's difference from the previous one: added, removed and kept pairs")
    func difference() {
        let kept = PairKey(kind: .oneWay, mentor: "m1", mentee: "a")
        let gone = PairKey(kind: .oneWay, mentor: "m2", mentee: "b")
        let new = PairKey(kind: .mutual, mentor: "d", mentee: "c")
        let diff = RoundDiff(previous: [kept, gone], current: [kept, new])
        #expect(diff.added == [PairKey(kind: .mutual, mentor: "c", mentee: "d")])
        #expect(diff.removed == [gone])
        #expect(diff.kept == [kept])
        #expect(RoundDiff(previous: [], current: []).added.isEmpty)
    }

    /// a and b teach each other go and rust; c teaches rust less well and wants go: compatible with
    /// a only; d is open to mutual mentoring but teaches nothing anyone wants.
    func trio(_ extra: [Participant] = []) -> [Participant] {
        func peer(_ id: String, _ expertise: [String: Int], _ goals: [String: Int]) -> Participant {
            Participant(
                id: id, isMentee: true, languages: ["en"], yearsOfExperience: 4, expertise: expertise, goals: goals,
                availabilityUTC: [0..<600], acceptsMutual: true)
        }
        return [
            peer("a", ["go": 5], ["rust": 1]), peer("b", ["rust": 5], ["go": 1]), peer("c", ["rust": 2], ["go": 1]),
            peer("d", ["cobol": 5], ["go": 1]),
        ] + extra
    }

    @Test("the unmatched's mutual reasons are true, 0-point pairs included; those are paired, not left alone")
    func mutualReasons() throws {
        func reasons(_ round: RoundResult) -> [String: String] {
            Dictionary(uniqueKeysWithValues: round.unmatched.map { ($0.id, $0.reason) })
        }
        let scored = Round.run(trio(), options: RoundOptions(minimumScore: 0))
        #expect(scored.mutualPairs.map { [$0.mentor, $0.mentee].sorted() } == [["a", "b"]])
        #expect(reasons(scored)["c"]?.hasSuffix("; every compatible peer is paired with someone else") == true)
        #expect(reasons(scored)["d"]?.hasSuffix("; no compatible peer without a mentor") == true)

        // Custom weights under which every pair scores 0: a MAX_SCORE round still pairs the most
        // peers it can among equal scores (here all 0), so a is paired with b or c, and the one
        // left is truly left because its only compatible peer is paired elsewhere.
        var rules = ScoringRules()
        (rules.coverage, rules.experience, rules.availability, rules.organization) = (0, 0, 0, 0)
        for objective in [Objective.maxScore, .maxParticipation] {
            let zero = Round.run(trio(), options: RoundOptions(objective: objective, minimumScore: 0, rules: rules))
            #expect(zero.mutualPairs.count == 1 && zero.mutualPairs.allSatisfy { $0.total == 0 })
            let left = try #require(["b", "c"].first { reasons(zero)[$0] != nil })
            #expect(reasons(zero)[left]?.hasSuffix("; every compatible peer is paired with someone else") == true)
            #expect(reasons(zero)["d"]?.hasSuffix("; no compatible peer without a mentor") == true)
        }
        // Two peers whose only pair scores 0: paired, not both left alone.
        let two = Round.run(
            trio().filter { ["a", "b"].contains($0.id) }, options: RoundOptions(minimumScore: 0, rules: rules))
        #expect(two.mutualPairs.count == 1 && two.unmatched.isEmpty)
    }

    @Test("no round leaves two compatible peers both unpaired, whatever the weights", arguments: 1...400)
    func noCompatibleUnpairedPeers(seed: UInt64) throws {
        var rules = ScoringRules()
        // Some seeds score every pair 0, others only some parts.
        rules.coverage = seed % 2 == 0 ? 0 : 55
        (rules.experience, rules.availability, rules.organization) = (0, seed % 3 == 0 ? 20 : 0, 0)
        let people = peerNetwork(seed: seed, mentors: 2, mentees: 6 + Int(seed % 25))
        let round = Round.run(people, options: RoundOptions(objective: .maxScore, minimumScore: 0, rules: rules))
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
        let alone = round.unmatched.compactMap { byID[$0.id] }.filter(\.acceptsMutual)
        for (x, a) in alone.enumerated() {
            for b in alone.dropFirst(x + 1) {
                #expect(Scorer(rules: rules).mutualScore(a, b) == nil, "\(a.id) and \(b.id) are compatible, both alone")
            }
        }
    }

    @Test("the export lists every eligible mutual pair, also of mentees the one-way step gave a mentor")
    func mutualExport() throws {
        // m teaches go to a, who also teaches rust to b and learns python from b.
        let m = Participant(
            id: "m", isMentor: true, languages: ["en"], yearsOfExperience: 10, expertise: ["go": 5], capacity: 1,
            availabilityUTC: [0..<600])
        let a = Participant(
            id: "a", isMentee: true, languages: ["en"], yearsOfExperience: 3, expertise: ["rust": 4],
            goals: ["go": 1, "python": 2], availabilityUTC: [0..<600], acceptsMutual: true)
        let b = Participant(
            id: "b", isMentee: true, languages: ["en"], yearsOfExperience: 3, expertise: ["python": 4],
            goals: ["rust": 1], availabilityUTC: [0..<600], acceptsMutual: true)
        let round = Round.run([m, a, b], options: RoundOptions(minimumScore: 0, includeEligiblePairs: true))
        #expect(round.pairs.map { "\($0.mentor)>\($0.mentee)" } == ["m>a"])
        #expect(round.mutualPairs.isEmpty)  // a has a mentor: the mutual step is b alone
        let mutual = round.eligiblePairs.filter { $0.kind == .mutual }
        #expect(mutual.map { [$0.mentor, $0.mentee].sorted() } == [["a", "b"]])
        #expect(mutual.first.map { $0.score > 0 } == true)
        #expect(round.unmatched.map(\.reason).first?.hasSuffix("; no compatible peer without a mentor") == true)
    }

    @Test("mutual scores: parts add up, experience rewards peers close in years, one shared skill is not enough")
    func mutualScores() throws {
        let a = Participant(
            id: "a", isMentee: true, languages: ["en"], yearsOfExperience: 4, expertise: ["go": 4],
            goals: ["rust": 1], availabilityUTC: [0..<120], acceptsMutual: true)
        var b = Participant(
            id: "b", isMentee: true, languages: ["en"], yearsOfExperience: 4, expertise: ["rust": 5],
            goals: ["go": 2], availabilityUTC: [60..<180], acceptsMutual: true)
        let score = try #require(Scorer().mutualScore(a, b))
        #expect(score.parts["experience"] == 15)
        #expect(score.coveredSkills == ["go"] && score.reverseCoveredSkills == ["rust"])
        #expect(abs(score.parts.values.reduce(0, +) - score.total) < 0.001)
        #expect(score.overlapHours == 1)
        b.acceptsMutual = false
        #expect(Scorer().mutualIneligibility(a, b) == .notOpenToMutual)
        b.acceptsMutual = true
        // Both want and teach only "go": they cannot teach each other different skills.
        let c = Participant(id: "c", isMentee: true, expertise: ["go": 5], goals: ["go": 1], acceptsMutual: true)
        let d = Participant(id: "d", isMentee: true, expertise: ["go": 3], goals: ["go": 1], acceptsMutual: true)
        #expect(Scorer().mutualIneligibility(c, d) == .noMutualCoverage)
    }
}
