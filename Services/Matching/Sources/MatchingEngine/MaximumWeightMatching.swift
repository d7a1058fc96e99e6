/// Maximum-weight matching on a general (non-bipartite) graph: Edmonds' blossom algorithm with
/// dual variables, in the O(n³) formulation of Galil ("Efficient algorithms for finding maximum
/// matching in graphs", 1986). This follows Joris van Rantwijk's public-domain reference
/// implementation (mwmatching.py) step for step; integer weights keep it exact.
///
/// With `maximumCardinality`, it finds the heaviest among the matchings with the most edges.
struct MaximumWeightMatching {
    /// An undirected edge between vertices `a` and `b` with an integer weight.
    struct Edge {
        var a: Int
        var b: Int
        var weight: Int64
    }

    /// For each vertex, its partner, or -1.
    static func solve(vertexCount: Int, edges: [Edge], maximumCardinality: Bool = false) -> [Int] {
        guard !edges.isEmpty else { return Array(repeating: -1, count: vertexCount) }
        var solver = Solver(vertexCount: vertexCount, edges: edges, maximumCardinality: maximumCardinality)
        return solver.run()
    }

    /// The algorithm's state. Vertices are 0..<n; blossoms n..<2n. An "endpoint" p identifies
    /// edge p/2 seen from one end: `endpoint[p]` is the vertex at the far end of p.
    private struct Solver {
        let n: Int
        let edges: [Edge]
        let maximumCardinality: Bool
        let endpoint: [Int]
        let neighbourEnds: [[Int]]
        var mate: [Int]
        var label: [Int]
        var labelEnd: [Int]
        var inBlossom: [Int]
        var blossomParent: [Int]
        var blossomChildren: [[Int]]
        var blossomBase: [Int]
        var blossomEnds: [[Int]]
        var bestEdge: [Int]
        var blossomBestEdges: [[Int]?]
        var unusedBlossoms: [Int]
        var dual: [Int64]
        var allowEdge: [Bool]
        var queue: [Int] = []

        init(vertexCount: Int, edges input: [Edge], maximumCardinality: Bool) {
            n = vertexCount
            // Doubled weights keep every dual variable and slack an integer.
            edges = input.map { Edge(a: $0.a, b: $0.b, weight: 2 * $0.weight) }
            self.maximumCardinality = maximumCardinality
            let maximumWeight = max(0, edges.map(\.weight).max() ?? 0)
            endpoint = (0..<(2 * edges.count)).map { p in p % 2 == 0 ? input[p / 2].a : input[p / 2].b }
            var neighbours = [[Int]](repeating: [], count: n)
            for (k, edge) in input.enumerated() {
                neighbours[edge.a].append(2 * k + 1)
                neighbours[edge.b].append(2 * k)
            }
            neighbourEnds = neighbours
            mate = Array(repeating: -1, count: n)
            label = Array(repeating: 0, count: 2 * n)
            labelEnd = Array(repeating: -1, count: 2 * n)
            inBlossom = Array(0..<n)
            blossomParent = Array(repeating: -1, count: 2 * n)
            blossomChildren = Array(repeating: [], count: 2 * n)
            blossomBase = Array(0..<n) + Array(repeating: -1, count: n)
            blossomEnds = Array(repeating: [], count: 2 * n)
            bestEdge = Array(repeating: -1, count: 2 * n)
            blossomBestEdges = Array(repeating: nil, count: 2 * n)
            unusedBlossoms = Array(n..<(2 * n))
            dual = Array(repeating: maximumWeight, count: n) + Array(repeating: 0, count: n)
            allowEdge = Array(repeating: false, count: edges.count)
        }

        func slack(_ k: Int) -> Int64 {
            dual[edges[k].a] + dual[edges[k].b] - 2 * edges[k].weight
        }

        func leaves(_ b: Int) -> [Int] {
            if b < n { return [b] }
            var result: [Int] = []
            var stack = [b]
            while let t = stack.popLast() {
                if t < n {
                    result.append(t)
                } else {
                    stack.append(contentsOf: blossomChildren[t].reversed())
                }
            }
            return result
        }

