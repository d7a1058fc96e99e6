import Foundation
import GRDB
import NotificationsV1
import Wire

/// Nudges from rules over time — a proposal left waiting, a partnership gone quiet, feedback
/// missing — each once per occurrence (the `nudge` table remembers which were sent); and each
/// member's daily digest of low-priority notifications.
enum Nudges {
    /// Sends the nudges due at `now`; answers how many.
    static func sweep(now: Int64, in db: Database, touched: inout Set<String>) throws -> Int {
        var rulesByNetwork: [String: NetworkNotificationRules] = [:]
        func rules(_ network: String) throws -> NetworkNotificationRules {
            if let known = rulesByNetwork[network] { return known }
            let found = try Preferences.rules(network, in: db)
            rulesByNetwork[network] = found
            return found
        }
        var sent = 0
        func nudge(_ key: String, _ draft: Draft) throws {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO nudge (key, created_at) VALUES (?, ?)").execute(
                arguments: [key, now])
            guard db.changesCount == 1 else { return }
            if try Inbox.deliver(draft, now: now, in: db, touched: &touched) != nil { sent += 1 }
        }
        let day = FeedEvents.day
        // Proposals waiting for an answer.
        for row in try Row.fetchAll(db, sql: "SELECT * FROM partnership WHERE state = 1") {
            let match: String = row["match_id"]
            let network: String = row["network"]
            let days = Int64(try rules(network).proposalWaitingDays)
            guard days > 0, now - (row["proposed_at"] as Int64) >= days * day else { continue }
            let mentor: String = row["mentor_id"]
            let mentee: String = row["mentee_id"]
            for (member, accepted, other) in [
                (mentor, row["mentor_accepted"] as Bool, mentee), (mentee, row["mentee_accepted"] as Bool, mentor),
            ] where !accepted {
                let name = try FeedEvents.name(other, in: db)
                try nudge(
                    "proposal:\(match):\(member)",
                    Draft(
                        memberID: member, kind: .nudgeProposalWaiting, category: .nudges, priority: .normal,
                        title: "Your match with \(name) is waiting for your answer",
                        body:
                            "It was proposed \(days) days ago or more. Accept it or decline it so both of you can move on.",
                        links: [Link(type: "match", id: match), Link(type: "member", id: other)], network: network,
                        collapseKey: "match:\(match)", sourceKey: "nudge:proposal:\(match)"))
            }
        }
        // Active partnerships without a session for a while.
        for row in try Row.fetchAll(db, sql: "SELECT * FROM partnership WHERE state = 2") {
            let match: String = row["match_id"]
            let network: String = row["network"]
            let days = Int64(try rules(network).noSessionDays)
            let last = max(row["activated_at"] as Int64, row["last_session_at"] as Int64)
            guard days > 0, last > 0, now - last >= days * day else { continue }
            let mentor: String = row["mentor_id"]
            let mentee: String = row["mentee_id"]
            for (member, other) in [(mentor, mentee), (mentee, mentor)] {
                let name = try FeedEvents.name(other, in: db)
                try nudge(
                    "quiet:\(match):\(last):\(member)",
                    Draft(
                        memberID: member, kind: .nudgeNoSession, category: .nudges, priority: .normal,
                        title: "No session with \(name) for \(days) days",
                        body: "Partnerships that meet regularly get further. Find a time that suits you both.",
                        links: [Link(type: "match", id: match), Link(type: "member", id: other)], network: network,
                        sourceKey: "nudge:quiet:\(match):\(last)"))
            }
        }
        // Feedback still missing after a session.
        for row in try Row.fetchAll(db, sql: "SELECT * FROM completed_session WHERE settled = 0") {
            let session: String = row["session_id"]
            let member: String = row["member_id"]
            let network: String = row["network"]
            let days = Int64(try rules(network).feedbackMissingDays)
            guard days > 0, now >= (row["ended_at"] as Int64) + days * day else { continue }
            try db.cachedStatement(
                sql: "UPDATE completed_session SET settled = 1 WHERE session_id = ? AND member_id = ?"
            ).execute(arguments: [session, member])
            try nudge(
                "feedback:\(session):\(member)",
                Draft(
                    memberID: member, kind: .nudgeFeedbackMissing, category: .nudges, priority: .normal,
                    title: "Your feedback on a session is still missing",
                    body: "It takes a minute, and your partner sees it only once you have both given yours.",
                    links: [Link(type: "session", id: session), Link(type: "match", id: row["match_id"])],
                    network: network, sourceKey: "nudge:feedback:\(session)"))
        }
        return sent
    }

    // MARK: Daily digests

    /// Makes sure the member has a digest scheduled (at their next digest hour).
    static func scheduleDigest(_ memberID: String, preferences: NotificationPreferences, now: Int64, in db: Database)
        throws
    {
        let next = LocalTime.next(
            minuteOfDay: Int(preferences.digestHour) * 60, after: now,
            in: LocalTime.zone(preferences.effectiveTimezone))
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO digest_schedule (member_id, next_at) VALUES (?, ?)").execute(
            arguments: [memberID, next])
    }

    /// Moves a scheduled digest to the member's (new) digest hour.
    static func rescheduleDigest(_ memberID: String, preferences: NotificationPreferences, now: Int64, in db: Database)
        throws
    {
        let next = LocalTime.next(
            minuteOfDay: Int(preferences.digestHour) * 60, after: now,
            in: LocalTime.zone(preferences.effectiveTimezone))
        try db.cachedStatement(sql: "UPDATE digest_schedule SET next_at = ? WHERE member_id = ?").execute(arguments: [
            next, memberID,
        ])
    }

    /// Sends the digests due at `now`: each collects the member's low-priority notifications not
    /// yet in a digest, still unread and not archived, of categories whose digest is on. Nothing
    /// to collect, no digest. Answers how many were sent.
    static func sendDigests(now: Int64, limit: Int = 500, in db: Database, touched: inout Set<String>) throws -> Int {
        let due = try String.fetchAll(
            try db.cachedStatement(
                sql: "SELECT member_id FROM digest_schedule WHERE next_at <= ? ORDER BY next_at LIMIT ?"),
            arguments: [now, limit])
        var sent = 0
        for member in due {
            let preferences = try Preferences.load(member, in: db)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Inbox.columns), category FROM item
                    WHERE member_id = ? AND delivery = 1 AND priority = 1 AND read_at = 0 AND archived_at = 0
                        AND digest_id = '' ORDER BY seq
                    """,
                arguments: [member])
            let items = try rows.filter { row in
                let category = NotificationsV1.Category(rawValue: row["category"] as Int32) ?? .unspecified
                return Preferences.channels(preferences, category).digest
            }.map(Inbox.notification(from:))
            let next = LocalTime.next(
                minuteOfDay: Int(preferences.digestHour) * 60, after: now,
                in: LocalTime.zone(preferences.effectiveTimezone))
            if items.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM digest_schedule WHERE member_id = ?").execute(arguments: [
                    member
                ])
                continue
            }
            try db.cachedStatement(sql: "UPDATE digest_schedule SET next_at = ? WHERE member_id = ?").execute(
                arguments: [next, member])
            let lines: [String] = items.prefix(20).map { "• \($0.title)" }
            let more: [String] = items.count > 20 ? ["… and \(items.count - 20) more"] : []
            guard
                let digest = try Inbox.deliver(
                    Draft(
                        memberID: member, kind: .dailyDigest, category: .digest, priority: .normal,
                        title: items.count == 1
                            ? "Your daily digest: 1 update" : "Your daily digest: \(items.count) updates",
                        body: (lines + more).joined(separator: "\n"),
                        links: items.map { Link(type: "notification", id: $0.id) },
                        sourceKey: "digest:\(member):\(now)"),
                    now: now, in: db, touched: &touched)
            else { continue }
            for item in items {
                try db.cachedStatement(sql: "UPDATE item SET digest_id = ? WHERE id = ?").execute(arguments: [
                    digest, item.id,
                ])
            }
            sent += 1
        }
        return sent
    }
}
