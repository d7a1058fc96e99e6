import ArgumentParser
import RPC
import ServiceKit
import SessionsService

/// `mentornet-sessions`: the sessions of active matches, over the MentorNet binary protocol.
@main
struct SessionsServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-sessions",
        abstract: "Serve mentornet.sessions.v1.Sessions: booking, moving and cancelling sessions, and the change feed.",
        version: MentorNetVersion.current
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Minutes a session must be booked (or moved) ahead of its start.")
    var minimumNoticeMinutes = 60

    @Option(help: "Minutes kept free between two sessions of one person.")
    var bufferMinutes = 10

    @Option(help: "Minutes before its start after which a session can no longer be moved or cancelled (0: none).")
    var changeCutoffMinutes = 0

    @Option(help: "Times one booking may be moved.")
    var maximumReschedules = 5

    @Flag(help: "Moving a session needs a reason.")
    var rescheduleReasonRequired = false

    @Option(
        help:
            "Seconds between runs of the jobs that announce goal reviews coming due and reveal feedback whose 7 days passed."
    )
    var dueSweepIntervalSeconds = 60

    func validate() throws {
        guard (0...10_080).contains(minimumNoticeMinutes) else {
            throw ValidationError("--minimum-notice-minutes must be 0 to 10080 (a week)")
        }
        guard (0...240).contains(bufferMinutes) else { throw ValidationError("--buffer-minutes must be 0 to 240") }
        guard (0...10_080).contains(changeCutoffMinutes) else {
            throw ValidationError("--change-cutoff-minutes must be 0 to 10080 (a week)")
        }
        guard (0...100).contains(maximumReschedules) else {
            throw ValidationError("--maximum-reschedules must be 0 to 100")
        }
        guard dueSweepIntervalSeconds >= 1 else {
            throw ValidationError("--due-sweep-interval-seconds must be at least 1")
        }
    }

    func run() async throws {
        let runner = ServiceRunner(name: "sessions", defaultPort: 7103, database: SessionsDatabase.file)
        let policy = SessionPolicy(
            minimumNoticeMinutes: minimumNoticeMinutes, bufferMinutes: bufferMinutes,
            changeCutoffMinutes: changeCutoffMinutes, maximumReschedules: maximumReschedules,
            rescheduleReasonRequired: rescheduleReasonRequired)
        let sweep = dueSweepIntervalSeconds
        let code = try await runner.main(options) { context in
            let database = try SessionsDatabase(directory: context.dataDirectory)
            let service = SessionsService(database: database, policy: policy)
            return ServiceSetup(
                rpcServices: [service],
                background: [
                    service.directory.profilesFollower(client: context.client(.profiles), logger: context.logger),
                    service.directory.matchingFollower(client: context.client(.matching), logger: context.logger),
                    PeriodicJob(
                        "goal reviews came due", every: .seconds(sweep), logger: context.logger
                    ) { try await service.announceDueReviews() },
                    PeriodicJob("session feedback revealed", every: .seconds(sweep), logger: context.logger) {
                        try await service.revealDueFeedback()
                    },
                ],
                probe: { await database.isHealthy() }, apiKeys: context.apiKeysViaProfiles())
        }
        if code != 0 { throw ExitCode(code) }
    }
}
