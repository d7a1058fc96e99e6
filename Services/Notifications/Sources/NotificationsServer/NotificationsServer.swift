import ArgumentParser
import NotificationsService
import RPC
import ServiceKit

/// `mentornet-notifications`: members' inboxes, reminders, nudges and live streams, over the
/// MentorNet binary protocol.
@main
struct NotificationsServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-notifications",
        abstract:
            "Serve mentornet.notifications.v1.Notifications: inboxes, reminders, nudges, digests and live streams.",
        version: MentorNetVersion.current
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Milliseconds between runs of the job that fires due reminders and ends quiet hours.")
    var deliveryIntervalMilliseconds = 500

    @Option(help: "Seconds between runs of the job that sends nudges and digests and prunes the live stream.")
    var sweepIntervalSeconds = 60

    @Option(help: "Hours live-stream events are kept for resuming (Last-Event-ID).")
    var streamRetentionHours = 72

    func validate() throws {
        guard (50...10_000).contains(deliveryIntervalMilliseconds) else {
            throw ValidationError("--delivery-interval-milliseconds must be 50 to 10000")
        }
        guard (1...3600).contains(sweepIntervalSeconds) else {
            throw ValidationError("--sweep-interval-seconds must be 1 to 3600")
        }
        guard (1...720).contains(streamRetentionHours) else {
            throw ValidationError("--stream-retention-hours must be 1 to 720 (30 days)")
        }
    }

    func run() async throws {
        let runner = ServiceRunner(name: "notifications", defaultPort: 7104, database: NotificationsDatabase.file)
        let delivery = deliveryIntervalMilliseconds
        let sweep = sweepIntervalSeconds
        let retention = streamRetentionHours
        let code = try await runner.main(options) { context in
            let database = try NotificationsDatabase(directory: context.dataDirectory)
            let service = NotificationsService(database: database, streamRetentionHours: retention)
            return ServiceSetup(
                rpcServices: [service],
                background: [
                    service.profilesFollower(client: context.client(.profiles), logger: context.logger),
                    service.matchingFollower(client: context.client(.matching), logger: context.logger),
                    service.sessionsFollower(client: context.client(.sessions), logger: context.logger),
                    PeriodicJob(
                        "reminders fired and quiet hours ended", every: .milliseconds(delivery), logger: context.logger
                    ) {
                        try await service.deliverDue()
                    },
                    PeriodicJob("nudges and digests sent", every: .seconds(sweep), logger: context.logger) {
                        try await service.sweep()
                    },
                ],
                probe: { await database.isHealthy() }, apiKeys: context.apiKeysViaProfiles())
        }
        if code != 0 { throw ExitCode(code) }
    }
}
