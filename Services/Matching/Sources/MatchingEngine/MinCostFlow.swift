/// Minimum-cost flow by successive shortest paths with Johnson potentials (Bellman–Ford once,
/// then Dijkstra). Costs are integers, so the result is exact. Written here because no package
/// available to the project solves assignment problems.
struct MinCostFlow {
    struct Edge {
        var to: Int
        var capacity: Int
        var cost: Int64
        var reverse: Int
    }

    private(set) var graph: [[Edge]]

    init(nodes: Int) {
        graph = Array(repeating: [], count: nodes)
    }

    /// Adds an edge and its residual twin; returns the edge's index in `graph[from]`.
    @discardableResult
    mutating func addEdge(from: Int, to: Int, capacity: Int, cost: Int64) -> Int {
        graph[from].append(Edge(to: to, capacity: capacity, cost: cost, reverse: graph[to].count))
        graph[to].append(Edge(to: from, capacity: 0, cost: -cost, reverse: graph[from].count - 1))
        return graph[from].count - 1
    }

    /// Sends flow from `source` to `sink` along cheapest paths while a path still lowers the total
    /// cost (stops at the first path whose cost is not negative): the minimum-cost flow of any size.
    mutating func minimiseCost(source: Int, sink: Int) -> Int64 {
        let count = graph.count
        var potential = bellmanFord(source: source)
        var total: Int64 = 0
        while true {
            // Dijkstra on reduced costs (all ≥ 0 thanks to the potentials).
            var distance = [Int64](repeating: .max, count: count)
            var previous = [(node: Int, edge: Int)](repeating: (-1, -1), count: count)
            distance[source] = 0
            var heap = BinaryHeap()
            heap.push(0, source)
            while let (d, node) = heap.pop() {
                if d > distance[node] { continue }
                for (index, edge) in graph[node].enumerated() where edge.capacity > 0 && potential[edge.to] != .max {
                    let reduced = edge.cost + potential[node] - potential[edge.to]
                    let candidate = d + reduced
                    if candidate < distance[edge.to] {
                        distance[edge.to] = candidate
                        previous[edge.to] = (node, index)
                        heap.push(candidate, edge.to)
                    }
                }
            }
            guard distance[sink] != .max else { break }
            let pathCost = distance[sink] - potential[source] + potential[sink]
            guard pathCost < 0 else { break }
            var bottleneck = Int.max
            var node = sink
            while node != source {
                let (from, index) = previous[node]
                bottleneck = min(bottleneck, graph[from][index].capacity)
                node = from
            }
            node = sink
            while node != source {
                let (from, index) = previous[node]
                graph[from][index].capacity -= bottleneck
                let reverse = graph[from][index].reverse
                graph[node][reverse].capacity += bottleneck
                node = from
            }
            total += pathCost * Int64(bottleneck)
            for node in 0..<count where distance[node] != .max { potential[node] += distance[node] }
        }
        return total
    }

    private func bellmanFord(source: Int) -> [Int64] {
        var distance = [Int64](repeating: .max, count: graph.count)
        distance[source] = 0
        var changed = true
        var rounds = 0
        while changed && rounds < graph.count {
            changed = false
            rounds += 1
            for node in graph.indices where distance[node] != .max {
                for edge in graph[node] where edge.capacity > 0 && distance[node] + edge.cost < distance[edge.to] {
                    distance[edge.to] = distance[node] + edge.cost
                    changed = true
                }
            }
        }
        return distance
    }
}

/// A min-heap of (priority, node).
struct BinaryHeap {
    private var items: [(Int64, Int)] = []

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
