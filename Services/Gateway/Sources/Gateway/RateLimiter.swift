import Synchronization

/// Token buckets by key (a principal's subject, a client's address): each key may make `rate`
/// requests a second on average and `burst` at once. Memory stays bounded: when a shard holds more
/// than `maximumKeys / shards` buckets, the ones that have refilled (their keys have been quiet for
/// at least `burst / rate` seconds) are dropped — a full bucket and no bucket are the same — and if
/// that is not enough the shard starts over (every key full again: the limit errs towards letting
/// requests through, never towards refusing a client it has not seen misbehave).
public final class RateLimiter: Sendable {
    /// Requests a second, on average.
    public let rate: Double
    /// Requests at once.
    public let burst: Double
    private let maximumPerShard: Int
    private let shards: [Shard]
    private let clock: @Sendable () -> Double

    struct Bucket {
        var tokens: Double
        var updated: Double
    }

    final class Shard: Sendable {
        let buckets = Mutex<[String: Bucket]>([:])
    }

    /// A limiter; `now` gives seconds on a monotonic clock (tests move it by hand).
    public init(
        rate: Double, burst: Double, maximumKeys: Int = 100_000,
        now: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds
    ) {
        precondition(rate > 0 && burst >= 1, "a rate limit needs a positive rate and a burst of at least 1")
        self.rate = rate
        self.burst = burst
        self.shards = (0..<16).map { _ in Shard() }
        self.maximumPerShard = max(1, maximumKeys / 16)
        self.clock = now
    }

    private static let start = ContinuousClock.now

    /// Seconds since the process started, monotonic.
    @Sendable public static func monotonicSeconds() -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    /// Takes one request's token for `key`: nil when the request may go ahead, else the seconds
    /// until a token is there.
    public func take(_ key: String) -> Double? {
        let now = clock()
        var hasher = Hasher()
        hasher.combine(key)
        let shard = shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
        return shard.buckets.withLock { buckets -> Double? in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            let wait: Double?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                wait = nil
            } else {
                wait = (1 - bucket.tokens) / rate
            }
            if buckets[key] == nil && buckets.count >= maximumPerShard { evict(&buckets, now: now) }
            buckets[key] = bucket
            return wait
        }
    }

    /// Buckets held now (for tests and metrics).
    public var keyCount: Int { shards.reduce(0) { $0 + $1.buckets.withLock { $0.count } } }

    private func evict(_ buckets: inout [String: Bucket], now: Double) {
        buckets = buckets.filter { _, bucket in bucket.tokens + (now - bucket.updated) * rate < burst }
        if buckets.count >= maximumPerShard { buckets.removeAll(keepingCapacity: true) }
    }
}
