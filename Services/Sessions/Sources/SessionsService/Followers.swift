import Logging
import MatchingV1
import ProfilesV1
import RPC

extension PartnerDirectory {
    /// Changes per catch-up page (one transaction each).
    static let pageSize: UInt32 = 500

    /// Follows the profiles change feed (members: timezone, availability, status) into the
    /// directory, through `client`.
    public func profilesFollower(client: Client, logger: Logger) -> FeedFollower<MemberChange> {
        let profiles = ProfilesClient(client)
        return FeedFollower(
            feed: Self.profilesFeed, pageSize: Int(Self.pageSize), logger: logger,
            position: { try await position(Self.profilesFeed) },
            page: {
                try await profiles.listChanges(ListChangesRequest(afterSequence: $0, limit: Self.pageSize)).changes
            },
            watch: { profiles.watchChanges(ListChangesRequest(afterSequence: $0, limit: Self.pageSize)) },
            apply: { (changes: [MemberChange]) in try await apply(changes) })
    }

    /// Follows the matching change feed (which matches are active, and their partners) into the
    /// directory, through `client`.
    public func matchingFollower(client: Client, logger: Logger) -> FeedFollower<MatchChange> {
        let matching = MatchingClient(client)
        return FeedFollower(
            feed: Self.matchingFeed, pageSize: Int(Self.pageSize), logger: logger,
            position: { try await position(Self.matchingFeed) },
            page: {
                try await matching.listChanges(ListMatchChangesRequest(afterSequence: $0, limit: Self.pageSize)).changes
            },
            watch: { matching.watchChanges(ListMatchChangesRequest(afterSequence: $0, limit: Self.pageSize)) },
            apply: { (changes: [MatchChange]) in try await apply(changes) })
    }
}
