/// What a round maximises.
public enum Objective: String, Sendable, Hashable, Codable {
    /// The total score of all proposed pairs.
    case maxScore = "MAX_SCORE"
    /// First how many mentees get a mentor, then the total score.
    case maxParticipation = "MAX_PARTICIPATION"
}

/// A round's settings.
public struct RoundOptions: Sendable, Hashable {
    /// What to maximise.
    public var objective: Objective
    /// No pair scoring below this is proposed.
    public var minimumScore: Double
    /// Chooses among equally good assignments; the same input and seed give the same round.
    public var seed: UInt64
    /// The scoring rules of the network.
    public var rules: ScoringRules
    /// Pair mentees left without a mentor with each other for mutual mentoring, when both accept it.
    public var mutual: Bool
    /// Also return every eligible pair with its score (the optimisation's input).
    public var includeEligiblePairs: Bool
    /// Pairs of people not to pair again, whatever the kind or order: those already matched,
    /// with a pending proposal, or where one declined the other.
    public var excludedPairs: Set<PairKey>

    /// Creates options.
    public init(
        objective: Objective = .maxScore, minimumScore: Double = 30, seed: UInt64 = 1,
        rules: ScoringRules = ScoringRules(), mutual: Bool = true, includeEligiblePairs: Bool = false,
        excludedPairs: Set<PairKey> = []
    ) {
        self.objective = objective
        self.minimumScore = minimumScore
        self.seed = seed
        self.rules = rules
        self.mutual = mutual
        self.includeEligiblePairs = includeEligiblePairs
        self.excludedPairs = excludedPairs
    }
}

/// A mentee the round left without a partner, and why.
public struct Unmatched: Sendable, Hashable {
    /// The mentee.
    public var id: String
    /// Why, for people.
    public var reason: String
}

/// One eligible pair of a round's input: who, which kind, and the score.
public struct EligiblePair: Sendable, Hashable {
    /// One-way or mutual.
    public var kind: MatchKind
    /// The mentor (mutual: the partner whose id sorts first).
    public var mentor: String
    /// The mentee (mutual: the other partner).
    public var mentee: String
    /// The pair's score.
    public var score: Double
}

/// How long a round's steps took: scoring the candidate pairs, the one-way assignment (including
/// describing the proposed pairs), and the mutual step.
public struct RoundTimings: Sendable, Hashable {
    /// Scoring the (mentor, mentee) pairs that can be eligible.
    public var scoring: Duration
    /// The one-way assignment.
    public var oneWay: Duration
    /// The mutual step.
    public var mutual: Duration
}

/// The outcome of a round.
public struct RoundResult: Sendable {
    /// The proposed one-way pairs, ordered by mentee then mentor.
    public var pairs: [PairScore]
    /// The proposed mutual pairs, ordered by their first partner.
    public var mutualPairs: [PairScore]
    /// The sum of the one-way pairs' scores (the one-way step's objective value).
    public var oneWayScore: Double
    /// The sum of the mutual pairs' scores (the mutual step's objective value).
    public var mutualScore: Double
    /// Mentees who got at least one mentor or a mutual partner.
    public var matchedMentees: Int
    /// Mentees the round considered.
    public var menteeCount: Int
    /// Mentors with capacity the round considered.
    public var mentorCount: Int
    /// Mentees without any partner, with the reason, ordered by id.
    public var unmatched: [Unmatched]
    /// With `includeEligiblePairs`: every eligible pair at or above the minimum score.
    public var eligiblePairs: [EligiblePair]
    /// How long each step took.
    public var timings: RoundTimings

    /// The sum of all proposed pairs' scores.
    public var totalScore: Double { ((oneWayScore + mutualScore) * 100).rounded() / 100 }
}

