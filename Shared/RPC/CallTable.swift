/// A connection's open calls by call id: open addressing with linear probing and a multiplicative
/// hash, for the three or four lookups a connection makes per call (a `Dictionary` hashes each
/// with SipHash, ~1.5% of the server's time on the echo load).
///
/// Ids come from the peer, so a client can pick ids that collide; a connection's open calls are
/// capped (`ServerConfiguration.maximumConcurrentCalls`), which bounds any run of probes.
struct CallTable<Value>: Sequence {
    private var keys: [UInt64]
    private var slots: [Value?]
    private var mask: Int
    /// The number of calls.
    private(set) var count = 0

    /// An empty table.
    init() {
        keys = Array(repeating: 0, count: 16)
        slots = Array(repeating: nil, count: 16)
        mask = 15
    }

    /// Whether there are no calls.
    var isEmpty: Bool { count == 0 }

    /// The call with id `key`; assigning nil removes it.
    subscript(key: UInt64) -> Value? {
        get { find(key).map { slots[$0] } ?? nil }
        set {
            guard let newValue else {
                removeValue(forKey: key)
                return
            }
            if let index = find(key) {
                slots[index] = newValue
                return
            }
            if (count + 1) * 2 > keys.count { grow() }
            var index = home(key)
            while slots[index] != nil { index = (index + 1) & mask }
            keys[index] = key
            slots[index] = newValue
            count += 1
        }
    }

    /// Removes the call with id `key` and returns it.
    @discardableResult
    mutating func removeValue(forKey key: UInt64) -> Value? {
        guard var hole = find(key) else { return nil }
        let removed = slots[hole]
        // Backward-shift deletion: move up every later entry of the run that may live in the hole.
        var next = (hole + 1) & mask
        while slots[next] != nil {
            let wanted = home(keys[next])
            // Entries whose home lies cyclically in (hole, next] are where they belong.
            let stays = hole <= next ? (hole < wanted && wanted <= next) : (hole < wanted || wanted <= next)
            if !stays {
                keys[hole] = keys[next]
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = nil
        count -= 1
        return removed
    }

    /// Removes every call.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = nil }
        count = 0
    }

    /// The calls, in no particular order.
    var values: [Value] { slots.compactMap { $0 } }

    /// The calls' ids, in no particular order.
    var ids: [UInt64] { slots.indices.compactMap { slots[$0] == nil ? nil : keys[$0] } }

    func makeIterator() -> some IteratorProtocol<(key: UInt64, value: Value)> {
        zip(keys, slots).lazy.compactMap { key, slot in slot.map { (key: key, value: $0) } }.makeIterator()
    }

    private func home(_ key: UInt64) -> Int { Self.home(key, mask: mask) }

    /// The slot where `key`'s probe starts in a table of `mask + 1` slots.
    static func home(_ key: UInt64, mask: Int) -> Int {
        // Fibonacci hashing: the product's upper bits spread consecutive ids apart.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private func find(_ key: UInt64) -> Int? {
        var index = home(key)
        while slots[index] != nil {
            if keys[index] == key { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    private mutating func grow() {
        let old = zip(keys, slots)
        keys = Array(repeating: 0, count: keys.count * 2)
        slots = Array(repeating: nil, count: slots.count * 2)
        mask = keys.count - 1
        count = 0
        for (key, slot) in old {
            if let slot { self[key] = slot }
        }
    }
}
