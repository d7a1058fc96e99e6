import Foundation
import GRDB
import MatchingV1
import ServiceStore
import SessionsV1
import Wire

/// Goals and their progress reviews. A goal belongs to a match and is owned by its mentee (in a
/// mutual match, by either partner); progress is stated in reviews that the other partner confirms
/// or disputes, and the goal's progress is its latest confirmed review's. A private goal is its
/// owner's alone: nobody else reads it, and its reviews count at once. Every change is one
/// transaction with its change-feed entry; a goal of a match that is no longer active is
/// read-only.
extension SessionStore {
    /// The fields `createGoal` and `updateGoal` set.
    public struct GoalFields: Sendable {
        var title: String?
        var successCriteria: String?
        var targetDate: String?
        var visibility: GoalVisibility?
        var reviewCadenceDays: UInt32?
    }

    /// Sets a goal for an active match, owned by `memberID`.
    public func createGoal(matchID: String, by memberID: String, fields: GoalFields, now: Int64) async throws -> Goal {
        try await goalWrite { db in
            guard let partnership = try PartnerDirectory.partnership(matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: matchID)
            }
            try Self.checkWritable(partnership, by: memberID)
            if partnership.kind != .mutual && memberID != partnership.menteeID {
                throw SessionStoreError.notTheOwner(
                    memberID: memberID, rule: "in a one-way match the mentee (\(partnership.menteeID)) owns the goals")
            }
            var goal = Goal(
                id: SortableID.make(prefix: "gol_", atMicros: now), matchID: matchID, ownerID: memberID,
                visibility: .shared, status: .open, version: 1, createdAtMicros: now, updatedAtMicros: now)
            Self.apply(fields, to: &goal, now: now)
            try Self.saveGoal(goal, in: db)
            try Self.recordGoal(.goalCreated, goal, in: db)
            return goal
        }
    }

    /// The goal as `viewer` may see it (a private goal: its owner only).
    public func goal(_ id: String, viewer: String, now: Int64) async throws -> Goal {
        try await database.writer.read { db in
            let (goal, _) = try Self.visibleGoal(id, viewer: viewer, in: db)
            return Self.withDue(goal, now: now)
        }
    }

    /// A match's goals as `viewer` sees them, oldest first.
    public func goals(matchID: String, viewer: String, status: GoalStatus, now: Int64) async throws -> [Goal] {
        try await database.writer.read { db in
            guard let partnership = try PartnerDirectory.partnership(matchID, in: db) else {
                throw SessionStoreError.matchNotFound(matchID: matchID)
            }
            guard viewer == partnership.mentorID || viewer == partnership.menteeID else {
                throw SessionStoreError.notAPartner(memberID: viewer, matchID: matchID)
            }
            return try Data.fetchAll(
                db, sql: "SELECT body FROM goal WHERE match_id = ? ORDER BY rowid", arguments: [matchID]
            )
            .map { try Goal(decoding: [UInt8]($0)) }
            .filter {
                ($0.visibility != .private || $0.ownerID == viewer) && (status == .unspecified || $0.status == status)
            }
            .map { Self.withDue($0, now: now) }
        }
    }

    /// Up to `limit` of the network's shared goals with ids after `afterID` (oldest first), in
    /// `status` if given. Private goals are their owners' alone: left out, not even counted.
    public func networkGoals(network: String, status: GoalStatus, afterID: String?, limit: Int, now: Int64)
        async throws -> [Goal]
    {
        try await database.writer.read { db in
            var sql = "SELECT body FROM goal WHERE network = ? AND private = 0"
            var arguments: StatementArguments = [network]
            if status != .unspecified {
                sql += " AND status = ?"
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            if let afterID {
                sql += " AND id > ?"
                _ = arguments.append(contentsOf: [afterID])
            }
            sql += " ORDER BY id LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Data.fetchAll(db, sql: sql, arguments: arguments).map {
                Self.withDue(try Goal(decoding: [UInt8]($0)), now: now)
            }
        }
    }

    /// Changes the fields given, by the goal's owner.
    public func updateGoal(_ id: String, by memberID: String, fields: GoalFields, expectedVersion: UInt64, now: Int64)
        async throws -> Goal
    {
        try await changeGoal(id, by: memberID, expectedVersion: expectedVersion) { goal, partnership, db in
            guard goal.ownerID == memberID else {
                throw SessionStoreError.notTheOwner(memberID: memberID, rule: "only its owner changes goal \(id)")
            }
            guard goal.status == .open else {
                throw SessionStoreError.goalClosed(goalID: id, status: Self.name(goal.status))
            }
            Self.apply(fields, to: &goal, now: now)
            try Self.touch(&goal, now: now, in: db)
            try Self.recordGoal(.goalUpdated, goal, in: db)
            return goal
        }
    }

    /// States progress towards an open goal: pending until the other partner responds (a private
    /// goal's: confirmed at once). One review waits at a time.
    public func review(
        goalID: String, by memberID: String, progress: UInt32, confidence: Confidence, note: String, evidence: String,
        now: Int64
    ) async throws -> ProgressReview {
        try await goalWrite { db in
            var (goal, partnership) = try Self.visibleGoal(goalID, viewer: memberID, in: db)
            try Self.checkWritable(partnership, by: memberID)
            guard goal.status == .open else {
                throw SessionStoreError.goalClosed(goalID: goalID, status: Self.name(goal.status))
            }
            if let pending = try String.fetchOne(
                db, sql: "SELECT id FROM review WHERE goal_id = ? AND state = ?",
                arguments: [goalID, ReviewState.pending.rawValue])
            {
                throw SessionStoreError.reviewPending(reviewID: pending)
            }
            var review = ProgressReview(
                id: SortableID.make(prefix: "rev_", atMicros: now), goalID: goalID, reviewerID: memberID,
                progress: progress, confidence: confidence, note: note, evidenceUrl: evidence, state: .pending,
                createdAtMicros: now)
            if goal.visibility == .private {
                review.state = .confirmed
                review.responderID = memberID
                review.respondedAtMicros = now
                Self.confirmed(review, on: &goal, now: now)
                try Self.touch(&goal, now: now, in: db)
            }
            try Self.saveReview(review, in: db)
            try Self.recordGoal(.goalReviewed, goal, review: review, in: db)
            return review
        }
    }

    /// The other partner confirms (the goal's progress follows) or disputes a pending review.
    public func respond(
        reviewID: String, by memberID: String, confirm: Bool, comment: String, now: Int64
    ) async throws -> ProgressReview {
        try await goalWrite { db in
            guard
                var review = try Data.fetchOne(db, sql: "SELECT body FROM review WHERE id = ?", arguments: [reviewID])
                    .map({ try ProgressReview(decoding: [UInt8]($0)) })
            else { throw SessionStoreError.reviewNotFound(reviewID: reviewID) }
            var (goal, partnership) = try Self.visibleGoal(review.goalID, viewer: memberID, in: db)
            try Self.checkWritable(partnership, by: memberID)
            guard review.state == .pending else {
                throw SessionStoreError.reviewAnswered(reviewID: reviewID, state: Self.name(review.state))
            }
            guard memberID != review.reviewerID else {
                throw SessionStoreError.ownReview(reviewID: reviewID)
            }
            review.state = confirm ? .confirmed : .disputed
            review.responderID = memberID
            review.responseComment = comment
            review.respondedAtMicros = now
            try Self.saveReview(review, in: db)
            if confirm {
                Self.confirmed(review, on: &goal, now: now)
                try Self.touch(&goal, now: now, in: db)
            }
            try Self.recordGoal(confirm ? .reviewConfirmed : .reviewDisputed, goal, review: review, in: db)
            return review
        }
    }

    /// A goal's reviews, newest first, as `viewer` may see them.
    public func reviews(goalID: String, viewer: String) async throws -> [ProgressReview] {
        try await database.writer.read { db in
            _ = try Self.visibleGoal(goalID, viewer: viewer, in: db)
            return try Data.fetchAll(
                db, sql: "SELECT body FROM review WHERE goal_id = ? ORDER BY rowid DESC", arguments: [goalID]
            ).map { try ProgressReview(decoding: [UInt8]($0)) }
        }
    }

    /// One partner's agreement that the goal is achieved; with both partners' (a private goal:
    /// its owner's), it is.
    public func achieve(_ id: String, by memberID: String, expectedVersion: UInt64, now: Int64) async throws -> Goal {
        try await changeGoal(id, by: memberID, expectedVersion: expectedVersion) { goal, partnership, db in
            guard goal.status == .open else {
                throw SessionStoreError.goalClosed(goalID: id, status: Self.name(goal.status))
            }
            if !goal.achievedAgreedBy.contains(memberID) { goal.achievedAgreedBy.append(memberID) }
            let needed = goal.visibility == .private ? [goal.ownerID] : [partnership.mentorID, partnership.menteeID]
            let done = needed.allSatisfy(goal.achievedAgreedBy.contains)
            if done { goal.status = .achieved }
            try Self.touch(&goal, now: now, in: db)
            try Self.recordGoal(done ? .goalAchieved : .goalUpdated, goal, in: db)
            return goal
        }
    }

    /// The owner gives the goal up.
    public func drop(_ id: String, by memberID: String, expectedVersion: UInt64, now: Int64) async throws -> Goal {
        try await changeGoal(id, by: memberID, expectedVersion: expectedVersion) { goal, _, db in
            guard goal.ownerID == memberID else {
                throw SessionStoreError.notTheOwner(memberID: memberID, rule: "only its owner drops goal \(id)")
            }
            guard goal.status == .open else {
                throw SessionStoreError.goalClosed(goalID: id, status: Self.name(goal.status))
            }
            goal.status = .dropped
            try Self.touch(&goal, now: now, in: db)
            try Self.recordGoal(.goalDropped, goal, in: db)
            return goal
        }
    }

    /// Announces, once per due date, each open goal whose review has come due (the sweeper calls
    /// it); returns how many.
    public func announceDueReviews(now: Int64) async throws -> Int {
        let count = try await database.writer.write { db -> Int in
            let bodies = try Data.fetchAll(
                db,
                sql: """
                    SELECT body FROM goal
                    WHERE status = ? AND next_review_due_at > 0 AND next_review_due_at <= ?
                        AND due_announced_at < next_review_due_at
                    """,
                arguments: [GoalStatus.open.rawValue, now])
            for body in bodies {
                let goal = Self.withDue(try Goal(decoding: [UInt8](body)), now: now)
                try db.execute(
                    sql: "UPDATE goal SET due_announced_at = next_review_due_at WHERE id = ?", arguments: [goal.id])
                try Self.recordGoal(.goalReviewDue, goal, at: now, in: db)
            }
            return bodies.count
        }
        if count > 0 { notifier.notify() }
        return count
    }

    // MARK: Helpers

    private func goalWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = try await database.writer.write(body)
        notifier.notify()
        return result
    }

    private func changeGoal(
        _ id: String, by memberID: String, expectedVersion: UInt64,
        _ body: @escaping @Sendable (inout Goal, PartnerDirectory.Partnership, Database) throws -> Goal
    ) async throws -> Goal {
        try await goalWrite { db in
            var (goal, partnership) = try Self.visibleGoal(id, viewer: memberID, in: db)
            try Self.checkWritable(partnership, by: memberID)
            if expectedVersion != 0 && expectedVersion != goal.version {
                throw SessionStoreError.staleGoal(goalID: id, current: goal.version, expected: expectedVersion)
            }
            return try body(&goal, partnership, db)
        }
    }

    /// The goal and its match, when `viewer` is a partner allowed to see it.
    private static func visibleGoal(_ id: String, viewer: String, in db: Database) throws -> (
        Goal, PartnerDirectory.Partnership
    ) {
        guard
            let goal = try Data.fetchOne(db, sql: "SELECT body FROM goal WHERE id = ?", arguments: [id])
                .map({ try Goal(decoding: [UInt8]($0)) }),
            let partnership = try PartnerDirectory.partnership(goal.matchID, in: db)
        else { throw SessionStoreError.goalNotFound(goalID: id) }
        // To anyone but the partners the goal does not exist (nor does its match, as far as they can tell).
        guard viewer == partnership.mentorID || viewer == partnership.menteeID else {
            throw SessionStoreError.goalNotFound(goalID: id)
        }
        // Someone else's private goal does not exist, as far as they can tell.
        guard goal.visibility != .private || goal.ownerID == viewer else {
            throw SessionStoreError.goalNotFound(goalID: id)
        }
        return (goal, partnership)
    }

    /// Refuses a change to the goals of a match that is no longer active.
    private static func checkWritable(_ partnership: PartnerDirectory.Partnership, by memberID: String) throws {
        guard memberID == partnership.mentorID || memberID == partnership.menteeID else {
            throw SessionStoreError.notAPartner(memberID: memberID, matchID: partnership.matchID)
        }
        guard partnership.state == .active else {
            throw SessionStoreError.goalsReadOnly(matchID: partnership.matchID, state: name(partnership.state))
        }
    }

    private static func apply(_ fields: GoalFields, to goal: inout Goal, now: Int64) {
        if let title = fields.title { goal.title = title }
        if let criteria = fields.successCriteria { goal.successCriteria = criteria }
        if let date = fields.targetDate { goal.targetDate = date }
        if let visibility = fields.visibility { goal.visibility = visibility }
        if let cadence = fields.reviewCadenceDays {
            goal.reviewCadenceDays = cadence
            goal.nextReviewDueAtMicros = cadence == 0 ? 0 : now + Int64(cadence) * 86_400_000_000
        }
    }

    /// The goal's progress follows a confirmed review, and the next review is due a cadence later.
    private static func confirmed(_ review: ProgressReview, on goal: inout Goal, now: Int64) {
        goal.progress = review.progress
        if goal.reviewCadenceDays > 0 {
            goal.nextReviewDueAtMicros = now + Int64(goal.reviewCadenceDays) * 86_400_000_000
        }
    }

    /// The goal with `review_due` as of `now`.
    static func withDue(_ goal: Goal, now: Int64) -> Goal {
        var goal = goal
        goal.reviewDue = goal.status == .open && goal.nextReviewDueAtMicros > 0 && goal.nextReviewDueAtMicros <= now
        return goal
    }

    private static func touch(_ goal: inout Goal, now: Int64, in db: Database) throws {
        goal.version += 1
        goal.updatedAtMicros = now
        try saveGoal(goal, in: db)
    }

    private static func saveGoal(_ goal: Goal, in db: Database) throws {
        var stored = goal
        stored.reviewDue = false
        try db.execute(
            sql: """
                INSERT INTO goal (id, match_id, network, private, status, next_review_due_at, body)
                VALUES (?, ?, COALESCE((SELECT network FROM partnership WHERE match_id = ?), ''), ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET private = excluded.private, status = excluded.status,
                    next_review_due_at = excluded.next_review_due_at, body = excluded.body
                """,
            arguments: [
                goal.id, goal.matchID, goal.matchID, goal.visibility == .private, goal.status.rawValue,
                goal.nextReviewDueAtMicros, Data(try stored.encoded()),
            ])
    }

    private static func saveReview(_ review: ProgressReview, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO review (id, goal_id, state, body) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, body = excluded.body
                """,
            arguments: [review.id, review.goalID, review.state.rawValue, Data(try review.encoded())])
    }

    /// A goal's change in the feed: the entry's body is a `SessionChange` carrying the goal (and
    /// the review), told apart from session entries by its kind.
    private static func recordGoal(
        _ kind: SessionChangeKind, _ goal: Goal, review: ProgressReview? = nil, at time: Int64? = nil,
        in db: Database
    ) throws {
        let body = SessionChange(goal: goal, review: review)
        try feed.append(
            subject: goal.id, kind: kind.rawValue, occurredAtMicros: time ?? goal.updatedAtMicros,
            body: Data(try body.encoded()), in: db)
    }

    /// Whether a feed entry of `kind` carries a goal rather than a session.
    static func isGoalKind(_ kind: SessionChangeKind) -> Bool {
        kind.rawValue >= SessionChangeKind.goalCreated.rawValue
    }

    static func name(_ status: GoalStatus) -> String {
        switch status {
        case .unspecified: "unspecified"
        case .open: "open"
        case .achieved: "achieved"
        case .dropped: "dropped"
        }
    }

    static func name(_ state: ReviewState) -> String {
        switch state {
        case .unspecified: "unspecified"
        case .pending: "pending"
        case .confirmed: "confirmed"
        case .disputed: "disputed"
        }
    }
}
