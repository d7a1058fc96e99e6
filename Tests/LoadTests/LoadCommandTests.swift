import LoadKit
import TestSupport
import Testing

@Suite("mentornet-load on the command line")
struct LoadCommandTests {
    @Test(
        "bad arguments give a clear message and a non-zero exit",
        arguments: [
            (["--target", "ftp://x", "--duration", "1"], "--target must be http://HOST:PORT or rpc://HOST:PORT"),
            (["--target", "http://127.0.0.1:1"], "give --duration or --requests"),
            (["--target", "http://127.0.0.1:1", "--duration", "1", "--scenario", "dance"], "--scenario dance"),
            (
                ["--target", "rpc://127.0.0.1:1", "--duration", "1", "--scenario", "suggestions"],
                "--scenario suggestions is not one of"
            ),
            (["--target", "rpc://127.0.0.1:1", "--duration", "1", "--scenario", "match"], "(it needs --matching)"),
            (
                [
                    "--target", "rpc://127.0.0.1:1", "--duration", "1", "--scenario", "sessions", "--matching",
                    "rpc://127.0.0.1:2",
                ],
                "(it needs --matching and --sessions)"
            ),
            (
                ["--target", "rpc://127.0.0.1:1", "--duration", "1", "--sessions", "rpc://127.0.0.1:3"],
                "--sessions goes with an rpc:// target and --matching"
            ),
            (["--target", "rpc://127.0.0.1:99999", "--duration", "1"], "--target must be http://HOST:PORT or rpc://"),
            (
                ["--target", "http://127.0.0.1:1", "--duration", "1", "--matching", "rpc://127.0.0.1:2"],
                "--matching goes with an rpc:// target"
            ),
            (
                ["--target", "rpc://127.0.0.1:1", "--duration", "1", "--matching", "127.0.0.1:2"],
                "--matching must be rpc://HOST:PORT"
            ),
            (
                ["--target", "http://127.0.0.1:1", "--duration", "1", "--scenario", "match", "--seed-members", "1"],
                "--seed-members 1 gives no mentee a mentor who teaches their goal"
            ),
            (["--target", "http://127.0.0.1:1", "--duration", "1", "--rate", "0"], "--rate must be more than 0"),
            (
                ["--target", "http://127.0.0.1:1", "--duration", "1", "--max-in-flight", "5"],
                "--max-in-flight goes with"
            ),
            (
                ["--target", "http://127.0.0.1:1", "--duration", "1", "--rate", "5", "--max-in-flight", "0"],
                "--max-in-flight must be at least 1"
            ),
            (["--target", "http://127.0.0.1:1", "--duration", "1", "--max-error-rate", "2"], "--max-error-rate"),
            (["--target", "http://127.0.0.1:1", "--ramp", "fast"], "--ramp must be RATE:SECONDS steps"),
            (["--target", "http://127.0.0.1:1", "--ramp", "10:1", "--rate", "5"], "--ramp replaces --rate"),
            (
                ["--target", "rpc://127.0.0.1:1", "--duration", "1", "--acknowledged", "/tmp/x"],
                "--acknowledged goes with an http:// target"
            ),
        ])
    func badArguments(_ arguments: [String], _ message: String) async throws {
        let (status, output) = try await ServiceProcess.run("mentornet-load", arguments)
        #expect(status != 0)
        #expect(output.contains(message), "\(output)")
    }

    @Test("an unreachable target fails within the readiness timeout, saying what it tried")
    func unreachable() async throws {
        let started = ContinuousClock.now
        let (status, output) = try await ServiceProcess.run(
            "mentornet-load", ["--target", "http://127.0.0.1:1", "--duration", "1", "--ready-timeout", "1"])
        #expect(status == 1)
        #expect(output.contains("http://127.0.0.1:1 is not ready after"))
        #expect(ContinuousClock.now - started < .seconds(15))
        let (rpcStatus, rpcOutput) = try await ServiceProcess.run(
            "mentornet-load", ["--target", "rpc://127.0.0.1:1", "--requests", "5", "--ready-timeout", "1"])
        #expect(rpcStatus == 1)
        #expect(rpcOutput.contains("not ready after"))
    }
}

@Suite("the load tool's tokens")
struct TokenSourceTests {
    @Test("a request acts as the member its body or path names; one naming none uses the admin token")
    func actingMember() async throws {
        #expect(TokenSource.actingMember(path: "/v1/matches/m1:accept", body: ["memberId": "a"]) == "a")
        #expect(TokenSource.actingMember(path: "/v1/matches", body: ["requestedBy": "b"]) == "b")
        #expect(
            TokenSource.actingMember(path: "/v1/members/c/notifications?pageSize=20", body: [String: Any]?.none) == "c")
        #expect(TokenSource.actingMember(path: "/v1/members/d:pause", body: [String: Any]?.none) == "d")
        #expect(
            TokenSource.actingMember(path: "/v1/matches/m1/slots?memberId=e&limit=1", body: [String: Any]?.none) == "e")
        #expect(TokenSource.actingMember(path: "/v1/members?network=acme", body: [String: Any]?.none) == nil)
        #expect(TokenSource.actingMember(path: "/v1/members", body: ["displayName": "x"]) == nil)
        let tokens = TokenSource(
            .minted(
                secret: String(repeating: "k", count: 40), issuer: "i", audience: "a", memberClaim: "sub",
                adminNetwork: "acme"))
        let first = try await tokens.authorization(for: "a")
        #expect(first.hasPrefix("Bearer ey"))
        #expect(try await tokens.authorization(for: "a") == first, "made once per member")
        #expect(try await tokens.authorization(for: nil) != first)
    }
}
