import Logging
import ProfilesV1
import RPC
import ServiceLifecycle
import Wire

/// Keeps the member directory up to date from the profiles service's change feed: catches up a
/// page at a time, then follows the live stream; reconnects with backoff when profiles is away.
public struct ProfilesFeedFollower: Service {
    private let client: Client
    private let directory: MemberDirectory
    private let logger: Logger
    /// Changes per catch-up page (one transaction each).
    static let pageSize: UInt32 = 500

    /// A follower reading through `client` into `directory`.
    public init(client: Client, directory: MemberDirectory, logger: Logger) {
        self.client = client
        self.directory = directory
        self.logger = logger
    }

    /// Follows the feed until the service shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    try await follow()
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    logger.warning(
                        "profiles feed unavailable, retrying",
                        metadata: ["error": "\(error)", "retry.in": "\(backoff)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                    continue
                }
                backoff = .milliseconds(100)
            }
        }
    }

    /// Catches up page by page, then applies the live stream change by change.
    private func follow() async throws {
        var position = try await directory.position()
        while true {
            let page = try await client.unary(
                ProfilesAPI.listChanges, ListChangesRequest(afterSequence: position, limit: Self.pageSize))
            position = try await directory.apply(page.changes)
            if page.changes.count < Self.pageSize { break }
        }
        logger.info("member directory caught up", metadata: ["feed.position": "\(position)"])
        for try await change in client.serverStreaming(
            ProfilesAPI.watchChanges, ListChangesRequest(afterSequence: position, limit: Self.pageSize))
        {
            position = try await directory.apply([change])
        }
    }
}
