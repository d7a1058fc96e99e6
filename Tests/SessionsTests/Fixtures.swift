import Foundation
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore
import SessionsService
import SessionsV1
import Synchronization
import TestSupport
import Wire

/// Every day, all day.
let always = (1...7).map { AvailabilityWindow(weekday: UInt32($0), startMinute: 0, endMinute: 1440) }

/// A member of the "guild" network, as the profiles feed brings it.
func member(
    _ name: String, timezone: String = "Europe/London", availability: [AvailabilityWindow] = always,
    status: MemberStatus = .active, version: UInt64 = 1, id: String? = nil
) -> Member {
    Member(
        id: id ?? SortableID.make(prefix: "mbr_", atMicros: 1_795_000_000_000_000), email: "\(name)@example.org",
        displayName: name, roles: [.mentor, .mentee], networks: ["guild"], timezone: timezone, languages: ["en"],
        availability: availability, status: status, version: version)
}

/// A live sessions server on an in-memory database, its client, directory and clock.
final class SessionsFixture: Sendable {
    let client: SessionsClient
    let raw: Client
    let directory: PartnerDirectory
    let service: SessionsService
    let clock: TestClock
    private let memberSequence = Atomic<UInt64>(0)
    private let matchSequence = Atomic<UInt64>(0)

    init(raw: Client, service: SessionsService, clock: TestClock) {
        self.raw = raw
        self.service = service
        self.directory = service.directory
        self.client = SessionsClient(raw)
        self.clock = clock
    }

    /// Puts members into the read model, as the profiles feed would.
    func add(_ members: Member...) async throws {
        try await directory.apply(
            members.map { member in
                MemberChange(
                    sequence: memberSequence.add(1, ordering: .relaxed).newValue, eventID: UUID().uuidString,
                    kind: .updated, member: member)
            })
    }

    /// A match between `a` and `b` in `state`, as the matching feed would bring it.
    @discardableResult
    func match(
        _ a: Member, _ b: Member, state: MatchState = .active, id: String? = nil, version: UInt64 = 1,
        at occurred: Int64? = nil, kind: MatchKind = .oneWay
    ) async throws -> String {
        let id = id ?? SortableID.make(prefix: "mat_", atMicros: clock.now)
        let match = Match(
            id: id, network: "guild", kind: kind, mentorID: a.id, menteeID: b.id, state: state, version: version)
        try await directory.apply([
            MatchChange(
                sequence: matchSequence.add(1, ordering: .relaxed).newValue, eventID: UUID().uuidString,
                kind: state == .active ? .activated : .ended, match: match, occurredAtMicros: occurred ?? clock.now)
        ])
        return id
    }

    /// Books a session `hoursAhead` hours from now (a whole hour), lasting `minutes`.
    func schedule(
        _ matchID: String, by member: Member, at start: Int64, minutes: UInt32 = 60, key: String? = nil
    ) async throws -> Session {
        var metadata = Metadata()
        metadata.idempotencyKey = key
        return try await client.scheduleSession(
            ScheduleSessionRequest(
                matchID: matchID, memberID: member.id, startAtMicros: start, durationMinutes: minutes,
                title: "Weekly", agenda: "1. Goals\n2. Next steps", location: "https://meet.example.org/x"),
            options: CallOptions(metadata: metadata))
    }

    /// A whole hour, `hours` from the clock's now (which is on the hour).
    func hoursAhead(_ hours: Int64) -> Int64 { clock.now + hours * Times.hour }

    func feed() async throws -> [SessionChange] {
        try await client.listChanges(ListSessionChangesRequest(afterSequence: 0, limit: 1000)).changes
    }
}

@discardableResult
func withSessions<T: Sendable>(
    policy: SessionPolicy = SessionPolicy(), _ body: (SessionsFixture) async throws -> T
) async throws -> T {
    let clock = TestClock()
    let service = SessionsService(database: try SessionsDatabase.inMemory(), policy: policy, clock: { clock.now })
    return try await withTestServer([service]) { server in
        let client = server.client()
        defer { client.close() }
        return try await body(SessionsFixture(raw: client, service: service, clock: clock))
    }
}
