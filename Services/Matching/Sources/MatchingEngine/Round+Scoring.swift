import Dispatch
import Foundation
import Synchronization

/// The one-way step's input for consecutive mentees: their eligible pairs at or above the
/// minimum, and for each mentee why the others were not (for the unmatched reasons).
struct ScoredRows: Sendable {
    var pairs: EligibleMatrix
    var reasons: [[Int]]
    var bestBelowMinimum: [Int]

    init(columns: Int) {
        pairs = EligibleMatrix(columns: columns)
        reasons = []
        bestBelowMinimum = []
    }

    mutating func append(_ other: ScoredRows) {
        pairs.appendRows(of: other.pairs)
        reasons += other.reasons
        bestBelowMinimum += other.bestBelowMinimum
    }
}

extension Round {
    /// Scores the (mentor, mentee) pairs that can be eligible: for each mentee, the mentors who
    /// are open to one-way mentoring, share a language (when the rules require one) and teach one
    /// of the mentee's goals, found with bit sets (`GroupBits`); the others are only counted by
    /// the rule that rules them out, as scoring them would. Mentees are independent, so large
    /// networks are split into one slice per core and the slices joined in order: the result is
    /// the same either way, and the same as scoring every pair.
    static func scoreOneWay(
        _ profiles: ProfileStore, mentors: [Int], mentees: [Int], kernel: ScoringKernel, minimum: Int,
        excluded: [[Int]] = [], slices requested: Int? = nil
    ) -> ScoredRows {
        let slices =
            requested
            ?? (mentees.count * mentors.count < 1_000_000 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 16))
        let index = profiles.withLists { GroupBits(profiles, group: mentors, lists: $0) }
        let open = index.members { profiles[mentors[$0]].acceptsOneWay }
        let mentorPosition = {
            var position = [Int32](repeating: -1, count: profiles.count)
            for (i, mentor) in mentors.enumerated() { position[mentor] = Int32(i) }
            return position
        }()
        let requireLanguage = kernel.rules.requireSharedLanguage
        @Sendable func score(_ range: Range<Int>) -> ScoredRows {
            profiles.withLists { lists in
                var rows = ScoredRows(columns: mentors.count)
                let mentorProfiles = mentors.map { profiles[$0] }
                var scratch = [UInt64](repeating: 0, count: 2 * index.words)
                scratch.withUnsafeMutableBufferPointer { scratch in
                    let candidates = UnsafeMutableBufferPointer(rebasing: scratch[0..<index.words])
                    let filter = UnsafeMutableBufferPointer(rebasing: scratch[index.words...])
                    for j in range {
                        let mentee = mentees[j]
                        let learner = profiles[mentee]
                        var reasons = [Int](repeating: 0, count: Ineligibility.allCases.count)
                        var best = -1
                        defer {
                            rows.pairs.endRow()
                            rows.reasons.append(reasons)
                            rows.bestBelowMinimum.append(best)
                        }
                        // Everyone but the mentee; then the excluded, each counted once.
                        index.everyone(into: candidates)
                        let own = Int(mentorPosition[mentee])
                        if own >= 0 { _ = BitSet.remove(own, from: candidates) }
                        for i in excluded.isEmpty ? [] : excluded[j] where BitSet.remove(i, from: candidates) {
                            reasons[Ineligibility.excluded.index] += 1
                        }
                        // The kernel's rules in the kernel's order, on whole sets at once.
                        let considered = BitSet.count(candidates)
                        guard learner.acceptsOneWay else {
                            reasons[Ineligibility.notOpenToOneWay.index] += considered
                            continue
                        }
                        let openToOneWay = open.withUnsafeBufferPointer { BitSet.intersect(candidates, with: $0) }
                        reasons[Ineligibility.notOpenToOneWay.index] += considered - openToOneWay
                        var speaking = openToOneWay
                        if requireLanguage {
                            index.speakingWith(learner, lists, into: filter)
                            speaking = BitSet.intersect(candidates, with: UnsafeBufferPointer(filter))
                            reasons[Ineligibility.noSharedLanguage.index] += openToOneWay - speaking
                        }
                        index.teaching(lists.skills(learner.goals), into: filter)
                        let teaching = BitSet.intersect(candidates, with: UnsafeBufferPointer(filter))
                        reasons[Ineligibility.noCoverage.index] += speaking - teaching
                        BitSet.forEach(in: candidates) { i in
                            switch kernel.oneWay(mentor: mentorProfiles[i], mentee: learner, lists) {
                            case .ineligible(let reason):
                                reasons[reason.index] += 1
                            case .eligible(let points):
                                if points.total >= minimum {
                                    rows.pairs.append(column: i, cost: -Int64(points.total))
                                } else {
                                    best = max(best, points.total)
                                }
                            }
                        }
                    }
                }
                return rows
            }
        }
        if slices == 1 { return score(0..<mentees.count) }
        let done = Mutex([ScoredRows?](repeating: nil, count: slices))
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let range = (mentees.count * slice / slices)..<(mentees.count * (slice + 1) / slices)
            let rows = score(range)
            done.withLock { $0[slice] = rows }
        }
        return done.withLock { parts in
            var all = ScoredRows(columns: mentors.count)
            for part in parts { all.append(part!) }
            return all
        }
    }
}

extension Round {
    /// Calls `body(x, y)`, for x < y in increasing order, with each pair of positions in `group`
    /// (indices into `profiles`) that can be an eligible mutual pair: each teaches the other
    /// something the other wants and, when the rules require it, they share a language.
    static func forEachMutualCandidate(
        _ profiles: ProfileStore, group: [Int], lists: ProfileStore.Lists, requireLanguage: Bool,
        _ body: (Int, Int) -> Void
    ) {
        let index = GroupBits(profiles, group: group, lists: lists)
        var scratch = [UInt64](repeating: 0, count: 2 * index.words)
        scratch.withUnsafeMutableBufferPointer { scratch in
            let candidates = UnsafeMutableBufferPointer(rebasing: scratch[0..<index.words])
            let filter = UnsafeMutableBufferPointer(rebasing: scratch[index.words...])
            for (x, person) in group.enumerated() {
                let profile = profiles[person]
                index.teaching(lists.skills(profile.goals), into: candidates)
                index.wanting(lists.skills(profile.expertise), into: filter)
                var left = BitSet.intersect(candidates, with: UnsafeBufferPointer(filter))
                if requireLanguage && left > 0 {
                    index.speakingWith(profile, lists, into: filter)
                    left = BitSet.intersect(candidates, with: UnsafeBufferPointer(filter))
                }
                if left > 0 { BitSet.forEach(in: candidates, from: x + 1) { body(x, $0) } }
            }
        }
    }
}
