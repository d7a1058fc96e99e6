/// Ranked candidates for one member among many: the best mentors for a mentee, or the best peers
/// for mutual mentoring. Compiles the candidates once and then follows their changes one member at
/// a time (`upsert`, `remove`, `setCapacity`), so a network's index never needs compiling again;
/// each query scores every candidate on integers and builds full explanations only for the few it
/// returns. Candidates are kept in no particular order: ties are broken by id, so the answers are
/// those of an index compiled afresh from the same members.
public struct SuggestionIndex: Sendable {
    private var people: [Participant] = []
    private var profiles = ProfileStore()
    private var position: [String: Int] = [:]
    private let kernel: ScoringKernel
    private let scorer: Scorer

    /// Indexes `participants` (each mentor's `capacity` should be their open slots) under `rules`;
    /// of two participants with one id, the first is kept.
    public init(_ participants: [Participant], rules: ScoringRules = ScoringRules()) {
        kernel = ScoringKernel(rules: rules)
        scorer = Scorer(rules: rules)
        people.reserveCapacity(participants.count)
        for participant in participants where position[participant.id] == nil { upsert(participant) }
    }

    /// How many members the index holds.
    public var count: Int { people.count }

    /// Whether the index holds `id`.
    public func contains(_ id: String) -> Bool { position[id] != nil }

    /// The participant indexed as `id`.
    public func participant(_ id: String) -> Participant? { position[id].map { people[$0] } }

    /// How many list elements the compiled profiles hold, live or waiting for compaction.
    var storedListElements: Int { profiles.storedListElements }

    /// Adds `participant`, or replaces the one with the same id.
    public mutating func upsert(_ participant: Participant) {
        if let index = position[participant.id] {
            people[index] = participant
            profiles.replace(at: index, with: participant)
        } else {
            position[participant.id] = people.count
            people.append(participant)
            profiles.add(participant)
        }
    }

    /// Removes `id` (nothing when it is not indexed).
    public mutating func remove(_ id: String) {
        guard let index = position.removeValue(forKey: id) else { return }
        let last = people.count - 1
        if index != last { position[people[last].id] = index }
        people.swapAt(index, last)
        people.removeLast()
        profiles.remove(at: index)
    }

    /// Sets how many more mentees `id` can take (nothing when `id` is not indexed).
    public mutating func setCapacity(_ capacity: Int, of id: String) {
        guard let index = position[id] else { return }
        people[index].capacity = capacity
        profiles.setCapacity(capacity, at: index)
    }

    /// The `limit` best mentors with open capacity for `menteeID`, best first (ties by id),
    /// leaving out `excluding` (existing, pending and declined partners) and pairs below `minimumScore`.
    public func mentors(
        for menteeID: String, limit: Int, excluding: Set<String> = [], minimumScore: Double = 0
    ) -> [PairScore] {
        guard let me = position[menteeID] else { return [] }
        return top(limit, excluding: excluding, minimumScore: minimumScore, around: me) { candidate, lists in
            guard profiles[candidate].capacity > 0,
                case .eligible(let points) = kernel.oneWay(mentor: profiles[candidate], mentee: profiles[me], lists)
            else { return nil }
            return points
        }
        .map { scorer.describe(mentor: people[$0.candidate], mentee: people[me], points: $0.points) }
    }

    /// The `limit` best peers for mutual mentoring with `memberID`, best first (ties by id).
    public func peers(
        for memberID: String, limit: Int, excluding: Set<String> = [], minimumScore: Double = 0
    ) -> [PairScore] {
        guard let me = position[memberID] else { return [] }
        return top(limit, excluding: excluding, minimumScore: minimumScore, around: me) { candidate, lists in
            guard case .eligible(let points) = kernel.mutual(profiles[me], profiles[candidate], lists) else {
                return nil
            }
            return points
        }
        .map { scorer.describeMutual(people[me], people[$0.candidate], points: $0.points) }
    }

    private func top(
        _ limit: Int, excluding: Set<String>, minimumScore: Double, around me: Int,
        score: (Int, ProfileStore.Lists) -> Points?
    ) -> [(candidate: Int, points: Points)] {
        guard limit > 0 else { return [] }
        let minimum = Int((minimumScore * 100).rounded())
        // The best so far, kept sorted best first; k is small, so insertion beats a heap.
        var best: [(candidate: Int, points: Points)] = []
        best.reserveCapacity(limit + 1)
        func ahead(_ a: (candidate: Int, points: Points), _ b: (candidate: Int, points: Points)) -> Bool {
            a.points.total != b.points.total
                ? a.points.total > b.points.total : people[a.candidate].id < people[b.candidate].id
        }
        profiles.withLists { lists in
            for candidate in 0..<profiles.count where candidate != me {
                guard let points = score(candidate, lists), points.total >= minimum else { continue }
                if best.count == limit && points.total < best[limit - 1].points.total { continue }
                if !excluding.isEmpty && excluding.contains(people[candidate].id) { continue }
                let entry = (candidate: candidate, points: points)
                var slot = best.count
                while slot > 0 && ahead(entry, best[slot - 1]) { slot -= 1 }
                guard slot < limit else { continue }
                best.insert(entry, at: slot)
                if best.count > limit { best.removeLast() }
            }
        }
        return best
    }
}
