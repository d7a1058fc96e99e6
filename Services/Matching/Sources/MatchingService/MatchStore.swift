import Foundation
import GRDB
import MatchingEngine
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore
import Wire

/// The matches and their change feed. Every state change is one write transaction that checks
/// the rules against the current rows (SQLite has one writer, so two acceptances racing for a
/// mentor's last slot are serialised: exactly one wins) and appends the change to the feed.
public struct MatchStore: Sendable {
    private let database: MatchingDatabase
    private let notifier: ChangeNotifier
    private let policy: MatchPolicy

    /// A store over `database`; `notifier` hears of every committed change.
    public init(database: MatchingDatabase, notifier: ChangeNotifier, policy: MatchPolicy) {
        self.database = database
        self.notifier = notifier
        self.policy = policy
    }

    /// What a proposal asks for.
    public struct Proposal: Sendable {
        var network: String
        var kind: MatchingV1.MatchKind
        var mentorID: String
        var menteeID: String
        var origin: MatchOrigin
        var requestedBy: String
        var roundID = ""
    }

    /// Proposes a match after checking both members, the pair's eligibility and score, capacity
    /// and the open-pair rule. With an idempotency key, a retry returns the first result.
    public func propose(_ proposal: Proposal, now: Int64, idempotency: (key: String, request: [UInt8])?) async throws
        -> Match
    {
        let match = try await database.writer.write { db -> Match in
            switch try IdempotencyKeys.lookup(idempotency, in: db) {
            case .answered(let response): return try Match(decoding: response)
            case .reused: throw MatchStoreError.idempotencyKeyReused
            case .new: break
            }
            let match = try insertProposal(proposal, now: now, in: db)
            try IdempotencyKeys.remember(idempotency, response: Data(try match.encoded()), at: now, in: db)
            return match
        }
        notifier.notify()
        return match
    }

