import Foundation
import MatchingV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

@Suite("booking sessions: the rules, overlaps, races")
struct SchedulingTests {
    @Test("a partner books a session of an active match; both see it; the feed says so")
    func schedules() async throws {
        try await withSessions { fixture in
            let ada = member("ada", timezone: "Europe/Berlin")
            let bo = member("bo", timezone: "America/New_York")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)
            let start = fixture.hoursAhead(26)
            let session = try await fixture.schedule(match, by: bo, at: start, minutes: 45)
            #expect(session.id.hasPrefix("ses_") && session.calendarUid == session.id)
            #expect(session.participantIDs == [bo.id, ada.id] && session.organizerID == bo.id)
            #expect(session.state == .scheduled && session.version == 1 && session.sequence == 0)
            #expect(session.timezone == "America/New_York" && session.network == "guild")
            #expect(session.startAtMicros == start && session.durationMinutes == 45)
            #expect(try await fixture.client.getSession(GetSessionRequest(id: session.id)) == session)
            for partner in [ada, bo] {
                let page = try await fixture.client.listSessions(ListSessionsRequest(memberID: partner.id))
                #expect(page.sessions == [session] && page.nextPageToken.isEmpty)
            }
            let feed = try await fixture.feed()
            #expect(feed.map(\.kind) == [.scheduled] && feed.first?.session == session)
        }
    }

    @Test("each rule refuses with its status and names it; nothing is stored")
    func rules() async throws {
        try await withSessions(policy: SessionPolicy(minimumNoticeMinutes: 120)) { fixture in
            let ada = member("ada")
            let bo = member("bo")
            let cy = member("cy")
            let paused = member("dee", status: .paused)
            let evenings = [AvailabilityWindow(weekday: 4, startMinute: 18 * 60, endMinute: 20 * 60)]
            let busy = member("eve", timezone: "Asia/Tokyo", availability: evenings)
            try await fixture.add(ada, bo, cy, paused, busy)
            let active = try await fixture.match(ada, bo)
            let proposed = try await fixture.match(ada, cy, state: .proposed)
            let withPaused = try await fixture.match(ada, paused)
            let withBusy = try await fixture.match(ada, busy)
            let unknown = "mat_00000000000000000000000000"
            let tomorrow = fixture.hoursAhead(24)
            let cases: [(String, Member, Int64, StatusCode, String)] = [
                (unknown, ada, tomorrow, .notFound, "no match"),
                (proposed, ada, tomorrow, .failedPrecondition, "is proposed, not active"),
                (active, cy, tomorrow, .notFound, "no match \(active)"),
                (withPaused, ada, tomorrow, .failedPrecondition, "\(paused.id) is paused"),
                (withBusy, ada, tomorrow, .failedPrecondition, "outside \(busy.id)'s weekly availability"),
                (active, ada, fixture.hoursAhead(1), .failedPrecondition, "at least 120 minutes"),
            ]
            for (match, by, start, code, text) in cases {
                await #expect { _ = try await fixture.schedule(match, by: by, at: start) } throws: { error in
                    isRPCError(error, code, text)
                }
            }
            #expect(try await fixture.feed().isEmpty)
        }
    }

    @Test("outside a partner's availability is refused in their own zone, unless overridden with a reason")
    func availabilityInOwnZone() async throws {
        try await withSessions { fixture in
            // Thursdays 18:00–20:00 in Tokyo (UTC+9) is Thursday 09:00–11:00 UTC.
            let evenings = [AvailabilityWindow(weekday: 4, startMinute: 18 * 60, endMinute: 20 * 60)]
            let ada = member("ada", timezone: "Asia/Tokyo", availability: evenings)
            let bo = member("bo", timezone: "America/Los_Angeles")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)
            let thursday = Times.utc(2026, 11, 19, 9, 0)
            let booked = try await fixture.schedule(match, by: bo, at: thursday, minutes: 120)
            #expect(booked.state == .scheduled)
            let late = Times.utc(2026, 11, 26, 10, 0)
            await #expect { _ = try await fixture.schedule(match, by: bo, at: late, minutes: 90) } throws: {
                isRPCError($0, .failedPrecondition, "Thu 19:00–20:30 Asia/Tokyo")
            }
            var request = ScheduleSessionRequest(
                matchID: match, memberID: bo.id, startAtMicros: late, durationMinutes: 90, overrideAvailability: true)
            await #expect { _ = try await fixture.client.scheduleSession(request) } throws: {
                names($0, "override_reason")
            }
            request.overrideReason = "conference week"
            let overridden = try await fixture.client.scheduleSession(request)
            #expect(overridden.availabilityOverrideReason == "conference week")
        }
    }

    @Test("overlaps with either partner's sessions, buffer included, are 409 naming the session")
    func overlaps() async throws {
        try await withSessions(policy: SessionPolicy(bufferMinutes: 15)) { fixture in
            let ada = member("ada")
            let bo = member("bo")
            let cy = member("cy")
            try await fixture.add(ada, bo, cy)
            let adaBo = try await fixture.match(ada, bo)
            let adaCy = try await fixture.match(ada, cy)
            let start = fixture.hoursAhead(30)
            let first = try await fixture.schedule(adaBo, by: ada, at: start)
            // cy is free, but ada (in both matches) is not: a crossing pair sharing one member.
            for (offset, minutes) in [(0, 60), (30, 60), (-60, 60), (60 + 10, 30), (-45 - 10, 45)] as [(Int64, UInt32)]
            {
                await #expect {
                    _ = try await fixture.schedule(adaCy, by: cy, at: start + offset * Times.minute, minutes: minutes)
                } throws: { isRPCError($0, .aborted, "overlaps session \(first.id) of \(ada.id)") }
            }
            // 15 minutes apart is fine on both sides.
            _ = try await fixture.schedule(adaCy, by: cy, at: start + 75 * Times.minute, minutes: 30)
            _ = try await fixture.schedule(adaCy, by: cy, at: start - 75 * Times.minute, minutes: 60)
            #expect(try await fixture.feed().count == 3)
        }
    }

    @Test(
        "50 concurrent overlapping bookings of one pair, or of crossing pairs sharing a member: exactly one succeeds",
        arguments: [false, true])
    func races(crossing: Bool) async throws {
        try await withSessions { fixture in
            let ada = member("ada")
            let partners = (0..<(crossing ? 50 : 1)).map { member("p\($0)") }
            for partner in [ada] + partners { try await fixture.add(partner) }
            var matches: [String] = []
            for partner in partners { matches.append(try await fixture.match(ada, partner)) }
            let start = fixture.hoursAhead(48)
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    let match = matches[index % matches.count]
                    let by = index % 2 == 0 ? ada : partners[index % partners.count]
                    let offset = Int64(index % 4) * 10 * Times.minute
                    group.addTask {
                        (try? await fixture.schedule(match, by: by, at: start + offset)) != nil
                    }
                }
                var outcomes: [Bool] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(results.filter { $0 }.count == 1)
            let sessions = try await fixture.client.listSessions(ListSessionsRequest(memberID: ada.id)).sessions
            #expect(sessions.count == 1)
        }
    }

    @Test(
        "malformed requests name the field and change nothing",
        arguments: [
            ("match_id", ScheduleSessionRequest(matchID: "m1", durationMinutes: 60)),
            ("member_id", ScheduleSessionRequest(memberID: "ada", durationMinutes: 60)),
            ("start_at", ScheduleSessionRequest(startAtMicros: 0, durationMinutes: 60)),
            ("start_at", ScheduleSessionRequest(startAtMicros: 1_795_000_000_000_001, durationMinutes: 60)),
            ("duration_minutes", ScheduleSessionRequest(startAtMicros: 1_795_000_020_000_000, durationMinutes: 10)),
            ("duration_minutes", ScheduleSessionRequest(durationMinutes: 241)),
            ("title", ScheduleSessionRequest(durationMinutes: 60, title: String(repeating: "t", count: 201))),
            ("title", ScheduleSessionRequest(durationMinutes: 60, title: "bad\u{7}bell")),
            ("agenda", ScheduleSessionRequest(durationMinutes: 60, agenda: String(repeating: "a", count: 4001))),
            ("location", ScheduleSessionRequest(durationMinutes: 60, location: String(repeating: "l", count: 501))),
            ("override_reason", ScheduleSessionRequest(durationMinutes: 60, overrideReason: "no override")),
        ])
    func malformed(_ field: String, _ request: ScheduleSessionRequest) async throws {
        try await withSessions { fixture in
            await #expect { _ = try await fixture.client.scheduleSession(request) } throws: { names($0, field) }
            let feed = try await fixture.feed()
            #expect(feed.isEmpty)
        }
    }

    @Test("an idempotent retry returns the first session; the key with another request is refused")
    func idempotency() async throws {
        try await withSessions { fixture in
            let ada = member("ada")
            let bo = member("bo")
            try await fixture.add(ada, bo)
            let match = try await fixture.match(ada, bo)
            let start = fixture.hoursAhead(24)
            let first = try await fixture.schedule(match, by: ada, at: start, key: "book-1")
            #expect(try await fixture.schedule(match, by: ada, at: start, key: "book-1") == first)
            await #expect {
                _ = try await fixture.schedule(match, by: ada, at: start + Times.hour, key: "book-1")
            } throws: { names($0, "idempotency-key") }
            #expect(try await fixture.feed().count == 1)
        }
    }
}
