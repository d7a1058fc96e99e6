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

    /// Creates options.
    public init(
        objective: Objective = .maxScore, minimumScore: Double = 30, seed: UInt64 = 1,
        rules: ScoringRules = ScoringRules()
    ) {
        self.objective = objective
        self.minimumScore = minimumScore
        self.seed = seed
        self.rules = rules
    }
}

/// A mentee the round left without a mentor, and why.
public struct Unmatched: Sendable, Hashable {
    /// The mentee.
    public var id: String
    /// Why, for people.
    public var reason: String
}

/// The outcome of a round: proposed pairs (mentor, mentee, score), totals and the unmatched.
public struct RoundResult: Sendable {
    /// The proposed pairs, ordered by mentee then mentor.
    public var pairs: [PairScore]
    /// The sum of the pairs' scores.
    public var totalScore: Double
    /// Mentees without a mentor, with the reason.
    public var unmatched: [Unmatched]
    /// Every eligible pair at or above the minimum score (the optimisation's input).
    public var eligiblePairs: [PairScore]
}

/// One-way matching rounds: the assignment of mentees to mentors that maximises the objective
/// under every mentor's capacity and every mentee's maximum number of mentors.
public enum Round {
    /// Runs a round over `participants`.
    public static func run(_ participants: [Participant], options: RoundOptions = RoundOptions()) -> RoundResult {
        var generator = SplitMix64(seed: options.seed)
        // Ties between equally good assignments go by this seeded order of people.
        let order = participants.sorted { $0.id < $1.id }.shuffled(using: &generator)
        let mentors = order.filter { $0.isMentor && $0.capacity > 0 }
        let mentees = order.filter { $0.isMentee && $0.maximumMentors > 0 }
        let scorer = Scorer(rules: options.rules)

        var eligible: [PairScore] = []
        var bestBelowMinimum: [String: Double] = [:]
        var reasons: [String: [Ineligibility: Int]] = [:]
        var flow = MinCostFlow(nodes: mentors.count + mentees.count + 2)
        let source = 0
        let sink = mentors.count + mentees.count + 1
        // Costs are negative hundredths of points. MAX_PARTICIPATION adds, on each mentee's first
        // unit of flow only, a bonus larger than any possible difference in total score, so
        // reaching one more mentee always wins over a better total.
        let bonus: Int64 =
            options.objective == .maxParticipation
            ? Int64(options.rules.maximum * 100 + 1) * Int64(mentees.count + 1) : 0
        var pairEdges: [(mentor: Int, edge: Int, score: PairScore)] = []
        for (i, mentor) in mentors.enumerated() {
            flow.addEdge(from: source, to: 1 + i, capacity: mentor.capacity, cost: 0)
        }
        for (j, mentee) in mentees.enumerated() {
            flow.addEdge(from: 1 + mentors.count + j, to: sink, capacity: 1, cost: -bonus)
            if mentee.maximumMentors > 1 {
                flow.addEdge(from: 1 + mentors.count + j, to: sink, capacity: mentee.maximumMentors - 1, cost: 0)
            }
            for (i, mentor) in mentors.enumerated() {
                if let reason = scorer.ineligibility(mentor: mentor, mentee: mentee) {
                    reasons[mentee.id, default: [:]][reason, default: 0] += 1
                    continue
                }
                guard let score = scorer.score(mentor: mentor, mentee: mentee) else { continue }
                guard score.total >= options.minimumScore else {
                    bestBelowMinimum[mentee.id] = max(bestBelowMinimum[mentee.id] ?? 0, score.total)
                    continue
                }
                eligible.append(score)
                let cost = -Int64((score.total * 100).rounded())
                let edge = flow.addEdge(from: 1 + i, to: 1 + mentors.count + j, capacity: 1, cost: cost)
                pairEdges.append((1 + i, edge, score))
            }
        }
        _ = flow.minimiseCost(source: source, sink: sink)

        let pairs = pairEdges.filter { flow.graph[$0.mentor][$0.edge].capacity == 0 }.map(\.score)
            .sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        let matched = Set(pairs.map(\.mentee))
        var unmatched: [Unmatched] = []
        for mentee in mentees.sorted(by: { $0.id < $1.id }) where !matched.contains(mentee.id) {
            let reason: String
            if eligible.contains(where: { $0.mentee == mentee.id }) {
                reason = "every compatible mentor is full"
            } else if let best = bestBelowMinimum[mentee.id] {
                reason = "no mentor scores at least \(options.minimumScore) (best \(best))"
            } else if let most = reasons[mentee.id]?.max(by: {
                ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue)
            }) {
                reason = mentors.isEmpty ? "no mentor has capacity" : "no compatible mentor: \(most.key.rawValue)"
            } else {
                reason = "no mentor has capacity"
            }
            unmatched.append(Unmatched(id: mentee.id, reason: reason))
        }
        return RoundResult(
            pairs: pairs,
            totalScore: round2(pairs.reduce(0) { $0 + $1.total }),
            unmatched: unmatched,
            eligiblePairs: eligible.sorted { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        )
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
