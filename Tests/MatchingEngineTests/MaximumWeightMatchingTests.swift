import Testing

@testable import MatchingEngine

/// The heaviest matching of a small general graph by dynamic programming over vertex subsets:
/// (weight, edge count) for the plain and the maximum-cardinality objective.
func bruteForceMatching(_ n: Int, _ edges: [MaximumWeightMatching.Edge], maximumCardinality: Bool) -> (
    weight: Int64, count: Int
) {
    var weight = [[Int64?]](repeating: Array(repeating: nil, count: n), count: n)
    for edge in edges { weight[edge.a][edge.b] = max(weight[edge.a][edge.b] ?? .min, edge.weight) }
    for edge in edges { weight[edge.b][edge.a] = weight[edge.a][edge.b] }
    var memo: [Int: (Int64, Int)] = [:]
    func better(_ a: (Int64, Int), _ b: (Int64, Int)) -> Bool {
        maximumCardinality ? (a.1, a.0) > (b.1, b.0) : a.0 > b.0
    }
    // The best matching among vertices in `mask`.
    func best(_ mask: Int) -> (Int64, Int) {
        if mask == 0 { return (0, 0) }
        if let known = memo[mask] { return known }
        let v = mask.trailingZeroBitCount
        let rest = mask & ~(1 << v)
        var result = best(rest)  // v stays single
        for u in 0..<n where rest & (1 << u) != 0 {
            if let w = weight[v][u] {
                let sub = best(rest & ~(1 << u))
                let candidate = (sub.0 + w, sub.1 + 1)
                if better(candidate, result) { result = candidate }
            }
        }
        memo[mask] = result
        return result
    }
    let result = best((1 << n) - 1)
    return (result.0, result.1)
}

@Suite("maximum-weight matching on general graphs")
struct MaximumWeightMatchingTests {
    @Test("the matching's weight equals the brute-force optimum on random graphs", arguments: 1...200)
    func optimal(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let n = 2 + Int(rng.next() % 11)
        let density = 20 + Int(rng.next() % 70)
        var edges: [MaximumWeightMatching.Edge] = []
        for a in 0..<n {
            for b in (a + 1)..<n where Int(rng.next() % 100) < density {
                // Few distinct weights make many ties, the hard case for blossoms.
                let weight = seed % 3 == 0 ? Int64(1 + rng.next() % 4) : Int64(1 + rng.next() % 10_000)
                edges.append(.init(a: a, b: b, weight: weight))
            }
        }
        for cardinality in [false, true] {
            let mate = MaximumWeightMatching.solve(vertexCount: n, edges: edges, maximumCardinality: cardinality)
            // A valid matching over existing edges…
            var weight: Int64 = 0
            var count = 0
            for (v, u) in mate.enumerated() where u >= 0 {
                #expect(mate[u] == v, "seed \(seed): mate is not symmetric")
                if u > v {
                    let w = edges.filter { ($0.a, $0.b) == (v, u) || ($0.a, $0.b) == (u, v) }.map(\.weight).max()
                    #expect(w != nil, "seed \(seed): matched a non-edge")
                    weight += w ?? 0
                    count += 1
                }
            }
            // …as heavy as the best one.
            let best = bruteForceMatching(n, edges, maximumCardinality: cardinality)
            #expect(weight == best.weight, "seed \(seed) cardinality \(cardinality)")
            if cardinality { #expect(count == best.count, "seed \(seed)") }
        }
    }

    @Test("an odd cycle forces a blossom: the triangle plus a pendant edge")
    func blossom() {
        // Triangle 0-1-2 with heavy edges, and 2-3: the best takes 0-1 and 2-3.
        let edges: [MaximumWeightMatching.Edge] = [
            .init(a: 0, b: 1, weight: 10), .init(a: 1, b: 2, weight: 10), .init(a: 0, b: 2, weight: 10),
            .init(a: 2, b: 3, weight: 3),
        ]
        let mate = MaximumWeightMatching.solve(vertexCount: 4, edges: edges)
        #expect(mate[3] == 2)
        #expect(Set([mate[0], mate[1]]) == [0, 1])
    }

    @Test("no edges, no pairs")
    func empty() {
        #expect(MaximumWeightMatching.solve(vertexCount: 3, edges: []) == [-1, -1, -1])
    }
}
