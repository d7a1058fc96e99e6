import Foundation
import MatchingService
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore
import TestSupport
import Testing
import Wire

/// A matching service whose suggestion indexes have followed every change, beside the way to ask
/// a service that has never answered before (it compiles the network afresh).
struct TwoServices {
    let database: MatchingDatabase
    let clock: TestClock
    let service: MatchingService
    var changes: UInt64 = 0

    init(clock: TestClock) throws {
        database = try MatchingDatabase.inMemory()
        self.clock = clock
        service = MatchingService(database: database, clock: { clock.now })
    }

    /// Stores `members` in the directory, as the profiles feed would.
    mutating func feed(_ members: [Member]) async throws {
        var page: [MemberChange] = []
        for member in members {
            changes += 1
            page.append(MemberChange(sequence: changes, eventID: UUID().uuidString, kind: .updated, member: member))
        }
        try await service.directory.apply(page)
    }

    static let context = CallContext(method: "/mentornet.matching.v1.Matching/GetSuggestions")

    /// Each member's suggestions of `kind` from the long-lived service and from a fresh one.
    func both(_ member: String, kind: MatchKind) async throws -> (kept: [Suggestion], fresh: [Suggestion])? {
        let request = GetSuggestionsRequest(memberID: member, network: "guild", kind: kind, limit: 6)
        let fresh = MatchingService(database: database, clock: { clock.now })
        do {
            let kept = try await service.getSuggestions(request, context: Self.context).suggestions
            return (kept, try await fresh.getSuggestions(request, context: Self.context).suggestions)
        } catch let error as RPCError where error.code == .failedPrecondition || error.code == .notFound {
            // A member paused, gone or out of the network: the fresh service must say so too.
            await #expect(throws: RPCError.self) { _ = try await fresh.getSuggestions(request, context: Self.context) }
            return nil
        }
    }
}

/// The member id numbered `index`.
func memberID(_ index: Int) -> String {
    let digits = String(index)
    return "mbr_" + String(repeating: "0", count: 26 - digits.count) + digits
}

@Suite("suggestions follow every change without recompiling")
struct IncrementalSuggestionServiceTests {
    func randomMember(_ index: Int, _ rng: inout SplitMix64, version: UInt64) -> Member {
        let skills = ["go", "rust", "swift", "sql", "design", "sre"]
        let zones = ["Europe/London", "America/New_York", "Asia/Tokyo", "Europe/Berlin"]
        let isMentor = rng.next() % 3 == 0
        var roles: [Role] = isMentor ? [.mentor] : [.mentee]
        if isMentor && rng.next() % 4 == 0 { roles.append(.mentee) }
        var expertise: [Expertise] = []
        var goals: [LearningGoal] = []
        for skill in skills {
            if rng.next() % 2 == 0 { expertise.append(Expertise(skill: skill, level: UInt32(1 + rng.next() % 5))) }
            if rng.next() % 3 == 0 { goals.append(LearningGoal(skill: skill, priority: UInt32(1 + rng.next() % 5))) }
        }
        let statuses: [MemberStatus] = [.active, .active, .active, .active, .paused]
        let start = UInt32(rng.next() % 20) * 60
        return Member(
            id: memberID(index), email: "m\(index)@example.org", displayName: "m\(index)", roles: roles,
            networks: rng.next() % 8 == 0 ? ["elsewhere"] : ["guild"], timezone: zones[Int(rng.next() % 4)],
            languages: ["en"], yearsOfExperience: UInt32(rng.next() % 15), expertise: expertise,
            learningGoals: goals, mentoringCapacity: isMentor ? UInt32(1 + rng.next() % 3) : 0,
            availability: [
                AvailabilityWindow(weekday: UInt32(1 + rng.next() % 7), startMinute: start, endMinute: start + 240)
            ],
            preferences: MatchPreferences(oneWay: true, mutual: rng.next() % 2 == 0, organization: .any),
            status: statuses[Int(rng.next() % 5)], version: version)
    }

