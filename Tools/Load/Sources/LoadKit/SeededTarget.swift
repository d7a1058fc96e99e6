/// A target the tool prepares before measuring: it waits until the target is ready, seeds the
/// members the operations use, and — for scenarios that use matching — waits until matching
/// has read them from the profiles change feed.
public protocol SeededTarget: LoadTarget {
    /// Waits until the target answers its readiness check, for at most `timeout`.
    func waitUntilReady(timeout: Duration) async throws
    /// Creates `count` members, `concurrency` at a time.
    func seed(count: Int, concurrency: Int) async throws -> [SeededMember]
    /// Waits until matching knows `memberID`, for at most `timeout`.
    func waitUntilMatchingKnows(_ memberID: String, timeout: Duration) async throws
    /// Makes the operations use `seeded`; `matchFlow` when they propose, accept and end matches.
    mutating func use(_ seeded: [SeededMember], matchFlow: Bool)
    /// Closes the connections.
    func shutdown() async
}

extension SeededTarget {
    /// Gets the target ready for `scenario`: waits for readiness (then, after seeding, for
    /// matching when the scenario needs it, within the same `timeout` each) and seeds
    /// `members` members. Fails, saying why, when the target is not ready or the seed cannot
    /// serve the scenario.
    public mutating func prepare(for scenario: Scenario, members: Int, timeout: Duration) async throws {
        if scenario.usesMatchFlow {
            // Who mentors whom follows from the members' numbers alone: check before creating any.
            let planned = (0..<members).map { SeededMember(id: String($0), index: LoadMembers.firstSeed + $0) }
            guard MatchBook(planned).canMatch else {
                throw LoadError(
                    "--seed-members \(members) gives no mentee a mentor who teaches their goal: seed more members")
            }
        }
        try await waitUntilReady(timeout: timeout)
        let seeded = try await seed(count: members, concurrency: 16)
        if scenario.usesMatching, let last = seeded.last {
            try await waitUntilMatchingKnows(last.id, timeout: timeout)
        }
        use(seeded, matchFlow: scenario.usesMatchFlow)
    }
}