        /// Labels the top-level blossom of `w` with `t` (1 = S, 2 = T), reached through endpoint `p`.
        mutating func assignLabel(_ w: Int, _ t: Int, _ p: Int) {
            var (w, t, p) = (w, t, p)
            while true {
                let b = inBlossom[w]
                label[w] = t
                label[b] = t
                labelEnd[w] = p
                labelEnd[b] = p
                bestEdge[w] = -1
                bestEdge[b] = -1
                if t == 1 {
                    queue.append(contentsOf: leaves(b))
                    return
                }
                // A T-blossom: its base's mate becomes S.
                let base = blossomBase[b]
                (w, t, p) = (endpoint[mate[base]], 1, mate[base] ^ 1)
            }
        }

        /// Traces back from `v` and `w` to find a new blossom's base, or -1 for an augmenting path.
        mutating func scanBlossom(_ v: Int, _ w: Int) -> Int {
            var path: [Int] = []
            var base = -1
            var (v, w) = (v, w)
            while v != -1 || w != -1 {
                var b = inBlossom[v]
                if label[b] & 4 != 0 {
                    base = blossomBase[b]
                    break
                }
                path.append(b)
                label[b] = 5
                if labelEnd[b] == -1 {
                    v = -1
                } else {
                    v = endpoint[labelEnd[b]]
                    b = inBlossom[v]
                    v = endpoint[labelEnd[b]]
                }
                if w != -1 { swap(&v, &w) }
            }
            for b in path { label[b] = 1 }
            return base
        }

        /// Makes a new blossom with `base` closed by edge `k`.
        mutating func addBlossom(_ base: Int, _ k: Int) {
            var v = edges[k].a
            var w = edges[k].b
            let bb = inBlossom[base]
            var bv = inBlossom[v]
            var bw = inBlossom[w]
            let b = unusedBlossoms.removeLast()
            blossomBase[b] = base
            blossomParent[b] = -1
            blossomParent[bb] = b
            var path: [Int] = []
            var ends: [Int] = []
            while bv != bb {
                blossomParent[bv] = b
                path.append(bv)
                ends.append(labelEnd[bv])
                v = endpoint[labelEnd[bv]]
                bv = inBlossom[v]
            }
            path.append(bb)
            path.reverse()
            ends.reverse()
            ends.append(2 * k)
            while bw != bb {
                blossomParent[bw] = b
                path.append(bw)
                ends.append(labelEnd[bw] ^ 1)
                w = endpoint[labelEnd[bw]]
                bw = inBlossom[w]
            }
            blossomChildren[b] = path
            blossomEnds[b] = ends
            label[b] = 1
            labelEnd[b] = labelEnd[bb]
            dual[b] = 0
            for leaf in leaves(b) {
                if label[inBlossom[leaf]] == 2 { queue.append(leaf) }
                inBlossom[leaf] = b
            }
            // The least-slack edge from the new blossom to each neighbouring S-blossom.
            var bestTo = [Int](repeating: -1, count: 2 * n)
            for child in path {
                let lists: [[Int]] =
                    if let known = blossomBestEdges[child] {
                        [known]
                    } else {
                        leaves(child).map { leaf in neighbourEnds[leaf].map { $0 / 2 } }
                    }
                for list in lists {
                    for k in list {
                        var j = edges[k].b
                        if inBlossom[j] == b { j = edges[k].a }
                        let bj = inBlossom[j]
                        if bj != b && label[bj] == 1 && (bestTo[bj] == -1 || slack(k) < slack(bestTo[bj])) {
                            bestTo[bj] = k
                        }
                    }
                }
                blossomBestEdges[child] = nil
                bestEdge[child] = -1
            }
            let best = bestTo.filter { $0 != -1 }
            blossomBestEdges[b] = best
            bestEdge[b] = -1
            for k in best where bestEdge[b] == -1 || slack(k) < slack(bestEdge[b]) {
                bestEdge[b] = k
            }
        }