    /// Checks and inserts a proposal inside a write transaction (proposals and round publishing).
    func insertProposal(_ proposal: Proposal, now: Int64, in db: Database) throws -> Match {
        let mentor = try Self.activeMember(proposal.mentorID, network: proposal.network, in: db)
        let mentee = try Self.activeMember(proposal.menteeID, network: proposal.network, in: db)
        if let open = try String.fetchOne(
            db, sql: "SELECT id FROM match WHERE pair_key = ? AND state IN (1, 2)",
            arguments: [Self.pairKey(mentor.id, mentee.id)])
        {
            throw MatchStoreError.openMatchExists(mentorID: mentor.id, menteeID: mentee.id, matchID: open)
        }
        let date = Date(timeIntervalSince1970: Double(now) / 1_000_000)
        let a = Participant(member: mentor, at: date, maximumMentors: policy.maximumMentors)
        let b = Participant(member: mentee, at: date, maximumMentors: policy.maximumMentors)
        let scorer = Scorer()
        let score: PairScore
        switch proposal.kind {
        case .mutual:
            guard let found = scorer.mutualScore(a, b) else {
                throw MatchStoreError.ineligible(
                    "\(mentor.id) and \(mentee.id) cannot mentor each other: \(scorer.mutualIneligibility(a, b)!.rawValue)"
                )
            }
            score = found
        default:
            guard let found = scorer.score(mentor: a, mentee: b) else {
                throw MatchStoreError.ineligible(
                    "\(mentor.id) cannot mentor \(mentee.id): \(scorer.ineligibility(mentor: a, mentee: b)!.rawValue)")
            }
            score = found
        }
        try checkRoom(kind: proposal.kind, mentor: mentor, mentee: mentee, in: db)

        var match = Match(
            id: SortableID.make(prefix: "mat_", atMicros: now), network: proposal.network, kind: proposal.kind,
            mentorID: score.mentor, menteeID: score.mentee, focusSkills: score.coveredSkills,
            reverseFocusSkills: score.reverseCoveredSkills, score: score.total,
            scoreParts: score.scoreParts,
            explanation: score.explanation, origin: proposal.origin, state: .proposed,
            roundID: proposal.roundID, version: 1, createdAtMicros: now, updatedAtMicros: now,
            expiresAtMicros: now + Self.micros(policy.proposalLifetime))
        if proposal.requestedBy == match.mentorID { match.mentorAccepted = true }
        if proposal.requestedBy == match.menteeID { match.menteeAccepted = true }
        let body = Data(try match.encoded())
        try db.execute(
            sql: """
                INSERT INTO match (id, network, kind, mentor_id, mentee_id, pair_key, state, expires_at, body)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                match.id, match.network, match.kind.rawValue, match.mentorID, match.menteeID,
                Self.pairKey(match.mentorID, match.menteeID), match.state.rawValue, match.expiresAtMicros, body,
            ])
        try Self.record(.proposed, match, body: body, in: db)
        return match
    }

    /// A partner accepts. When both have, the match becomes active if there is still room; a
    /// learner who then has their maximum of mentors has their other proposals withdrawn.
    public func accept(_ id: String, by memberID: String, expectedVersion: UInt64, now: Int64) async throws -> Match {
        try await transition(id, by: memberID, expectedVersion: expectedVersion, now: now, from: .proposed) {
            match, db in
            let isMentor = memberID == match.mentorID
            if isMentor ? match.mentorAccepted : match.menteeAccepted { return [] }  // already accepted
            if isMentor { match.mentorAccepted = true } else { match.menteeAccepted = true }
            guard match.mentorAccepted && match.menteeAccepted else { return [.accepted] }
            guard
                let mentor = try MemberDirectory.member(match.mentorID, in: db),
                let mentee = try MemberDirectory.member(match.menteeID, in: db)
            else { throw MatchStoreError.partnerUnknown(matchID: match.id) }
            for member in [mentor, mentee] where member.status != .active {
                throw MatchStoreError.memberNotActive(memberID: member.id, status: Self.name(member.status))
            }
            try checkRoom(kind: match.kind, mentor: mentor, mentee: mentee, in: db)
            match.state = .active
            return [.activated]
        } after: { match, db in
            guard match.state == .active else { return }
            let learners = match.kind == .mutual ? [match.mentorID, match.menteeID] : [match.menteeID]
            for learner in learners where try Self.mentorCount(of: learner, in: db) >= policy.maximumMentors {
                try withdrawOtherProposals(
                    of: learner, except: match.id,
                    reason: "\(learner) reached their maximum of \(policy.maximumMentors) mentor(s)",
                    now: now, in: db)
            }
        }
    }

    /// A partner declines a proposal.
    public func decline(_ id: String, by memberID: String, expectedVersion: UInt64, reason: String, now: Int64)
        async throws -> Match
    {
        try await transition(id, by: memberID, expectedVersion: expectedVersion, now: now, from: .proposed) {
            match, _ in
            match.state = .declined
            match.reason = reason
            return [.declined]
        }
    }

    /// A partner withdraws a proposal.
    public func withdraw(_ id: String, by memberID: String, expectedVersion: UInt64, reason: String, now: Int64)
        async throws -> Match
    {
        try await transition(id, by: memberID, expectedVersion: expectedVersion, now: now, from: .proposed) {
            match, _ in
            match.state = .withdrawn
            match.reason = reason
            return [.withdrawn]
        }
    }

    /// A partner ends an active match as completed or ended.
    public func end(
        _ id: String, by memberID: String, outcome: MatchState, expectedVersion: UInt64, reason: String, now: Int64
    ) async throws -> Match {
        try await transition(id, by: memberID, expectedVersion: expectedVersion, now: now, from: .active) {
            match, _ in
            match.state = outcome
            match.reason = reason
            return [outcome == .completed ? .completed : .ended]
        }
    }

    /// Expires every proposal whose time has come; returns how many.
    @discardableResult
    public func expireDue(now: Int64) async throws -> Int {
        let count = try await database.writer.write { db -> Int in
            let bodies = try Data.fetchAll(
                db, sql: "SELECT body FROM match WHERE state = 1 AND expires_at <= ? ORDER BY expires_at",
                arguments: [now])
            for body in bodies {
                var match = try Match(decoding: [UInt8](body))
                match.state = .expired
                match.reason = "not accepted by both partners in time"
                try Self.save(&match, kind: .expired, now: now, in: db)
            }
            return bodies.count
        }
        if count > 0 { notifier.notify() }
        return count
    }

    /// The match.
    public func get(_ id: String) async throws -> Match? {
        try await database.writer.read { db in try Self.fetch(id, in: db) }
    }

    /// Whose matches a list holds.
    public enum Owner: Sendable {
        /// Those where the member is a partner.
        case member(String)
        /// Those of the network.
        case network(String)
    }

    /// Up to `limit` of the owner's matches with ids before `beforeID` (newest first), in `state` if given.
    public func list(_ owner: Owner, state: MatchState, beforeID: String?, limit: Int) async throws -> [Match] {
        try await database.writer.read { db in
            var sql: String
            var arguments: StatementArguments
            switch owner {
            case .member(let memberID):
                sql = "SELECT body FROM match WHERE (mentor_id = ? OR mentee_id = ?)"
                arguments = [memberID, memberID]
            case .network(let network):
                sql = "SELECT body FROM match WHERE network = ?"
                arguments = [network]
            }
            if state != .unspecified {
                sql += " AND state = ?"
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            if let beforeID {
                sql += " AND id < ?"
                _ = arguments.append(contentsOf: [beforeID])
            }
            sql += " ORDER BY id DESC LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Data.fetchAll(db, sql: sql, arguments: arguments).map { try Match(decoding: [UInt8]($0)) }
        }
    }

    /// Everyone the member has an open match with, or was declined by or declined: not to be suggested again.
    static func partnersToExclude(of memberID: String, in db: Database) throws -> Set<String> {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT mentor_id, mentee_id FROM match WHERE (mentor_id = ? OR mentee_id = ?) AND state IN (1, 2, 3)",
            arguments: [memberID, memberID])
        return Set(rows.map { row in (row["mentor_id"] as String) == memberID ? row["mentee_id"] : row["mentor_id"] })
    }

    /// How many more mentees each mentor among `mentors` can take (the others are left out).
    static func openSlots(of mentors: [Member], in db: Database) throws -> [String: Int] {
        var slots: [String: Int] = [:]
        for mentor in mentors where mentor.roles.contains(.mentor) {
            slots[mentor.id] = max(0, Int(mentor.mentoringCapacity) - (try menteeCount(of: mentor.id, in: db)))
        }
        return slots
    }

    /// The change feed's last sequence: it moves with every change to any match.
    static func head(_ db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM match_change") ?? 0)
    }

    /// The mentors of the one-way matches changed after `sequence` of the change feed: whose open
    /// slots may have moved since.
    static func mentors(withMatchesChangedAfter sequence: UInt64, in db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT DISTINCT mentor_id FROM match WHERE kind = 1 AND id IN
                    (SELECT match_id FROM match_change WHERE sequence > ?)
                """,
            arguments: [Int64(clamping: sequence)])
    }

