import ArgumentParser
import EchoService
import ServiceKit

/// `mentornet-echo`: the echo service, for protocol conformance checks and benchmarks.
@main
struct EchoServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-echo",
        abstract: "Serve mentornet.testing.v1.Echo over the MentorNet binary protocol.",
        version: MentorNetVersion.current
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let runner = ServiceRunner(name: "echo", defaultPort: 7199, requiresSecret: false)
        let code = try await runner.main(options) { _ in ServiceSetup(rpcServices: [EchoService()]) }
        if code != 0 { throw ExitCode(code) }
    }
}
