import Foundation
import GRDB
import MatchingV1
import NotificationsV1
import ProfilesV1
import RPC
import SessionsV1
import Wire

/// What each change of the other services' feeds means for members: the read models it updates
/// (members, partnerships, completed sessions), the notifications it makes (rendered from the
/// templates below) and the reminders it schedules, moves or drops. Everything runs inside the
/// transaction that also moves the feed's cursor.
enum FeedEvents {
    static let day: Int64 = 86_400_000_000

    // MARK: Profiles

    /// Keeps the newer of the stored and the given member.
    static func apply(_ member: Member, in db: Database) throws {
        if let stored = try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT version FROM member WHERE id = ?"), arguments: [member.id]),
            UInt64(stored) > member.version
        {
            return
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO member (id, version, display_name, timezone, status) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET version = excluded.version, display_name = excluded.display_name,
                    timezone = excluded.timezone, status = excluded.status
                """
        ).execute(arguments: [
            member.id, Int64(clamping: member.version), member.displayName, member.timezone,
            member.status.rawValue,
        ])
        if member.status == .deactivated {
            // Someone who left is not reminded of anything (and gets no new notifications).
            try db.cachedStatement(sql: "UPDATE reminder SET state = ? WHERE member_id = ? AND state = 0").execute(
                arguments: [Reminders.State.cancelled.rawValue, member.id])
        }
    }

    /// Whether the member left the network (profiles says DEACTIVATED).
    static func hasLeft(_ memberID: String, in db: Database) throws -> Bool {
        try Int32.fetchOne(try db.cachedStatement(sql: "SELECT status FROM member WHERE id = ?"), arguments: [memberID])
            == MemberStatus.deactivated.rawValue
    }

    /// The member's name, or a neutral stand-in when profiles has not told us yet.
    static func name(_ memberID: String, in db: Database) throws -> String {
        try String.fetchOne(
            try db.cachedStatement(sql: "SELECT display_name FROM member WHERE id = ?"), arguments: [memberID])
            ?? "your partner"
    }

    /// The three feeds are followed apart, so a change can come before what it builds on: a match
    /// of members the profiles feed has not brought yet, a session or goal of a match the matching
    /// feed has not. Applied then, it would name "your partner" for good, or be dropped (nobody to
    /// tell); so it waits for the other feed instead (checked before it writes anything).
    static func requireMembers(_ ids: [String], in db: Database) throws {
        for id in ids where !id.isEmpty {
            guard
                try Bool.fetchOne(
                    try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM member WHERE id = ?)"), arguments: [id])
                    == true
            else { throw FeedDependencyPending("member \(id), from the profiles feed") }
        }
    }

    /// Waits (as `requireMembers`) for the matching feed to bring match `matchID`.
    static func requirePartnership(_ matchID: String, in db: Database) throws {
        guard
            try Bool.fetchOne(
                try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM partnership WHERE match_id = ?)"),
                arguments: [matchID]) == true
        else { throw FeedDependencyPending("match \(matchID), from the matching feed") }
    }

    /// The member's zone for rendering times (their preference, their profile's, or UTC).
    static func zone(_ memberID: String, in db: Database) throws -> TimeZone {
        LocalTime.zone(try Preferences.load(memberID, in: db).effectiveTimezone)
    }

    // MARK: Matching

    /// Applies one matching change: the partnership's copy, and the partners' notifications.
    static func apply(_ change: MatchChange, now: Int64, in db: Database, touched: inout Set<String>) throws {
        guard let match = change.match else { return }
        try requireMembers([match.mentorID, match.menteeID], in: db)
        if let stored = try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT version FROM partnership WHERE match_id = ?"), arguments: [match.id]),
            UInt64(stored) > match.version
        {
            return
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO partnership (match_id, version, network, state, mentor_id, mentee_id, mentor_accepted,
                    mentee_accepted, proposed_at, activated_at, last_session_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                ON CONFLICT(match_id) DO UPDATE SET version = excluded.version, state = excluded.state,
                    mentor_accepted = excluded.mentor_accepted, mentee_accepted = excluded.mentee_accepted,
                    activated_at = CASE WHEN excluded.state = 2 AND partnership.activated_at = 0
                        THEN excluded.activated_at ELSE partnership.activated_at END
                """
        ).execute(arguments: [
            match.id, Int64(clamping: match.version), match.network, match.state.rawValue, match.mentorID,
            match.menteeID, match.mentorAccepted, match.menteeAccepted, match.createdAtMicros,
            match.state == .active ? change.occurredAtMicros : 0,
        ])
        let source = "matching:\(change.eventID)"
        func notify(_ memberID: String, _ kind: NotificationKind, _ title: String, _ body: String) throws {
            let other = memberID == match.mentorID ? match.menteeID : match.mentorID
            try Inbox.deliver(
                Draft(
                    memberID: memberID, kind: kind, category: .matches, priority: .normal, title: title, body: body,
                    links: [Link(type: "match", id: match.id), Link(type: "member", id: other)],
                    network: match.network, collapseKey: "match:\(match.id)", sourceKey: source),
                now: now, in: db, touched: &touched)
        }
        let partners = [match.mentorID, match.menteeID]
        func other(_ memberID: String) throws -> String {
            try name(memberID == match.mentorID ? match.menteeID : match.mentorID, in: db)
        }
        let reason = match.reason.isEmpty ? "" : " Reason: \(match.reason)."
        switch change.kind {
        case .proposed:
            for member in partners {
                let partner = try other(member)
                let what = match.kind == .mutual ? "mutual mentoring with \(partner)" : "a match with \(partner)"
                let expires =
                    match.expiresAtMicros > 0
                    ? " Answer by \(LocalTime.describe(match.expiresAtMicros, in: try zone(member, in: db)))." : ""
                try notify(
                    member, .matchProposed,
                    match.origin == .round
                        ? "Matching round published: \(partner) proposed" : "New match proposed: \(partner)",
                    "MentorNet proposes \(what) (score \(Int(match.score.rounded()))). \(match.explanation)\(expires)")
            }
        case .accepted:
            let waiting = match.mentorAccepted ? match.menteeID : match.mentorID
            try notify(
                waiting, .matchAccepted, "\(try other(waiting)) accepted your match",
                "\(try other(waiting)) said yes; the partnership starts when you accept too.")
        case .activated:
            for member in partners {
                try notify(
                    member, .matchActivated, "Your partnership with \(try other(member)) is active",
                    "You can now book sessions and set goals together.")
            }
        case .declined, .withdrawn:
            let word = change.kind == .declined ? "declined" : "withdrawn"
            for member in partners {
                try notify(
                    member, .matchDeclined, "The match with \(try other(member)) was \(word)",
                    "The proposed match was \(word).\(reason)")
            }
        case .expired:
            for member in partners {
                try notify(
                    member, .matchExpired, "The match with \(try other(member)) expired",
                    "Nobody answered the proposal in time; it has expired.")
            }
        case .completed, .ended:
            let word = change.kind == .completed ? "completed" : "ended"
            for member in partners {
                try notify(
                    member, .matchEnded, "Your partnership with \(try other(member)) \(word)",
                    "The partnership has \(word).\(reason)")
            }
        case .unspecified:
            break
        }
    }

