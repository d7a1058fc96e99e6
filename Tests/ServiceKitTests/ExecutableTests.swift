import EchoService
import Foundation
import ProfilesV1
import RPC
import ServiceKit
import TestSupport
import Testing
import TestingV1
import Wire

/// Starts the real `mentornet-echo` executable, as containers and the suite runner do.
@Suite("a service executable, run as a process")
struct ExecutableTests {
    @Test("it reports its port first, serves, answers --health-check and stops on SIGTERM")
    func lifecycle() async throws {
        let (port, status, output) = try await ServiceProcess.with("mentornet-echo", ["--listen", "127.0.0.1:0"]) {
            service in
            let port = try await service.listeningPort()
            let first = service.text.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.contains("listening on 127.0.0.1:\(port)"))
            // swift-log's StreamLogHandler layout: time, level, label, metadata, [source] message.
            let layout =
                /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info [^ ]+:( [^ =]+=[^ ]*)* \[[^\]]+\] listening on .+$/
            #expect(first.wholeMatch(of: layout) != nil, "\(first)")

            let client = ServiceProcess.client(port: port)
            defer { client.close() }
            let response = try await client.unary(EchoAPI.get, EchoRequest(text: "over a real process"))
            #expect(response.text == "over a real process")
            // Health knows the service by its full proto name, as health.proto's example says.
            let named = try await client.unary(HealthAPI.check, HealthCheckRequest(service: EchoAPI.service))
            #expect(named.status == .serving)
            await #expect(throws: RPCError.self) {
                try await client.unary(HealthAPI.check, HealthCheckRequest(service: "EchoService"))
            }

            let (healthy, healthOutput) = try await ServiceProcess.run(
                "mentornet-echo", ["--health-check", "--listen", "127.0.0.1:\(port)"])
            #expect(healthy == 0, "\(healthOutput)")
            #expect(healthOutput.contains("SERVING"))

            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
            return port
        }
        #expect(status == 0)
        #expect(output.contains("stopped"))

        let (down, downOutput) = try await ServiceProcess.run(
            "mentornet-echo",
            ["--health-check"],
            environment: ["MENTORNET_LISTEN": "127.0.0.1:\(port)"]
        )
        #expect(down == 1)
        #expect(downOutput.contains("127.0.0.1:\(port)"))
    }

    // The image runs its services as a user without capabilities. Asking for TCP_NODELAY at the
    // socket level (SOL_SOCKET) set SO_DEBUG instead, which needs CAP_NET_ADMIN: as any other
    // user, every accepted connection was closed and every outgoing connection failed.
    @Test("run by a user without privileges, it serves, calls out and answers --health-check")
    func unprivileged() async throws {
        let status = try await ServiceProcess.with(
            "mentornet-echo", ["--listen", "127.0.0.1:0"], unprivileged: true
        ) { service in
            let port = try await service.listeningPort()
            let client = ServiceProcess.client(port: port)
            defer { client.close() }
            let response = try await client.unary(EchoAPI.get, EchoRequest(text: "as nobody"))
            #expect(response.text == "as nobody")
            // The probe's client connection is made by the unprivileged process too.
            let (healthy, output) = try await ServiceProcess.run(
                "mentornet-echo", ["--health-check", "--listen", "127.0.0.1:\(port)"], unprivileged: true)
            #expect(healthy == 0, "\(output)")
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
        }.status
        #expect(status == 0)
    }

    @Test("JSON logs put one object per line, the first saying where it listens")
    func jsonLogs() async throws {
        let environment = ["MENTORNET_LISTEN": "127.0.0.1:0", "MENTORNET_LOG_FORMAT": "json"]
        let (first, status, _) = try await ServiceProcess.with("mentornet-echo", [], environment: environment) {
            service in
            _ = try await service.listeningPort()
            let first = service.text.split(separator: "\n").first.map(String.init) ?? ""
            service.signal(SIGINT)
            await service.waitForEndOfOutput()
            return first
        }
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect((object?["message"] as? String)?.hasPrefix("listening on 127.0.0.1:") == true)
        #expect(object?["level"] as? String == "info")
        #expect(status == 0)
    }

    @Test(
        "bad configuration is refused with a message naming it and a non-zero exit",
        arguments: [
            (["--listen", "nowhere"], [String: String](), "--listen"),
            (["--log-level", "loud"], [:], "log level"),
            (["--max-frame-size", "12"], [:], "max frame size"),
            (["--event-loops", "0"], [:], "event loops"),
            (["--max-connections", "0"], [:], "max connections"),
            ([], ["MENTORNET_MAX_CONNECTIONS": "lots"], "MENTORNET_MAX_CONNECTIONS"),
            ([], ["MENTORNET_EVENT_LOOPS": "many"], "MENTORNET_EVENT_LOOPS"),
            ([], ["MENTORNET_LOG_FORMAT": "xml"], "MENTORNET_LOG_FORMAT"),
            ([], ["MENTORNET_LISTEN": "1.2.3.4"], "MENTORNET_LISTEN"),
            (["--health-check", "--listen", "127.0.0.1:0"], [:], "port 0"),
        ]
    )
    func badConfiguration(_ arguments: [String], _ environment: [String: String], _ named: String) async throws {
        let (status, output) = try await ServiceProcess.run("mentornet-echo", arguments, environment: environment)
        #expect(status != 0)
        #expect(output.contains(named), "\(output)")
    }

    @Test(
        "a data service will not start without a usable service secret, and says how to give one",
        arguments: [
            ([String: String](), "needs the service secret its peers share: set MENTORNET_SERVICE_SECRET"),
            (["MENTORNET_SERVICE_SECRET": "short"], "at least 32 characters"),
            (["MENTORNET_SERVICE_SECRET_FILE": "/nonexistent/secret"], "cannot read /nonexistent/secret"),
            (
                [
                    "MENTORNET_SERVICE_SECRET_FILE": "/nonexistent/secret",
                    "MENTORNET_SERVICE_SECRET": String(repeating: "s", count: 40),
                ],
                "not both"
            ),
        ]
    )
    func secretRequired(_ environment: [String: String], _ message: String) async throws {
        var environment = environment
        if environment["MENTORNET_SERVICE_SECRET"] == nil { environment["MENTORNET_SERVICE_SECRET"] = "" }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (status, output) = try await ServiceProcess.run(
            "mentornet-profiles", ["--listen", "127.0.0.1:0", "--data-dir", directory], environment: environment)
        #expect(status != 0)
        #expect(output.contains(message), "\(output)")
    }

    @Test("a service with its secret in a file refuses calls without the credential and answers health to anyone")
    func secretFromFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("service-secret").path
        try Data((ServiceProcess.testServiceSecret + "\n").utf8).write(to: URL(fileURLWithPath: file))
        let environment = ["MENTORNET_SERVICE_SECRET": "", "MENTORNET_SERVICE_SECRET_FILE": file]
        let (_, status, output) = try await ServiceProcess.with(
            "mentornet-profiles", ["--listen", "127.0.0.1:0", "--data-dir", folder.path], environment: environment
        ) { service in
            let port = try await service.listeningPort()
            let anonymous = Client(host: "127.0.0.1", port: port)
            let authenticated = ServiceProcess.client(port: port)
            defer { [anonymous, authenticated].forEach { $0.close() } }
            await #expect {
                _ = try await anonymous.unary(ProfilesAPI.listMembers, ListMembersRequest())
            } throws: { isRPCError($0, .unauthenticated) }
            _ = try await authenticated.unary(ProfilesAPI.listMembers, ListMembersRequest())
            #expect(try await anonymous.unary(HealthAPI.check, HealthCheckRequest()).status == .serving)
            let (healthy, _) = try await ServiceProcess.run(
                "mentornet-profiles", ["--health-check", "--listen", "127.0.0.1:\(port)"],
                environment: ["MENTORNET_SERVICE_SECRET": ""])
            #expect(healthy == 0)
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
        }
        #expect(status == 0, "\(output)")
    }

    @Test(
        "it runs an event-loop thread per CPU it may use, or as many as --event-loops or MENTORNET_EVENT_LOOPS say",
        arguments: [
            ([], [String: String](), "0", 1), (["--event-loops", "3"], [:], "0", 3),
            ([], ["MENTORNET_EVENT_LOOPS": "2"], nil, 2),
        ]
    )
    func eventLoops(_ arguments: [String], _ environment: [String: String], _ cpus: String?, _ expected: Int)
        async throws
    {
        let loops = try await ServiceProcess.with(
            "mentornet-echo", ["--listen", "127.0.0.1:0"] + arguments, environment: environment, cpus: cpus
        ) { service in
            _ = try await service.listeningPort()
            // SwiftNIO names the shared group's threads NIO-SGLTN-<group>-#<n>.
            let loops = try service.threadNames().filter { $0.hasPrefix("NIO-SGLTN") }.count
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
            return loops
        }.0
        #expect(loops == expected)
    }

    @Test("connections opened and closed leave no memory behind: resident memory levels off")
    func noLeakPerConnection() async throws {
        // Each accepted connection used to keep about 5.5 KB for good (its handler held the
        // pipeline context that held it): 6,000 connections grew the process by ~33 MB.
        let (grown, _, _) = try await ServiceProcess.with("mentornet-echo", ["--listen", "127.0.0.1:0"]) {
            service in
            let grown = try await service.growthUnderConnectionChurn(
                port: try await service.listeningPort(), count: 6000)
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
            return grown
        }
        #expect(grown.kilobytes < 8_000, "resident memory grew \(grown.kilobytes) KB over 6,000 connections")
        #expect(grown.descriptors < 50, "\(grown.descriptors) more descriptors open after 6,000 connections")
    }

    @Test(
        "its connection limit: one more is sent GOAWAY RESOURCE_EXHAUSTED; the open-file limit is raised to its hard limit"
    )
    func connectionLimit() async throws {
        _ = try await ServiceProcess.with(
            "mentornet-echo", ["--listen", "127.0.0.1:0"], environment: ["MENTORNET_MAX_CONNECTIONS": "1"]
        ) { service in
            let port = try await service.listeningPort()
            let limits = try service.openFileLimits()
            #expect(limits.soft == limits.hard, "open files: soft \(limits.soft), hard \(limits.hard)")
            // Health needs no credential: the raw connection can call it.
            let held = try await RawConnection(port: port)
            try await held.request(1, HealthAPI.check.path, try HealthCheckRequest().encoded())
            #expect(try await held.next()?.status == nil)
            let refused = try await RawConnection(port: port)
            let frames = try await refused.remainingFrames()
            #expect(frames.map(\.kind) == [.goaway])
            #expect(frames.first?.status?.code == .resourceExhausted)
            #expect(frames.first?.status?.message.contains("maximum of 1 connections") == true)
            try await held.request(2, HealthAPI.check.path, try HealthCheckRequest().encoded())
            #expect(try await held.next()?.status == nil)
            await held.close()
            service.signal(SIGTERM)
            await service.waitForEndOfOutput()
        }
    }

    @Test("the connection limit stays within the open-file limit")
    func connectionBudget() {
        #expect(ConnectionBudget.limit(asked: nil, descriptors: 1_048_576) == 10_000)
        #expect(ConnectionBudget.limit(asked: 50_000, descriptors: 1_048_576) == 50_000)
        #expect(ConnectionBudget.limit(asked: nil, descriptors: 1024) == 1024 - ConnectionBudget.reserved)
        #expect(ConnectionBudget.limit(asked: 5, descriptors: 1024) == 5)
        #expect(ConnectionBudget.limit(asked: nil, descriptors: 100) == 1)
    }

    @Test("--help and --version answer")
    func helpAndVersion() async throws {
        let (helpStatus, help) = try await ServiceProcess.run("mentornet-echo", ["--help"])
        #expect(helpStatus == 0)
        #expect(help.contains("MENTORNET_LISTEN"))
        let (versionStatus, version) = try await ServiceProcess.run("mentornet-echo", ["--version"])
        #expect(versionStatus == 0)
        #expect(version.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }
}
