import Foundation
import MatchingV1
import NotificationsService
import NotificationsV1
import ProfilesV1
import RPC
import SessionsService
import SessionsV1
import TestSupport
import Testing
import Wire

/// A network's event log (docs/notifications.md, "A network's event log"): one event per change
/// and network, exactly once, private goals left out, forgotten after the retention.
@Suite("a network's event log")
struct NetworkEventsTests {
    @Test("each change makes its events once, even applied again; other networks' apart; private goals make none")
    func once() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            var bo = member("bo")
            bo.networks = ["guild", "lodge"]
            try await network.add(ada, bo)
            let change = network.matchChange(ada, bo)
            try await network.sessionsService.directory.apply([change])
            try await network.store.apply([change], now: network.clock.now)
            // The same page again (a follower that crashed before it saw the answer): nothing new.
            try await network.store.apply([change], now: network.clock.now)
            let match = try #require(change.match)
            let session = try await network.schedule(match, by: ada, at: network.clock.now + Times.day)
            _ = try await network.sessions.createGoal(
                CreateGoalRequest(matchID: match.id, memberID: bo.id, title: "Private", visibility: .private))
            let shared = try await network.sessions.createGoal(
                CreateGoalRequest(matchID: match.id, memberID: bo.id, title: "Shared"))
            try await network.pump()

            let guild = try await network.inbox.listNetworkEvents(ListNetworkEventsRequest(network: "guild"))
            #expect(
                guild.events.map(\.type)
                    == ["member.updated", "member.updated", "match.activated", "session.scheduled", "goal.created"])
            #expect(guild.events.map(\.memberIDs) == [[ada.id], [bo.id], [ada.id, bo.id], [ada.id, bo.id], [bo.id]])
            #expect(
                guild.events[2].matchID == match.id && guild.events[2].sourceEventID == "matching:\(change.eventID)")
            #expect(guild.events[3].sessionID == session.id && guild.events[4].goalID == shared.id)
            #expect(guild.nextAfterSequence == guild.events.last?.sequence && !guild.missed)
            // bo is also in lodge: his change is there too, and nothing of guild's match.
            let lodge = try await network.inbox.listNetworkEvents(ListNetworkEventsRequest(network: "lodge"))
            #expect(lodge.events.map(\.type) == ["member.updated"] && lodge.events[0].memberIDs == [bo.id])
            // lodge's reader is told to go on from the head of the whole log, past guild's events.
            #expect(lodge.nextAfterSequence == guild.events.last?.sequence)
            // Malformed requests name the field.
            for (request, field) in [
                (ListNetworkEventsRequest(network: "Guild"), "network"),
                (ListNetworkEventsRequest(network: "guild", limit: 1001), "limit"),
            ] {
                let error = try await #require(throws: RPCError.self) {
                    _ = try await network.inbox.listNetworkEvents(request)
                }
                #expect(error.code == .invalidArgument && error.violations.map(\.field) == [field])
            }
        }
    }

    @Test("kept for the retention; a reader left behind is told it missed events, a watcher gets a reset")
    func retention() async throws {
        try await withNetwork { network in
            let ada = member("ada")
            let bo = member("bo")
            try await network.add(ada, bo)
            let first = try await network.inbox.listNetworkEvents(ListNetworkEventsRequest(network: "guild"))
            #expect(first.events.count == 2)
            // Past the retention (72 hours) the sweep forgets them.
            network.clock.advance(.seconds(73 * 3600))
            _ = try await network.store.sweep(now: network.clock.now)
            try await network.match(ada, bo)
            let behind = try await network.inbox.listNetworkEvents(
                ListNetworkEventsRequest(network: "guild", afterSequence: first.events[0].sequence))
            #expect(behind.missed && behind.events.isEmpty && behind.nextAfterSequence == 3)
            // From the start: what is kept, the match alone.
            let kept = try await network.inbox.listNetworkEvents(ListNetworkEventsRequest(network: "guild"))
            #expect(kept.events.map(\.type) == ["match.activated"] && !kept.missed)
            var watch = network.inbox.watchNetworkEvents(
                WatchNetworkEventsRequest(network: "guild", afterSequence: 1)
            ).makeAsyncIterator()
            let reset = try #require(try await watch.next())
            #expect(reset.type == "reset" && reset.sequence == 3)
            // After the reset, the next event as it happens.
            try await network.match(ada, bo, .ended, state: .ended)
            let next = try #require(try await watch.next())
            #expect(next.type == "match.ended" && next.sequence == 4)
        }
    }
}
