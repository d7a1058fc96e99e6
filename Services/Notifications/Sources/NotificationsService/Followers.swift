import Foundation
import Logging
import MatchingV1
import ProfilesV1
import RPC
import SessionsV1

extension NotificationsService {
    /// Changes per catch-up page (one transaction each).
    static let feedPageSize: UInt32 = 500

    /// Follows the profiles change feed (names, zones) through `client`.
    public func profilesFollower(client: Client, logger: Logger) -> FeedFollower<MemberChange> {
        let profiles = ProfilesClient(client)
        let store = store
        let clock = clock
        return FeedFollower(
            feed: NotificationStore.profilesFeed, pageSize: Int(Self.feedPageSize), logger: logger,
            position: { try await store.position(NotificationStore.profilesFeed) },
            page: {
                try await profiles.listChanges(ListChangesRequest(afterSequence: $0, limit: Self.feedPageSize)).changes
            },
            watch: { profiles.watchChanges(ListChangesRequest(afterSequence: $0, limit: Self.feedPageSize)) },
            apply: { (changes: [MemberChange]) in try await store.apply(changes, now: clock()) })
    }

    /// Follows the matching change feed through `client`.
    public func matchingFollower(client: Client, logger: Logger) -> FeedFollower<MatchChange> {
        let matching = MatchingClient(client)
        let store = store
        let clock = clock
        return FeedFollower(
            feed: NotificationStore.matchingFeed, pageSize: Int(Self.feedPageSize), logger: logger,
            position: { try await store.position(NotificationStore.matchingFeed) },
            page: {
                try await matching.listChanges(ListMatchChangesRequest(afterSequence: $0, limit: Self.feedPageSize))
                    .changes
            },
            watch: { matching.watchChanges(ListMatchChangesRequest(afterSequence: $0, limit: Self.feedPageSize)) },
            apply: { (changes: [MatchChange]) in try await store.apply(changes, now: clock()) })
    }

    /// Follows the sessions change feed through `client`.
    public func sessionsFollower(client: Client, logger: Logger) -> FeedFollower<SessionChange> {
        let sessions = SessionsClient(client)
        let store = store
        let clock = clock
        return FeedFollower(
            feed: NotificationStore.sessionsFeed, pageSize: Int(Self.feedPageSize), logger: logger,
            position: { try await store.position(NotificationStore.sessionsFeed) },
            page: {
                try await sessions.listChanges(ListSessionChangesRequest(afterSequence: $0, limit: Self.feedPageSize))
                    .changes
            },
            watch: { sessions.watchChanges(ListSessionChangesRequest(afterSequence: $0, limit: Self.feedPageSize)) },
            apply: { (changes: [SessionChange]) in try await store.apply(changes, now: clock()) })
    }
}
