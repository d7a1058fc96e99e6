import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// TLS on the binary protocol (docs/security.md, "TLS"): the same frames inside a TLS 1.2+ stream.
/// A server presents its certificate and, with a CA to check them against, may require each
/// client to present one of its own (mutual TLS); a client checks the server's certificate
/// against the CA — the name it connects to (or its IP address) must be in the certificate.
/// Plaintext stays the default: a configuration without `TLSSettings` adds nothing to a
/// connection's pipeline.
public struct TLSSettings: Sendable {
    /// The context every connection's TLS handler is made from (built once).
    let context: NIOSSLContext
    /// The name a client checks the server's certificate for (nil: the host it connects to, or
    /// its IP address).
    public var serverName: String?

    /// A server's settings: its certificate chain and key, PEM; with `clientCA`, clients must
    /// present a certificate it signed.
    public static func server(certificatePEM: String, privateKeyPEM: String, clientCA: String? = nil) throws
        -> TLSSettings
    {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCA {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
            configuration.certificateVerification = .noHostnameVerification
        }
        return TLSSettings(context: try NIOSSLContext(configuration: configuration))
    }

    /// A client's settings: the CA the server's certificate must chain to, PEM; with a certificate
    /// and key, it presents them (for servers that require one).
    public static func client(
        serverCA: String, certificatePEM: String? = nil, privateKeyPEM: String? = nil, serverName: String? = nil
    ) throws -> TLSSettings {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(serverCA.utf8)))
        configuration.certificateVerification = .fullVerification
        if let certificatePEM, let privateKeyPEM {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map {
                .certificate($0)
            }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
        }
        var settings = TLSSettings(context: try NIOSSLContext(configuration: configuration))
        settings.serverName = serverName
        return settings
    }

    private init(context: NIOSSLContext) {
        self.context = context
    }

    /// The names a certificate is for: its DNS subject alternative names and its common names.
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der) else {
            return []
        }
        var names: [String] = []
        if let alternatives = try? parsed.extensions.subjectAlternativeNames {
            for name in alternatives {
                if case .dnsName(let dns) = name { names.append(dns) }
            }
        }
        for attributes in parsed.subject {
            for attribute in attributes where attribute.type == .RDNAttributeType.commonName {
                if let name = String(attribute.value) { names.append(name) }
            }
        }
        return names
    }

    /// The server's handler for a new connection.
    func serverHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: context)
    }

    /// The client's handler for a connection to `host`. A host that is an IP address goes
    /// without SNI; the certificate is then checked for the address.
    func clientHandler(host: String) throws -> NIOSSLClientHandler {
        let name = serverName ?? host
        let isAddress = (try? SocketAddress(ipAddress: name, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : name)
    }
}
