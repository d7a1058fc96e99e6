import Foundation
import GRDB
import MatchingEngine
import ProfilesV1
import ServiceStore
import Synchronization

/// Each network's suggestion index, kept up to date with what it is built from: the members (the
/// profiles feed brings each change into the directory) and the mentors' open slots (each match
/// change is on the match feed). A query first reads where both feeds stand; when the index is
/// behind, it indexes again just the members stored by a change since, and the mentors of the
/// one-way matches changed since — read in one transaction with the new positions, so the index is
/// always the picture of one moment — and, once an hour, the members of a timezone whose UTC offset
/// moved. Only a network's first query compiles it whole.
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

    /// Runs `body` on `network`'s index once it holds every change committed before the call, at
    /// `now` (microseconds since 1970).
    func query<T: Sendable>(_ network: String, now: Int64, _ body: (SuggestionIndex) -> T) async throws -> T {
        let target = try await database.writer.read { db in try Self.positions(db) }
        let entry = networks.withLock { networks in
            if let entry = networks[network] { return entry }
            let entry = NetworkIndex(network: network, maximumMentors: maximumMentors)
            networks[network] = entry
            return entry
        }
        let hour = now / 3_600_000_000
        try await entry.bringUpToDate(target, hour: hour) { try await self.refresh(entry, now: now, hour: hour) }
        return entry.read(body)
    }

    private func refresh(_ entry: NetworkIndex, now: Int64, hour: Int64) async throws {
        let date = Date(timeIntervalSince1970: Double(now) / 1_000_000)
        let network = entry.network
        guard let plan = entry.plan(at: date, hour: hour) else {
            let everyone = try await database.writer.read { db in
                let members = try MemberDirectory.activeMembers(of: network, in: db)
                return NetworkIndex.Changes(
                    positions: try Self.positions(db), members: members, missing: [],
                    openSlots: try MatchStore.openSlots(of: members, in: db))
            }
            entry.apply(everyone, at: date, hour: hour, rechecked: [:])
            return
        }
        let changes = try await database.writer.read { db in
            try Self.changes(after: plan.positions, alsoReading: plan.reread, in: db)
        }
        entry.apply(changes, at: date, hour: hour, rechecked: plan.rechecked)
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
