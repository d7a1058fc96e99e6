import Foundation
import RPC
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A MentorNet executable running as a real process for a test, its output captured.
///
/// Built on swift-subprocess: Foundation's `Process` on Linux sometimes never reports the exit
/// of a process that ends at once (seen here with `--help`), which hung tests.
public final class ServiceProcess: Sendable {
    private let pid: pid_t
    private let output = Mutex("")
    private let changes: AsyncStream<Void>
    private let changed: AsyncStream<Void>.Continuation

    private init(pid: pid_t) {
        self.pid = pid
        (changes, changed) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The service secret the processes get (MENTORNET_SERVICE_SECRET) unless `environment` says
    /// otherwise (an empty value unsets it).
    public static let testServiceSecret = "test-service-secret-0123456789abcdef"

    /// The gateway's token settings the processes get unless `environment` says otherwise: an
    /// HS256 secret, issuer and audience (mint with `Gateway.TokenMinter`).
    public static let testTokenSettings = [
        "MENTORNET_JWT_SECRET": "test-jwt-secret-0123456789abcdef0123", "MENTORNET_JWT_ISSUER": "mentornet-tests",
        "MENTORNET_JWT_AUDIENCE": "mentornet",
    ]

    /// A client of a process on loopback `port`, presenting the test service credential.
    public static func client(port: Int) -> Client {
        Client(
            configuration: ClientConfiguration(
                host: "127.0.0.1", port: port,
                credential: ServiceCredential(name: "tests", secret: testServiceSecret)))
    }

    /// The folder holding the built executables (next to the test bundle), or
    /// MENTORNET_BIN_DIR when set.
    public static var binaryDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["MENTORNET_BIN_DIR"] { return dir }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
    }

