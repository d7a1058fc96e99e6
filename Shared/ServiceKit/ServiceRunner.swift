import Foundation
import Logging
import NIOCore
import RPC
import ServiceLifecycle
import ServiceStore
import UnixSignals

/// What a service needs to start: its folder, its peers, a logger.
public struct ServiceContext: Sendable {
    /// Where the service keeps its SQLite file (created if missing).
    public var dataDirectory: String
    /// Where the other services listen.
    public var peers: PeerAddresses
    /// The process logger.
    public var logger: Logger
    /// What this service presents when it calls its peers; nil when no secret is configured
    /// (only a service that does not require one).
    public var credential: ServiceCredential?
    /// TLS to the peers (`MENTORNET_TLS_CA_FILE`); nil: plaintext.
    public var tls: TLSSettings?
    /// Client connections the service holds at once (`ConnectionBudget`).
    public var maximumConnections = ServerConfiguration.defaultMaximumConnections

    /// A client of `peer`, presenting this service's credential (over TLS when configured).
    public func client(_ peer: PeerService) -> Client {
        let address = peers[peer]
        return Client(
            configuration: ClientConfiguration(
                host: address.host, port: address.port, credential: credential, tls: tls))
    }
}

/// What a service runs: its RPC services, background work, and its deep health check.
public struct ServiceSetup: Sendable {
    /// Registered on the RPC server, next to health.
    public var rpcServices: [any RPCService]
    /// Long-lived work (outbox relays, expiry jobs), started before the server, stopped after it.
    public var background: [any Service]
    /// The deep health check: true while the service can do its work (e.g. its database answers).
    public var probe: @Sendable () async -> Bool
    /// Checks the API keys internal systems call with (`authorization: Bearer mnk_…`); nil: the
    /// service takes only the service credential.
    public var apiKeys: CallAuthenticator.APIKeyCheck?

    /// Creates a setup.
    public init(
        rpcServices: [any RPCService], background: [any Service] = [],
        probe: @escaping @Sendable () async -> Bool = { true }, apiKeys: CallAuthenticator.APIKeyCheck? = nil
    ) {
        self.rpcServices = rpcServices
        self.background = background
        self.probe = probe
        self.apiKeys = apiKeys
    }
}

/// Starts a MentorNet service executable the same way for every service.
public struct ServiceRunner: Sendable {
    /// The service's short name, e.g. `profiles`; the logger label is `mentornet.<name>`.
    public var name: String
    /// Where it listens when neither `--listen` nor `MENTORNET_LISTEN` says.
    public var defaultListen: ListenAddress
    /// The environment to read.
    public var environment: Environment
    /// Whether the service refuses to start without a service secret (`ServiceSecret`). Without
    /// one required, a configured secret is still checked on every call.
    public var requiresSecret: Bool
    /// The service's SQLite file in its data directory (`profiles.sqlite`), or nil for a service
    /// that keeps no data: what `--backup-to` and `--restore-from` work on, and what the running
    /// service locks its data directory for.
    public var database: String?

    /// Creates a runner.
    public init(
        name: String, defaultPort: Int, requiresSecret: Bool = true, database: String? = nil,
        environment: Environment = .current
    ) {
        self.name = name
        self.defaultListen = ListenAddress(host: "127.0.0.1", port: defaultPort)
        self.requiresSecret = requiresSecret
        self.database = database
        self.environment = environment
    }

    /// The data directory: `--data-dir`, else `MENTORNET_DATA_DIR`, else `data`.
    func dataDirectory(_ options: ServiceOptions) -> String {
        options.dataDir ?? environment["MENTORNET_DATA_DIR"] ?? "data"
    }

