import Foundation
import GRDB
import MemberRules
import ProfilesV1
import RPC
import ServiceStore
import Wire

/// Members in SQLite: every change writes the member, its search rows and a change-feed entry in
/// one transaction.
public struct MemberStore: Sendable {
    private let database: ProfilesDatabase
    private let notifier: ChangeNotifier

    /// A store over `database`; `notifier` hears of every committed change.
    public init(database: ProfilesDatabase, notifier: ChangeNotifier) {
        self.database = database
        self.notifier = notifier
    }

    /// Search filters; empty ones do not filter.
    public struct Filter: Sendable {
        public var network = ""
        public var role = Role.unspecified
        public var skill = ""
        public var words: [String] = []
        public var status = MemberStatus.unspecified
        /// Only members of one of these networks (nil: any network; empty: none).
        public var withinNetworks: [String]?
        public init() {}
    }

    /// Inserts a new (already normalised) member, linked to the sign-in `subject` when one is given
    /// (in the same transaction: no member is left without the link asked for). With an
    /// idempotency key, a retry of the same request returns the first result and changes nothing.
    public func create(
        _ member: Member, linking subject: String? = nil, idempotency: (key: String, request: [UInt8])?
    ) async throws -> Member {
        let result = try await database.writer.write { db -> Member in
            switch try IdempotencyKeys.lookup(idempotency, in: db) {
            case .answered(let response): return try Member(decoding: response)
            case .reused: throw MemberStoreError.idempotencyKeyReused
            case .new: break
            }
            let key = MemberValidator.emailKey(member.email)
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM member WHERE email_key = ?", arguments: [key]) == true {
                throw MemberStoreError.emailTaken(email: member.email)
            }
            if let subject {
                if let linked = try String.fetchOne(
                    db, sql: "SELECT member_id FROM member_subject WHERE subject = ?", arguments: [subject])
                {
                    throw MemberStoreError.subjectLinked(member: linked)
                }
            }
            let body = try Data(member.encoded())
            try db.execute(
                sql: "INSERT INTO member (id, email_key, status, roles, version, body) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [member.id, key, member.status.rawValue, Self.roleBits(member.roles), member.version, body]
            )
            try Self.index(member, in: db)
            if let subject {
                try db.execute(
                    sql: "INSERT INTO member_subject (subject, member_id, linked_at) VALUES (?, ?, ?)",
                    arguments: [subject, member.id, member.createdAtMicros])
            }
            try Self.record(.created, member, body: body, in: db)
            try IdempotencyKeys.remember(idempotency, response: body, at: member.createdAtMicros, in: db)
            return member
        }
        notifier.notify()
        return result
    }

    /// Links the sign-in `subject` to the member, replacing the member's earlier link; refused
    /// when another member has the subject. Linking a member to its own subject again changes
    /// nothing.
    public func link(subject: String, to memberID: String, now: Int64) async throws -> SignInLink {
        try await database.writer.write { db in
            if let linked = try Row.fetchOne(
                db, sql: "SELECT member_id, linked_at FROM member_subject WHERE subject = ?", arguments: [subject])
            {
                guard linked["member_id"] as String == memberID else { throw MemberStoreError.subjectTaken }
                return SignInLink(memberID: memberID, subject: subject, linkedAtMicros: linked["linked_at"])
            }
            try db.execute(sql: "DELETE FROM member_subject WHERE member_id = ?", arguments: [memberID])
            try db.execute(
                sql: "INSERT INTO member_subject (subject, member_id, linked_at) VALUES (?, ?, ?)",
                arguments: [subject, memberID, now])
            return SignInLink(memberID: memberID, subject: subject, linkedAtMicros: now)
        }
    }

    /// Removes the member's sign-in link; the link removed, or nil when there was none.
    public func unlink(memberID: String) async throws -> SignInLink? {
        try await database.writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT subject, linked_at FROM member_subject WHERE member_id = ?", arguments: [memberID])
            else { return nil }
            try db.execute(sql: "DELETE FROM member_subject WHERE member_id = ?", arguments: [memberID])
            return SignInLink(memberID: memberID, subject: row["subject"], linkedAtMicros: row["linked_at"])
        }
    }

    /// The member with this id as it is stored (its encoding), or nil.
    ///
    /// Read on this thread's own read-only connection (`ThreadReaders`): no hop to a reader queue,
    /// and no wait for a pool reader — a synchronous pool read here would block the event loop
    /// while it waits for a reader, which can be held by an asynchronous read whose release must
    /// run on that same loop (a deadlock the load tool found under a mix of gets and searches).
    /// Falls back to GRDB's asynchronous read in memory, or when the thread's read fails (SQLite
    /// answering busy at once, say): then the pool's read gives the answer or the error.
    public func encoded(_ id: String) async throws -> Encoded<Member>? {
        if let readers = database.threadReaders {
            // A missing member (nil) is an answer too: only a failed read goes to the pool.
            do { return try readers.firstColumn(Self.bodyByID, id).map(Encoded.init(trusting:)) } catch {}
        }
        return try await database.writer.read { db in try Self.fetchBody(id, in: db) }
    }

    /// The id of the member linked to the sign-in `subject`, or with this email (compared as
    /// emails are stored), unless that member has left; nil when there is none.
    public func resolve(subject: String?, email: String?) async throws -> String? {
        try await database.writer.read { db in
            let left = MemberStatus.deactivated.rawValue
            if let subject {
                return try String.fetchOne(
                    db,
                    sql: """
                        SELECT m.id FROM member_subject s JOIN member m ON m.id = s.member_id
                        WHERE s.subject = ? AND m.status != ?
                        """,
                    arguments: [subject, left])
            }
            guard let email else { return nil }
            return try String.fetchOne(
                db, sql: "SELECT id FROM member WHERE email_key = ? AND status != ?",
                arguments: [MemberValidator.emailKey(email), left])
        }
    }

    /// The member with this id, or nil.
    public func get(_ id: String) async throws -> Member? {
        try await encoded(id)?.decoded()
    }

    /// The members with these ids that exist, in the order asked.
    public func get(_ ids: [String]) async throws -> [Member] {
        try await database.writer.read { db in try ids.compactMap { try Self.fetch($0, in: db) } }
    }

    /// Reads the member, lets `change` modify it (it may throw to refuse), bumps the version and
    /// stores it with a change-feed entry of `kind`. Throws NOT_FOUND, or ABORTED when
    /// `expectedVersion` is not 0 and not the current version.
    public func update(
        _ id: String,
        expectedVersion: UInt64,
        kind: ChangeKind,
        now: Int64,
        _ change: @Sendable (inout Member) throws -> Void
    ) async throws -> Member {
        let result = try await database.writer.write { db -> Member in
            guard var member = try Self.fetch(id, in: db) else {
                throw MemberStoreError.notFound(id: id)
            }
            if expectedVersion != 0 && expectedVersion != member.version {
                throw MemberStoreError.staleVersion(id: id, current: member.version, expected: expectedVersion)
            }
            let oldEmailKey = MemberValidator.emailKey(member.email)
            try change(&member)
            member.version += 1
            member.updatedAtMicros = now
            let key = MemberValidator.emailKey(member.email)
            if key != oldEmailKey,
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM member WHERE email_key = ? AND id != ?", arguments: [key, id]) == true
            {
                throw MemberStoreError.emailTaken(email: member.email)
            }
            let body = try Data(member.encoded())
            try db.execute(
                sql: "UPDATE member SET email_key = ?, status = ?, roles = ?, version = ?, body = ? WHERE id = ?",
                arguments: [key, member.status.rawValue, Self.roleBits(member.roles), member.version, body, id]
            )
            try Self.index(member, in: db)
            try Self.record(kind, member, body: body, in: db)
            return member
        }
        notifier.notify()
        return result
    }

    /// Up to `limit` members after `afterID` (in id order, which is creation order) that match.
    public func list(_ filter: Filter, afterID: String, limit: Int) async throws -> [Member] {
        if filter.withinNetworks?.isEmpty == true { return [] }
        return try await database.writer.read { db in
            var sql = "SELECT body FROM member WHERE id > ?"
            var arguments: StatementArguments = [afterID]
            if let networks = filter.withinNetworks {
                sql +=
                    " AND id IN (SELECT member_id FROM member_network WHERE network IN ("
                    + databaseQuestionMarks(count: networks.count) + "))"
                _ = arguments.append(contentsOf: StatementArguments(networks))
            }
            if !filter.network.isEmpty {
                sql += " AND id IN (SELECT member_id FROM member_network WHERE network = ?)"
                _ = arguments.append(contentsOf: [filter.network])
            }
            if filter.role != .unspecified {
                sql += " AND (roles & ?) != 0"
                _ = arguments.append(contentsOf: [Self.roleBits([filter.role])])
            }
            if !filter.skill.isEmpty {
                sql += " AND id IN (SELECT member_id FROM member_skill WHERE skill = ?)"
                _ = arguments.append(contentsOf: [filter.skill])
            }
            if !filter.words.isEmpty {
                // Each word quoted: FTS5 then treats it as a literal term, and the terms are ANDed.
                let match = filter.words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(
                    separator: " ")
                sql += " AND id IN (SELECT member_id FROM member_text WHERE member_text MATCH ?)"
                _ = arguments.append(contentsOf: [match])
            }
            if filter.status != .unspecified {
                sql += " AND status = ?"
                _ = arguments.append(contentsOf: [filter.status.rawValue])
            }
            sql += " ORDER BY id LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
            return try Data.fetchAll(db, sql: sql, arguments: arguments).map { try Member(decoding: [UInt8]($0)) }
        }
    }

    /// Up to `limit` changes after `sequence`, and the feed's last sequence.
    public func changes(after sequence: UInt64, limit: Int) async throws -> (changes: [MemberChange], head: UInt64) {
        try await database.writer.read { db in
            let (entries, head) = try Self.feed.entries(after: sequence, limit: limit, in: db)
            let changes = try entries.map { entry in
                MemberChange(
                    sequence: entry.sequence, eventID: entry.eventID,
                    kind: ChangeKind(rawValue: entry.kind) ?? .unspecified,
                    member: try Member(decoding: entry.body), occurredAtMicros: entry.occurredAtMicros)
            }
            return (changes, head)
        }
    }

    // MARK: SQL helpers

    private static func fetch(_ id: String, in db: Database) throws -> Member? {
        try fetchBody(id, in: db)?.decoded()
    }

    private static let bodyByID = "SELECT body FROM member WHERE id = ?"

    private static func fetchBody(_ id: String, in db: Database) throws -> Encoded<Member>? {
        let statement = try db.cachedStatement(sql: bodyByID)
        guard let body = try Data.fetchOne(statement, arguments: [id]) else {
            return nil
        }
        return Encoded(trusting: [UInt8](body))
    }

    private static func roleBits(_ roles: [Role]) -> Int {
        roles.reduce(0) { $0 | (1 << Int($1.rawValue)) }
    }

    /// Rewrites the member's rows in the search indexes.
    private static func index(_ member: Member, in db: Database) throws {
        try db.execute(sql: "DELETE FROM member_network WHERE member_id = ?", arguments: [member.id])
        try db.execute(sql: "DELETE FROM member_skill WHERE member_id = ?", arguments: [member.id])
        try db.execute(sql: "DELETE FROM member_text WHERE member_id = ?", arguments: [member.id])
        for network in member.networks {
            try db.execute(
                sql: "INSERT INTO member_network (network, member_id) VALUES (?, ?)", arguments: [network, member.id])
        }
        let skills = Set(member.expertise.map(\.skill) + member.learningGoals.map(\.skill))
        for skill in skills {
            try db.execute(
                sql: "INSERT INTO member_skill (skill, member_id) VALUES (?, ?)", arguments: [skill, member.id])
        }
        let text =
            [member.displayName, member.headline, member.bio, member.organization, member.department, member.location]
            + skills.sorted()
        try db.execute(
            sql: "INSERT INTO member_text (member_id, content) VALUES (?, ?)",
            arguments: [member.id, text.joined(separator: " ")]
        )
    }

    /// The change feed's table.
    static let feed = ChangeFeedTable(name: "member_change", subjectColumn: "member_id")

    private static func record(_ kind: ChangeKind, _ member: Member, body: Data, in db: Database) throws {
        try feed.append(
            subject: member.id, kind: kind.rawValue, occurredAtMicros: member.updatedAtMicros, body: body, in: db)
    }
}
