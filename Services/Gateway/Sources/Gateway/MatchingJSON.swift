import MatchingV1
import Wire

/// Matches, suggestions and rounds in proto3 JSON: lowerCamelCase names, enums by name, 64-bit
/// integers as strings, timestamps as RFC 3339 in UTC.
enum MatchingJSON {
    static let kindNames: [String: MatchKind] = ["MATCH_KIND_ONE_WAY": .oneWay, "MATCH_KIND_MUTUAL": .mutual]
    static let originNames: [String: MatchOrigin] = [
        "MATCH_ORIGIN_REQUESTED": .requested, "MATCH_ORIGIN_SUGGESTION": .suggestion, "MATCH_ORIGIN_ROUND": .round,
        "MATCH_ORIGIN_ADMIN": .admin,
    ]
    static let stateNames: [String: MatchState] = [
        "MATCH_STATE_PROPOSED": .proposed, "MATCH_STATE_ACTIVE": .active, "MATCH_STATE_DECLINED": .declined,
        "MATCH_STATE_WITHDRAWN": .withdrawn, "MATCH_STATE_EXPIRED": .expired, "MATCH_STATE_COMPLETED": .completed,
        "MATCH_STATE_ENDED": .ended,
    ]
    static let objectiveNames: [String: RoundObjective] = [
        "ROUND_OBJECTIVE_MAX_SCORE": .maxScore, "ROUND_OBJECTIVE_MAX_PARTICIPATION": .maxParticipation,
    ]
    static let roundStateNames: [String: RoundState] = [
        "ROUND_STATE_DRY_RUN": .dryRun, "ROUND_STATE_PUBLISHED": .published,
    ]

    static func name<E: Equatable>(_ value: E, in names: [String: E]) -> JSONValue {
        .string(names.first { $0.value == value }?.key ?? "UNSPECIFIED")
    }

    static func parts(_ parts: [ScorePart]) -> JSONValue {
        .array(parts.map { .object(["criterion": .string($0.criterion), "points": .double($0.points)]) })
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map(JSONValue.string)) }

    static func time(_ micros: Int64) -> JSONValue { micros == 0 ? .null : .string(MemberJSON.rfc3339(micros)) }

    static func value(_ match: Match) -> JSONValue {
        .object([
            "id": .string(match.id), "network": .string(match.network), "kind": name(match.kind, in: kindNames),
            "mentorId": .string(match.mentorID), "menteeId": .string(match.menteeID),
            "focusSkills": strings(match.focusSkills), "reverseFocusSkills": strings(match.reverseFocusSkills),
            "score": .double(match.score), "scoreParts": parts(match.scoreParts),
            "explanation": .string(match.explanation), "origin": name(match.origin, in: originNames),
            "state": name(match.state, in: stateNames), "mentorAccepted": .bool(match.mentorAccepted),
            "menteeAccepted": .bool(match.menteeAccepted), "reason": .string(match.reason),
            "roundId": .string(match.roundID), "version": .string(String(match.version)),
            "createdAt": time(match.createdAtMicros), "updatedAt": time(match.updatedAtMicros),
            "expiresAt": time(match.expiresAtMicros),
        ])
    }

    static func value(_ suggestion: Suggestion) -> JSONValue {
        .object([
            "candidateId": .string(suggestion.candidateID), "kind": name(suggestion.kind, in: kindNames),
            "score": .double(suggestion.score), "scoreParts": parts(suggestion.scoreParts),
            "focusSkills": strings(suggestion.focusSkills),
            "reverseFocusSkills": strings(suggestion.reverseFocusSkills),
            "explanation": .string(suggestion.explanation),
        ])
    }

    static func value(_ key: RoundPairKey) -> JSONValue {
        .object([
            "kind": name(key.kind, in: kindNames), "mentorId": .string(key.mentorID),
            "menteeId": .string(key.menteeID),
        ])
    }

    static func value(_ round: Round) -> JSONValue {
        .object([
            "id": .string(round.id), "network": .string(round.network),
            "objective": name(round.objective, in: objectiveNames), "minimumScore": .double(round.minimumScore),
            "seed": .string(String(round.seed)), "mutual": .bool(round.mutual),
            "state": name(round.state, in: roundStateNames), "feedPosition": .string(String(round.feedPosition)),
            "menteeCount": .integer(Int64(round.menteeCount)), "mentorCount": .integer(Int64(round.mentorCount)),
            "matchedMentees": .integer(Int64(round.matchedMentees)), "oneWayScore": .double(round.oneWayScore),
            "mutualScore": .double(round.mutualScore),
            "pairs": .array(
                round.pairs.map { pair in
                    .object([
                        "kind": name(pair.kind, in: kindNames), "mentorId": .string(pair.mentorID),
                        "menteeId": .string(pair.menteeID), "score": .double(pair.score),
                        "scoreParts": parts(pair.scoreParts), "focusSkills": strings(pair.focusSkills),
                        "reverseFocusSkills": strings(pair.reverseFocusSkills),
                        "explanation": .string(pair.explanation), "matchId": .string(pair.matchID),
                        "notProposedReason": .string(pair.notProposedReason),
                    ])
                }),
            "unmatched": .array(
                round.unmatched.map { .object(["memberId": .string($0.memberID), "reason": .string($0.reason)]) }),
            "previousRoundId": .string(round.previousRoundID), "added": .array(round.added.map(value)),
            "removed": .array(round.removed.map(value)), "kept": .integer(Int64(round.kept)),
            "createdAt": time(round.createdAtMicros), "publishedAt": time(round.publishedAtMicros),
        ])
    }
}
