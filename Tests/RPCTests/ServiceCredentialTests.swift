import EchoService
import TestSupport
import Testing
import TestingV1
import Wire

@testable import RPC

@Suite("service credentials on the binary protocol")
struct ServiceCredentialTests {
    static let secret = "credential-tests-secret-0123456789abcdef"
    static let authenticated = ServerConfiguration(authenticator: CallAuthenticator(secret: secret))

    func client(_ server: TestServer, credential: ServiceCredential?) -> Client {
        Client(
            configuration: ClientConfiguration(
                host: "127.0.0.1", port: server.port, defaultTimeout: .seconds(10), credential: credential))
    }

    @Test("a call without credentials, with another scheme or with a wrong secret is UNAUTHENTICATED")
    func refused() async throws {
        try await withTestServer([EchoService(), HealthService()], configuration: Self.authenticated) { server in
            let anonymous = client(server, credential: nil)
            let wrong = client(server, credential: ServiceCredential(name: "gateway", secret: Self.secret + "x"))
            let short = client(server, credential: ServiceCredential(name: "gateway", secret: "short"))
            defer { [anonymous, wrong, short].forEach { $0.close() } }
            await #expect {
                _ = try await anonymous.unary(EchoAPI.get, EchoRequest(text: "hi"))
            } throws: { isRPCError($0, .unauthenticated, "authorization: Service <name> <secret>") }
            await #expect {
                _ = try await wrong.unary(EchoAPI.get, EchoRequest(text: "hi"))
            } throws: { isRPCError($0, .unauthenticated, "not valid") }
            await #expect {
                _ = try await short.unary(EchoAPI.get, EchoRequest(text: "hi"))
            } throws: { isRPCError($0, .unauthenticated, "not valid") }
            let other = Metadata(dictionaryLiteral: ("authorization", "Bearer \(Self.secret)"))
            await #expect {
                _ = try await anonymous.unary(
                    EchoAPI.get, EchoRequest(text: "hi"), options: CallOptions(metadata: other))
            } throws: { isRPCError($0, .unauthenticated, "this server takes no API keys") }
            let otherScheme = Metadata(dictionaryLiteral: ("authorization", "Basic \(Self.secret)"))
            await #expect {
                _ = try await anonymous.unary(
                    EchoAPI.get, EchoRequest(text: "hi"), options: CallOptions(metadata: otherScheme))
            } throws: { isRPCError($0, .unauthenticated, "must be \"Service <name> <secret>\"") }
            // Streaming methods too, and the connection stays usable after a refusal.
            await #expect {
                for try await _ in anonymous.serverStreaming(EchoAPI.expand, EchoRequest(text: "a b")) {}
            } throws: { isRPCError($0, .unauthenticated) }
            // Health answers anyone: probes and load balancers carry no credentials.
            let health = try await anonymous.unary(HealthAPI.check, HealthCheckRequest())
            #expect(health.status == .serving)
        }
    }

    @Test("the right credential is accepted, and a principal it carries reaches the next hop")
    func accepted() async throws {
        let credential = ServiceCredential(name: "tests", secret: Self.secret)
        try await withTestServer([ProbeService()], configuration: Self.authenticated) { downstream in
            let next = client(downstream, credential: credential)
            defer { next.close() }
            try await withTestServer([ProbeService(downstream: next)], configuration: Self.authenticated) { front in
                let caller = client(front, credential: credential)
                defer { caller.close() }
                let options = CallOptions(metadata: [Metadata.principalKey: "member=m1"])
                let direct = try await caller.unary(ProbeService.inspect, EchoRequest(text: "x"), options: options)
                #expect(direct.tags == ["member=m1"])
                let relayed = try await caller.unary(ProbeService.relay, EchoRequest(text: "x"), options: options)
                #expect(relayed.tags == ["member=m1"])
            }
        }
    }

    @Test("secrets are compared whole: a prefix, an extension or another length never matches")
    func comparison() {
        let secret = Array(Self.secret.utf8)
        #expect(CallAuthenticator.equal(secret, secret))
        #expect(!CallAuthenticator.equal(Array(secret.dropLast()), secret))
        #expect(!CallAuthenticator.equal(secret + Array(repeating: 0, count: 256), secret))
        #expect(!CallAuthenticator.equal([], secret))
        #expect(ServiceCredential.problem(withSecret: "too short") != nil)
        #expect(ServiceCredential.problem(withSecret: Self.secret + " x") != nil)
        #expect(ServiceCredential.problem(withSecret: Self.secret) == nil)
    }
}