/// Matching rounds. First the one-way step: the assignment of mentees to mentors that maximises
/// the objective under every mentor's capacity and every mentee's maximum number of mentors.
/// Then the mutual step: among mentees still without a mentor who accept mutual mentoring, the
/// maximum-weight matching of peer pairs on the general graph.
public enum Round {
    /// Runs a round over `participants`.
    public static func run(_ participants: [Participant], options: RoundOptions = RoundOptions()) -> RoundResult {
        var generator = SplitMix64(seed: options.seed)
        // Ties between equally good assignments go by this seeded order of people.
        let people = participants.sorted { $0.id < $1.id }.shuffled(using: &generator)
        let profiles = ProfileStore(people)
        let kernel = ScoringKernel(rules: options.rules)
        let mentors = people.indices.filter { profiles[$0].isMentor && profiles[$0].capacity > 0 }
        let mentees = people.indices.filter { profiles[$0].isMentee && profiles[$0].maximumMentors > 0 }
        return profiles.withLists { lists in
            run(people, profiles, lists, mentors: mentors, mentees: mentees, kernel: kernel, options: options)
        }
    }

    private static func run(
        _ people: [Participant], _ profiles: ProfileStore, _ lists: ProfileStore.Lists, mentors: [Int], mentees: [Int],
        kernel: ScoringKernel, options: RoundOptions
    ) -> RoundResult {
        let minimum = Int((options.minimumScore * 100).rounded())
        let requireLanguage = options.rules.requireSharedLanguage

        let clock = ContinuousClock()
        let started = clock.now
        // Excluded pairs of people: per mentee the mentor positions, and unordered person-index pairs.
        let position = Dictionary(people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let mentorPosition = Dictionary(uniqueKeysWithValues: mentors.enumerated().map { ($1, $0) })
        let menteePosition = Dictionary(uniqueKeysWithValues: mentees.enumerated().map { ($1, $0) })
        var excludedPeople = Set<Int>()
        var excluded = [[Int]](repeating: [], count: options.excludedPairs.isEmpty ? 0 : mentees.count)
        for key in options.excludedPairs {
            guard let a = position[key.mentor], let b = position[key.mentee] else { continue }
            excludedPeople.insert(min(a, b) * people.count + max(a, b))
            for (teacher, learner) in [(a, b), (b, a)] {
                if let i = mentorPosition[teacher], let j = menteePosition[learner] { excluded[j].append(i) }
            }
        }
        let scored = scoreOneWay(
            profiles, mentors: mentors, mentees: mentees, kernel: kernel, minimum: minimum, excluded: excluded)
        let (pairs, reasons, bestBelowMinimum) = (scored.pairs, scored.reasons, scored.bestBelowMinimum)
        let scoredAt = clock.now
        let hasMentor = assignOneWay(
            pairs, supply: mentees.map { profiles[$0].maximumMentors }, capacity: mentors.map { profiles[$0].capacity },
            participation: options.objective == .maxParticipation ? options.rules.maximum : nil)

        let scorer = Scorer(rules: options.rules)
        var proposed: [PairScore] = []
        var menteeHasMentor = [Bool](repeating: false, count: mentees.count)
        var eligible: [EligiblePair] = []
        for j in mentees.indices {
            for e in pairs.row(j) {
                let mentor = mentors[Int(pairs.column[e])]
                if hasMentor[e] {
                    menteeHasMentor[j] = true
                    if case .eligible(let points) = kernel.oneWay(
                        mentor: profiles[mentor], mentee: profiles[mentees[j]], lists)
                    {
                        proposed.append(
                            scorer.describe(mentor: people[mentor], mentee: people[mentees[j]], points: points))
                    }
                }
                if options.includeEligiblePairs {
                    eligible.append(
                        EligiblePair(
                            kind: .oneWay, mentor: people[mentor].id, mentee: people[mentees[j]].id,
                            score: Double(-pairs.cost[e]) / 100))
                }
            }
        }
        proposed.sort { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        let assignedAt = clock.now

        // The mutual step, over mentees left without a mentor who accept mutual mentoring.
        let peers = mentees.indices.filter { !menteeHasMentor[$0] && profiles[mentees[$0]].acceptsMutual }
        var mutualPairs: [PairScore] = []
        // Peers (mentee indices) with at least one eligible peer in the mutual step.
        var peerHasEligible = Set<Int>()
        var partnered = Set<Int>()
        // The mutual pair of two mentees, when eligible at or above the minimum and not excluded.
        func mutualPoints(_ j: Int, _ k: Int) -> Points? {
            let (a, b) = (mentees[j], mentees[k])
            if excludedPeople.contains(min(a, b) * people.count + max(a, b)) { return nil }
            guard case .eligible(let points) = kernel.mutual(profiles[a], profiles[b], lists), points.total >= minimum
            else { return nil }
            return points
        }
        if options.mutual && options.includeEligiblePairs {
            // The export lists every eligible mutual pair, among all who accept mutual mentoring,
            // not only among those the one-way step left (docs/matching.md).
            let open = mentees.indices.filter { profiles[mentees[$0]].acceptsMutual }
            forEachMutualCandidate(
                profiles, group: open.map { mentees[$0] }, lists: lists, requireLanguage: requireLanguage
            ) { x, y in
                if let points = mutualPoints(open[x], open[y]) {
                    let key = PairKey(
                        kind: .mutual, mentor: people[mentees[open[x]]].id, mentee: people[mentees[open[y]]].id)
                    eligible.append(
                        EligiblePair(kind: .mutual, mentor: key.mentor, mentee: key.mentee, score: points.totalPoints))
                }
            }
        }
        if options.mutual && peers.count > 1 {
            let tieScale = Int64(peers.count / 2 + 1)
            var edges: [MaximumWeightMatching.Edge] = []
            forEachMutualCandidate(
                profiles, group: peers.map { mentees[$0] }, lists: lists, requireLanguage: requireLanguage
            ) { x, y in
                if let points = mutualPoints(peers[x], peers[y]) {
                    // MAX_SCORE: the score first, then the most pairs among equal scores (each pair
                    // adds 1, less than one hundredth of a point in total), so a pair scoring 0 —
                    // possible with custom weights — is proposed rather than leaving both alone.
                    let score = Int64(points.total)
                    edges.append(
                        .init(a: x, b: y, weight: options.objective == .maxScore ? score * tieScale + 1 : score))
                    peerHasEligible.formUnion([peers[x], peers[y]])
                }
            }
            let mate = MaximumWeightMatching.solve(
                vertexCount: peers.count, edges: edges, maximumCardinality: options.objective == .maxParticipation)
            for (x, y) in mate.enumerated() where y > x {
                let (a, b) = (mentees[peers[x]], mentees[peers[y]])
                partnered.formUnion([peers[x], peers[y]])
                if case .eligible(let points) = kernel.mutual(profiles[a], profiles[b], lists) {
                    mutualPairs.append(scorer.describeMutual(people[a], people[b], points: points))
                }
            }
            mutualPairs.sort { ($0.mentor, $0.mentee) < ($1.mentor, $1.mentee) }
        }

        var unmatched: [Unmatched] = []
        for (j, mentee) in mentees.enumerated() where !menteeHasMentor[j] && !partnered.contains(j) {
            var reason: String
            if !pairs.row(j).isEmpty {
                reason = "every compatible mentor is full"
            } else if bestBelowMinimum[j] >= 0 {
                reason = "no mentor scores at least \(options.minimumScore) (best \(Double(bestBelowMinimum[j]) / 100))"
            } else if mentors.isEmpty {
                reason = "no mentor has capacity"
            } else {
                let most = Ineligibility.allCases.indices.max { (reasons[j][$0], $1) < (reasons[j][$1], $0) }!
                reason = "no compatible mentor: \(Ineligibility.allCases[most].rawValue)"
            }
            if options.mutual && profiles[mentee].acceptsMutual {
                // Peers are those the one-way step left without a mentor. Every edge of the mutual
                // step weighs more than 0, so an optimal matching never leaves two compatible peers
                // both unpaired: the compatible ones are paired elsewhere.
                reason +=
                    peerHasEligible.contains(j)
                    ? "; every compatible peer is paired with someone else" : "; no compatible peer without a mentor"
            }
            unmatched.append(Unmatched(id: people[mentee].id, reason: reason))
        }
        let pairedAt = clock.now
        unmatched.sort { $0.id < $1.id }
        eligible.sort { ($0.kind.rawValue, $0.mentee, $0.mentor) < ($1.kind.rawValue, $1.mentee, $1.mentor) }

        return RoundResult(
            pairs: proposed,
            mutualPairs: mutualPairs,
            oneWayScore: Double(proposed.reduce(0) { $0 + Int(($1.total * 100).rounded()) }) / 100,
            mutualScore: Double(mutualPairs.reduce(0) { $0 + Int(($1.total * 100).rounded()) }) / 100,
            matchedMentees: menteeHasMentor.count(where: { $0 }) + partnered.count,
            menteeCount: mentees.count,
            mentorCount: mentors.count,
            unmatched: unmatched,
            eligiblePairs: eligible,
            timings: RoundTimings(
                scoring: scoredAt - started, oneWay: assignedAt - scoredAt, mutual: pairedAt - assignedAt))
    }

    /// Solves the one-way step over `pairs` (mentee rows, mentor columns); returns which pairs are
    /// proposed. `participation` (the best possible score) asks for MAX_PARTICIPATION.
    /// `fromMentors` forces a side to route from (tests check that both give the same optimum).
    static func assignOneWay(
        _ pairs: EligibleMatrix, supply: [Int], capacity: [Int], participation: Double?, fromMentors: Bool? = nil
    ) -> [Bool] {
        // MAX_PARTICIPATION: leaving a mentee without any mentor costs more than any difference
        // in total score, so reaching one more mentee always wins over a better total.
        let penalty: Int64 = participation.map { Int64(($0 * 100).rounded() + 1) * Int64(supply.count + 1) } ?? 0
        // Route from the side with less to give: its units find free partners in a few steps.
        if fromMentors ?? (capacity.reduce(0, +) < supply.reduce(0, +)) {
            let (byMentor, position) = pairs.transposed()
            var assignment = Assignment(
                rowStart: byMentor.rowStart, edgeRight: byMentor.column, edgeCost: byMentor.cost, supply: capacity,
                capacity: supply, leftUnmatchedPenalty: 0, rightFirstUnitCost: -penalty)
            assignment.solve()
            var used = [Bool](repeating: false, count: pairs.cost.count)
            for (e, original) in position.enumerated() where assignment.used[e] { used[Int(original)] = true }
            return used
        }
        var assignment = Assignment(
            rowStart: pairs.rowStart, edgeRight: pairs.column, edgeCost: pairs.cost, supply: supply,
            capacity: capacity, leftUnmatchedPenalty: penalty, rightFirstUnitCost: 0)
        assignment.solve()
        return assignment.used
    }
}

/// A sparse matrix of pair costs, row by row (compressed sparse rows).
struct EligibleMatrix: Sendable {
    var rows: Int { rowStart.count - 1 }
    let columns: Int
    private(set) var rowStart = [0]
    private(set) var column: [Int32] = []
    /// −score in hundredths (at most 10,000 in size): 32 bits are enough, and a large round holds
    /// tens of millions of these.
    private(set) var cost: [Int32] = []

    init(columns: Int) {
        self.columns = columns
    }

    mutating func append(column c: Int, cost value: Int64) {
        column.append(Int32(c))
        cost.append(Int32(value))
    }

    mutating func endRow() {
        rowStart.append(column.count)
    }

    /// Appends the rows of `other` (same columns) after these.
    mutating func appendRows(of other: EligibleMatrix) {
        let offset = column.count
        rowStart += other.rowStart.dropFirst().map { $0 + offset }
        column += other.column
        cost += other.cost
    }

    func row(_ r: Int) -> Range<Int> { rowStart[r]..<rowStart[r + 1] }

    /// The same matrix by columns, and for each of its entries the entry's index here.
    func transposed() -> (EligibleMatrix, [Int32]) {
        var count = [Int](repeating: 0, count: columns + 1)
        for c in column { count[Int(c) + 1] += 1 }
        for c in 0..<columns { count[c + 1] += count[c] }
        var result = EligibleMatrix(columns: rows)
        result.rowStart = count
        result.column = Array(repeating: 0, count: column.count)
        result.cost = Array(repeating: 0, count: column.count)
        var position = [Int32](repeating: 0, count: column.count)
        var next = count
        for r in 0..<rows {
            for e in row(r) {
                let c = Int(column[e])
                let slot = next[c]
                next[c] += 1
                result.column[slot] = Int32(r)
                result.cost[slot] = cost[e]
                position[slot] = Int32(e)
            }
        }
        return (result, position)
    }
}

/// A small seeded generator (SplitMix64), so rounds are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