    // MARK: Sessions

    /// The key of a session's event across its reschedules (one occurrence of a series each).
    static func eventKey(_ session: Session) -> String {
        session.seriesID.isEmpty ? session.calendarUid : "\(session.calendarUid)#\(session.occurrence)"
    }

    /// Applies one sessions change: reminders, the completed-session record for feedback nudges,
    /// and the notifications.
    static func apply(_ change: SessionChange, now: Int64, in db: Database, touched: inout Set<String>) throws {
        let source = "sessions:\(change.eventID)"
        if let goal = change.goal {
            return try applyGoal(change, goal: goal, source: source, now: now, in: db, touched: &touched)
        }
        guard let session = change.session else { return }
        try requirePartnership(session.matchID, in: db)
        try requireMembers(session.participantIDs, in: db)
        let key = eventKey(session)
        func notify(
            _ memberID: String, _ kind: NotificationKind, _ category: NotificationsV1.Category, _ priority: Priority,
            _ title: String, _ body: String, collapse: String, series: String = ""
        ) throws {
            var links = [Link(type: "session", id: session.id), Link(type: "match", id: session.matchID)]
            if !series.isEmpty { links.append(Link(type: "series", id: series)) }
            try Inbox.deliver(
                Draft(
                    memberID: memberID, kind: kind, category: category, priority: priority, title: title, body: body,
                    links: links,
                    network: session.network, collapseKey: collapse, sourceKey: source),
                now: now, in: db, touched: &touched)
        }
        func partner(of memberID: String) throws -> String {
            try name(session.participantIDs.first { $0 != memberID } ?? "", in: db)
        }
        func when(_ memberID: String) throws -> String {
            "\(LocalTime.describe(session.startAtMicros, in: try zone(memberID, in: db))) for \(session.durationMinutes) minutes"
        }
        let title = session.title.isEmpty ? "a session" : "“\(session.title)”"
        switch change.kind {
        case .scheduled, .rescheduled:
            try db.cachedStatement(
                sql: "UPDATE partnership SET last_session_at = MAX(last_session_at, ?, ?) WHERE match_id = ?"
            ).execute(arguments: [session.startAtMicros, change.occurredAtMicros, session.matchID])
            try Reminders.schedule(session, key: key, bookedAt: change.occurredAtMicros, in: db)
            let moved = change.kind == .rescheduled
            // A series booked at once is one piece of news: told with its first occurrence.
            let series = !session.seriesID.isEmpty && !moved
            if series && session.occurrence > 1 { break }
            for member in session.participantIDs where member != session.organizerID {
                let organizer = try name(session.organizerID, in: db)
                try notify(
                    member, moved ? .sessionRescheduled : .sessionScheduled, .sessions, .normal,
                    moved
                        ? "\(organizer) moved \(title)"
                        : series ? "\(organizer) booked a series: \(title)" : "\(organizer) booked \(title)",
                    (moved ? "Now on " : series ? "The first on " : "On ") + (try when(member))
                        + (session.location.isEmpty ? "." : ", at \(session.location).")
                        + (series ? " The series lists every occurrence." : "")
                        + (moved && !session.reason.isEmpty ? " Reason: \(session.reason)." : ""),
                    collapse: "session:\(key)", series: series ? session.seriesID : "")
            }
        case .cancelled:
            try Reminders.stop(key, state: .cancelled, in: db)
            for member in session.participantIDs where member != session.cancelledBy {
                let by = session.cancelledBy.isEmpty ? "The session" : "\(try name(session.cancelledBy, in: db))"
                try notify(
                    member, .sessionCancelled, .cancellations, .urgent,
                    session.cancelledBy.isEmpty
                        ? "\(title.capitalizedFirst) was called off" : "\(by) called off \(title)",
                    "The session on \(try when(member)) will not take place."
                        + (session.reason.isEmpty ? "" : " Reason: \(session.reason)."),
                    collapse: "session:\(key)")
            }
        case .completed:
            try Reminders.stop(key, state: .dropped, in: db)
            let ended = session.startAtMicros + Int64(session.durationMinutes) * 60_000_000
            for member in session.participantIDs {
                try db.cachedStatement(
                    sql: """
                        INSERT OR IGNORE INTO completed_session (session_id, member_id, match_id, network, ended_at, settled)
                        VALUES (?, ?, ?, ?, ?, 0)
                        """
                ).execute(arguments: [session.id, member, session.matchID, session.network, ended])
                try notify(
                    member, .feedbackDue, .feedback, .normal,
                    "How did your session with \(try partner(of: member)) go?",
                    "Give your feedback on \(title): neither of you sees the other's until both have given theirs.",
                    collapse: "")
            }
        case .feedbackGiven:
            for feedback in change.feedback {
                try db.cachedStatement(
                    sql: "UPDATE completed_session SET settled = 1 WHERE session_id = ? AND member_id = ?"
                ).execute(arguments: [session.id, feedback.memberID])
            }
        case .feedbackRevealed:
            try db.cachedStatement(sql: "UPDATE completed_session SET settled = 1 WHERE session_id = ?").execute(
                arguments: [session.id])
            for member in session.participantIDs {
                try notify(
                    member, .feedbackRevealed, .feedback, .low, "Feedback on \(title) is revealed",
                    "You can now read what \(try partner(of: member)) said about the session.", collapse: "")
            }
        case .matchAtRisk:
            let rules = try Preferences.rules(session.network, in: db)
            for admin in rules.adminMemberIDs {
                let names = try session.participantIDs.map { try name($0, in: db) }.joined(separator: " and ")
                try notify(
                    admin, .matchAtRisk, .programme, .normal, "A partnership may be at risk: \(names)",
                    "\(change.atRiskReason.isEmpty ? "Feedback puts it at risk" : change.atRiskReason). Consider checking in.",
                    collapse: "")
            }
        default:
            break
        }
    }