        /// Dissolves blossom `b`, relabelling its children; at the end of a stage, recursively.
        mutating func expandBlossom(_ b: Int, endStage: Bool) {
            for s in blossomChildren[b] {
                blossomParent[s] = -1
                if s < n {
                    inBlossom[s] = s
                } else if endStage && dual[s] == 0 {
                    expandBlossom(s, endStage: endStage)
                } else {
                    for leaf in leaves(s) { inBlossom[leaf] = s }
                }
            }
            if !endStage && label[b] == 2 {
                // Relabel the children on the even path from the entry child to the base.
                let children = blossomChildren[b]
                let entryChild = inBlossom[endpoint[labelEnd[b] ^ 1]]
                var j = children.firstIndex(of: entryChild)!
                let step: Int
                let trick: Int
                if j & 1 != 0 {
                    j -= children.count
                    step = 1
                    trick = 0
                } else {
                    step = -1
                    trick = 1
                }
                let ends = blossomEnds[b]
                func at<T>(_ array: [T], _ index: Int) -> T { array[index >= 0 ? index : array.count + index] }
                var p = labelEnd[b]
                while j != 0 {
                    label[endpoint[p ^ 1]] = 0
                    label[endpoint[at(ends, j - trick) ^ trick ^ 1]] = 0
                    assignLabel(endpoint[p ^ 1], 2, p)
                    allowEdge[at(ends, j - trick) / 2] = true
                    j += step
                    p = at(ends, j - trick) ^ trick
                    allowEdge[p / 2] = true
                    j += step
                }
                let bv = at(children, j)
                label[endpoint[p ^ 1]] = 2
                label[bv] = 2
                labelEnd[endpoint[p ^ 1]] = p
                labelEnd[bv] = p
                bestEdge[bv] = -1
                j += step
                while at(children, j) != entryChild {
                    let bv = at(children, j)
                    if label[bv] == 1 {
                        j += step
                        continue
                    }
                    if let v = leaves(bv).first(where: { label[$0] != 0 }) {
                        label[v] = 0
                        label[endpoint[mate[blossomBase[bv]]]] = 0
                        assignLabel(v, 2, labelEnd[v])
                    }
                    j += step
                }
            }
            label[b] = -1
            labelEnd[b] = -1
            blossomChildren[b] = []
            blossomEnds[b] = []
            blossomBase[b] = -1
            blossomBestEdges[b] = nil
            bestEdge[b] = -1
            unusedBlossoms.append(b)
        }

        /// Swaps matched and unmatched edges on the even path inside blossom `b` from vertex `v` to the base.
        mutating func augmentBlossom(_ b: Int, _ v: Int) {
            var t = v
            while blossomParent[t] != b { t = blossomParent[t] }
            if t >= n { augmentBlossom(t, v) }
            let children = blossomChildren[b]
            let ends = blossomEnds[b]
            func at<T>(_ array: [T], _ index: Int) -> T { array[index >= 0 ? index : array.count + index] }
            let i = children.firstIndex(of: t)!
            var j = i
            let step: Int
            let trick: Int
            if i & 1 != 0 {
                j -= children.count
                step = 1
                trick = 0
            } else {
                step = -1
                trick = 1
            }
            while j != 0 {
                j += step
                var t = at(children, j)
                let p = at(ends, j - trick) ^ trick
                if t >= n { augmentBlossom(t, endpoint[p]) }
                j += step
                t = at(children, j)
                if t >= n { augmentBlossom(t, endpoint[p ^ 1]) }
                mate[endpoint[p]] = p ^ 1
                mate[endpoint[p ^ 1]] = p
            }
            blossomChildren[b] = Array(children[i...] + children[..<i])
            blossomEnds[b] = Array(ends[i...] + ends[..<i])
            blossomBase[b] = blossomBase[blossomChildren[b][0]]
        }

        /// Augments the matching along the path through edge `k` between two S-vertices.
        mutating func augmentMatching(_ k: Int) {
            for (start, startEnd) in [(edges[k].a, 2 * k + 1), (edges[k].b, 2 * k)] {
                var s = start
                var p = startEnd
                while true {
                    let bs = inBlossom[s]
                    if bs >= n { augmentBlossom(bs, s) }
                    mate[s] = p
                    if labelEnd[bs] == -1 { break }
                    let t = endpoint[labelEnd[bs]]
                    let bt = inBlossom[t]
                    s = endpoint[labelEnd[bt]]
                    let j = endpoint[labelEnd[bt] ^ 1]
                    if bt >= n { augmentBlossom(bt, j) }
                    mate[j] = labelEnd[bt]
                    p = labelEnd[bt] ^ 1
                }
            }
        }

