/// Runs `body` for 0..<count with at most `concurrency` running at once; returns the results in
/// the order they finished. The first error stops the rest.
func concurrently<T: Sendable>(
    _ count: Int, atMost concurrency: Int, _ body: @escaping @Sendable (Int) async throws -> T
) async throws -> [T] {
    try await withThrowingTaskGroup(of: T.self) { group in
        var results: [T] = []
        var next = 0
        for _ in 0..<min(max(concurrency, 1), count) {
            let index = next
            group.addTask { try await body(index) }
            next += 1
        }
        while let result = try await group.next() {
            results.append(result)
            if next < count {
                let index = next
                group.addTask { try await body(index) }
                next += 1
            }
        }
        return results
    }
}

/// Asks `probe` every 100 ms until it returns nil (ready) or `timeout` passes; then fails with
/// `what` and the last reason the probe gave.
func waitUntilReady(_ what: String, timeout: Duration, probe: () async -> String?) async throws {
    let deadline = ContinuousClock.now + timeout
    var last = "no answer"
    while ContinuousClock.now < deadline {
        guard let reason = await probe() else { return }
        last = reason
        try await Task.sleep(for: .milliseconds(100))
    }
    throw LoadError("\(what) is not ready after \(timeout): \(last)")
}

/// Creates `count` members with `create` (their `LoadMembers` number → the new member's id): all
/// but the last `concurrency` at a time, then the last alone, so that its change follows every
/// other one in the profiles feed — once matching knows it, matching knows them all.
func seedMembers(
    count: Int, concurrency: Int, create: @escaping @Sendable (Int) async throws -> String
) async throws -> [SeededMember] {
    let first = try await concurrently(count - 1, atMost: concurrency) { offset in
        SeededMember(id: try await create(LoadMembers.firstSeed + offset), index: LoadMembers.firstSeed + offset)
    }
    let lastIndex = LoadMembers.firstSeed + count - 1
    return first + [SeededMember(id: try await create(lastIndex), index: lastIndex)]
}
