import Crypto
import EchoService
import Foundation
import RPC
import ServiceKit
import SwiftASN1
import TestSupport
import Testing
import TestingV1
import Wire
import X509

/// TLS and mutual TLS on the binary protocol, with a CA and certificates made here.
@Suite("TLS and mutual TLS between a client and a service")
struct TLSTests {
    /// A CA and what it signed, as PEM.
    struct Authority {
        let key = P256.Signing.PrivateKey()
        let certificate: Certificate
        let name: String

        init(_ name: String) throws {
            self.name = name
            let subject = try DistinguishedName { CommonName(name) }
            certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400),
                issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(keyCertSign: true))
                },
                issuerPrivateKey: .init(key))
        }

        var pem: String { get throws { try certificate.serializeAsPEM().pemString } }

        /// A certificate for `commonName`, good for `localhost` and (with `address`) 127.0.0.1, as
        /// (certificate, key).
        func issue(_ commonName: String, address: Bool = true) throws -> (String, String) {
            let leafKey = P256.Signing.PrivateKey()
            let leaf = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(leafKey.publicKey),
                notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(86_400),
                issuer: certificate.subject, subject: try DistinguishedName { CommonName(commonName) },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    SubjectAlternativeNames(
                        [.dnsName("localhost"), .dnsName(commonName)]
                            + (address ? [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))] : []))
                    try ExtendedKeyUsage([.serverAuth, .clientAuth])
                },
                issuerPrivateKey: .init(key))
            return (try leaf.serializeAsPEM().pemString, leafKey.pemRepresentation)
        }
    }

    func call(_ port: Int, tls: TLSSettings?) async throws -> String {
        let client = Client(
            configuration: ClientConfiguration(
                host: "127.0.0.1", port: port, connectTimeout: .seconds(2), maximumBackoff: .milliseconds(100),
                defaultTimeout: .seconds(5), tls: tls))
        defer { client.close() }
        return try await client.unary(EchoAPI.get, EchoRequest(text: "over tls")).text
    }

    @Test("a client that trusts the service's CA calls it; plaintext and another CA are refused")
    func serverTLS() async throws {
        let ca = try Authority("MentorNet test CA")
        let (certificate, key) = try ca.issue("profiles")
        let server = ServerConfiguration(tls: try .server(certificatePEM: certificate, privateKeyPEM: key))
        try await withTestServer([EchoService()], configuration: server) { running in
            #expect(try await call(running.port, tls: try .client(serverCA: try ca.pem)) == "over tls")
            // By name too: the certificate is for localhost.
            #expect(
                try await call(running.port, tls: try .client(serverCA: try ca.pem, serverName: "localhost"))
                    == "over tls")
            await #expect(throws: RPCError.self) { _ = try await call(running.port, tls: nil) }
            let stranger = try Authority("Someone else's CA")
            await #expect(throws: RPCError.self) {
                _ = try await call(running.port, tls: try .client(serverCA: try stranger.pem))
            }
        }
        // A certificate for a name only (no address): the name must be the one called.
        let (named, namedKey) = try ca.issue("profiles", address: false)
        let byName = ServerConfiguration(tls: try .server(certificatePEM: named, privateKeyPEM: namedKey))
        try await withTestServer([EchoService()], configuration: byName) { running in
            let answer = try await call(running.port, tls: try .client(serverCA: try ca.pem, serverName: "profiles"))
            #expect(answer == "over tls")
            await #expect(throws: RPCError.self) {
                _ = try await call(running.port, tls: try .client(serverCA: try ca.pem, serverName: "matching"))
            }
            await #expect(throws: RPCError.self) {
                _ = try await call(running.port, tls: try .client(serverCA: try ca.pem))
            }
        }
    }

    @Test("mutual TLS: only a client with a certificate the CA signed gets through")
    func mutualTLS() async throws {
        let ca = try Authority("MentorNet test CA")
        let (certificate, key) = try ca.issue("profiles")
        let server = ServerConfiguration(
            tls: try .server(certificatePEM: certificate, privateKeyPEM: key, clientCA: try ca.pem))
        try await withTestServer([EchoService()], configuration: server) { running in
            let (clientCertificate, clientKey) = try ca.issue("gateway")
            #expect(
                try await call(
                    running.port,
                    tls: try .client(serverCA: try ca.pem, certificatePEM: clientCertificate, privateKeyPEM: clientKey))
                    == "over tls")
            await #expect(throws: RPCError.self) {
                _ = try await call(running.port, tls: try .client(serverCA: try ca.pem))
            }
            let (foreign, foreignKey) = try Authority("Someone else's CA").issue("gateway")
            await #expect(throws: RPCError.self) {
                _ = try await call(
                    running.port,
                    tls: try .client(serverCA: try ca.pem, certificatePEM: foreign, privateKeyPEM: foreignKey))
            }
        }
    }

    @Test("with mutual TLS a service credential must name a service its certificate is for")
    func identityFromCertificate() async throws {
        let ca = try Authority("MentorNet test CA")
        let (certificate, key) = try ca.issue("profiles")
        let secret = "tls-identity-tests-secret-0123456789abcdef"
        let server = ServerConfiguration(
            authenticator: CallAuthenticator(secret: secret),
            tls: try .server(certificatePEM: certificate, privateKeyPEM: key, clientCA: try ca.pem))
        try await withTestServer([EchoService()], configuration: server) { running in
            let (clientCertificate, clientKey) = try ca.issue("gateway")
            let tls = try TLSSettings.client(
                serverCA: try ca.pem, certificatePEM: clientCertificate, privateKeyPEM: clientKey)
            func call(as name: String) async throws -> String {
                let client = Client(
                    configuration: ClientConfiguration(
                        host: "127.0.0.1", port: running.port, defaultTimeout: .seconds(5),
                        credential: ServiceCredential(name: name, secret: secret), tls: tls))
                defer { client.close() }
                return try await client.unary(EchoAPI.get, EchoRequest(text: "as \(name)")).text
            }
            #expect(try await call(as: "gateway") == "as gateway")
            // The right secret, but another service's name than the certificate's.
            await #expect {
                _ = try await call(as: "matching")
            } throws: {
                isRPCError($0, .unauthenticated, "names service matching, but the connection's certificate is for")
            }
        }
    }

    @Test("settings that cannot work are refused when made")
    func badSettings() throws {
        #expect(throws: (any Error).self) {
            _ = try TLSSettings.server(certificatePEM: "not a pem", privateKeyPEM: "x")
        }
        #expect(throws: (any Error).self) {
            _ = try TLSSettings.client(serverCA: "-----BEGIN CERTIFICATE-----\nAAAA\n")
        }
    }
}

