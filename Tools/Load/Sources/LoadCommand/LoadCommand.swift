import ArgumentParser
import Foundation
import Gateway
import LoadKit
import RPC

/// `mentornet-load`: offers load to the gateway (HTTP) or the services (binary protocol) and reports.
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-load",
        abstract: "Load-test MentorNet: the gateway over HTTP, or the services over the binary protocol.",
        discussion: """
            Closed loop (--connections × --inflight requests in flight) by default; --rate R offers R requests \
            per second on schedule instead (open loop; latency counts from each request's intended send time, \
            as wrk2 does), and --ramp changes that rate in steps. Waits for the target to be ready, seeds \
            members, warms up, then measures for --duration seconds or --requests requests (or the ramp's \
            steps). The match scenario and the journey propose, accept and complete matches between \
            seeded members, and (with the sessions service) book sessions in free slots, move and complete \
            them; answers the services give by their rules (a mentor with no open slot, a slot just taken) \
            are counted as refused, apart from errors. rpc:// targets are called with the service credential             of MENTORNET_SERVICE_SECRET when it is set (services refuse calls without one). See             docs/load-testing.md.
            """)

    @Option(help: "http://HOST:PORT (the gateway) or rpc://HOST:PORT (the profiles service).")
    var target: String

    @Option(
        help: ArgumentHelp(
            "With an http:// target: one bearer token for every request [env: MENTORNET_TOKEN]; by default each request acts as its member with a token minted from the gateway's development secret (MENTORNET_JWT_SECRET or MENTORNET_JWT_SECRET_FILE, MENTORNET_JWT_ISSUER, MENTORNET_JWT_AUDIENCE).",
            valueName: "token"))
    var token: String?

    @Option(
        help: ArgumentHelp(
            "With an rpc:// target: rpc://HOST:PORT of the matching service, for suggestions and matches.",
            valueName: "address"))
    var matching: String?

    @Option(
        help: ArgumentHelp(
            "With an rpc:// target and --matching: rpc://HOST:PORT of the sessions service, for booking sessions.",
            valueName: "address"))
    var sessions: String?

    @Option(
        help: ArgumentHelp(
            "With an rpc:// target: rpc://HOST:PORT of the notifications service, for reading and marking inboxes.",
            valueName: "address"))
    var notifications: String?

    @Option(
        help: ArgumentHelp(
            "With an http:// target: live notification streams (SSE) to hold open, over the seeded members, while the run goes on.",
            valueName: "count"))
    var streams = 0

    @Option(help: "One of: \(Scenarios.names.joined(separator: ", ")).")
    var scenario = "journey"

    @Option(help: "Connections to open.")
    var connections = 4

    @Option(help: "Closed loop: requests in flight per connection.")
    var inflight = 1

    @Option(help: "Open loop: requests per second (replaces --connections × --inflight as the load).")
    var rate: Double?

    @Option(
        help: ArgumentHelp(
            "Open loop in steps of rate: RATE:SECONDS,RATE:SECONDS,… (e.g. 100:10,200:10,400:10); measures their total time.",
            valueName: "steps"))
    var ramp: String?

    @Option(
        help: """
            Open loop: requests outstanding at most (default 10000); past it the next waits for one to \
            finish, its latency still counted from its intended time.
            """)
    var maxInFlight: Int?

    @Option(help: "Seconds to measure (after the warm-up).")
    var duration: Double?

    @Option(help: "Requests to measure (after the warm-up).")
    var requests: Int?

    @Option(help: "Seconds of warm-up, left out of the figures.")
    var warmup = 1.0

    @Option(help: "Members to create before measuring.")
    var seedMembers = 100

    @Option(help: "The network the members belong to.")
    var network = "load"

    @Option(help: "Seconds to wait for the target to become ready.")
    var readyTimeout = 10.0

    @Option(help: "Also write the whole report, histogram included, as JSON to this file.")
    var json: String?

    @Option(
        help: ArgumentHelp(
            "With an http:// target: write every acknowledged write (a 2xx answer to anything but a GET, seeding included) to this file as JSON lines: method, path, status, the member it acted as, and the answer's id, version and state, for checks that each is still there (scripts/chaos).",
            valueName: "file"))
    var acknowledged: String?

    @Option(help: "Exit with status 2 when more than this share of requests failed (0 to 1).")
    var maxErrorRate: Double?

    /// Whether the target reaches the matching service.
    var reachesMatching: Bool { target.hasPrefix("http://") || matching != nil }
    /// Whether the target reaches the sessions service.
    var reachesSessions: Bool { target.hasPrefix("http://") || sessions != nil }
    /// Whether the target reaches the notifications service.
    var reachesNotifications: Bool { target.hasPrefix("http://") || notifications != nil }

    func validate() throws {
        guard target.hasPrefix("http://") || RPCTarget.address(target) != nil else {
            throw ValidationError("--target must be http://HOST:PORT or rpc://HOST:PORT, not \(target)")
        }
        if let matching {
            guard target.hasPrefix("rpc://") else {
                throw ValidationError("--matching goes with an rpc:// target (the gateway reaches matching itself)")
            }
            guard RPCTarget.address(matching) != nil else {
                throw ValidationError("--matching must be rpc://HOST:PORT, not \(matching)")
            }
        }
        if let sessions {
            guard target.hasPrefix("rpc://"), matching != nil else {
                throw ValidationError("--sessions goes with an rpc:// target and --matching")
            }
            guard RPCTarget.address(sessions) != nil else {
                throw ValidationError("--sessions must be rpc://HOST:PORT, not \(sessions)")
            }
        }
        if let notifications {
            guard target.hasPrefix("rpc://") else {
                throw ValidationError("--notifications goes with an rpc:// target (the gateway reaches it itself)")
            }
            guard RPCTarget.address(notifications) != nil else {
                throw ValidationError("--notifications must be rpc://HOST:PORT, not \(notifications)")
            }
        }
        guard
            Scenarios.named(
                scenario, matching: reachesMatching, sessions: reachesSessions, notifications: reachesNotifications)
                != nil
        else {
            let hint =
                scenario == "inbox"
                ? " (it needs --notifications)"
                : Scenarios.named(scenario, matching: true, sessions: true) != nil
                    ? (Scenarios.named(scenario, matching: true) != nil
                        ? " (it needs --matching)" : " (it needs --matching and --sessions)")
                    : ""
            throw ValidationError(
                "--scenario \(scenario) is not one of \(Scenarios.names.joined(separator: ", ")) for this target\(hint)"
            )
        }
        if let ramp {
            guard RampStep.parse(ramp) != nil else {
                throw ValidationError("--ramp must be RATE:SECONDS steps separated by commas, e.g. 100:10,200:10")
            }
            guard rate == nil, duration == nil else { throw ValidationError("--ramp replaces --rate and --duration") }
        }
        guard duration != nil || requests != nil || ramp != nil else {
            throw ValidationError("give --duration or --requests")
        }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be more than 0") }
        if let requests, requests < 1 { throw ValidationError("--requests must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be more than 0") }
        if let maxInFlight {
            guard rate != nil || ramp != nil else {
                throw ValidationError(
                    "--max-in-flight goes with --rate or --ramp (a closed loop has --connections × --inflight)")
            }
            guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        }
        guard connections >= 1, inflight >= 1 else {
            throw ValidationError("--connections and --inflight must be at least 1")
        }
        guard warmup >= 0, seedMembers >= 1, readyTimeout > 0 else {
            throw ValidationError("--warmup must be 0 or more, --seed-members at least 1, --ready-timeout more than 0")
        }
        if streams != 0 {
            guard target.hasPrefix("http://") else {
                throw ValidationError("--streams goes with an http:// target (the live stream is the gateway's)")
            }
            guard (1...50_000).contains(streams) else { throw ValidationError("--streams must be 1 to 50000") }
        }
        if acknowledged != nil && !target.hasPrefix("http://") {
            throw ValidationError("--acknowledged goes with an http:// target")
        }
        if let maxErrorRate, !(0...1).contains(maxErrorRate) {
            throw ValidationError("--max-error-rate must be 0 to 1")
        }
    }

    /// The tokens of an http:// target: `--token`/MENTORNET_TOKEN, else minted per member with the
    /// gateway's development secret; nil when neither is given (a gateway without authentication).
    func tokenSource() throws -> TokenSource? {
        let environment = ProcessInfo.processInfo.environment
        if let token = token ?? environment["MENTORNET_TOKEN"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return TokenSource(.fixed(token))
        }
        guard environment["MENTORNET_JWT_SECRET"] != nil || environment["MENTORNET_JWT_SECRET_FILE"] != nil else {
            return nil
        }
        let settings: TokenSettings
        do {
            settings = try TokenSettings.fromEnvironment { environment[$0] }
        } catch let error as TokenSettingsError {
            throw ValidationError(
                error.description.replacingOccurrences(of: "mentornet-gateway", with: "mentornet-load"))
        }
        guard let secret = settings.hmacSecret else { return nil }
        return TokenSource(
            .minted(
                secret: secret, issuer: settings.issuer, audience: settings.audience,
                memberClaim: settings.memberClaim, adminNetwork: network))
    }

    func run() async throws {
        let scenario = Scenarios.named(
            scenario, matching: reachesMatching, sessions: reachesSessions, notifications: reachesNotifications)!
        let run = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        let steps = ramp.flatMap(RampStep.parse)
        let mode: LoadMode =
            steps.map { .ramp(steps: $0) } ?? rate.map { .open(rate: $0) }
            ?? .closed(concurrency: connections * inflight)
        let rampSeconds = steps.map { $0.reduce(0) { $0 + $1.seconds } }
        let plan = LoadPlan(
            mode: mode, duration: (rampSeconds ?? duration).map { .seconds($0) }, requests: requests,
            warmup: .seconds(warmup), maximumInFlight: maxInFlight ?? LoadPlan.defaultMaximumInFlight)
        let recorder = Recorder()
        let acknowledgedWrites = AcknowledgedWrites()
        let measured: Duration
        var streamFigures: LiveStreams.Figures?
        if let address = RPCTarget.address(target) {
            let rpc = RPCTarget(
                host: address.host, port: address.port, matching: matching.flatMap(RPCTarget.address),
                sessions: sessions.flatMap(RPCTarget.address), notifications: notifications.flatMap(RPCTarget.address),
                connections: connections, network: network, run: run,
                credential: ProcessInfo.processInfo.environment["MENTORNET_SERVICE_SECRET"].map {
                    ServiceCredential(name: "load", secret: $0)
                })
            measured = try await measure(rpc, scenario: scenario, plan: plan, recorder: recorder)
        } else {
            let tokens = try tokenSource()
            let http = HTTPTarget(
                base: target, connections: connections, network: network, run: run, tokens: tokens,
                acknowledged: acknowledgedWrites)
            let base = target
            let count = streams
            var streams: LiveStreams?
            measured = try await measure(
                http, scenario: scenario, plan: plan, recorder: recorder,
                before: { target in
                    guard count > 0 else { return }
                    let opened = LiveStreams(base: base, memberIDs: target.memberIDs, count: count, tokens: tokens)
                    streams = opened
                    try await opened.open(timeout: .seconds(readyTimeout + Double(count) / 100))
                },
                after: { streamFigures = await streams?.close() })
        }
        if let acknowledged { try acknowledgedWrites.write(to: acknowledged) }
        var report = Report(
            target: target, scenario: scenario.name, mode: mode, warmup: plan.warmup, measured: measured,
            snapshot: recorder.snapshot())
        report.streams = streamFigures
        if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print(report.text)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        }
        if let maxErrorRate, report.errorRate > maxErrorRate {
            FileHandle.standardError.write(
                Data("error rate \(report.errorRate) is above --max-error-rate \(maxErrorRate)\n".utf8))
            throw ExitCode(2)
        }
        if let maxErrorRate, let streams = report.streams, Double(streams.failed) / Double(streams.asked) > maxErrorRate
        {
            FileHandle.standardError.write(
                Data(
                    "\(streams.failed) of \(streams.asked) live streams failed: above --max-error-rate \(maxErrorRate)\n"
                        .utf8))
            throw ExitCode(2)
        }
    }

    /// Prepares `target` (readiness, seed), runs `before` with it, runs the plan against it, runs
    /// `after` and closes it.
    private func measure<Target: SeededTarget>(
        _ target: Target, scenario: Scenario, plan: LoadPlan, recorder: Recorder,
        before: (Target) async throws -> Void = { _ in }, after: () async -> Void = {}
    ) async throws -> Duration {
        var target = target
        do {
            try await target.prepare(for: scenario, members: seedMembers, timeout: .seconds(readyTimeout))
            try await before(target)
            // Said always (not only on a terminal): a script can wait for it before disturbing the run.
            FileHandle.standardError.write(Data("mentornet-load: ready, \(seedMembers) members seeded\n".utf8))
        } catch {
            await after()
            await target.shutdown()
            throw error
        }
        let measured = await Driver.run(
            plan, scenario: scenario, target: target, recorder: recorder, progress: Self.progress(recorder))
        await after()
        await target.shutdown()
        return measured
    }

    /// A live line on a terminal: elapsed, requests/s, errors, p99 so far.
    static func progress(_ recorder: Recorder) -> @Sendable (Duration) -> Void {
        guard isatty(STDERR_FILENO) != 0 else { return { _ in } }
        return { elapsed in
            let snapshot = recorder.snapshot()
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let done = snapshot.succeeded + snapshot.failed
            let p99 = snapshot.p99Milliseconds
            let line = String(
                format: "\r\u{1B}[K%6.1f s  %8.1f req/s  %d errors  p99 %.2f ms", seconds,
                Double(done) / max(seconds, 0.001), snapshot.failed, p99)
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
