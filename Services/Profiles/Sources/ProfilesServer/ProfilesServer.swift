import ArgumentParser
import ProfilesService
import RPC
import ServiceKit

/// `mentornet-profiles`: the members of the network, over the MentorNet binary protocol.
@main
struct ProfilesServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-profiles",
        abstract: "Serve mentornet.profiles.v1.Profiles: members, search and the change feed.",
        version: MentorNetVersion.current
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let runner = ServiceRunner(name: "profiles", defaultPort: 7101, database: ProfilesDatabase.file)
        let code = try await runner.main(options) { context in
            let database = try ProfilesDatabase(directory: context.dataDirectory)
            let service = ProfilesService(database: database)
            return ServiceSetup(
                rpcServices: [service], probe: { await database.isHealthy() },
                apiKeys: { key throws(RPCError) in try await service.apiKeyPrincipal(key) })
        }
        if code != 0 { throw ExitCode(code) }
    }
}
