import Synchronization

/// Wakes the live streams of the members whose stream got events, and no others: with a
/// thousand streams open, a notification for one member reads one member's events, not a
/// thousand.
final class MemberSignals: Sendable {
    private struct Waiters {
        var byMember: [String: [Int: AsyncStream<Void>.Continuation]] = [:]
        var next = 0
    }

    private let waiters = Mutex(Waiters())

    /// A stream that yields after each event of `memberID` from now on, until the caller stops
    /// iterating.
    func changes(of memberID: String) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = waiters.withLock { waiters -> Int in
            waiters.next += 1
            waiters.byMember[memberID, default: [:]][waiters.next] = continuation
            return waiters.next
        }
        continuation.onTermination = { [weak self] _ in
            self?.waiters.withLock { waiters in
                waiters.byMember[memberID]?.removeValue(forKey: id)
                if waiters.byMember[memberID]?.isEmpty == true { waiters.byMember.removeValue(forKey: memberID) }
            }
        }
        return stream
    }

    /// Wakes the streams of `members`.
    func notify(_ members: Set<String>) {
        guard !members.isEmpty else { return }
        let continuations = waiters.withLock { waiters in
            members.flatMap { waiters.byMember[$0].map { Array($0.values) } ?? [] }
        }
        for continuation in continuations { continuation.yield() }
    }

    /// How many streams are open (for tests and metrics).
    var openStreams: Int { waiters.withLock { $0.byMember.values.reduce(0) { $0 + $1.count } } }
}
