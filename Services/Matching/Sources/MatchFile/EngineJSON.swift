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
            fields["eligiblePairs"] = .array(round.eligiblePairs.map(value))
        }
        return .object(fields)
    }

    /// An eligible pair: who, which kind, and the score.
    static func value(_ pair: EligiblePair) -> JSONValue {
        .object([
            "kind": .string(pair.kind.rawValue), "mentor": .string(pair.mentor), "mentee": .string(pair.mentee),
            "score": .double(pair.score),
        ])
    }

    /// Writes `value(round, …)` as JSON text (the same bytes as its `serialized()`) to `sink`, a
    /// piece of about `chunk` bytes at a time: the eligible pairs, millions in a large network,
    /// go out one by one instead of as one tree of values and one buffer.
    public static func write(
        _ round: RoundResult, options: RoundOptions, network: String?, diff: RoundDiff?, eligiblePairs: Bool,
        chunk: Int = 1 << 20, to sink: ([UInt8]) throws -> Void
    ) throws {
        guard
            case .object(var fields) = value(
                round, options: options, network: network, diff: diff, eligiblePairs: false)
        else { preconditionFailure("a round is an object") }
        let streamed = "eligiblePairs"
        if eligiblePairs { fields[streamed] = .null }
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(chunk + 4096)
        func flush(_ force: Bool = false) throws {
            if force || out.count >= chunk {
                try sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.writeString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            if key == streamed {
                out.append(UInt8(ascii: "["))
                for (n, pair) in round.eligiblePairs.enumerated() {
                    if n > 0 { out.append(UInt8(ascii: ",")) }
                    out += value(pair).serialized()
                    try flush()
                }
                out.append(UInt8(ascii: "]"))
            } else {
                out += fields[key]!.serialized()
            }
            try flush()
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "\n"))
        try flush(true)
    }
}
