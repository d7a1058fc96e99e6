import Logging
import ServiceLifecycle

/// The durable expiry job: every `interval`, proposals past their time become EXPIRED (with a
/// change-feed event each). The deadline is stored with each proposal, so nothing is lost across
/// restarts; an acceptance that arrives late also finds the proposal expired.
public struct ProposalExpiry: Service {
    private let service: MatchingService
    private let interval: Duration
    private let logger: Logger

    /// A job over `service`'s store, run every `interval`.
    public init(service: MatchingService, interval: Duration, logger: Logger) {
        self.service = service
        self.interval = interval
        self.logger = logger
    }

    /// Runs until the service shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let expired = try await service.expireDue()
                    if expired > 0 { logger.info("proposals expired", metadata: ["match.count": "\(expired)"]) }
                } catch {
                    logger.error("expiring proposals failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
