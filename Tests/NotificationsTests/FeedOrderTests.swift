import Foundation
import Logging
import MatchingV1
import NotificationsService
import NotificationsV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import Synchronization
import TestSupport
import Testing
import Wire

/// The three feeds are followed apart, so one can run ahead of another: a session or a goal
/// review of a match the matching feed has not brought yet, a match of a member the profiles
/// feed has not. Such a change waits for the other feed; nothing is dropped or told half-known.
@Suite("a change that comes before what it builds on waits for the other feed, then has its effects once")
struct FeedOrderTests {
    @Test("sessions and goal changes wait for their match; those before them are kept; then each is told once")
    func sessionsWaitForTheirMatch() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let known = try await network.match(ada, bo)
            // A second match the sessions service has read but notifications has not.
            let cy = member("cy")
            try await network.add(cy)
            let late = network.matchChange(ada, cy)
            try await network.sessionsService.directory.apply([late])
            let match = try #require(late.match)

            _ = try await network.sessions.scheduleSession(
                ScheduleSessionRequest(
                    matchID: known.id, memberID: ada.id, startAtMicros: Times.utc(2026, 11, 20, 9, 0),
                    durationMinutes: 30))
            _ = try await network.sessions.scheduleSession(
                ScheduleSessionRequest(
                    matchID: match.id, memberID: ada.id, startAtMicros: Times.utc(2026, 11, 21, 9, 0),
                    durationMinutes: 30))
            let goal = try await network.sessions.createGoal(
                CreateGoalRequest(matchID: match.id, memberID: cy.id, title: "Ship it"))
            let review = try await network.sessions.reviewGoal(
                ReviewGoalRequest(goalID: goal.id, memberID: cy.id, progress: 40, confidence: .medium))
            _ = try await network.sessions.confirmReview(RespondToReviewRequest(reviewID: review.id, memberID: ada.id))
            let changes = try await network.sessions.listChanges(
                ListSessionChangesRequest(afterSequence: 0, limit: 100)
            )
            .changes
            #expect(changes.count >= 4)

            // The first booking (a known match) is applied and its position kept; the second waits.
            await #expect(throws: FeedDependencyPending.self) {
                try await network.store.apply(changes, now: network.clock.now)
            }
            #expect(try await network.store.position(NotificationStore.sessionsFeed) == changes[0].sequence)
            #expect(try await network.items(bo).map(\.kind) == [.sessionScheduled, .matchActivated])
            #expect(try await network.items(cy).isEmpty)
            // Asking again before the matching feed moves changes nothing.
            await #expect(throws: FeedDependencyPending.self) {
                try await network.store.apply(changes, now: network.clock.now)
            }
            #expect(try await network.store.position(NotificationStore.sessionsFeed) == changes[0].sequence)

            // The matching feed brings the match: the rest applies, each change once.
            try await network.store.apply([late], now: network.clock.now)
            try await network.store.apply(changes, now: network.clock.now)
            try await network.store.apply(changes, now: network.clock.now)
            #expect(try await network.store.position(NotificationStore.sessionsFeed) == changes.last?.sequence)
            let told = try await network.items(cy)
            #expect(told.filter { $0.kind == .sessionScheduled }.map(\.title) == ["ada booked a session"])
            #expect(told.filter { $0.kind == .reviewConfirmed }.map(\.body) == ["ada confirmed 40%."])
            #expect(told.filter { $0.kind == .matchActivated }.count == 1)
            #expect(try await network.items(bo).filter { $0.kind == .sessionScheduled }.count == 1)
        }
    }

    @Test("a match waits for its members from the profiles feed, and then names them")
    func matchesWaitForTheirMembers() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada)
            let change = network.matchChange(ada, bo, .proposed, state: .proposed)
            await #expect(throws: FeedDependencyPending.self) {
                try await network.store.apply([change], now: network.clock.now)
            }
            #expect(try await network.store.position(NotificationStore.matchingFeed) == 0)
            #expect(try await network.items(ada).isEmpty)
            try await network.add(bo)
            try await network.store.apply([change], now: network.clock.now)
            #expect(try await network.items(ada).map(\.title) == ["New match proposed: bo"])
            #expect(try await network.items(bo).map(\.title) == ["New match proposed: ada"])
        }
    }

    @Test("the follower asks again after a wait, from the position kept, and applies every change once")
    func followerRetriesAfterAWait() async throws {
        // A feed of 10 changes whose 4th and 8th can be applied only after two refusals each.
        let state = Mutex<(position: UInt64, refusals: [UInt64: Int], applied: [UInt64])>((0, [:], []))
        let follower = FeedFollower<UInt64>(
            feed: "numbers", pageSize: 3, logger: Logger(label: "test"),
            position: { state.withLock { $0.position } },
            page: { after in after >= 10 ? [] : Array((after + 1)...min(after + 3, 10)) },
            watch: { after in
                AsyncThrowingStream { continuation in
                    for value in (after + 1)..<11 { continuation.yield(value) }
                    // The live stream then stays open, as a quiet feed's does.
                }
            },
            apply: { changes in
                try state.withLock { state in
                    for change in changes where change > state.position {
                        if change % 4 == 0, state.refusals[change, default: 0] < 2 {
                            state.refusals[change, default: 0] += 1
                            throw FeedDependencyPending("change \(change) waits")
                        }
                        state.applied.append(change)
                        state.position = change
                    }
                    return state.position
                }
            })
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await follower.run() }
            while state.withLock({ $0.position }) < 10 {
                try await Task.sleep(for: .milliseconds(10))
                if ContinuousClock.now - started > .seconds(20) { break }
            }
            group.cancelAll()
        }
        let final = state.withLock { $0 }
        #expect(final.applied == Array(1...10))
        #expect(final.refusals == [4: 2, 8: 2])
    }
}
