import MatchingEngine
import ProtoJSON

/// The matching engine's results as JSON (for `mentornet-match`): scored pairs, rounds, differences.
public enum EngineJSON {
    /// A scored pair: who, the score, its parts, the focus skills and the explanation.
    public static func value(_ pair: PairScore) -> JSONValue {
        var fields: [String: JSONValue] = [
            "kind": .string(pair.kind.rawValue),
            "mentor": .string(pair.mentor),
            "mentee": .string(pair.mentee),
            "score": .double(pair.total),
            "parts": .object(pair.parts.mapValues(JSONValue.double)),
            "focusSkills": .array(pair.coveredSkills.map(JSONValue.string)),
            "overlapHours": .double((pair.overlapHours * 100).rounded() / 100),
            "explanation": .string(pair.explanation),
        ]
        if pair.kind == .mutual {
            fields["reverseFocusSkills"] = .array(pair.reverseCoveredSkills.map(JSONValue.string))
        }
        return .object(fields)
    }

    /// Who is paired with whom.
    public static func value(_ key: PairKey) -> JSONValue {
        .object(["kind": .string(key.kind.rawValue), "mentor": .string(key.mentor), "mentee": .string(key.mentee)])
    }

    /// A duration in seconds, to the microsecond.
    static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds / 1_000_000_000_000) / 1_000_000
    }

    /// A round: its options, totals, proposed pairs, the unmatched with reasons, timings, and optionally
    /// the difference from the previous round and every eligible pair's score.
    public static func value(
        _ round: RoundResult, options: RoundOptions, network: String?, diff: RoundDiff?, eligiblePairs: Bool
    ) -> JSONValue {
        var fields: [String: JSONValue] = [
            "objective": .string(options.objective.rawValue),
            "minimumScore": .double(options.minimumScore),
            "seed": .string(String(options.seed)),
            "mutual": .bool(options.mutual),
            "totals": .object([
                "mentees": .integer(Int64(round.menteeCount)),
                "mentors": .integer(Int64(round.mentorCount)),
                "matchedMentees": .integer(Int64(round.matchedMentees)),
                "oneWayPairs": .integer(Int64(round.pairs.count)),
                "mutualPairs": .integer(Int64(round.mutualPairs.count)),
                "oneWayScore": .double(round.oneWayScore),
                "mutualScore": .double(round.mutualScore),
                "totalScore": .double(round.totalScore),
            ]),
            "pairs": .array((round.pairs + round.mutualPairs).map(value)),
            "unmatched": .array(
                round.unmatched.map { .object(["member": .string($0.id), "reason": .string($0.reason)]) }),
            // How long each step took, in seconds (the only part that differs between runs).
            "timings": .object([
                "scoringSeconds": .double(seconds(round.timings.scoring)),
                "oneWaySeconds": .double(seconds(round.timings.oneWay)),
                "mutualSeconds": .double(seconds(round.timings.mutual)),
            ]),
        ]
        if let network { fields["network"] = .string(network) }
        if let diff {
            fields["diff"] = .object([
                "added": .array(diff.added.map(value)),
                "removed": .array(diff.removed.map(value)),
                "kept": .integer(Int64(diff.kept.count)),
            ])
        }
        if eligiblePairs {
            fields["eligiblePairs"] = .array(
                round.eligiblePairs.map {
                    .object([
                        "kind": .string($0.kind.rawValue), "mentor": .string($0.mentor), "mentee": .string($0.mentee),
                        "score": .double($0.score),
                    ])
                })
        }
        return .object(fields)
    }
}
