import ArgumentParser
import Foundation
import Histogram
import MatchingV1
import NIOPosix
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// The sessions benchmark (issue #18): on a durable database (WAL, synchronous=FULL), books
/// `--sessions` sessions for each of two partners over four weeks through the binary protocol
/// (bookings per second, `--concurrency` at a time), then times `--searches` FindSlots calls for
/// that pair over the four weeks; prints Markdown rows and the process's peak RSS.
@main
struct BenchSessions: AsyncParsableCommand {
    @Option(help: "Sessions each of the two partners has.") var sessions = 500
    @Option(help: "FindSlots calls timed per kind of search.") var searches = 300
    @Option(help: "Bookings in flight at once.") var concurrency = 8

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-sessions-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try SessionsDatabase(directory: folder)
        let service = SessionsService(
            database: database, policy: SessionPolicy(minimumNoticeMinutes: 0, bufferMinutes: 0))
        let base = (Int64(Date().timeIntervalSince1970) / 86_400 + 1) * 86_400_000_000  // tomorrow 00:00 UTC

        // The read models, as the feeds would fill them: the pair, and ten partners each for the
        // sessions they have apart.
        let always = (1...7).map { AvailabilityWindow(weekday: UInt32($0), startMinute: 0, endMinute: 1440) }
        func member(_ index: Int) -> Member {
            Member(
                id: String(format: "mbr_%026d", index), email: "m\(index)@example.org", displayName: "m\(index)",
                roles: [.mentor, .mentee], networks: ["bench"], timezone: index % 2 == 0 ? "Europe/Berlin" : "UTC",
                availability: always, status: .active, version: 1)
        }
        let members = (0..<22).map(member)
        try await service.directory.apply(
            members.enumerated().map { MemberChange(sequence: UInt64($0.offset + 1), kind: .created, member: $0.element) })
        func match(_ index: Int, _ a: Member, _ b: Member) -> Match {
            Match(
                id: String(format: "mat_%026d", index), network: "bench", mentorID: a.id, menteeID: b.id,
                state: .active, version: 1)
        }
        let pair = match(0, members[0], members[1])
        let apart = (0..<20).map { match($0 + 1, members[$0 < 10 ? 0 : 1], members[$0 + 2]) }
        try await service.directory.apply(
            ([pair] + apart).enumerated().map {
                MatchChange(sequence: UInt64($0.offset + 1), kind: .activated, match: $0.element)
            })

        var router = Router()
        router.add(service)
        let server = Server(
            router: router, configuration: ServerConfiguration(host: "127.0.0.1", port: 0),
            group: MultiThreadedEventLoopGroup.singleton)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress.port!
            let client = SessionsClient(Client(host: "127.0.0.1", port: port))
            defer { client.client.close() }

            // Each partner's sessions, 30 minutes every 80 over four weeks, the two interleaved:
            // the pair is free together 20 minutes in every 80.
            let cycle: Int64 = 80 * 60_000_000
            var requests: [ScheduleSessionRequest] = []
            for index in 0..<sessions {
                for side in 0..<2 {
                    let match = apart[side * 10 + index % 10]
                    requests.append(
                        ScheduleSessionRequest(
                            matchID: match.id, memberID: match.mentorID,
                            startAtMicros: base + Int64(index) * cycle + Int64(side) * 30 * 60_000_000,
                            durationMinutes: 30, title: "bench"))
                }
            }
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { bookings in
                var next = 0
                for _ in 0..<concurrency {
                    guard next < requests.count else { break }
                    let request = requests[next]
                    next += 1
                    bookings.addTask { _ = try await client.scheduleSession(request) }
                }
                while try await bookings.next() != nil {
                    guard next < requests.count else { continue }
                    let request = requests[next]
                    next += 1
                    bookings.addTask { _ = try await client.scheduleSession(request) }
                }
            }
            let booking = ContinuousClock.now - started
            let seconds = Double(booking.components.seconds) + Double(booking.components.attoseconds) / 1e18
            print("| scheduling, \(concurrency) in flight, durable | \(requests.count) bookings in "
                + String(format: "%.2f s: %.0f bookings/s |", seconds, Double(requests.count) / seconds))

            let span = Int64(sessions) * cycle
            for (label, duration, limit) in [
                ("FindSlots, 15 min, first 10", UInt32(15), UInt32(10)),
                ("FindSlots, 60 min (none fit: the whole range)", UInt32(60), UInt32(100)),
            ] {
                var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                var found = 0
                for _ in 0..<searches {
                    let start = ContinuousClock.now
                    let answer = try await client.findSlots(
                        FindSlotsRequest(
                            matchID: pair.id, memberID: pair.mentorID, durationMinutes: duration,
                            windowStartAtMicros: base, windowEndAtMicros: base + span, stepMinutes: 5, limit: limit))
                    let elapsed = ContinuousClock.now - start
                    histogram.record(
                        UInt64(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
                    found = answer.slots.count
                }
                print(
                    "| \(label), \(sessions) sessions each over 4 weeks | "
                        + String(
                            format: "p50 %.2f ms, p99 %.2f ms (%d slots) |",
                            Double(histogram.valueAtPercentile(50)) / 1000, Double(histogram.valueAtPercentile(99)) / 1000,
                            found))
            }
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            print("| peak RSS of the process (service and client) | \(usage.ru_maxrss / 1024) MB |")
            server.beginShutdown()
            try await group.waitForAll()
        }
    }
}