    /// Starts `name` (e.g. `mentornet-echo`), runs `body` while it runs, then stops it (SIGKILL if
    /// `body` left it running) and returns what `body` returned, the exit status and all output.
    /// MENTORNET_* variables of the test process are not passed on; `environment` adds its own.
    /// `unprivileged`: when the tests run as root, the process runs as `nobody` (as in a container
    /// image, whose user has no capabilities).
    public static func with<T: Sendable>(
        _ name: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        cpus: String? = nil,
        unprivileged: Bool = false,
        _ body: @Sendable (ServiceProcess) async throws -> T
    ) async throws -> (value: T, status: Int32, output: String) {
        var overrides: [Environment.Key: String?] = [:]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("MENTORNET_") {
            overrides[Environment.Key(stringLiteral: key)] = .some(nil)
        }
        overrides["MENTORNET_SERVICE_SECRET"] = testServiceSecret
        for (key, value) in testTokenSettings { overrides[Environment.Key(stringLiteral: key)] = value }
        for (key, value) in environment { overrides[Environment.Key(stringLiteral: key)] = value }
        // With `cpus` (a list such as "0"), `taskset` starts the service on those CPUs only; with
        // `unprivileged`, `setpriv` drops to nobody. Each replaces itself with the next, so the
        // process is the service's.
        var command = ["\(binaryDirectory)/\(name)"] + arguments
        var copy: URL?
        defer { if let copy { try? FileManager.default.removeItem(at: copy) } }
        if unprivileged && getuid() == 0 {
            // nobody may not reach the build folder (a clone under /root, say): run a copy from a
            // folder of its own that anyone may read (the Swift runtime is found by absolute path).
            let folder = URL(fileURLWithPath: "/tmp/unprivileged-\(UUID())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            copy = folder
            let binary = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(atPath: command[0], toPath: binary.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
            command =
                ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary.path]
                + arguments
        }
        if let cpus { command = ["/usr/bin/taskset", "-c", cpus] + command }
        let result = try await Subprocess.run(
            .path(FilePath(command[0])),
            arguments: Arguments(Array(command.dropFirst())),
            environment: .inherit.updating(overrides),
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution -> (T, String) in
            let process = ServiceProcess(pid: execution.processIdentifier.value)
            let lines = execution.standardOutput
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await line in lines.strings() { process.append(line) }
                    process.changed.finish()
                }
                let value: T
                do {
                    value = try await body(process)
                } catch {
                    kill(process.pid, SIGKILL)
                    throw error
                }
                kill(process.pid, SIGKILL)  // no-op when body already stopped it
                try await group.waitForAll()
                return (value, process.text)
            }
        }
        let status: Int32 =
            switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        return (result.closureResult.0, status, result.closureResult.1)
    }

    /// Runs `name` to completion; returns its exit status and output.
    public static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:], unprivileged: Bool = false
    ) async throws -> (Int32, String) {
        let (_, status, output) = try await with(name, arguments, environment: environment, unprivileged: unprivileged)
        {
            process in
            await process.waitForEndOfOutput()
        }
        return (status, output)
    }

    private func append(_ line: String) {
        output.withLock { $0 += line.hasSuffix("\n") ? line : line + "\n" }
        changed.yield()
    }

    /// Everything the process wrote so far (stdout and stderr).
    public var text: String { output.withLock { $0 } }

    /// The names of the process's threads (from Linux's `/proc`), e.g. to count its event loops.
    public func threadNames() throws -> [String] {
        let tasks = "/proc/\(pid)/task"
        return try FileManager.default.contentsOfDirectory(atPath: tasks).map { task in
            try String(contentsOfFile: "\(tasks)/\(task)/comm", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The process's resident memory in kilobytes (Linux's `/proc/PID/status`, `VmRSS`).
    public func residentKilobytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { throw CocoaError(.fileReadCorruptFile) }
        return kilobytes
    }

    /// The process's soft and hard limits on open files (Linux's `/proc/PID/limits`).
    public func openFileLimits() throws -> (soft: String, hard: String) {
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let fields = line.dropFirst("Max open files".count).split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2 else { throw CocoaError(.fileReadCorruptFile) }
        return (String(fields[0]), String(fields[1]))
    }

    /// How many file descriptors the process has open (Linux's `/proc/PID/fd`).
    public func openDescriptors() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count
    }

    /// Opens and closes `warmUp` connections to the process at `port` (allocator pools and caches
    /// fill up first), then `count` more; answers how much resident memory (KB) and how many open
    /// descriptors the process gained over the `count`.
    public func growthUnderConnectionChurn(port: Int, warmUp: Int = 1000, count: Int) async throws -> (
        kilobytes: Int, descriptors: Int
    ) {
        func churn(_ times: Int) async throws {
            for _ in 0..<times {
                let connection = try await RawConnection(port: port)
                await connection.close()
            }
        }
        try await churn(warmUp)
        let (memory, descriptors) = (try residentKilobytes(), try openDescriptors())
        try await churn(count)
        return (try residentKilobytes() - memory, try openDescriptors() - descriptors)
    }

    /// Waits until the output contains `needle`; returns the line holding it.
    public func waitFor(_ needle: String, timeout: Duration = .seconds(30)) async throws -> String {
        let found: @Sendable () -> String? = { [self] in
            text.split(separator: "\n").first { $0.contains(needle) }.map(String.init)
        }
        let changes = self.changes
        let line = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                if let line = found() { return line }
                for await _ in changes {
                    if let line = found() { return line }
                }
                return found()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            return first
        }
        guard let line else { throw ProcessTestError.timedOut(needle, text) }
        return line
    }

    /// The port from the first `listening on HOST:PORT` line.
    public func listeningPort() async throws -> Int {
        let line = try await waitFor("listening on ")
        guard let port = line.split(separator: ":").last.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            throw ProcessTestError.noPort(line)
        }
        return port
    }

    /// Sends `signal` (SIGTERM by default).
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(pid, signal)
    }

    /// Waits until the process closed its output (it has exited or is about to).
    public func waitForEndOfOutput() async {
        for await _ in changes {}
    }
}

/// Why a process test gave up.
public enum ProcessTestError: Error, CustomStringConvertible {
    case timedOut(String, String)
    case noPort(String)

    /// What went wrong, with the output so far.
    public var description: String {
        switch self {
        case .timedOut(let needle, let output): "timed out waiting for \"\(needle)\"; output so far:\n\(output)"
        case .noPort(let line): "no port in \"\(line)\""
        }
    }
}
