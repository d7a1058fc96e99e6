import GRDB
import ProfilesV1
import RPC
import ServiceStore

/// Who is whose active partner, as matching's change feed says: matching pushes its feed here
/// (`ApplyPartnerships`), each page applied with the feed position in one transaction, so every
/// change applies exactly once across restarts of either side. Profiles needs it for one rule: a
/// member's email goes to their active partners (docs/security.md).
public struct Partnerships: Sendable {
    private let database: ProfilesDatabase
    private let applied = ChangeNotifier()
    /// The cursor name of matching's feed.
    static let feed = "matching"

    /// The partnerships in `database`.
    public init(database: ProfilesDatabase) {
        self.database = database
    }

    /// The position in matching's feed applied so far (0: nothing yet).
    public func position() async throws -> UInt64 {
        try await database.writer.read { db in try FeedCursors.position(Self.feed, in: db) }
    }

    /// Returns once matching's feed has been applied up to `position`.
    public func wait(for position: UInt64) async throws {
        try await applied.wait { try await self.position() >= position }
    }

    /// Applies `changes` after the stored position; returns the new position.
    public func apply(_ changes: [PartnershipChange]) async throws -> UInt64 {
        if changes.isEmpty { return try await position() }
        defer { applied.notify() }
        return try await database.writer.write { db in
            var cursor = try FeedCursors.position(Self.feed, in: db)
            for change in changes where change.sequence > cursor {
                cursor = change.sequence
                guard let partnership = change.partnership else { continue }
                try db.execute(
                    sql: """
                        INSERT INTO partnership (match_id, mentor_id, mentee_id, active) VALUES (?, ?, ?, ?)
                        ON CONFLICT(match_id) DO UPDATE SET active = excluded.active
                        """,
                    arguments: [
                        partnership.matchID, partnership.mentorID, partnership.menteeID, partnership.active,
                    ])
            }
            try FeedCursors.move(Self.feed, to: cursor, in: db)
            return cursor
        }
    }

    /// The members `member` has an active match with.
    func activePartners(of member: String, in db: Database) throws -> Set<String> {
        Set(
            try String.fetchAll(
                db,
                sql: """
                    SELECT mentee_id FROM partnership WHERE active AND mentor_id = ?1
                    UNION SELECT mentor_id FROM partnership WHERE active AND mentee_id = ?1
                    """, arguments: [member]))
    }

    /// Whether `a` and `b` have an active match.
    func arePartners(_ a: String, _ b: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM partnership WHERE active AND mentor_id = ?1 AND mentee_id = ?2)
                    OR EXISTS (SELECT 1 FROM partnership WHERE active AND mentor_id = ?2 AND mentee_id = ?1)
                """, arguments: [a, b]) ?? false
    }
}

/// How much of a member a person may see (docs/security.md, "Inside resources").
enum MemberView: Equatable {
    /// Everything: the member themselves, an admin of one of their networks, an active partner.
    case whole
    /// The profile without the email: a member who shares a network with them.
    case publicFields
    /// Nothing: the member does not exist, as far as the viewer can tell.
    case hidden
}

extension Partnerships {
    /// How `viewer` sees `member`.
    func view(of member: Member, by viewer: Viewer) async throws -> MemberView {
        if viewer.is(member.id) || member.networks.contains(where: viewer.administers) { return .whole }
        guard let me = viewer.member else { return .hidden }
        return try await database.writer.read { db in
            if try arePartners(me, member.id, in: db) { return .whole }
            let shared =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM member_network WHERE member_id = ? AND network IN ("
                        + databaseQuestionMarks(count: member.networks.count) + "))",
                    arguments: StatementArguments([me] + member.networks)) ?? false
            return shared ? .publicFields : .hidden
        }
    }

    /// What `viewer` may list: the networks they belong to or administer (nil: every network, for
    /// a service), and the members whose email they see besides themselves and their networks'.
    func listScope(of viewer: Viewer) async throws -> (networks: [String]?, partners: Set<String>) {
        guard let principal = viewer.principal else { return (nil, []) }
        guard let me = principal.member else { return (principal.adminNetworks, []) }
        return try await database.writer.read { db in
            let own = try String.fetchAll(
                db, sql: "SELECT network FROM member_network WHERE member_id = ?", arguments: [me])
            return (Array(Set(own + principal.adminNetworks)).sorted(), try activePartners(of: me, in: db))
        }
    }
}
