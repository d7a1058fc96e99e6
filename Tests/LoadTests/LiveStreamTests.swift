import Foundation
import LoadKit
import MatchingV1
import NotificationsService
import NotificationsV1
import ProfilesV1
import TestSupport
import Testing

/// The load tool's live streams against `mentornet-gateway` as a real process, in front of a live
/// notifications service in this process: every stream opens and gets its member's events, and
/// the gateway's memory per stream is bounded and given back when the streams close.
@Suite("many live notification streams through the gateway process")
struct LiveStreamTests {
    /// Waits until the service has no live stream open (the gateway ended their calls), for at
    /// most 30 s; answers how many are still open.
    func drained(_ service: NotificationsService) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(30)
        while service.store.openStreams > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return service.store.openStreams
    }

    /// The gateway's resident memory (KB) with `count` streams open on it (more than one
    /// connection's worth of calls to the service), with `during` run while they are.
    /// Tokens the gateway process accepts (its test token settings), one per member.
    static let tokens: TokenSource = {
        let settings = ServiceProcess.testTokenSettings
        return TokenSource(
            .minted(
                secret: settings["MENTORNET_JWT_SECRET"]!, issuer: settings["MENTORNET_JWT_ISSUER"]!,
                audience: settings["MENTORNET_JWT_AUDIENCE"]!, memberClaim: "sub", adminNetwork: "load"))
    }()

    func hold(
        _ count: Int, on base: String, members: [String], gateway: ServiceProcess,
        during: ([LiveStreams]) async throws -> Void = { _ in }
    ) async throws -> (kilobytes: Int, figures: LiveStreams.Figures) {
        // Opened 50 at a time (each batch the next 50 of the members in turn), so that the other
        // tests running meanwhile are not starved by one burst of connections.
        var batches: [LiveStreams] = []
        func closeAll() async -> LiveStreams.Figures? {
            var total: LiveStreams.Figures?
            for batch in batches {
                let figures = await batch.close()
                total = total?.adding(figures) ?? figures
            }
            return total
        }
        do {
            for start in stride(from: 0, to: count, by: 50) {
                let batch = LiveStreams(
                    base: base, memberIDs: (start..<min(start + 50, count)).map { members[$0 % members.count] },
                    count: min(50, count - start), tokens: Self.tokens)
                batches.append(batch)
                try await batch.open(timeout: .seconds(60))
            }
            try await during(batches)
        } catch {
            _ = await closeAll()
            throw error
        }
        let kilobytes = try gateway.residentKilobytes()
        return (kilobytes, try #require(await closeAll()))
    }

    @Test("300 streams open, each gets its member's events and ends its call when closed; bounded memory per stream")
    func manyStreams() async throws {
        let service = NotificationsService(database: try NotificationsDatabase.inMemory())
        let members = (0..<50).map { String(format: "mbr_%026d", $0) }
        // The two partners of the match below, as the profiles feed brings them first.
        _ = try await service.store.apply(
            (0..<2).map { index in
                MemberChange(
                    sequence: UInt64(index + 1), eventID: "m\(index)", kind: .created,
                    member: Member(id: members[index], displayName: "member \(index)", status: .active, version: 1))
            }, now: Int64(Date().timeIntervalSince1970 * 1_000_000))
        try await withTestServer([service]) { server in
            _ = try await ServiceProcess.with(
                "mentornet-gateway", ["--listen", "127.0.0.1:0"],
                environment: ["MENTORNET_NOTIFICATIONS_ADDR": "127.0.0.1:\(server.port)"]
            ) { gateway in
                let base = "http://127.0.0.1:\(try await gateway.listeningPort())"
                // A first round fills the allocator's pools and the event loops' caches.
                _ = try await hold(300, on: base, members: members, gateway: gateway)
                #expect(try await drained(service) == 0, "streams closed by their clients end their calls")
                let before = try gateway.residentKilobytes()
                let (open, figures) = try await hold(300, on: base, members: members, gateway: gateway) { streams in
                    // A match proposed to members 0 and 1: one event (the item, with the counts)
                    // on each of their 6 streams.
                    let match = Match(
                        id: String(format: "mat_%026d", 1), network: "guild", kind: .oneWay, mentorID: members[0],
                        menteeID: members[1], score: 70, origin: .requested, state: .proposed, version: 1)
                    _ = try await service.store.apply(
                        [MatchChange(sequence: 1, eventID: "e1", kind: .proposed, match: match)],
                        now: Int64(Date().timeIntervalSince1970 * 1_000_000))
                    let deadline = ContinuousClock.now + .seconds(30)
                    while streams.reduce(0, { $0 + $1.seen.events }) < 12, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                }
                #expect(try await drained(service) == 0)
                let after = try gateway.residentKilobytes()

                #expect(figures.opened == 300 && figures.failed == 0, "\(figures)")
                #expect(figures.events == 12, "each of the two members' 12 streams gets the event once: \(figures)")
                let perStream = (open - before) / 300
                #expect(perStream < 120, "\(perStream) KB of gateway memory per open stream")
                #expect(after - before < 6_000, "the gateway kept \(after - before) KB after the streams closed")
            }
        }
    }
}
