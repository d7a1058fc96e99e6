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
