/// The matching rules an operator sets for the whole service.
public struct MatchPolicy: Sendable {
    /// How long a proposal waits for both partners before it expires.
    public var proposalLifetime: Duration
    /// How many mentors (one-way or mutual partners) a mentee may have at once.
    public var maximumMentors: Int

    /// Creates a policy; by default proposals live 14 days and a mentee has one mentor at a time.
    public init(proposalLifetime: Duration = .seconds(14 * 24 * 3600), maximumMentors: Int = 1) {
        self.proposalLifetime = proposalLifetime
        self.maximumMentors = maximumMentors
    }
}
