import Synchronization

/// Wakes change-feed watchers after each committed change.
public final class ChangeNotifier: Sendable {
    private let waiters = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    /// Creates a notifier.
    public init() {}

    /// A stream that yields after each change from now on, until the caller stops iterating.
    public func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextID.wrappingAdd(1, ordering: .relaxed).newValue
        waiters.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.waiters.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Tells every watcher that something changed.
    public func notify() {
        for continuation in waiters.withLock({ Array($0.values) }) { continuation.yield() }
    }
}

extension ChangeNotifier {
    /// Returns once `reached` says so, asking again after each notification (it subscribes before
    /// the first question, so a change in between is not missed). For waiting until a read model
    /// has applied a feed up to a position.
    public func wait(until reached: () async throws -> Bool) async throws {
        var wakeUps = changes().makeAsyncIterator()
        while try await !reached() {
            try Task.checkCancellation()
            guard await wakeUps.next() != nil else { throw CancellationError() }
        }
    }

    /// Streams a change feed from `position`: each page after the cursor (`limit` at a time) goes
    /// to `deliver`; once caught up it waits for the next change. It subscribes before the first
    /// read, so a change committed in between is not missed. Returns when the task is cancelled.
    public func follow<Change>(
        after position: UInt64, limit: Int, page: (UInt64, Int) async throws -> [Change],
        sequence: (Change) -> UInt64, deliver: (Change) async throws -> Void
    ) async throws {
        var cursor = position
        var wakeUps = changes().makeAsyncIterator()
        while !Task.isCancelled {
            let changes = try await page(cursor, limit)
            for change in changes {
                try await deliver(change)
                cursor = sequence(change)
            }
            if changes.count == limit { continue }
            guard await wakeUps.next() != nil else { return }
        }
    }
}
