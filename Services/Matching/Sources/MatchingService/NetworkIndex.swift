import Foundation
import MatchingEngine
import ProfilesV1
import Synchronization

/// One network's suggestion index and where it stands: the positions of the two feeds it holds
/// every change up to, the hour its timezones were last checked, and its members by timezone.
/// Queries read it under its lock; each brings it up to date first with what changed since.
final class NetworkIndex: Sendable {
    /// How far an index has got: the profiles feed position its members come from, and the match
    /// feed's head its open slots were counted at. Both are read in one transaction.
    struct Positions: Sendable, Equatable {
        var members: UInt64
        var matches: UInt64

        /// Whether an index at these positions holds every change up to `other`.
        func covers(_ other: Positions) -> Bool { members >= other.members && matches >= other.matches }
    }

    /// The members to index again, read in one transaction with the positions they bring it to.
    struct Changes: Sendable {
        var positions: Positions
        /// Each member as stored now, whatever their status or networks.
        var members: [Member]
        /// Members to index again who are not in the directory at all.
        var missing: [String]
        /// The open slots of every mentor among `members`.
        var openSlots: [String: Int]
    }

    /// What a refresh of a built index must read: the changes after `positions`, and again the
    /// members of the timezones whose UTC offsets moved (`rechecked`: each one's offset now).
    struct Plan: Sendable {
        var positions: Positions
        var rechecked: [String: Int]
        var reread: Set<String>
    }

    /// The index and what it was built from.
    struct State: Sendable {
        var index = SuggestionIndex([])
        var positions = Positions(members: 0, matches: 0)
        /// The hour (since 1970) the timezones' offsets were last checked.
        var hour: Int64 = 0
        var zones = TimezoneBook()

        /// Indexes `changes` for `network` at `date`: members active in it upserted with their
        /// open slots, the others removed.
        mutating func apply(
            _ changes: Changes, network: String, maximumMentors: Int, at date: Date, hour: Int64,
            rechecked: [String: Int]
        ) {
            for (zone, offset) in rechecked { zones.setOffset(offset, of: zone) }
            for member in changes.members {
                guard member.status == .active, member.networks.contains(network) else {
                    index.remove(member.id)
                    zones.remove(member.id)
                    continue
                }
                var participant = Participant(member: member, at: date, maximumMentors: maximumMentors)
                participant.capacity = changes.openSlots[member.id] ?? 0
                index.upsert(participant)
                zones.place(member.id, in: member.timezone) { Participant.utcOffsetMinutes(member.timezone, at: date) }
            }
            for id in changes.missing {
                index.remove(id)
                zones.remove(id)
            }
            positions = changes.positions
            self.hour = max(self.hour, hour)
        }
    }

    let network: String
    private let maximumMentors: Int
    private let state = Mutex<State?>(nil)
    private let building = Mutex<Task<Void, any Error>?>(nil)

    init(network: String, maximumMentors: Int) {
        self.network = network
        self.maximumMentors = maximumMentors
    }

    /// Whether the index was built (by its network's first query).
    var isBuilt: Bool { state.withLock { $0 != nil } }

    /// What the index must read to hold every change up to `target` at `date` (in `hour`), or nil
    /// when it holds them already (or was never built). The timezones are checked once an hour:
    /// those whose offset at `date` is not the one their members were indexed with are read again.
    func plan(upTo target: Positions, at date: Date, hour: Int64) -> Plan? {
        state.withLock { state in
            guard let state, !(state.positions.covers(target) && state.hour >= hour) else { return nil }
            var plan = Plan(positions: state.positions, rechecked: [:], reread: [])
            guard state.hour < hour else { return plan }
            for (zone, offset) in state.zones.offsets {
                let now = Participant.utcOffsetMinutes(zone, at: date)
                guard now != offset else { continue }
                plan.rechecked[zone] = now
                plan.reread.formUnion(state.zones.members(of: zone))
            }
            return plan
        }
    }

    /// Runs `body` on the index, which must have been built.
    func read<T: Sendable>(_ body: (SuggestionIndex) -> T) -> T {
        state.withLock { state in body(state!.index) }
    }

    /// Builds the index with `build` unless it was built: one build at a time, a caller that finds
    /// one running waits for it (many first queries at once compile the network once).
    func buildOnce(_ build: @escaping @Sendable () async throws -> Void) async throws {
        while !isBuilt {
            let task = building.withLock { running in
                if let running { return running }
                let task = Task {
                    defer { self.building.withLock { $0 = nil } }
                    try await build()
                }
                running = task
                return task
            }
            try await task.value
        }
    }

    /// Indexes `changes` at `date` (in `hour`), with `rechecked` the timezones the refresh
    /// compared with `date` and their offsets now. A refresh that read an older moment than the
    /// index holds already changes nothing.
    func apply(_ changes: Changes, at date: Date, hour: Int64, rechecked: [String: Int]) {
        state.withLock { state in
            guard state.map({ changes.positions.covers($0.positions) }) ?? true else { return }
            if state == nil { state = State() }
            // In place: a copy of the index would be copied whole by the first change.
            state!.apply(
                changes, network: network, maximumMentors: maximumMentors, at: date, hour: hour, rechecked: rechecked)
        }
    }
}
