import MatchingEngine
import Synchronization

/// The compiled suggestion index of each network, reused while nothing it depends on changed:
/// the members (the profiles feed position), the open slots (the matching feed's head) and the
/// hour (availability moves with daylight saving). Compiling a large network costs far more than
/// a query, so this keeps suggestions fast between changes.
final class SuggestionCache: Sendable {
    /// What an index was built from.
    struct Key: Hashable, Sendable {
        var membersPosition: UInt64
        var matchesHead: UInt64
        var hour: Int64
    }

    private let entries = Mutex<[String: (key: Key, index: SuggestionIndex)]>([:])

    /// The network's index for `key`, building it with `build` when the cached one is stale.
    func index(for network: String, key: Key, build: () async throws -> SuggestionIndex) async rethrows
        -> SuggestionIndex
    {
        if let entry = entries.withLock({ $0[network] }), entry.key == key { return entry.index }
        let index = try await build()
        entries.withLock { $0[network] = (key, index) }
        return index
    }
}
