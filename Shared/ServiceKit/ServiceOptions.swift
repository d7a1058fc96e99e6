import ArgumentParser

/// The options every MentorNet service takes, each with an environment variable fallback
/// (the configuration contract in docs/configuration.md).
public struct ServiceOptions: ParsableArguments, Sendable {
    /// `--listen` / `MENTORNET_LISTEN`.
    @Option(name: .long, help: "host:port to listen on; port 0 picks a free port [env: MENTORNET_LISTEN]")
    public var listen: String?

    /// `--data-dir` / `MENTORNET_DATA_DIR`.
    @Option(name: .long, help: "Folder for the service's SQLite file [env: MENTORNET_DATA_DIR] (default: ./data)")
    public var dataDir: String?

    /// `--log-format` / `MENTORNET_LOG_FORMAT`.
    @Option(name: .long, help: "text or json (one JSON object per line) [env: MENTORNET_LOG_FORMAT] (default: text)")
    public var logFormat: LogFormat?

    /// `--log-level` / `MENTORNET_LOG_LEVEL`.
    @Option(
        name: .long,
        help: "trace, debug, info, notice, warning, error or critical [env: MENTORNET_LOG_LEVEL] (default: info)")
    public var logLevel: String?

    /// `--max-frame-size` / `MENTORNET_MAX_FRAME_SIZE`.
    @Option(name: .long, help: "Largest accepted frame in bytes [env: MENTORNET_MAX_FRAME_SIZE] (default: 4194304)")
    public var maxFrameSize: Int?

    /// `--event-loops` / `MENTORNET_EVENT_LOOPS`.
    @Option(
        name: .long,
        help: "Event-loop threads [env: MENTORNET_EVENT_LOOPS] (default: the CPUs this process may run on)")
    public var eventLoops: Int?

    /// `--max-connections` / `MENTORNET_MAX_CONNECTIONS`.
    @Option(
        name: .long,
        help: """
            Connections held at once; one more is refused at once [env: MENTORNET_MAX_CONNECTIONS] \
            (default: 10000, or fewer if the open-file limit is lower)
            """)
    public var maxConnections: Int?

    /// `--health-check`.
    @Flag(
        name: .long,
        help: "Probe the service at the listen address (or --listen) and exit 0 when it is serving, 1 otherwise")
    public var healthCheck = false

    /// `--backup-to`.
    @Option(
        name: .long,
        help: """
            Copy the service's database to this new file, consistently, while the service may be running; \
            print what the backup holds as JSON and exit
            """)
    public var backupTo: String?

    /// `--restore-from`.
    @Option(
        name: .long,
        help: """
            Put this backup in place of the service's database (the service must be stopped; the database \
            replaced is kept beside it); print what it holds as JSON and exit
            """)
    public var restoreFrom: String?

    /// Creates empty options (parsing fills them).
    public init() {}

    /// Rejects values that cannot work, naming the option.
    public func validate() throws {
        let environment = Environment.current
        if [backupTo != nil, restoreFrom != nil, healthCheck].filter({ $0 }).count > 1 {
            throw ValidationError("--backup-to, --restore-from and --health-check each run alone: give one of them")
        }
        for (option, value) in [("--backup-to", backupTo), ("--restore-from", restoreFrom)] where value?.isEmpty == true
        {
            throw ValidationError("\(option) needs a file")
        }
        if let listen = listen ?? environment["MENTORNET_LISTEN"] {
            _ = try ListenAddress(parsing: listen, option: listen == self.listen ? "--listen" : "MENTORNET_LISTEN")
        }
        if let raw = environment["MENTORNET_LOG_FORMAT"], logFormat == nil, LogFormat(rawValue: raw) == nil {
            throw ValidationError("MENTORNET_LOG_FORMAT must be text or json, not \"\(raw)\"")
        }
        if let level = logLevel ?? environment["MENTORNET_LOG_LEVEL"], LogSetup.level(named: level) == nil {
            throw ValidationError(
                "log level must be one of trace, debug, info, notice, warning, error, critical; not \"\(level)\"")
        }
        let frameSize = maxFrameSize ?? environment["MENTORNET_MAX_FRAME_SIZE"].flatMap { Int($0) }
        if let frameSize, !(1024...(256 * 1024 * 1024)).contains(frameSize) {
            throw ValidationError("max frame size must be between 1024 and 268435456 bytes, not \(frameSize)")
        }
        if let raw = environment["MENTORNET_EVENT_LOOPS"], eventLoops == nil, Int(raw) == nil {
            throw ValidationError("MENTORNET_EVENT_LOOPS must be a whole number, not \"\(raw)\"")
        }
        let loops = EventLoops.count(option: eventLoops, environment: environment, available: 1)
        if !(1...EventLoops.maximum).contains(loops) {
            throw ValidationError("event loops must be between 1 and \(EventLoops.maximum), not \(loops)")
        }
        if maxConnections == nil, let raw = environment["MENTORNET_MAX_CONNECTIONS"], Int(raw) == nil {
            throw ValidationError("MENTORNET_MAX_CONNECTIONS must be a whole number, not \"\(raw)\"")
        }
        if let connections = maxConnections ?? environment["MENTORNET_MAX_CONNECTIONS"].flatMap({ Int($0) }),
            !(1...1_000_000).contains(connections)
        {
            throw ValidationError("max connections must be between 1 and 1000000, not \(connections)")
        }
        if maxFrameSize == nil, let raw = environment["MENTORNET_MAX_FRAME_SIZE"], Int(raw) == nil {
            throw ValidationError("MENTORNET_MAX_FRAME_SIZE must be a whole number of bytes, not \"\(raw)\"")
        }
    }
}

/// How log lines are written.
public enum LogFormat: String, ExpressibleByArgument, Sendable {
    /// One human-readable line per event.
    case text
    /// One JSON object per line, for containers and log collectors.
    case json
}
