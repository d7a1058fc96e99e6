/// Maximum-weight b-matching between two sides, exact: a minimum-cost flow solved by successive
/// shortest paths, routing one unit of the "left" side's supply at a time.
///
/// The network: each left node has `supply` units; each unit goes either to a right node over an
/// eligible pair (capacity 1, cost −score) or to the left node's own "unmatched" edge (cost 0,
/// except that leaving *every* unit of a left node unmatched costs `leftUnmatchedPenalty`). Right
/// nodes take at most `capacity` units; the first unit a right node takes costs
/// `rightFirstUnitCost` (≤ 0). Those two terms are how MAX_PARTICIPATION puts reaching more
/// mentees first, whichever side the mentees are on. Routing all supply at minimum cost is the
/// optimal assignment.
///
/// Each unit is routed along a shortest path in the residual graph by Dijkstra on reduced costs
/// (Johnson potentials keep them non-negative) that stops as soon as the sink is reached. This
/// keeps the textbook guarantee (every intermediate flow is a minimum-cost flow for the supply
/// routed so far). The caller puts the scarcer side on the left: then most units find a free
/// partner within a few steps, and the searches stay small.
struct Assignment {
    let leftCount: Int
    let rightCount: Int
    /// Left node l's eligible pairs are edges `rowStart[l]..<rowStart[l + 1]`.
    let rowStart: [Int]
    let edgeRight: [Int32]
    /// −score in hundredths.
    let edgeCost: [Int32]
    let supply: [Int]
    let capacity: [Int]
    let leftUnmatchedPenalty: Int64
    let rightFirstUnitCost: Int64

    /// Which edges carry flow (the proposed pairs).
    private(set) var used: [Bool]

    init(
        rowStart: [Int], edgeRight: [Int32], edgeCost: [Int32], supply: [Int], capacity: [Int],
        leftUnmatchedPenalty: Int64, rightFirstUnitCost: Int64
    ) {
        leftCount = supply.count
        rightCount = capacity.count
        self.rowStart = rowStart
        self.edgeRight = edgeRight
        self.edgeCost = edgeCost
        self.supply = supply
        self.capacity = capacity
        self.leftUnmatchedPenalty = leftUnmatchedPenalty
        self.rightFirstUnitCost = rightFirstUnitCost
        used = Array(repeating: false, count: edgeRight.count)
    }

    mutating func solve() {
        let (rowStart, edgeRight, edgeCost) = (self.rowStart, self.edgeRight, self.edgeCost)
        var used = self.used
        rowStart.withUnsafeBufferPointer { rowStart in
            edgeRight.withUnsafeBufferPointer { edgeRight in
                edgeCost.withUnsafeBufferPointer { edgeCost in
                    used.withUnsafeMutableBufferPointer { used in
                        solve(rowStart: rowStart, edgeRight: edgeRight, edgeCost: edgeCost, used: used)
                    }
                }
            }
        }
        self.used = used
    }

    /// Unsafe buffers throughout: the searches touch a few nodes each, millions of times, and
    /// checked arrays spent a good part of the round on bounds and exclusivity checks.
    private func solve(
        rowStart: UnsafeBufferPointer<Int>, edgeRight: UnsafeBufferPointer<Int32>, edgeCost: UnsafeBufferPointer<Int32>,
        used: UnsafeMutableBufferPointer<Bool>
    ) {
        // Nodes: left 0..<L, right L..<L+R, the sink L+R.
        let rightBase = leftCount
        let sink = leftCount + rightCount
        let nodeCount = sink + 1
        func buffer<T>(_ count: Int, _ value: T) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            buffer.initialize(repeating: value)
            return buffer
        }
        // Initial potentials: shortest distances in the (acyclic) empty residual graph.
        let potential = buffer(nodeCount, Int64(0))
        for e in edgeCost.indices {
            let node = rightBase + Int(edgeRight[e])
            potential[node] = min(potential[node], Int64(edgeCost[e]))
        }
        potential[sink] = 0
        for r in 0..<rightCount where capacity[r] > 0 {
            potential[sink] = min(potential[sink], potential[rightBase + r] + rightFirstUnitCost)
        }

        // The edges each right node holds, in slots: `slots[slotStart[r] ..< slotStart[r] + load[r]]`.
        let slotStart = buffer(rightCount + 1, 0)
        for r in 0..<rightCount { slotStart[r + 1] = slotStart[r] + max(capacity[r], 0) }
        let slots = buffer(slotStart[rightCount], Int32(-1))
        let load = buffer(rightCount, 0)
        let room = buffer(rightCount, 0)
        for r in 0..<rightCount { room[r] = capacity[r] }
        let unmatched = buffer(leftCount, 0)
        let distance = buffer(nodeCount, Int64.max)
        let settled = buffer(nodeCount, false)
        // How each reached node was reached: the node before it and the edge (≥ 0 forward
        // left → right, < 0 the reverse of edge ~e, right → left).
        let previousNode = buffer(nodeCount, Int32(-1))
        let previousEdge = buffer(nodeCount, 0)
        defer {
            for pointer in [potential, distance] { pointer.deallocate() }
            for pointer in [slotStart, load, room, unmatched, previousEdge] { pointer.deallocate() }
            slots.deallocate()
            settled.deallocate()
            previousNode.deallocate()
        }
        var touched: [Int] = []
        var settledOrder: [Int] = []
        var heap = BinaryHeap()
        let (leftUnmatchedPenalty, rightFirstUnitCost) = (self.leftUnmatchedPenalty, self.rightFirstUnitCost)

