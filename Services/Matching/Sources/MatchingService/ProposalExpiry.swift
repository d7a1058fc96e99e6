import Logging
import RPC
import ServiceLifecycle

/// The durable expiry job: every `interval`, proposals past their time become EXPIRED (with a
/// change-feed event each). The deadline is stored with each proposal, so nothing is lost across
/// restarts; an acceptance that arrives late also finds the proposal expired.
public struct ProposalExpiry: Service {
    private let job: PeriodicJob

    /// A job over `service`'s store, run every `interval`.
    public init(service: MatchingService, interval: Duration, logger: Logger) {
        job = PeriodicJob("proposals expired", every: interval, logger: logger) { try await service.expireDue() }
    }

    /// Runs until the service shuts down.
    public func run() async throws {
        try await job.run()
    }
}
