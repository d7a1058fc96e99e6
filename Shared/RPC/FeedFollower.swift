import Logging
import ServiceLifecycle

/// Follows another service's change feed into a local read model: catches up a page at a time,
/// then follows the live stream; reconnects with backoff while the other service is away. The
/// read model stores its position with what it applied, in one transaction (`apply` returns the
/// new position), so after a restart or an outage it resumes exactly where it stopped and applies
/// no change twice.
public struct FeedFollower<Change: Sendable>: Service {
    /// The feed's name, for logs (`profiles`).
    let feed: String
    /// The position applied so far (0: nothing yet).
    let position: @Sendable () async throws -> UInt64
    /// A page of changes after a position: the changes, and whether more may follow at once.
    let page: @Sendable (UInt64) async throws -> [Change]
    /// The live stream of changes after a position.
    let watch: @Sendable (UInt64) -> AsyncThrowingStream<Change, any Error>
    /// Applies changes (skipping those at or before the stored position) and stores the new
    /// position with them; returns it.
    let apply: @Sendable ([Change]) async throws -> UInt64
    /// Changes per catch-up page.
    let pageSize: Int
    let logger: Logger

    /// A follower of feed `feed`.
    public init(
        feed: String,
        pageSize: Int,
        logger: Logger,
        position: @escaping @Sendable () async throws -> UInt64,
        page: @escaping @Sendable (UInt64) async throws -> [Change],
        watch: @escaping @Sendable (UInt64) -> AsyncThrowingStream<Change, any Error>,
        apply: @escaping @Sendable ([Change]) async throws -> UInt64
    ) {
        self.feed = feed
        self.pageSize = pageSize
        self.logger = logger
        self.position = position
        self.page = page
        self.watch = watch
        self.apply = apply
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
                        "\(feed) feed unavailable, retrying",
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
        var position = try await self.position()
        while true {
            let changes = try await page(position)
            position = try await apply(changes)
            if changes.count < pageSize { break }
        }
        logger.info("\(feed) feed caught up", metadata: ["feed.position": "\(position)"])
        for try await change in watch(position) {
            position = try await apply([change])
        }
    }
}