    /// Up to `limit` changes after `sequence`, and the feed's last sequence.
    public func changes(after sequence: UInt64, limit: Int) async throws -> (changes: [MatchChange], head: UInt64) {
        try await database.writer.read { db in
            let (entries, head) = try Self.feed.entries(after: sequence, limit: limit, in: db)
            let changes = try entries.map { entry in
                MatchChange(
                    sequence: entry.sequence, eventID: entry.eventID,
                    kind: MatchChangeKind(rawValue: entry.kind) ?? .unspecified,
                    match: try Match(decoding: entry.body), occurredAtMicros: entry.occurredAtMicros)
            }
            return (changes, head)
        }
    }

    // MARK: Rules

    /// The common shape of a state change: load, check the partner, the version and the state,
    /// apply `change` (which returns the feed events), save, then `after` in the same transaction.
    private func transition(
        _ id: String, by memberID: String, expectedVersion: UInt64, now: Int64, from state: MatchState,
        change: @escaping @Sendable (inout Match, Database) throws -> [MatchChangeKind],
        after: @escaping @Sendable (Match, Database) throws -> Void = { _, _ in }
    ) async throws -> Match {
        enum Outcome {
            case done(Match)
            case expired(Match)
        }
        let outcome = try await database.writer.write { db -> Outcome in
            guard var match = try Self.fetch(id, in: db) else { throw MatchStoreError.matchNotFound(matchID: id) }
            guard memberID == match.mentorID || memberID == match.menteeID else {
                throw MatchStoreError.notAPartner(memberID: memberID, matchID: id)
            }
            if expectedVersion != 0 && expectedVersion != match.version {
                throw MatchStoreError.staleVersion(matchID: id, current: match.version, expected: expectedVersion)
            }
            // A proposal past its time expires now, even if the expiry job has not run yet.
            if match.state == .proposed && now >= match.expiresAtMicros {
                match.state = .expired
                match.reason = "not accepted by both partners in time"
                try Self.save(&match, kind: .expired, now: now, in: db)
                return .expired(match)
            }
            guard match.state == state else {
                throw MatchStoreError.wrongState(matchID: id, state: Self.name(match.state), needed: Self.name(state))
            }
            let kinds = try change(&match, db)
            guard let last = kinds.last else { return .done(match) }
            try Self.save(&match, kind: last, now: now, in: db)
            try after(match, db)
            return .done(match)
        }
        notifier.notify()
        switch outcome {
        case .done(let match): return match
        case .expired(let match):
            throw MatchStoreError.expired(matchID: match.id)
        }
    }

