import Foundation
import GRDB
import MatchingV1
import NotificationsV1
import ProfilesV1
import SessionsV1
import Wire

/// A network's event log, for the systems that follow it (ListNetworkEvents, WatchNetworkEvents):
/// one event per change of the three feeds, per network the change belongs to, written in the
/// transaction that applies the change and moves the feed's cursor — so each change makes its
/// events exactly once, whatever crashes when. An event names what happened to which resource,
/// never the resource's contents; private goals make none.
enum NetworkEvents {
    /// The key a watch of `network` waits on among the members' stream signals (a member id
    /// never starts so).
    static func signal(_ network: String) -> String { "network:\(network)" }

    // MARK: Recording

    /// The events of a profiles change: one per network the member belongs to.
    static func record(_ change: MemberChange, now: Int64, in db: Database, touched: inout Set<String>) throws {
        guard let member = change.member else { return }
        let type: String
        switch change.kind {
        case .created: type = "member.created"
        case .updated: type = "member.updated"
        case .paused: type = "member.paused"
        case .resumed: type = "member.resumed"
        case .deactivated: type = "member.left"
        case .unspecified: return
        }
        for network in Set(member.networks) {
            try insert(
                NetworkEvent(
                    network: network, type: type, memberIDs: [member.id], occurredAtMicros: change.occurredAtMicros,
                    sourceEventID: "profiles:\(change.eventID)"),
                now: now, in: db, touched: &touched)
        }
    }

    /// The event of a matching change.
    static func record(_ change: MatchChange, now: Int64, in db: Database, touched: inout Set<String>) throws {
        guard let match = change.match else { return }
        let type: String
        switch change.kind {
        case .proposed: type = "match.proposed"
        case .accepted: type = "match.accepted"
        case .activated: type = "match.activated"
        case .declined: type = "match.declined"
        case .withdrawn: type = "match.withdrawn"
        case .expired: type = "match.expired"
        case .completed: type = "match.completed"
        case .ended: type = "match.ended"
        case .unspecified: return
        }
        try insert(
            NetworkEvent(
                network: match.network, type: type, memberIDs: [match.mentorID, match.menteeID], matchID: match.id,
                occurredAtMicros: change.occurredAtMicros, sourceEventID: "matching:\(change.eventID)"),
            now: now, in: db, touched: &touched)
    }

    /// The event of a sessions change (a session's or a shared goal's).
    static func record(_ change: SessionChange, now: Int64, in db: Database, touched: inout Set<String>) throws {
        var event = NetworkEvent(
            occurredAtMicros: change.occurredAtMicros, sourceEventID: "sessions:\(change.eventID)")
        if let goal = change.goal {
            guard goal.visibility != .private,
                let network = try String.fetchOne(
                    try db.cachedStatement(sql: "SELECT network FROM partnership WHERE match_id = ?"),
                    arguments: [goal.matchID])
            else { return }
            event.network = network
            event.memberIDs = [goal.ownerID]
            event.matchID = goal.matchID
            event.goalID = goal.id
        } else if let session = change.session {
            event.network = session.network
            event.memberIDs = session.participantIDs
            event.matchID = session.matchID
            event.sessionID = session.id
        } else {
            return
        }
        switch change.kind {
        case .scheduled: event.type = "session.scheduled"
        case .rescheduled: event.type = "session.rescheduled"
        case .cancelled: event.type = "session.cancelled"
        case .completed: event.type = "session.completed"
        case .updated: event.type = "session.updated"
        case .attendanceRecorded: event.type = "session.attendance_recorded"
        case .feedbackGiven: event.type = "session.feedback_given"
        case .feedbackRevealed: event.type = "session.feedback_revealed"
        case .matchAtRisk: event.type = "match.at_risk"
        case .goalCreated: event.type = "goal.created"
        case .goalUpdated: event.type = "goal.updated"
        case .goalReviewed: event.type = "goal.reviewed"
        case .reviewConfirmed: event.type = "goal.review_confirmed"
        case .reviewDisputed: event.type = "goal.review_disputed"
        case .goalReviewDue: event.type = "goal.review_due"
        case .goalAchieved: event.type = "goal.achieved"
        case .goalDropped: event.type = "goal.dropped"
        case .unspecified: return
        }
        try insert(event, now: now, in: db, touched: &touched)
    }

    private static func insert(_ event: NetworkEvent, now: Int64, in db: Database, touched: inout Set<String>) throws {
        guard !event.network.isEmpty else { return }
        try db.cachedStatement(
            sql: "INSERT INTO network_event (network, recorded_at, body) VALUES (?, ?, ?)"
        ).execute(arguments: [event.network, now, Data(try event.encoded())])
        touched.insert(signal(event.network))
    }

    // MARK: Reading

    /// Up to `limit` of the network's events after `sequence`, oldest first.
    static func events(_ network: String, after sequence: UInt64, limit: Int, in db: Database) throws
        -> [NetworkEvent]
    {
        try Row.fetchAll(
            try db.cachedStatement(
                sql:
                    "SELECT sequence, body FROM network_event WHERE network = ? AND sequence > ? ORDER BY sequence LIMIT ?"
            ),
            arguments: [network, Int64(clamping: sequence), limit]
        ).map { row in
            var event = try NetworkEvent(decoding: [UInt8](row["body"] as Data))
            event.sequence = UInt64(row["sequence"] as Int64)
            return event
        }
    }

    /// The newest event of any network (0: none).
    static func head(in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM network_event") ?? 0)
    }

    /// The newest event forgotten (0: none yet).
    static func prunedThrough(in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT pruned_through FROM network_event_floor WHERE one = 1") ?? 0)
    }

    /// Forgets events recorded before `before`; returns how many.
    static func prune(before: Int64, in db: Database) throws -> Int {
        guard
            let last = try Int64.fetchOne(
                try db.cachedStatement(sql: "SELECT MAX(sequence) FROM network_event WHERE recorded_at < ?"),
                arguments: [before])
        else { return 0 }
        try db.cachedStatement(sql: "DELETE FROM network_event WHERE sequence <= ?").execute(arguments: [last])
        let removed = db.changesCount
        try db.cachedStatement(
            sql: "INSERT INTO network_event_floor (one, pruned_through) VALUES (1, ?) "
                + "ON CONFLICT(one) DO UPDATE SET pruned_through = MAX(pruned_through, excluded.pruned_through)"
        ).execute(arguments: [last])
        return removed
    }
}
