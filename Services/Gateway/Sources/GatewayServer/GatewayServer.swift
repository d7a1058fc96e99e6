import ArgumentParser
import Gateway
import Logging
import ServiceKit

/// `mentornet-gateway`: JSON over HTTP for people's apps, calling the services' binary protocol.
@main
struct GatewayServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-gateway",
        abstract: "Serve the MentorNet JSON API over HTTP (see /openapi.json).",
        version: MentorNetVersion.current
    )

    @OptionGroup var options: ServiceOptions

    func run() async throws {
        let runner = ServiceRunner(name: "gateway", defaultPort: 8080)
        let code = try await runner.runHTTP(options) { address, context, onListening in
            // Who may call: bearer tokens checked against the configured keys. Made here, once the
            // runner has sized SwiftNIO's shared event loops: fetching a JWKS uses them.
            let tokens: TokenVerifier
            let traffic: TrafficSettings
            do {
                let environment = Environment.current
                tokens = try await TokenVerifier(settings: TokenSettings.fromEnvironment { environment[$0] })
                traffic = try TrafficSettings.fromEnvironment { environment[$0] }
            } catch let error as TokenSettingsError {
                throw ValidationError(error.description)
            }
            let peers = context.peers
            var addresses: [String: GatewayConfiguration.Backend] = [:]
            for name in GatewayConfiguration.defaultBackends.keys {
                // Every backend the gateway calls is a MentorNet service with its own address variable.
                guard let service = PeerService(rawValue: name) else { preconditionFailure("no peer service \(name)") }
                addresses[name] = .init(host: peers[service].host, port: peers[service].port)
            }
            let configuration = GatewayConfiguration(
                host: address.host, port: address.port, backends: addresses,
                maximumConnections: context.maximumConnections, credential: context.credential,
                tokens: tokens, traffic: traffic, backendTLS: context.tls)
            let backends = Backends(configuration: configuration)
            return GatewayApplication.build(
                configuration: configuration, backends: backends, logger: context.logger, onListening: onListening)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
