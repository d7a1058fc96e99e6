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
    /// Scores every (mentor, mentee) pair. Mentees are independent, so large networks are split
    /// into one slice per core and the slices joined in order: the result is the same either way.
    static func scoreOneWay(
        _ profiles: ProfileStore, mentors: [Int], mentees: [Int], kernel: ScoringKernel, minimum: Int,
        excluded: [[Int]] = [], slices requested: Int? = nil
    ) -> ScoredRows {
        let slices =
            requested
            ?? (mentees.count * mentors.count < 1_000_000 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 16))
        @Sendable func score(_ range: Range<Int>) -> ScoredRows {
            profiles.withLists { lists in
                var rows = ScoredRows(columns: mentors.count)
                let mentorProfiles = mentors.map { profiles[$0] }
                for j in range {
                    let mentee = mentees[j]
                    let learner = profiles[mentee]
                    let skip = excluded.isEmpty ? [] : excluded[j]
                    var reasons = [Int](repeating: 0, count: Ineligibility.allCases.count)
                    var best = -1
                    for (i, mentor) in mentors.enumerated() where mentor != mentee {
                        if !skip.isEmpty && skip.contains(i) {
                            reasons[Ineligibility.excluded.index] += 1
                            continue
                        }
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
                    rows.pairs.endRow()
                    rows.reasons.append(reasons)
                    rows.bestBelowMinimum.append(best)
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
