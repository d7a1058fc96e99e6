import Logging
import ServiceLifecycle

/// A service's background job: every `interval`, `work` runs once; what it did is logged when it
/// did something, a failure is logged and retried at the next turn. The job's state lives in the
/// service's database (deadlines, markers of what was done), so a restart loses nothing and
/// repeats nothing. Stops with the service.
public struct PeriodicJob: Service {
    private let name: String
    private let interval: Duration
    private let logger: Logger
    private let work: @Sendable () async throws -> Int

    /// A job called `name` (for logs) running `work` (which answers how many things it did)
    /// every `interval`.
    public init(
        _ name: String, every interval: Duration, logger: Logger, work: @escaping @Sendable () async throws -> Int
    ) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    /// Runs until the service shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let done = try await work()
                    if done > 0 { logger.info("\(name)", metadata: ["job.count": "\(done)"]) }
                } catch {
                    logger.error("\(name) failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