        /// The left node whose row holds edge `e` (binary search over the row starts).
        @inline(__always) func rowOwner(of e: Int) -> Int {
            var low = 0
            var high = rowStart.count - 1
            while high - low > 1 {
                let middle = (low + high) / 2
                if rowStart[middle] <= e { low = middle } else { high = middle }
            }
            return low
        }

        for source in 0..<leftCount {
            for _ in 0..<supply[source] {
                distance[source] = 0
                touched.append(source)
                heap.push(0, source)

                // Nothing at or beyond the sink's tentative distance can be on a shorter path
                // (reduced costs are non-negative), so it is neither recorded nor queued.
                @inline(__always) func reachSink(_ from: Int, _ candidate: Int64) {
                    if candidate < distance[sink] {
                        if distance[sink] == .max { touched.append(sink) }
                        distance[sink] = candidate
                        previousNode[sink] = Int32(from)
                        heap.push(candidate, sink)
                    }
                }
                @inline(__always) func relax(_ from: Int, _ to: Int, _ candidate: Int64, _ edge: Int) {
                    if candidate >= distance[to] || candidate >= distance[sink] { return }
                    if distance[to] == .max { touched.append(to) }
                    distance[to] = candidate
                    previousNode[to] = Int32(from)
                    previousEdge[to] = edge
                    // A right node with room leads straight to the sink: bound the search at once.
                    let right = to - rightBase
                    if right >= 0 && load[right] < room[right] {
                        let cost: Int64 = load[right] == 0 ? rightFirstUnitCost : 0
                        reachSink(to, candidate + cost + potential[to] - potential[sink])
                    }
                    if candidate < distance[sink] { heap.push(candidate, to) }
                }

                while let (d, node) = heap.pop() {
                    if node == sink { break }
                    if settled[node] || d > distance[node] { continue }
                    settled[node] = true
                    settledOrder.append(node)
                    let base = d + potential[node]
                    if node < rightBase {
                        for e in rowStart[node]..<rowStart[node + 1] where !used[e] {
                            let to = rightBase + Int(edgeRight[e])
                            if settled[to] { continue }
                            relax(node, to, base + Int64(edgeCost[e]) - potential[to], e)
                        }
                        if unmatched[node] < supply[node] {
                            let cost: Int64 = unmatched[node] == supply[node] - 1 ? leftUnmatchedPenalty : 0
                            reachSink(node, base + cost - potential[sink])
                        }
                    } else {
                        let right = node - rightBase
                        for slot in slotStart[right]..<(slotStart[right] + load[right]) {
                            let e = Int(slots[slot])
                            let left = rowOwner(of: e)
                            if settled[left] { continue }
                            relax(node, left, base - Int64(edgeCost[e]) - potential[left], ~e)
                        }
                    }
                }

                // Route the unit along the path, from the sink back to the source.
                var node = Int(previousNode[sink])
                if node < rightBase { unmatched[node] += 1 }
                while node != source {
                    let edge = previousEdge[node]
                    if edge >= 0 {
                        let right = node - rightBase
                        used[edge] = true
                        slots[slotStart[right] + load[right]] = Int32(edge)
                        load[right] += 1
                    } else {
                        let e = ~edge
                        used[e] = false
                        let right = Int(previousNode[node]) - rightBase
                        let first = slotStart[right]
                        let slot = (first..<(first + load[right])).first { slots[$0] == Int32(e) }!
                        slots[slot] = slots[first + load[right] - 1]
                        load[right] -= 1
                    }
                    node = Int(previousNode[node])
                }

                let reach = distance[sink]
                for node in settledOrder where distance[node] < reach {
                    potential[node] += distance[node] - reach
                }
                for node in touched {
                    distance[node] = .max
                    settled[node] = false
                }
                touched.removeAll(keepingCapacity: true)
                settledOrder.removeAll(keepingCapacity: true)
                heap.removeAll()
            }
        }
    }
}

/// A min-heap of (priority, node).
struct BinaryHeap {
    private var items: [(Int64, Int)] = []

    mutating func removeAll() {
        items.removeAll(keepingCapacity: true)
    }

    mutating func push(_ priority: Int64, _ node: Int) {
        items.append((priority, node))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].0 < items[parent].0 else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (Int64, Int)? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < items.count && items[left].0 < items[smallest].0 { smallest = left }
                if right < items.count && items[right].0 < items[smallest].0 { smallest = right }
                guard smallest != parent else { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
