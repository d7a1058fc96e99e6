import Foundation
import GRDB
import MatchingEngine
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore
import Wire

/// Matching rounds for a network: computed from the member read model and the open matches, and
/// stored as a dry run with the profiles feed position they were read at; then, on request,
/// published: each pair proposed as a match (origin ROUND) in one transaction.
public struct RoundStore: Sendable {
    private let database: MatchingDatabase
    private let matches: MatchStore
    private let notifier: ChangeNotifier
    private let policy: MatchPolicy

    init(database: MatchingDatabase, matches: MatchStore, notifier: ChangeNotifier, policy: MatchPolicy) {
        self.database = database
        self.matches = matches
        self.notifier = notifier
        self.policy = policy
    }

    /// Computes a round over the network's active members and stores it as a dry run.
    func run(network: String, options: RoundOptions, now: Int64) async throws -> MatchingV1.Round {
        let policy = policy
        // One read transaction: the members, their open and declined matches, the feed position
        // and the previous round all belong to the same moment. Everything it returns is Sendable,
        // so this is GRDB's asynchronous read: with a non-Sendable result (GRDB's `Row`) Swift
        // silently picks the synchronous overload, which blocks the event loop and can deadlock it.
        let input = try await database.writer.read { db in
            let members = try MemberDirectory.activeMembers(of: network, in: db)
            let pairs = try Row.fetchAll(
                db,
                sql: "SELECT mentor_id, mentee_id, kind, state FROM match WHERE network = ? AND state IN (1, 2, 3)",
                arguments: [network]
            ).map { row in
                OpenPair(
                    mentor: row["mentor_id"], mentee: row["mentee_id"],
                    kind: MatchingV1.MatchKind(rawValue: row["kind"]) ?? .oneWay,
                    isActive: (row["state"] as Int32) == MatchState.active.rawValue)
            }
            let previous = try Data.fetchOne(
                db, sql: "SELECT body FROM round WHERE network = ? ORDER BY id DESC LIMIT 1", arguments: [network])
            return (
                position: try MemberDirectory.position(db), members: members, pairs: pairs,
                previous: try previous.map { try MatchingV1.Round(decoding: [UInt8]($0)) }
            )
        }
        var mentees: [String: Int] = [:]  // active mentors per learner
        var taken: [String: Int] = [:]  // active one-way mentees per mentor
        var excluded = Set<PairKey>()
        for pair in input.pairs {
            excluded.insert(PairKey(kind: .oneWay, mentor: pair.mentor, mentee: pair.mentee))
            guard pair.isActive else { continue }
            if pair.kind == .mutual {
                mentees[pair.mentor, default: 0] += 1
                mentees[pair.mentee, default: 0] += 1
            } else {
                taken[pair.mentor, default: 0] += 1
                mentees[pair.mentee, default: 0] += 1
            }
        }
        let date = Date(timeIntervalSince1970: Double(now) / 1_000_000)
        let participants = input.members.map { member in
            var participant = Participant(member: member, at: date, maximumMentors: policy.maximumMentors)
            participant.capacity = max(0, participant.capacity - taken[member.id, default: 0])
            if participant.isMentee {
                participant.maximumMentors = max(0, policy.maximumMentors - mentees[member.id, default: 0])
            }
            return participant
        }
        var options = options
        options.excludedPairs = excluded
        let engineOptions = options
        // Rounds take seconds on big networks: off the connection's event loop.
        let result = await withTaskExecutorPreference(globalConcurrentExecutor) {
            MatchingEngine.Round.run(participants, options: engineOptions)
        }

        var round = MatchingV1.Round(
            id: SortableID.make(prefix: "rnd_", atMicros: now), network: network,
            objective: options.objective == .maxParticipation ? .maxParticipation : .maxScore,
            minimumScore: options.minimumScore, seed: options.seed, mutual: options.mutual, state: .dryRun,
            feedPosition: input.position, menteeCount: UInt32(result.menteeCount),
            mentorCount: UInt32(result.mentorCount),
            matchedMentees: UInt32(result.matchedMentees), oneWayScore: result.oneWayScore,
            mutualScore: result.mutualScore, pairs: (result.pairs + result.mutualPairs).map(Self.pair),
            unmatched: result.unmatched.map { UnmatchedMember(memberID: $0.id, reason: $0.reason) },
            createdAtMicros: now)
        if let previous = input.previous {
            let diff = RoundDiff(previous: previous.pairs.map(Self.key), current: result.pairKeys)
            round.previousRoundID = previous.id
            round.added = diff.added.map(Self.wireKey)
            round.removed = diff.removed.map(Self.wireKey)
            round.kept = UInt32(diff.kept.count)
        }
        let stored = round
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO round (id, network, state, body) VALUES (?, ?, ?, ?)",
                arguments: [stored.id, stored.network, stored.state.rawValue, Data(try stored.encoded())])
        }
        return round
    }

    /// Proposes every pair of a dry-run round, in one transaction. A pair that can no longer be
    /// proposed (someone paused, a slot taken since) is kept with the reason instead.
    func publish(
        _ id: String, now: Int64, visible: @Sendable (MatchingV1.Round) -> Bool = { _ in true }
    ) async throws -> MatchingV1.Round {
        let round = try await database.writer.write { db -> MatchingV1.Round in
            guard let body = try Data.fetchOne(db, sql: "SELECT body FROM round WHERE id = ?", arguments: [id]) else {
                throw MatchStoreError.roundNotFound(roundID: id)
            }
            var round = try MatchingV1.Round(decoding: [UInt8](body))
            guard visible(round) else { throw MatchStoreError.roundNotFound(roundID: id) }
            guard round.state == .dryRun else {
                throw MatchStoreError.roundPublished(roundID: id)
            }
            for index in round.pairs.indices {
                let pair = round.pairs[index]
                let proposal = MatchStore.Proposal(
                    network: round.network, kind: pair.kind, mentorID: pair.mentorID, menteeID: pair.menteeID,
                    origin: .round, requestedBy: "", roundID: round.id)
                try db.inSavepoint {
                    do {
                        round.pairs[index].matchID = try matches.insertProposal(proposal, now: now, in: db).id
                        return .commit
                    } catch let refusal as MatchStoreError {
                        // A rule refused this pair (taken since the dry run, say): say why, keep going.
                        round.pairs[index].notProposedReason = refusal.rpcError.message
                        return .rollback
                    }
                }
            }
            round.state = .published
            round.publishedAtMicros = now
            try db.execute(
                sql: "UPDATE round SET state = ?, body = ? WHERE id = ?",
                arguments: [round.state.rawValue, Data(try round.encoded()), id])
            return round
        }
        notifier.notify()
        return round
    }

    /// The round.
    func get(_ id: String) async throws -> MatchingV1.Round? {
        try await database.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM round WHERE id = ?", arguments: [id]).map {
                try MatchingV1.Round(decoding: [UInt8]($0))
            }
        }
    }

    private static func pair(_ score: PairScore) -> RoundPair {
        RoundPair(
            kind: score.kind == .mutual ? .mutual : .oneWay, mentorID: score.mentor, menteeID: score.mentee,
            score: score.total,
            scoreParts: score.scoreParts,
            focusSkills: score.coveredSkills, reverseFocusSkills: score.reverseCoveredSkills,
            explanation: score.explanation)
    }

    private static func key(_ pair: RoundPair) -> PairKey {
        PairKey(kind: pair.kind == .mutual ? .mutual : .oneWay, mentor: pair.mentorID, mentee: pair.menteeID)
    }

    private static func wireKey(_ key: PairKey) -> RoundPairKey {
        RoundPairKey(kind: key.kind == .mutual ? .mutual : .oneWay, mentorID: key.mentor, menteeID: key.mentee)
    }
}

/// A proposed, active or declined match as a round's input sees it.
private struct OpenPair: Sendable {
    var mentor: String
    var mentee: String
    var kind: MatchingV1.MatchKind
    var isActive: Bool
}
