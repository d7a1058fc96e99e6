import Foundation
import GRDB
import ServiceStore
import SessionsV1
import Wire

/// Double-blind session feedback. Each participant of a completed session gives theirs once
/// (changing it until revealed); neither sees the other's until both have given theirs or 7 days
/// have passed since the session ended. The reveal is one write that marks the session's feedback
/// revealed and appends one FEEDBACK_REVEALED change carrying both; whatever comes first — the
/// second feedback, the reveal job, or any call about it after the deadline — does it, and the
/// mark makes it happen exactly once.
extension SessionStore {
    /// How long after a session ends its feedback stays sealed at most.
    static let feedbackDeadline: Int64 = 7 * 86_400_000_000

    /// What a participant says.
    public struct FeedbackAnswers: Sendable {
        var rating: UInt32
        var wentWell: String
        var toChange: String
        var goodFit: FitAnswer
    }

    /// Gives or changes `memberID`'s feedback on a completed session.
    public func giveFeedback(sessionID: String, by memberID: String, answers: FeedbackAnswers, now: Int64)
        async throws -> SessionFeedback
    {
        let view = try await database.writer.write { db -> SessionFeedback in
            let session = try Self.feedbackSession(sessionID, viewer: memberID, in: db)
            guard session.state == .completed else {
                throw SessionStoreError.wrongState(
                    sessionID: sessionID, state: Self.name(session.state), needed: "completed")
            }
            let due = Self.end(of: session) + Self.feedbackDeadline
            // Revealed, or its time passed (the reveal job or the next read reveals it): final.
            guard try Self.revealedAt(sessionID, in: db) == 0, now < due else {
                throw SessionStoreError.feedbackRevealed(sessionID: sessionID)
            }
            try db.execute(
                sql:
                    "INSERT OR IGNORE INTO feedback_reveal (session_id, match_id, due_at, revealed_at) VALUES (?, ?, ?, 0)",
                arguments: [sessionID, session.matchID, due])
            let earlier = try Self.feedback(sessionID, from: memberID, in: db)
            var feedback = earlier ?? Feedback(sessionID: sessionID, memberID: memberID, submittedAtMicros: now)
            feedback.rating = answers.rating
            feedback.wentWell = answers.wentWell
            feedback.toChange = answers.toChange
            feedback.goodFit = answers.goodFit
            feedback.updatedAtMicros = now
            try db.execute(
                sql: """
                    INSERT INTO feedback (session_id, member_id, body) VALUES (?, ?, ?)
                    ON CONFLICT(session_id, member_id) DO UPDATE SET body = excluded.body
                    """,
                arguments: [sessionID, memberID, Data(try feedback.encoded())])
            if earlier == nil {
                // Who gave feedback, never what: the feed is read by other services.
                let sealed = Feedback(sessionID: sessionID, memberID: memberID, submittedAtMicros: now)
                try Self.feed.append(
                    subject: sessionID, kind: SessionChangeKind.feedbackGiven.rawValue, occurredAtMicros: now,
                    body: Data(try SessionChange(session: session, feedback: [sealed]).encoded()), in: db)
            }
            let given =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM feedback WHERE session_id = ?", arguments: [sessionID]) ?? 0
            if given == session.participantIDs.count { try reveal(session, now: now, in: db) }
            return try Self.view(session, viewer: memberID, in: db)
        }
        notifier.notify()
        return view
    }

    /// The session's feedback as `memberID` may see it (revealing it first when its deadline passed).
    public func feedback(sessionID: String, viewer memberID: String, now: Int64) async throws -> SessionFeedback {
        let (view, revealed) = try await database.writer.write { db -> (SessionFeedback, Bool) in
            let session = try Self.feedbackSession(sessionID, viewer: memberID, in: db)
            var revealed = false
            if let due = try Int64.fetchOne(
                db, sql: "SELECT due_at FROM feedback_reveal WHERE session_id = ? AND revealed_at = 0",
                arguments: [sessionID]), now >= due
            {
                try reveal(session, now: now, in: db)
                revealed = true
            }
            return (try Self.view(session, viewer: memberID, in: db), revealed)
        }
        if revealed { notifier.notify() }
        return view
    }

    /// Reveals the feedback of every session whose deadline passed (the reveal job); returns how many.
    public func revealDueFeedback(now: Int64) async throws -> Int {
        let count = try await database.writer.write { db -> Int in
            let due = try String.fetchAll(
                db, sql: "SELECT session_id FROM feedback_reveal WHERE revealed_at = 0 AND due_at <= ?",
                arguments: [now])
            for id in due {
                guard let session = try Self.fetch(id, in: db) else { continue }
                try reveal(session, now: now, in: db)
            }
            return due.count
        }
        if count > 0 { notifier.notify() }
        return count
    }