        mutating func run() -> [Int] {
            for _ in 0..<n {
                // A stage: grow alternating trees from every free vertex until an augmentation.
                for index in label.indices { label[index] = 0 }
                for index in bestEdge.indices { bestEdge[index] = -1 }
                for index in n..<(2 * n) { blossomBestEdges[index] = nil }
                for index in allowEdge.indices { allowEdge[index] = false }
                queue.removeAll()
                for v in 0..<n where mate[v] == -1 && label[inBlossom[v]] == 0 {
                    assignLabel(v, 1, -1)
                }
                var augmented = false
                while true {
                    while !augmented, let v = queue.popLast() {
                        for p in neighbourEnds[v] {
                            let k = p / 2
                            let w = endpoint[p]
                            if inBlossom[v] == inBlossom[w] { continue }
                            var kSlack: Int64 = 0
                            if !allowEdge[k] {
                                kSlack = slack(k)
                                if kSlack <= 0 { allowEdge[k] = true }
                            }
                            if allowEdge[k] {
                                if label[inBlossom[w]] == 0 {
                                    assignLabel(w, 2, p ^ 1)
                                } else if label[inBlossom[w]] == 1 {
                                    let base = scanBlossom(v, w)
                                    if base >= 0 {
                                        addBlossom(base, k)
                                    } else {
                                        augmentMatching(k)
                                        augmented = true
                                        break
                                    }
                                } else if label[w] == 0 {
                                    label[w] = 2
                                    labelEnd[w] = p ^ 1
                                }
                            } else if label[inBlossom[w]] == 1 {
                                let b = inBlossom[v]
                                if bestEdge[b] == -1 || kSlack < slack(bestEdge[b]) { bestEdge[b] = k }
                            } else if label[w] == 0 {
                                if bestEdge[w] == -1 || kSlack < slack(bestEdge[w]) { bestEdge[w] = k }
                            }
                        }
                    }
                    if augmented { break }

                    // No augmenting path with tight edges: change the duals by the largest safe delta.
                    var deltaType = -1
                    var delta: Int64 = 0
                    var deltaEdge = -1
                    var deltaBlossom = -1
                    if !maximumCardinality {
                        deltaType = 1
                        delta = dual[0..<n].min()!
                    }
                    for v in 0..<n where label[inBlossom[v]] == 0 && bestEdge[v] != -1 {
                        let d = slack(bestEdge[v])
                        if deltaType == -1 || d < delta {
                            delta = d
                            deltaType = 2
                            deltaEdge = bestEdge[v]
                        }
                    }
                    for b in 0..<(2 * n) where blossomParent[b] == -1 && label[b] == 1 && bestEdge[b] != -1 {
                        let d = slack(bestEdge[b]) / 2
                        if deltaType == -1 || d < delta {
                            delta = d
                            deltaType = 3
                            deltaEdge = bestEdge[b]
                        }
                    }
                    for b in n..<(2 * n)
                    where blossomBase[b] >= 0 && blossomParent[b] == -1 && label[b] == 2
                        && (deltaType == -1 || dual[b] < delta)
                    {
                        delta = dual[b]
                        deltaType = 4
                        deltaBlossom = b
                    }
                    if deltaType == -1 {
                        // Maximum cardinality reached: one last update makes the duals optimal.
                        deltaType = 1
                        delta = max(0, dual[0..<n].min()!)
                    }
                    for v in 0..<n {
                        switch label[inBlossom[v]] {
                        case 1: dual[v] -= delta
                        case 2: dual[v] += delta
                        default: break
                        }
                    }
                    for b in n..<(2 * n) where blossomBase[b] >= 0 && blossomParent[b] == -1 {
                        switch label[b] {
                        case 1: dual[b] += delta
                        case 2: dual[b] -= delta
                        default: break
                        }
                    }
                    switch deltaType {
                    case 1:
                        break
                    case 2:
                        allowEdge[deltaEdge] = true
                        var i = edges[deltaEdge].a
                        if label[inBlossom[i]] == 0 { i = edges[deltaEdge].b }
                        queue.append(i)
                    case 3:
                        allowEdge[deltaEdge] = true
                        queue.append(edges[deltaEdge].a)
                    default:
                        expandBlossom(deltaBlossom, endStage: false)
                    }
                    if deltaType == 1 { break }
                }
                if !augmented { break }
                // End of stage: expand S-blossoms whose dual reached zero.
                for b in n..<(2 * n)
                where blossomParent[b] == -1 && blossomBase[b] >= 0 && label[b] == 1 && dual[b] == 0 {
                    expandBlossom(b, endStage: true)
                }
            }
            return (0..<n).map { mate[$0] >= 0 ? endpoint[mate[$0]] : -1 }
        }
    }
}