    /// `--backup-to` or `--restore-from`: prints the manifest as one JSON line; returns the exit
    /// code (2, with the reason on standard error, when it cannot be done).
    func backupOrRestore(_ options: ServiceOptions) -> Int32 {
        guard let database else {
            StandardStreams.error("mentornet-\(name) keeps no database: there is nothing to back up or restore\n")
            return 2
        }
        let directory = dataDirectory(options)
        let path = (directory as NSString).appendingPathComponent(database)
        do {
            let manifest: DatabaseBackup.Manifest
            if let destination = options.backupTo {
                manifest = try DatabaseBackup.backup(service: name, database: path, to: destination)
            } else {
                let lock = try DataDirectoryLock(directory: directory, name: name)
                manifest = try withExtendedLifetime(lock) {
                    try DatabaseBackup.restore(service: name, database: path, from: options.restoreFrom ?? "")
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            StandardStreams.out(String(decoding: try encoder.encode(manifest), as: UTF8.self) + "\n")
            return 0
        } catch {
            StandardStreams.error("mentornet-\(name): \(error)\n")
            return 2
        }
    }

    /// The service secret: required, or as configured.
    func secret() throws -> String? {
        requiresSecret ? try ServiceSecret.require(environment, by: name) : try ServiceSecret.load(environment)
    }

    /// Installs the log handler the options and environment ask for; returns the service's logger.
    func startLogging(_ options: ServiceOptions) -> Logger {
        let format =
            options.logFormat ?? environment["MENTORNET_LOG_FORMAT"].flatMap(LogFormat.init(rawValue:)) ?? .text
        let level = (options.logLevel ?? environment["MENTORNET_LOG_LEVEL"]).flatMap(LogSetup.level(named:)) ?? .info
        LogSetup.bootstrap(format: format, level: level)
        var logger = Logger(label: "mentornet.\(name)")
        logger.logLevel = level
        return logger
    }

    /// The connection limit from `--max-connections`, else `MENTORNET_MAX_CONNECTIONS`, else the
    /// default, within the descriptor limit (raised to its hard limit first); logged when lowered.
    func maximumConnections(_ options: ServiceOptions, logger: Logger) -> Int {
        let asked = options.maxConnections ?? environment["MENTORNET_MAX_CONNECTIONS"].flatMap { Int($0) }
        let descriptors = ConnectionBudget.raiseDescriptorLimit()
        let limit = ConnectionBudget.limit(asked: asked, descriptors: descriptors)
        if limit < asked ?? ServerConfiguration.defaultMaximumConnections {
            logger.warning(
                "holding at most \(limit) connections: the open-file limit is \(descriptors)",
                metadata: ["asked": "\(asked ?? ServerConfiguration.defaultMaximumConnections)"])
        }
        return limit
    }

    /// The address from `--listen`, else `MENTORNET_LISTEN`, else the default.
    public func listenAddress(_ options: ServiceOptions) throws -> ListenAddress {
        if let listen = options.listen { return try ListenAddress(parsing: listen, option: "--listen") }
        if let listen = environment["MENTORNET_LISTEN"] {
            return try ListenAddress(parsing: listen, option: "MENTORNET_LISTEN")
        }
        return defaultListen
    }

    /// Runs the health probe (with `--health-check`) or the service until SIGTERM/SIGINT.
    /// Returns the process exit code.
    public func main(_ options: ServiceOptions, setup: @Sendable (ServiceContext) async throws -> ServiceSetup)
        async throws -> Int32
    {
        EventLoops.configure(options, environment: environment)
        let logger = startLogging(options)
        let address = try listenAddress(options)
        if options.healthCheck {
            return await HealthProbe.run(address: address, tls: try ServiceTLS.client(environment))
        }
        if options.backupTo != nil || options.restoreFrom != nil { return backupOrRestore(options) }
        let secret = try self.secret()
        // Held for the life of the process: no second instance, and no restore, on this data.
        let lock = try database.map { _ in try DataDirectoryLock(directory: dataDirectory(options), name: name) }
        defer { withExtendedLifetime(lock) {} }
        let context = ServiceContext(
            dataDirectory: dataDirectory(options),
            peers: try PeerAddresses(environment: environment),
            logger: logger,
            credential: secret.map { ServiceCredential(name: name, secret: $0) },
            tls: try ServiceTLS.client(environment),
            maximumConnections: maximumConnections(options, logger: logger)
        )
        let serverTLS = try ServiceTLS.server(environment)
        let serviceSetup = try await setup(context)
        var router = Router()
        for service in serviceSetup.rpcServices { router.add(service) }
        let frameSize = options.maxFrameSize ?? environment["MENTORNET_MAX_FRAME_SIZE"].flatMap { Int($0) }
        let configuration = ServerConfiguration(
            host: address.host,
            port: address.port,
            maximumFrameSize: frameSize ?? ServerConfiguration().maximumFrameSize,
            maximumConnections: context.maximumConnections,
            authenticator: secret.map { CallAuthenticator(secret: $0, apiKeys: serviceSetup.apiKeys) },
            tls: serverTLS
        )
        // Health answers for each service by its full proto name (`mentornet.profiles.v1.Profiles`),
        // with the connection limits a client keeps to.
        let health = HealthService(
            services: router.services.sorted(), configuration: configuration, probe: serviceSetup.probe)
        router.add(health)
        let server = Server(
            router: router,
            configuration: configuration,
            logger: logger,
            onListening: { bound in
                logger.info("listening on \(ListenAddress(host: address.host, port: bound.port ?? address.port))")
            }
        )
        let services: [ServiceGroupConfiguration.ServiceConfiguration] =
            serviceSetup.background.map { .init(service: $0) } + [
                .init(
                    service: server, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: HealthShutdown(health: health)),
            ]
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
        logger.info("stopped")
        return 0
    }
}

extension ServiceRunner {
    /// Runs an HTTP front end (the gateway) the same way: logging, `--health-check` (an HTTP GET
    /// of `/healthz`), the first log line `listening on HOST:PORT`, graceful shutdown on signals.
    public func runHTTP(
        _ options: ServiceOptions,
        build: (ListenAddress, ServiceContext, @escaping @Sendable (Int) -> Void) async throws -> any Service
    ) async throws -> Int32 {
        EventLoops.configure(options, environment: environment)
        let logger = startLogging(options)
        let address = try listenAddress(options)
        if options.healthCheck {
            return await HTTPHealthProbe.run(address: address)
        }
        let context = ServiceContext(
            dataDirectory: options.dataDir ?? environment["MENTORNET_DATA_DIR"] ?? "data",
            peers: try PeerAddresses(environment: environment), logger: logger,
            credential: try secret().map { ServiceCredential(name: name, secret: $0) },
            tls: try ServiceTLS.client(environment), maximumConnections: maximumConnections(options, logger: logger))
        let service = try await build(address, context) { port in
            logger.info("listening on \(ListenAddress(host: address.host, port: port))")
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.info("stopped")
        return 0
    }
}

/// Reports NOT_SERVING as soon as shutdown begins (it is last in the group, so it stops first).
struct HealthShutdown: Service {
    let health: HealthService

    func run() async throws {
        try? await gracefulShutdown()
        health.enterShutdown()
    }
}
