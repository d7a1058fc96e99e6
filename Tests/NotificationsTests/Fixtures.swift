import Foundation
import MatchingV1
import NotificationsService
import NotificationsV1
import ProfilesV1
import RPC
import ServiceStore
import SessionsService
import SessionsV1
import Synchronization
import TestSupport
import Wire

/// A member of the "guild" network, as the profiles feed brings it.
func member(_ name: String, timezone: String = "Europe/London") -> Member {
    Member(
        id: SortableID.make(prefix: "mbr_", atMicros: 1_795_000_000_000_000), email: "\(name)@example.org",
        displayName: name, roles: [.mentor, .mentee], networks: ["guild"], timezone: timezone, languages: ["en"],
        availability: (1...7).map { AvailabilityWindow(weekday: UInt32($0), startMinute: 0, endMinute: 1440) },
        status: .active, version: 1)
}

/// A sessions service and a notifications service on one live server (in-memory databases, one
/// test clock), with the other feeds played by hand: members and matches are applied to both as
/// profiles and matching would send them, and the sessions feed is pumped into notifications.
final class Network: Sendable {
    let clock: TestClock
    let sessionsService: SessionsService
    let sessions: SessionsClient
    let service: NotificationsService
    let inbox: NotificationsClient
    var store: NotificationStore { service.store }
    private let sequences = Mutex<(member: UInt64, match: UInt64)>((0, 0))

    init(client: Client, sessions: SessionsService, notifications: NotificationsService, clock: TestClock) {
        self.clock = clock
        self.sessionsService = sessions
        self.sessions = SessionsClient(client)
        self.service = notifications
        self.inbox = NotificationsClient(client)
    }

    private func next(_ member: Bool) -> UInt64 {
        sequences.withLock { sequences in
            if member {
                sequences.member += 1
                return sequences.member
            }
            sequences.match += 1
            return sequences.match
        }
    }

    /// Members, as the profiles feed brings them.
    func add(_ members: Member...) async throws {
        let changes = members.map {
            MemberChange(sequence: next(true), eventID: UUID().uuidString, kind: .updated, member: $0)
        }
        try await sessionsService.directory.apply(changes)
        try await store.apply(changes, now: clock.now)
    }

    /// A matching change about `a` (mentor) and `b` (mentee), applied to both services; answers
    /// the match.
    @discardableResult
    func match(
        _ a: Member, _ b: Member, _ kind: MatchChangeKind = .activated, state: MatchState = .active,
        id: String? = nil, version: UInt64 = 1, mentorAccepted: Bool = false, menteeAccepted: Bool = false
    ) async throws -> Match {
        let change = matchChange(
            a, b, kind, state: state, id: id, version: version, mentorAccepted: mentorAccepted,
            menteeAccepted: menteeAccepted)
        try await sessionsService.directory.apply([change])
        try await store.apply([change], now: clock.now)
        return change.match!
    }

    /// The next matching change about `a` (mentor) and `b` (mentee), applied nowhere yet.
    func matchChange(
        _ a: Member, _ b: Member, _ kind: MatchChangeKind = .activated, state: MatchState = .active,
        id: String? = nil, version: UInt64 = 1, mentorAccepted: Bool = false, menteeAccepted: Bool = false
    ) -> MatchChange {
        let match = Match(
            id: id ?? SortableID.make(prefix: "mat_", atMicros: clock.now), network: "guild", kind: .oneWay,
            mentorID: a.id, menteeID: b.id, score: 72, explanation: "Teaches swift.", origin: .requested,
            state: state, mentorAccepted: mentorAccepted, menteeAccepted: menteeAccepted, version: version,
            createdAtMicros: clock.now, expiresAtMicros: clock.now + 14 * Times.day)
        return MatchChange(
            sequence: next(false), eventID: UUID().uuidString, kind: kind, match: match,
            occurredAtMicros: clock.now)
    }

    /// Applies what the sessions feed has that notifications has not seen.
    func pump() async throws {
        let after = try await store.position(NotificationStore.sessionsFeed)
        let changes = try await sessions.listChanges(ListSessionChangesRequest(afterSequence: after, limit: 1000))
        try await store.apply(changes.changes, now: clock.now)
    }

    /// Books a session and pumps the feed.
    func schedule(_ match: Match, by organizer: Member, at start: Int64, title: String = "Weekly") async throws
        -> Session
    {
        let session = try await sessions.scheduleSession(
            ScheduleSessionRequest(
                matchID: match.id, memberID: organizer.id, startAtMicros: start, durationMinutes: 60, title: title))
        try await pump()
        return session
    }

    /// The member's inbox (not archived), newest first.
    func items(_ member: Member, filter: InboxFilter = .unspecified) async throws -> [NotificationsV1.Notification] {
        try await inbox.listNotifications(ListNotificationsRequest(memberID: member.id, filter: filter, pageSize: 200))
            .notifications
    }

    /// Every delivered notification of the member, archived included, page by page.
    func everything(_ member: Member) async throws -> [NotificationsV1.Notification] {
        var all: [NotificationsV1.Notification] = []
        var token = ""
        repeat {
            let page = try await inbox.listNotifications(
                ListNotificationsRequest(memberID: member.id, filter: .all, pageSize: 200, pageToken: token))
            all += page.notifications
            token = page.nextPageToken
        } while !token.isEmpty
        return all
    }

    /// The frequent job's turn at the clock's time.
    @discardableResult
    func tick() async throws -> Int { try await service.deliverDue() }
}

@discardableResult
func withNetwork<T: Sendable>(
    start: Int64 = Times.utc(2026, 11, 18, 11, 0), _ body: (Network) async throws -> T
) async throws -> T {
    let clock = TestClock(start)
    let sessions = SessionsService(
        database: try SessionsDatabase.inMemory(), policy: SessionPolicy(minimumNoticeMinutes: 0),
        clock: { clock.now })
    let notifications = NotificationsService(database: try NotificationsDatabase.inMemory(), clock: { clock.now })
    return try await withTestServer([sessions, notifications]) { server in
        let client = server.client()
        defer { client.close() }
        return try await body(Network(client: client, sessions: sessions, notifications: notifications, clock: clock))
    }
}