    /// A goal's change: the partner asked to confirm stated progress, the owner told of the answer
    /// or of a review coming due, both told of an achieved goal (a private goal: its owner only).
    private static func applyGoal(
        _ change: SessionChange, goal: Goal, source: String, now: Int64, in db: Database, touched: inout Set<String>
    ) throws {
        guard
            let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT network, mentor_id, mentee_id FROM partnership WHERE match_id = ?"),
                arguments: [goal.matchID])
        else { throw FeedDependencyPending("match \(goal.matchID), from the matching feed") }
        let mentor: String = row["mentor_id"]
        let mentee: String = row["mentee_id"]
        let partner = goal.ownerID == mentor ? mentee : mentor
        let shared = goal.visibility != .private
        func notify(_ memberID: String, _ kind: NotificationKind, _ priority: Priority, _ title: String, _ body: String)
            throws
        {
            var links = [Link(type: "goal", id: goal.id), Link(type: "match", id: goal.matchID)]
            if let review = change.review { links.append(Link(type: "review", id: review.id)) }
            try Inbox.deliver(
                Draft(
                    memberID: memberID, kind: kind, category: .goals, priority: priority, title: title, body: body,
                    links: links, network: row["network"], collapseKey: "", sourceKey: source),
                now: now, in: db, touched: &touched)
        }
        let goalTitle = "“\(goal.title)”"
        switch change.kind {
        case .goalReviewed:
            guard shared, let review = change.review, review.state == .pending, review.reviewerID == goal.ownerID
            else { return }
            try notify(
                partner, .reviewToConfirm, .normal, "\(try name(goal.ownerID, in: db)) stated progress on \(goalTitle)",
                "\(review.progress)% done. Confirm it or dispute it with a comment.")
        case .reviewConfirmed:
            guard let review = change.review else { return }
            try notify(
                review.reviewerID, .reviewConfirmed, .low, "Progress on \(goalTitle) confirmed",
                "\(try name(review.responderID, in: db)) confirmed \(review.progress)%.")
        case .reviewDisputed:
            guard let review = change.review else { return }
            try notify(
                review.reviewerID, .reviewDisputed, .normal, "Progress on \(goalTitle) disputed",
                "\(try name(review.responderID, in: db)) disputed \(review.progress)%"
                    + (review.responseComment.isEmpty ? "." : ": \(review.responseComment)"))
        case .goalReviewDue:
            try notify(
                goal.ownerID, .goalReviewDue, .normal, "Time to review \(goalTitle)",
                "Say how far you have come; your partner confirms it.")
        case .goalAchieved:
            for member in shared ? [goal.ownerID, partner] : [goal.ownerID] {
                try notify(member, .goalAchieved, .low, "Goal achieved: \(goalTitle)", "Both of you agreed. Well done.")
            }
        default:
            break
        }
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