    /// Marks the session's feedback revealed and puts it on the feed, with a MATCH_AT_RISK change
    /// for each participant whose feedback crosses the line; nothing when it was revealed already.
    private func reveal(_ session: Session, now: Int64, in db: Database) throws {
        try db.execute(
            sql: "UPDATE feedback_reveal SET revealed_at = ? WHERE session_id = ? AND revealed_at = 0",
            arguments: [now, session.id])
        guard db.changesCount == 1 else { return }
        let given = try Self.allFeedback(session.id, in: db)
        try Self.feed.append(
            subject: session.id, kind: SessionChangeKind.feedbackRevealed.rawValue, occurredAtMicros: now,
            body: Data(try SessionChange(session: session, feedback: given).encoded()), in: db)
        for feedback in given {
            guard let reason = try Self.risk(feedback, in: session, db: db) else { continue }
            try Self.feed.append(
                subject: session.id, kind: SessionChangeKind.matchAtRisk.rawValue, occurredAtMicros: now,
                body: Data(try SessionChange(session: session, feedback: [feedback], atRiskReason: reason).encoded()),
                in: db)
        }
    }

    /// Why `feedback` puts the match at risk: "no" to good fit, or a rating of 2 or lower after
    /// the giver's previous revealed rating in the match was 2 or lower too; nil otherwise.
    private static func risk(_ feedback: Feedback, in session: Session, db: Database) throws -> String? {
        if feedback.goodFit == .no { return "\(feedback.memberID) says the partnership is not a good fit" }
        guard feedback.rating <= 2 else { return nil }
        // The giver's feedback on the match's earlier sessions, latest first.
        let earlier = try Data.fetchAll(
            db,
            sql: """
                SELECT f.body FROM feedback f
                JOIN feedback_reveal r ON r.session_id = f.session_id
                JOIN session s ON s.id = f.session_id
                WHERE r.match_id = ? AND f.member_id = ? AND r.revealed_at > 0 AND s.start_at < ?
                ORDER BY s.start_at DESC LIMIT 1
                """,
            arguments: [session.matchID, feedback.memberID, session.startAtMicros]
        ).map { try Feedback(decoding: [UInt8]($0)) }
        guard let previous = earlier.first, previous.rating <= 2 else { return nil }
        return "\(feedback.memberID) rated two sessions in a row \(previous.rating) and \(feedback.rating) of 5"
    }

    private static func feedbackSession(_ id: String, viewer: String, in db: Database) throws -> Session {
        guard let session = try fetch(id, in: db) else { throw SessionStoreError.sessionNotFound(sessionID: id) }
        guard session.participantIDs.contains(viewer) else {
            throw SessionStoreError.notAParticipant(memberID: viewer, sessionID: id)
        }
        return session
    }

    private static func view(_ session: Session, viewer: String, in db: Database) throws -> SessionFeedback {
        let revealedAt = try revealedAt(session.id, in: db)
        let partnerID = session.participantIDs.first { $0 != viewer } ?? ""
        let partner = try feedback(session.id, from: partnerID, in: db)
        let revealed = revealedAt > 0
        return SessionFeedback(
            sessionID: session.id, mine: try feedback(session.id, from: viewer, in: db),
            partnerState: partner == nil ? .notGiven : revealed ? .revealed : .submitted,
            partner: revealed ? partner : nil, revealed: revealed,
            revealDueAtMicros: session.state == .completed ? end(of: session) + feedbackDeadline : 0,
            revealedAtMicros: revealedAt)
    }

    private static func revealedAt(_ sessionID: String, in db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db, sql: "SELECT revealed_at FROM feedback_reveal WHERE session_id = ?", arguments: [sessionID])
            ?? 0
    }

    private static func feedback(_ sessionID: String, from memberID: String, in db: Database) throws -> Feedback? {
        try Data.fetchOne(
            db, sql: "SELECT body FROM feedback WHERE session_id = ? AND member_id = ?",
            arguments: [sessionID, memberID]
        ).map { try Feedback(decoding: [UInt8]($0)) }
    }

    private static func allFeedback(_ sessionID: String, in db: Database) throws -> [Feedback] {
        try Data.fetchAll(
            db, sql: "SELECT body FROM feedback WHERE session_id = ? ORDER BY member_id", arguments: [sessionID]
        ).map { try Feedback(decoding: [UInt8]($0)) }
    }

    static func end(of session: Session) -> Int64 {
        session.startAtMicros + Int64(session.durationMinutes) * 60_000_000
    }
}
