import Logging
import ProfilesV1
import RPC
import ServiceLifecycle

/// Keeps the member directory up to date from the profiles service's change feed (`FeedFollower`:
/// pages to catch up, then the live stream; backoff while profiles is away).
public struct ProfilesFeedFollower: Service {
    private let follower: FeedFollower<MemberChange>
    /// Changes per catch-up page (one transaction each).
    static let pageSize: UInt32 = 500

    /// A follower reading through `client` into `directory`.
    public init(client: Client, directory: MemberDirectory, logger: Logger) {
        let profiles = ProfilesClient(client)
        follower = FeedFollower(
            feed: "profiles", pageSize: Int(Self.pageSize), logger: logger,
            position: { try await directory.position() },
            page: { position in
                try await profiles.listChanges(ListChangesRequest(afterSequence: position, limit: Self.pageSize))
                    .changes
            },
            watch: { position in
                profiles.watchChanges(ListChangesRequest(afterSequence: position, limit: Self.pageSize))
            },
            apply: { changes in try await directory.apply(changes) })
    }

    /// Follows the feed until the service shuts down.
    public func run() async throws {
        try await follower.run()
    }
}