    /// Refuses when the mentor has no open slot (one-way) or a learner has their maximum of mentors.
    private func checkRoom(kind: MatchingV1.MatchKind, mentor: Member, mentee: Member, in db: Database) throws {
        if kind != .mutual {
            let taken = try Self.menteeCount(of: mentor.id, in: db)
            if taken >= Int(mentor.mentoringCapacity) {
                throw MatchStoreError.noOpenSlot(mentorID: mentor.id, taken: taken, capacity: mentor.mentoringCapacity)
            }
        }
        for learner in kind == .mutual ? [mentor, mentee] : [mentee] {
            let count = try Self.mentorCount(of: learner.id, in: db)
            if count >= policy.maximumMentors {
                throw MatchStoreError.mentorLimit(memberID: learner.id, count: count, maximum: policy.maximumMentors)
            }
        }
    }

    private func withdrawOtherProposals(
        of learner: String, except id: String, reason: String, now: Int64, in db: Database
    )
        throws
    {
        let bodies = try Data.fetchAll(
            db,
            sql: """
                SELECT body FROM match WHERE state = 1 AND id != ? AND (mentee_id = ? OR (kind = 2 AND mentor_id = ?))
                """,
            arguments: [id, learner, learner])
        for body in bodies {
            // As a mentor they keep their proposals; only those where they would learn go.
            var match = try Match(decoding: [UInt8](body))
            match.state = .withdrawn
            match.reason = reason
            try Self.save(&match, kind: .withdrawn, now: now, in: db)
        }
    }

    // MARK: SQL helpers

    /// Active one-way matches where `id` mentors.
    static func menteeCount(of id: String, in db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM match WHERE mentor_id = ? AND state = 2 AND kind = 1", arguments: [id]) ?? 0
    }

    /// Active matches where `id` learns: one-way as the mentee, or any mutual match.
    static func mentorCount(of id: String, in db: Database) throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT COUNT(*) FROM match WHERE state = 2 AND (mentee_id = ? OR (kind = 2 AND mentor_id = ?))",
            arguments: [id, id]) ?? 0
    }

    private static func activeMember(_ id: String, network: String, in db: Database) throws -> Member {
        guard let member = try MemberDirectory.member(id, in: db) else {
            throw MatchStoreError.memberNotFound(memberID: id)
        }
        guard member.status == .active else {
            throw MatchStoreError.memberNotActive(memberID: id, status: name(member.status))
        }
        guard member.networks.contains(network) else {
            throw MatchStoreError.notInNetwork(memberID: id, network: network)
        }
        return member
    }

    private static func fetch(_ id: String, in db: Database) throws -> Match? {
        guard let body = try Data.fetchOne(db, sql: "SELECT body FROM match WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try Match(decoding: [UInt8](body))
    }

    private static func save(_ match: inout Match, kind: MatchChangeKind, now: Int64, in db: Database) throws {
        match.version += 1
        match.updatedAtMicros = now
        let body = Data(try match.encoded())
        try db.execute(
            sql: "UPDATE match SET state = ?, body = ? WHERE id = ?", arguments: [match.state.rawValue, body, match.id])
        try record(kind, match, body: body, in: db)
    }

    /// The change feed's table.
    static let feed = ChangeFeedTable(name: "match_change", subjectColumn: "match_id")

    private static func record(_ kind: MatchChangeKind, _ match: Match, body: Data, in db: Database) throws {
        try feed.append(
            subject: match.id, kind: kind.rawValue, occurredAtMicros: match.updatedAtMicros, body: body, in: db)
    }

    /// The pair's key, whichever way round: one open match per pair of people.
    static func pairKey(_ a: String, _ b: String) -> String { a < b ? "\(a)|\(b)" : "\(b)|\(a)" }

    static func micros(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }

    static func name(_ state: MatchState) -> String {
        switch state {
        case .unspecified: "unspecified"
        case .proposed: "proposed"
        case .active: "active"
        case .declined: "declined"
        case .withdrawn: "withdrawn"
        case .expired: "expired"
        case .completed: "completed"
        case .ended: "ended"
        }
    }

    static func name(_ status: MemberStatus) -> String {
        switch status {
        case .active: "active"
        case .paused: "paused"
        case .deactivated: "deactivated"
        case .unspecified: "unspecified"
        }
    }
}