/// The executables read TLS from the environment: a real service serves TLS, its `--health-check`
/// speaks it, and settings that cannot work stop the process with the variable's name.
@Suite("TLS from the environment, in the real executables")
struct ServiceTLSTests {
    /// Writes the PEM files of a CA and a certificate it issued into a new folder.
    static func files() throws -> (folder: String, ca: TLSTests.Authority) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let ca = try TLSTests.Authority("MentorNet test CA")
        let (certificate, key) = try ca.issue("echo")
        try ca.pem.write(toFile: folder + "/ca.pem", atomically: true, encoding: .utf8)
        try certificate.write(toFile: folder + "/cert.pem", atomically: true, encoding: .utf8)
        try key.write(toFile: folder + "/key.pem", atomically: true, encoding: .utf8)
        return (folder, ca)
    }

    @Test(
        "mentornet-echo serves mutual TLS from the environment; its health check and a client with a certificate get in"
    )
    func served() async throws {
        let (folder, ca) = try Self.files()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = [
            "MENTORNET_TLS_CERT_FILE": folder + "/cert.pem", "MENTORNET_TLS_KEY_FILE": folder + "/key.pem",
            "MENTORNET_TLS_CA_FILE": folder + "/ca.pem", "MENTORNET_TLS_CLIENT_AUTH": "require",
        ]
        _ = try await ServiceProcess.with("mentornet-echo", ["--listen", "127.0.0.1:0"], environment: environment) {
            service in
            let port = try await service.listeningPort()
            let (clientCertificate, clientKey) = try ca.issue("tests")
            let tls = try TLSSettings.client(
                serverCA: try ca.pem, certificatePEM: clientCertificate, privateKeyPEM: clientKey)
            let client = Client(
                configuration: ClientConfiguration(
                    host: "127.0.0.1", port: port, defaultTimeout: .seconds(5),
                    credential: ServiceCredential(name: "tests", secret: ServiceProcess.testServiceSecret), tls: tls))
            defer { client.close() }
            #expect(try await client.unary(EchoAPI.get, EchoRequest(text: "hi")).text == "hi")
            let plain = ServiceProcess.client(port: port)
            defer { plain.close() }
            await #expect(throws: RPCError.self) { _ = try await plain.unary(EchoAPI.get, EchoRequest(text: "hi")) }
            let (probe, output) = try await ServiceProcess.run(
                "mentornet-echo", ["--health-check", "--listen", "127.0.0.1:\(port)"], environment: environment)
            #expect(probe == 0, "\(output)")
            let (plainProbe, _) = try await ServiceProcess.run(
                "mentornet-echo", ["--health-check", "--listen", "127.0.0.1:\(port)"])
            #expect(plainProbe != 0)
        }
    }

    @Test("settings that cannot work stop the service at start, naming the variable")
    func refused() async throws {
        let (folder, _) = try Self.files()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (environment, words) in [
            (["MENTORNET_TLS_CERT_FILE": folder + "/cert.pem"], "MENTORNET_TLS_KEY_FILE"),
            (["MENTORNET_TLS_CA_FILE": folder + "/missing.pem"], "MENTORNET_TLS_CA_FILE"),
            (
                [
                    "MENTORNET_TLS_CERT_FILE": folder + "/cert.pem", "MENTORNET_TLS_KEY_FILE": folder + "/key.pem",
                    "MENTORNET_TLS_CLIENT_AUTH": "require",
                ], "MENTORNET_TLS_CA_FILE"
            ),
            (["MENTORNET_TLS_CLIENT_AUTH": "sometimes"], "MENTORNET_TLS_CLIENT_AUTH"),
            (
                ["MENTORNET_TLS_CERT_FILE": folder + "/ca.pem", "MENTORNET_TLS_KEY_FILE": folder + "/ca.pem"],
                "PEM"
            ),
        ] {
            let (status, output) = try await ServiceProcess.run(
                "mentornet-echo", ["--listen", "127.0.0.1:0"], environment: environment)
            #expect(status != 0 && output.contains(words), "\(environment): \(output)")
        }
    }
}
