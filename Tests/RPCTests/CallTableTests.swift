import TestSupport
import Testing

@testable import RPC

@Suite("the call table")
struct CallTableTests {
    /// Applies random inserts, replacements and removals to the table and to a Dictionary, checking
    /// after each that they hold the same calls.
    private static func agree(keys: [UInt64], operations: Int, seed: UInt64) {
        var random = SplitMix64(state: seed)
        var table = CallTable<String>()
        var model: [UInt64: String] = [:]
        for step in 0..<operations {
            let key = keys[Int(random.next() % UInt64(keys.count))]
            switch random.next() % 3 {
            case 0, 1:
                table[key] = "v\(step)"
                model[key] = "v\(step)"
            default:
                #expect(table.removeValue(forKey: key) == model.removeValue(forKey: key))
            }
            #expect(table.count == model.count)
            #expect(table[key] == model[key])
        }
        for key in keys { #expect(table[key] == model[key], "\(key)") }
        #expect(Set(table.ids) == Set(model.keys))
        #expect(table.values.sorted() == model.values.sorted())
        #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == model)
        table.removeAll()
        #expect(table.isEmpty && table.values.isEmpty)
        for key in keys { #expect(table[key] == nil) }
    }

    @Test("holds what a Dictionary holds through random inserts and removals, as it grows")
    func randomOperations() {
        let keys = (0..<300).map { UInt64($0) } + [0, UInt64.max, UInt64.max - 1, 1 << 63]
        Self.agree(keys: keys, operations: 20_000, seed: 1)
    }

    @Test("ids a client picks to collide still work (multiples of a large power of two share a home)")
    func collidingIDs() {
        // The hash keeps the product's bits 32 and up: ids differing only in the top bits
        // (multiples of 2^60 and their neighbours) crowd a few slots, with runs that wrap.
        let keys = (0..<40).flatMap { high in [UInt64(high) << 58, (UInt64(high) << 58) &+ 1] }
        Self.agree(keys: keys, operations: 5_000, seed: 2)
    }
}

extension CallTableTests {
    @Test("a run of colliding ids that wraps past the last slot is found, and removed in any order")
    func wrappingRun() {
        // Five ids whose probes all start at the last of the 16 slots a new table has (no growth
        // below 8 calls), so their run wraps to the first slots.
        let last = (UInt64(0)...).lazy.filter { CallTable<String>.home($0, mask: 15) == 15 }.prefix(5)
        let keys = Array(last)
        for order in [keys, keys.reversed(), [keys[2], keys[0], keys[4], keys[1], keys[3]]] {
            var table = CallTable<String>()
            for key in keys { table[key] = "\(key)" }
            // A neighbour whose home is slot 0 lands behind the wrapped run.
            let neighbour = (UInt64(0)...).first { CallTable<String>.home($0, mask: 15) == 0 }!
            table[neighbour] = "n"
            var left = Set(keys)
            for key in order {
                #expect(table.removeValue(forKey: key) == "\(key)")
                left.remove(key)
                for other in left { #expect(table[other] == "\(other)") }
                #expect(table[neighbour] == "n")
            }
            #expect(table.count == 1)
        }
    }
}
