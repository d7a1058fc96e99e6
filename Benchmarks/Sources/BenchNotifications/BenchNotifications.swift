import ArgumentParser
import Foundation
import Histogram
import Logging
import MatchingV1
import NIOPosix
import NotificationsService
import NotificationsV1
import ProfilesV1
import RPC
import SessionsV1
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The notifications benchmark (issue #20), in one process on durable databases (WAL,
/// synchronous=FULL):
/// - catch-up: a backlog of `--backlog` changes across the profiles, matching and sessions feeds,
///   served over loopback by stand-in feed servers, followed by the service's own three
///   `FeedFollower`s from an empty database: changes applied per second;
/// - reminders: `--reminders` reminders due within one minute (and, apart, as many due at the same
///   instant), fired by the 500 ms job as the server runs it: lateness from due time to committed;
/// - inbox: ListNotifications (first page of 20) and GetNotificationCounts over loopback for the
///   member with the most items after the catch-up;
/// - the process's peak RSS.
@main
struct BenchNotifications: AsyncParsableCommand {
    @Option(help: "Changes in the backlog to catch up (profiles, matching and sessions together).")
    var backlog = 100_000

    @Option(help: "Reminders due in the same minute.")
    var reminders = 1000

    @Option(help: "Inbox reads timed per kind.")
    var reads = 1000

    func validate() throws {
        guard backlog >= 10_000 else { throw ValidationError("--backlog must be at least 10000") }
        guard reminders >= 2, reminders % 2 == 0 else { throw ValidationError("--reminders must be even, at least 2") }
        guard reads >= 1 else { throw ValidationError("--reads must be at least 1") }
    }

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bench-notifications-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await catchUp(folder: root + "/catch-up")
        try await remind(folder: root + "/spread", sameInstant: false)
        try await remind(folder: root + "/instant", sameInstant: true)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("| peak RSS of the process (service, feed stand-ins and client) | \(usage.ru_maxrss / 1024) MB |")
    }

    // MARK: Catch-up and inbox reads

    private func catchUp(folder: String) async throws {
        let feeds = Backlog(total: backlog, now: Self.now())
        let database = try NotificationsDatabase(directory: folder)
        let service = NotificationsService(database: database)
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

        let upstream = Server(
            router: feeds.router(), configuration: ServerConfiguration(host: "127.0.0.1", port: 0),
            group: MultiThreadedEventLoopGroup.singleton)
        var router = Router()
        router.add(service)
        let server = Server(
            router: router, configuration: ServerConfiguration(host: "127.0.0.1", port: 0),
            group: MultiThreadedEventLoopGroup.singleton)
        try await withThrowingTaskGroup(of: Void.self) { servers in
            servers.addTask { try await upstream.run() }
            servers.addTask { try await server.run() }
            let feedClient = Client(host: "127.0.0.1", port: try await upstream.listeningAddress.port!)
            let client = NotificationsClient(Client(host: "127.0.0.1", port: try await server.listeningAddress.port!))
            defer {
                feedClient.close()
                client.client.close()
            }

            let started = ContinuousClock.now
            let elapsed = try await withThrowingTaskGroup(of: Void.self) { followers in
                followers.addTask { try await service.profilesFollower(client: feedClient, logger: logger).run() }
                followers.addTask { try await service.matchingFollower(client: feedClient, logger: logger).run() }
                followers.addTask { try await service.sessionsFollower(client: feedClient, logger: logger).run() }
                try await service.store.wait(for: NotificationStore.profilesFeed, position: UInt64(feeds.members.count))
                try await service.store.wait(for: NotificationStore.matchingFeed, position: UInt64(feeds.matches.count))
                try await service.store.wait(
                    for: NotificationStore.sessionsFeed, position: UInt64(feeds.sessions.count))
                let elapsed = ContinuousClock.now - started
                feeds.stop()
                followers.cancelAll()
                return elapsed
            }
            var counts: [(String, UInt32)] = []
            for id in feeds.memberIDs {
                let answer = try await client.getNotificationCounts(GetNotificationCountsRequest(memberID: id))
                counts.append((id, answer.unreadCount))
            }
            let items = counts.reduce(0) { $0 + Int($1.1) }
            print(
                "| catch-up of \(feeds.total) changes (\(feeds.members.count) profiles, \(feeds.matches.count) "
                    + "matching, \(feeds.sessions.count) sessions), 3 followers, pages of 500 | "
                    + String(
                        format: "%.2f s: %.0f changes/s (%d inbox items made) |", elapsed.seconds,
                        Double(feeds.total) / elapsed.seconds, items))

            let busiest = counts.max { $0.1 < $1.1 }!
            let list = try await time(reads) {
                _ = try await client.listNotifications(ListNotificationsRequest(memberID: busiest.0, pageSize: 20))
            }
            let count = try await time(reads) {
                _ = try await client.getNotificationCounts(GetNotificationCountsRequest(memberID: busiest.0))
            }
            print("| ListNotifications, first 20, member with \(busiest.1) items | \(list) |")
            print("| GetNotificationCounts, same member | \(count) |")
            server.beginShutdown()
            upstream.beginShutdown()
            try await servers.waitForAll()
        }
    }

    /// `calls` sequential calls of `body`: their p50 and p99, as a table cell.
    private func time(_ calls: Int, _ body: () async throws -> Void) async throws -> String {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        for _ in 0..<calls {
            let start = ContinuousClock.now
            try await body()
            histogram.record(UInt64((ContinuousClock.now - start).seconds * 1_000_000))
        }
        return String(
            format: "p50 %.2f ms, p99 %.2f ms", Double(histogram.valueAtPercentile(50)) / 1000,
            Double(histogram.valueAtPercentile(99)) / 1000)
    }

    // MARK: Reminders

    /// Books sessions so that `reminders` one-hour reminders come due within one minute starting
    /// 10 s from now (or all at the same instant), runs the delivery job as the server does (every
    /// 500 ms), and reports how late each reminder was committed.
    private func remind(folder: String, sameInstant: Bool) async throws {
        let database = try NotificationsDatabase(directory: folder)
        let service = NotificationsService(database: database)
        let now = Self.now()
        let pairs = reminders / 2
        let members = (0..<reminders).map { Backlog.member($0) }
        try await service.store.apply(
            members.enumerated().map {
                MemberChange(sequence: UInt64($0.offset + 1), eventID: "m\($0.offset)", kind: .created, member: $0.element)
            }, now: now)
        let matches = (0..<pairs).map { Backlog.match($0, mentor: members[2 * $0].id, mentee: members[2 * $0 + 1].id) }
        try await service.store.apply(
            matches.enumerated().map {
                MatchChange(
                    sequence: UInt64($0.offset + 1), eventID: "a\($0.offset)", kind: .activated, match: $0.element,
                    occurredAtMicros: now)
            }, now: now)
        let first = now + 10_000_000
        let hour: Int64 = 3_600_000_000
        let due = (0..<pairs).map { sameInstant ? first : first + Int64($0) * 60_000_000 / Int64(pairs) }
        try await service.store.apply(
            matches.enumerated().map {
                SessionChange(
                    sequence: UInt64($0.offset + 1), eventID: "s\($0.offset)", kind: .scheduled,
                    session: Backlog.session($0.offset, match: $0.element, start: due[$0.offset] + hour),
                    occurredAtMicros: now)
            }, now: now)

        // The job as the server runs it, recording when each run began (what it fires: due by
        // then) and when its transaction was done.
        let runs = Mutex<[(began: Int64, done: Int64, fired: Int)]>([])
        let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
        let job = PeriodicJob("reminders fired", every: .milliseconds(500), logger: logger) {
            let began = Self.now()
            let fired = try await service.store.deliverDue(now: began)
            runs.withLock { $0.append((began, Self.now(), fired)) }
            return fired
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await job.run() }
            while runs.withLock({ $0.reduce(0) { $0 + $1.fired } }) < reminders {
                try await Task.sleep(for: .milliseconds(100))
                guard Self.now() < due.last! + 60_000_000 else { break }
            }
            group.cancelAll()
        }
        let record = runs.withLock { $0 }
        var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        var fired = 0
        for time in due {
            guard let run = record.first(where: { $0.began >= time && $0.fired > 0 }) else { continue }
            histogram.record(UInt64(run.done - time), count: 2)  // both partners' reminders
            fired += 2
        }
        let reported = record.reduce(0) { $0 + $1.fired }
        guard fired == reminders, reported == reminders else {
            throw ValidationError("expected \(reminders) reminders fired, the job fired \(reported)")
        }
        print(
            "| reminder lateness, \(reminders) due "
                + (sameInstant ? "at the same instant" : "within one minute") + ", job every 500 ms | "
                + String(
                    format: "p50 %.0f ms, p99 %.0f ms, max %.0f ms |", Double(histogram.valueAtPercentile(50)) / 1000,
                    Double(histogram.valueAtPercentile(99)) / 1000, Double(histogram.max) / 1000))
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The backlog the stand-in feeds serve: members (profiles), matches proposed, accepted and
/// activated (matching), and sessions booked then moved, cancelled or completed (sessions), in
/// the proportions a busy network's feeds have.
final class Backlog: Sendable {
    let members: [MemberChange]
    let matches: [MatchChange]
    let sessions: [SessionChange]
    let memberIDs: [String]
    private let stopped = Atomic<Bool>(false)
    var total: Int { members.count + matches.count + sessions.count }

    init(total: Int, now: Int64) {
        let memberCount = total / 50
        let matchCount = total / 25
        let people = (0..<memberCount).map { Backlog.member($0) }
        memberIDs = people.map(\.id)
        members = people.enumerated().map {
            MemberChange(sequence: UInt64($0.offset + 1), eventID: "m\($0.offset)", kind: .created, member: $0.element)
        }
        var matchChanges: [MatchChange] = []
        var active: [Match] = []
        for index in 0..<matchCount {
            var match = Backlog.match(
                index, mentor: people[index % memberCount].id, mentee: people[(index * 7 + 1) % memberCount].id)
            if match.mentorID == match.menteeID { match.menteeID = people[(index + 1) % memberCount].id }
            for (step, kind) in [MatchChangeKind.proposed, .accepted, .activated].enumerated() {
                match.state = kind == .activated ? .active : .proposed
                match.mentorAccepted = step >= 1
                match.menteeAccepted = step >= 2
                match.version = UInt64(step + 1)
                matchChanges.append(
                    MatchChange(
                        sequence: UInt64(matchChanges.count + 1), eventID: "x\(matchChanges.count)", kind: kind,
                        match: match, occurredAtMicros: now))
            }
            active.append(match)
        }
        matches = matchChanges
        // Two changes a session: booked, then moved a day (half), cancelled or completed (a quarter each).
        var sessionChanges: [SessionChange] = []
        let day: Int64 = 86_400_000_000
        var index = 0
        while sessionChanges.count + 2 <= total - members.count - matches.count {
            let match = active[index % active.count]
            var session = Backlog.session(index, match: match, start: now + Int64(1 + index % 20) * day)
            func add(_ kind: SessionChangeKind) {
                sessionChanges.append(
                    SessionChange(
                        sequence: UInt64(sessionChanges.count + 1), eventID: "s\(sessionChanges.count)", kind: kind,
                        session: session, occurredAtMicros: now))
            }
            add(.scheduled)
            switch index % 4 {
            case 0, 1:
                session.startAtMicros += day
                session.rescheduleCount = 1
                add(.rescheduled)
            case 2:
                session.state = .cancelled
                session.cancelledBy = match.menteeID
                add(.cancelled)
            default:
                session.state = .completed
                add(.completed)
            }
            index += 1
        }
        sessions = sessionChanges
    }

    static func member(_ index: Int) -> Member {
        let zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"]
        return Member(
            id: String(format: "mbr_%026d", index), email: "m\(index)@example.org", displayName: "Member \(index)",
            roles: [.mentor, .mentee], networks: ["bench"], timezone: zones[index % zones.count], status: .active,
            version: 1)
    }

    static func match(_ index: Int, mentor: String, mentee: String) -> Match {
        Match(
            id: String(format: "mat_%026d", index), network: "bench", kind: .oneWay, mentorID: mentor,
            menteeID: mentee, score: 70, explanation: "Teaches swift.", origin: .requested, state: .active,
            mentorAccepted: true, menteeAccepted: true, version: 1)
    }

    static func session(_ index: Int, match: Match, start: Int64) -> Session {
        Session(
            id: String(format: "ses_%026d", index), matchID: match.id, network: match.network,
            organizerID: match.mentorID, participantIDs: [match.mentorID, match.menteeID], startAtMicros: start,
            durationMinutes: 45, title: "Weekly", state: .scheduled, timezone: "UTC",
            calendarUid: String(format: "ses_%026d@mentornet", index))
    }

    /// Ends the stand-in watch streams.
    func stop() { stopped.store(true, ordering: .relaxed) }

    /// The three feeds' ListChanges and WatchChanges (the watch holds until `stop`: the backlog
    /// does not grow).
    func router() -> Router {
        var router = Router()
        router.unary(ProfilesAPI.listChanges) { request, _ in
            ListChangesResponse(changes: Self.page(self.members, after: request.afterSequence, limit: request.limit))
        }
        router.unary(MatchingAPI.listChanges) { request, _ in
            ListMatchChangesResponse(
                changes: Self.page(self.matches, after: request.afterSequence, limit: request.limit))
        }
        router.unary(SessionsAPI.listChanges) { request, _ in
            ListSessionChangesResponse(
                changes: Self.page(self.sessions, after: request.afterSequence, limit: request.limit))
        }
        router.serverStreaming(ProfilesAPI.watchChanges) { _, _, _ in try await self.hold() }
        router.serverStreaming(MatchingAPI.watchChanges) { _, _, _ in try await self.hold() }
        router.serverStreaming(SessionsAPI.watchChanges) { _, _, _ in try await self.hold() }
        return router
    }

    private func hold() async throws {
        while !stopped.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// The changes after sequence `after` (sequences are 1, 2, … in order), at most `limit`.
    private static func page<Change>(_ changes: [Change], after: UInt64, limit: UInt32) -> [Change] {
        let start = min(Int(after), changes.count)
        return Array(changes[start..<min(start + Int(limit), changes.count)])
    }
}