    @Test("after 2,000 random member and match changes, and across daylight saving, as a fresh compile")
    func sameAsFresh() async throws {
        // Just before the United States move their clocks forward (07:00 UTC on 14 March 2027).
        let clock = TestClock(Times.utc(2027, 3, 14, 5, 30))
        var services = try TwoServices(clock: clock)
        var rng = SplitMix64(state: 42)
        let count = 80
        var versions = [UInt64](repeating: 1, count: count)
        let members = (0..<count).map { randomMember($0, &rng, version: 1) }
        var mentors = members.map { $0.roles.contains(.mentor) }
        try await services.feed(members)
        var active: [(id: String, mentor: String)] = []
        var made = 0
        var ended = 0
        var compared = 0
        var nonEmpty = 0
        func compare() async throws {
            for index in stride(from: 0, to: count, by: 3) {
                for kind in [MatchKind.oneWay, .mutual] {
                    guard let (kept, fresh) = try await services.both(memberID(index), kind: kind) else { continue }
                    #expect(kept == fresh, "\(memberID(index)) \(kind)")
                    compared += 1
                    if !kept.isEmpty { nonEmpty += 1 }
                }
            }
        }
        try await compare()
        for step in 0..<2_000 {
            let index = Int(rng.next() % UInt64(count))
            switch rng.next() % 8 {
            case 0, 1, 2:
                versions[index] += 1
                let member = randomMember(index, &rng, version: versions[index])
                mentors[index] = member.roles.contains(.mentor)
                try await services.feed([member])
            case 3, 4, 5:
                // A one-way match both accept: the mentor has a slot fewer.
                guard let mentorIndex = mentors.indices.filter({ mentors[$0] }).randomElement(using: &rng) else {
                    continue
                }
                let mentor = memberID(mentorIndex)
                let mentee = memberID(index)
                let proposal = ProposeMatchRequest(
                    network: "guild", kind: .oneWay, mentorID: mentor, menteeID: mentee, origin: .admin)
                guard
                    let match = try? await services.service.proposeMatch(proposal, context: TwoServices.context),
                    (try? await services.service.acceptMatch(
                        MatchActionRequest(matchID: match.id, memberID: mentor), context: TwoServices.context)) != nil,
                    (try? await services.service.acceptMatch(
                        MatchActionRequest(matchID: match.id, memberID: mentee), context: TwoServices.context)) != nil
                else { continue }
                active.append((match.id, mentor))
                made += 1
            default:
                // An active match ends: the slot is free again.
                guard !active.isEmpty else { continue }
                let match = active.remove(at: Int(rng.next() % UInt64(active.count)))
                let end = EndMatchRequest(matchID: match.id, memberID: match.mentor, outcome: .ended, reason: "done")
                if (try? await services.service.endMatch(end, context: TwoServices.context)) != nil { ended += 1 }
            }
            if step % 200 == 199 {
                try await compare()
                clock.advance(.seconds(20 * 60))  // 100 minutes over the whole run: across 07:00 UTC
            }
        }
        #expect(clock.now > Times.utc(2027, 3, 14, 7, 0))
        #expect(compared > 200 && nonEmpty > 50, "\(compared) compared, \(nonEmpty) with suggestions")
        #expect(made > 20 && ended > 10, "\(made) matches made, \(ended) ended")
    }

    @Test("a member's availability moves with daylight saving in the index that was already built")
    func daylightSaving() async throws {
        let clock = TestClock(Times.utc(2027, 3, 14, 6, 30))
        var services = try TwoServices(clock: clock)
        // Free Monday 18:00-19:00 in New York; the mentor in London at 23:00-24:00 UTC, which is
        // New York's 18:00 in winter (UTC-5) and 19:00 in summer (UTC-4): an hour shared, then none.
        func member(_ id: String, roles: [Role], zone: String, start: UInt32) -> Member {
            Member(
                id: id, email: "\(id)@example.org", displayName: id, roles: roles, networks: ["guild"], timezone: zone,
                languages: ["en"], yearsOfExperience: roles == [.mentor] ? 10 : 1,
                expertise: roles == [.mentor] ? [Expertise(skill: "go", level: 5)] : [],
                learningGoals: roles == [.mentee] ? [LearningGoal(skill: "go", priority: 1)] : [],
                mentoringCapacity: roles == [.mentor] ? 1 : 0,
                availability: [AvailabilityWindow(weekday: 1, startMinute: start, endMinute: start + 60)],
                preferences: MatchPreferences(oneWay: true, mutual: false, organization: .any), status: .active,
                version: 1)
        }
        try await services.feed([
            member(memberID(1), roles: [.mentee], zone: "America/New_York", start: 18 * 60),
            member(memberID(2), roles: [.mentor], zone: "Europe/London", start: 23 * 60),
        ])
        func availability() async throws -> (kept: Double, fresh: Double) {
            let (kept, fresh) = try #require(try await services.both(memberID(1), kind: .oneWay))
            func points(_ list: [Suggestion]) -> Double {
                list.first?.scoreParts.first { $0.criterion == "availability" }?.points ?? -1
            }
            return (points(kept), points(fresh))
        }
        let winter = try await availability()
        #expect(winter.kept == winter.fresh && winter.kept > 0)
        clock.advance(.seconds(3600))  // 07:30 UTC: New York is on summer time
        let summer = try await availability()
        #expect(summer.kept == summer.fresh)
        #expect(summer.kept == 0)
    }
}
