import Foundation
import GRDB
import MatchingEngine
import ProfilesV1
import ServiceStore
import Synchronization

/// Each network's suggestion index, kept up to date with what it is built from: the members (the
/// profiles feed brings each change into the directory) and the mentors' open slots (each match
/// change is on the match feed). A query reads, in one transaction with what the caller needs,
/// where both feeds stand and — when the index is behind — just what changed since it last looked:
/// the members stored by a profiles change since, the mentors of one-way matches changed since,
/// and, once an hour, the members of a timezone whose UTC offset moved. It indexes those again and
/// queries; the index is always the picture of one moment. Only a network's first query compiles
/// it whole (once, however many ask at the same time).
final class SuggestionIndexes: Sendable {
    private let database: MatchingDatabase
    private let maximumMentors: Int
    private let networks = Mutex<[String: NetworkIndex]>([:])

    /// The indexes of the networks of `database`'s directory; `maximumMentors` is the network rule
    /// the participants carry.
    init(database: MatchingDatabase, maximumMentors: Int) {
        self.database = database
        self.maximumMentors = maximumMentors
    }

    /// Reads `reading` and brings `network`'s index up to every change committed before the call,
    /// in one transaction, at `now` (microseconds since 1970); `check` may refuse what was read
    /// (before a network's first query compiles its index); then runs `body` on the index with it.
    func query<Read: Sendable, T: Sendable>(
        _ network: String, now: Int64, reading: @escaping @Sendable (Database) throws -> Read,
        check: (Read) throws -> Void, _ body: (SuggestionIndex, Read) -> T
    ) async throws -> T {
        let date = Date(timeIntervalSince1970: Double(now) / 1_000_000)
        let hour = now / 3_600_000_000
        let known = networks.withLock { $0[network] }
        let (read, changes) = try await database.writer.read { db in
            let read = try reading(db)
            let target = try Self.positions(db)
            guard let plan = known?.plan(upTo: target, at: date, hour: hour) else {
                return (read, (NetworkIndex.Changes, [String: Int])?.none)
            }
            return (read, (try Self.changes(after: plan.positions, alsoReading: plan.reread, in: db), plan.rechecked))
        }
        try check(read)
        let entry =
            known
            ?? networks.withLock { networks in
                if let entry = networks[network] { return entry }
                let entry = NetworkIndex(network: network, maximumMentors: maximumMentors)
                networks[network] = entry
                return entry
            }
        if let (changes, rechecked) = changes { entry.apply(changes, at: date, hour: hour, rechecked: rechecked) }
        // A network's first query compiles it (from a moment after the read above).
        try await entry.buildOnce { try await self.build(entry, at: date, hour: hour) }
        return entry.read { index in body(index, read) }
    }

    private func build(_ entry: NetworkIndex, at date: Date, hour: Int64) async throws {
        let network = entry.network
        let everyone = try await database.writer.read { db in
            let members = try MemberDirectory.activeMembers(of: network, in: db)
            return NetworkIndex.Changes(
                positions: try Self.positions(db), members: members, missing: [],
                openSlots: try MatchStore.openSlots(of: members, in: db))
        }
        entry.apply(everyone, at: date, hour: hour, rechecked: [:])
    }

    /// Where the two feeds stand in `db`.
    private static func positions(_ db: Database) throws -> NetworkIndex.Positions {
        NetworkIndex.Positions(members: try MemberDirectory.position(db), matches: try MatchStore.head(db))
    }

    /// The members stored by a profiles change after `positions.members`, the mentors of one-way
    /// matches changed after `positions.matches`, and the members `reread`, each as stored now.
    private static func changes(
        after positions: NetworkIndex.Positions, alsoReading reread: Set<String>, in db: Database
    ) throws -> NetworkIndex.Changes {
        let now = try Self.positions(db)
        var members =
            now.members > positions.members
            ? try MemberDirectory.members(changedAfter: positions.members, in: db) : []
        var toRead = reread
        if now.matches > positions.matches {
            toRead.formUnion(try MatchStore.mentors(withMatchesChangedAfter: positions.matches, in: db))
        }
        toRead.subtract(members.map(\.id))
        var missing: [String] = []
        for id in toRead.sorted() {
            if let member = try MemberDirectory.member(id, in: db) {
                members.append(member)
            } else {
                missing.append(id)
            }
        }
        return NetworkIndex.Changes(
            positions: now, members: members, missing: missing,
            openSlots: try MatchStore.openSlots(of: members, in: db))
    }
}
