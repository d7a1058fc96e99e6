import Logging
import ServiceLifecycle

/// Follows another service's change feed into a local read model: catches up a page at a time,
/// then follows the live stream; reconnects with backoff while the other service is away. The
/// read model stores its position with what it applied, in one transaction (`apply` returns the
/// new position), so after a restart or an outage it resumes exactly where it stopped and applies
/// no change twice.
///
/// A change may depend on another feed (a session of a match the matching feed has not brought
/// yet): `apply` then stores what came before it and throws `FeedDependencyPending`, and the
/// follower asks again shortly from there, so no change is applied before what it depends on.
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
            var waits = 0
            var waitingAt: UInt64?
            while !Task.isCancelled {
                do {
                    try await follow()
                } catch is CancellationError {
                    return
                } catch let pending as FeedDependencyPending {
                    // Another feed has yet to bring what the next change needs: ask again soon
                    // (sooner again once this feed has moved on since the last wait).
                    if Task.isCancelled { return }
                    let at = try? await position()
                    if at != waitingAt { (waits, waitingAt) = (0, at) }
                    waits += 1
                    let level: Logger.Level = waits % 30 == 0 ? .warning : .debug
                    logger.log(
                        level: level, "\(feed) feed waits for another feed",
                        metadata: ["reason": "\(pending)", "waits": "\(waits)"])
                    try? await Task.sleep(for: .milliseconds(min(25 << min(waits, 6), 1000)))
                    continue
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
                waits = 0
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

/// Thrown by a follower's `apply` when the next change depends on a change of another feed that
/// has not been applied yet. The changes before it were applied, with their position; the
/// follower retries from there after a short wait (50 ms, doubling to 1 s), without backing off
/// the connection. The description names what is awaited.
public struct FeedDependencyPending: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
