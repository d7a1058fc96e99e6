import ArgumentParser
import MatchingService
import RPC
import ServiceKit

/// `mentornet-matching`: suggestions and the match lifecycle, over the MentorNet binary protocol.
@main
struct MatchingServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-matching",
        abstract: "Serve mentornet.matching.v1.Matching: suggestions, matches and their change feed.",
        version: MentorNetVersion.current
    )

    @OptionGroup var options: ServiceOptions

    @Option(help: "Hours a proposal waits for both partners before it expires.")
    var proposalLifetimeHours = 14 * 24

    @Option(help: "Mentors (one-way or mutual) a mentee may have at once.")
    var maximumMentors = 1

    @Option(help: "Seconds between runs of the proposal expiry job.")
    var expiryIntervalSeconds = 60

    func validate() throws {
        guard proposalLifetimeHours >= 1 else { throw ValidationError("--proposal-lifetime-hours must be at least 1") }
        guard (1...10).contains(maximumMentors) else { throw ValidationError("--maximum-mentors must be 1 to 10") }
        guard expiryIntervalSeconds >= 1 else { throw ValidationError("--expiry-interval-seconds must be at least 1") }
    }

    func run() async throws {
        let runner = ServiceRunner(name: "matching", defaultPort: 7102, database: MatchingDatabase.file)
        let policy = MatchPolicy(
            proposalLifetime: .seconds(proposalLifetimeHours * 3600), maximumMentors: maximumMentors)
        let interval = Duration.seconds(expiryIntervalSeconds)
        let code = try await runner.main(options) { context in
            let database = try MatchingDatabase(directory: context.dataDirectory)
            let service = MatchingService(database: database, policy: policy)
            let profiles = context.client(.profiles)
            return ServiceSetup(
                rpcServices: [service],
                background: [
                    ProfilesFeedFollower(client: profiles, directory: service.directory, logger: context.logger),
                    service.partnershipPublisher(client: profiles, logger: context.logger),
                    ProposalExpiry(service: service, interval: interval, logger: context.logger),
                ],
                probe: { await database.isHealthy() }, apiKeys: context.apiKeysViaProfiles())
        }
        if code != 0 { throw ExitCode(code) }
    }
}
