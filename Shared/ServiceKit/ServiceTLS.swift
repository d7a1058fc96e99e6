import Foundation
import RPC

/// TLS on the binary protocol, from the environment (docs/security.md, "TLS"): off unless set.
///
/// - `MENTORNET_TLS_CERT_FILE`, `MENTORNET_TLS_KEY_FILE`: this process's certificate (chain) and
///   key, PEM. A service serves TLS with them, and presents them to peers that require it.
/// - `MENTORNET_TLS_CA_FILE`: the CA the peers' certificates chain to. With it, this process calls
///   its peers over TLS, checking their certificates for the names it calls them by.
/// - `MENTORNET_TLS_CLIENT_AUTH`: `require` (mutual TLS: a service accepts only callers with a
///   certificate the CA signed) or `none` (the default).
public enum ServiceTLS {
    /// The variables read.
    public enum Variable {
        public static let certificate = "MENTORNET_TLS_CERT_FILE"
        public static let key = "MENTORNET_TLS_KEY_FILE"
        public static let ca = "MENTORNET_TLS_CA_FILE"
        public static let clientAuth = "MENTORNET_TLS_CLIENT_AUTH"
    }

    /// A service's server settings: nil without a certificate.
    public static func server(_ environment: Environment) throws -> TLSSettings? {
        guard let (certificate, key) = try identity(environment) else {
            if try mutual(environment) {
                throw ServiceTLSError(
                    "\(Variable.clientAuth)=require needs \(Variable.certificate) and \(Variable.key): "
                        + "a service checking its callers' certificates serves TLS itself")
            }
            return nil
        }
        let mutual = try mutual(environment)
        let ca = try read(Variable.ca, environment)
        if mutual && ca == nil {
            throw ServiceTLSError(
                "\(Variable.clientAuth)=require needs \(Variable.ca): the CA callers' certificates chain to")
        }
        do {
            return try .server(certificatePEM: certificate, privateKeyPEM: key, clientCA: mutual ? ca : nil)
        } catch {
            throw ServiceTLSError(
                "\(Variable.certificate) and \(Variable.key) must hold a PEM certificate and its PEM private key: \(error)"
            )
        }
    }

    /// The settings for calling peers: nil without a CA (plaintext).
    public static func client(_ environment: Environment) throws -> TLSSettings? {
        guard let ca = try read(Variable.ca, environment) else { return nil }
        let identity = try identity(environment)
        do {
            return try .client(serverCA: ca, certificatePEM: identity?.0, privateKeyPEM: identity?.1)
        } catch {
            throw ServiceTLSError("\(Variable.ca) must hold PEM certificates: \(error)")
        }
    }

    private static func identity(_ environment: Environment) throws -> (String, String)? {
        let certificate = try read(Variable.certificate, environment)
        let key = try read(Variable.key, environment)
        switch (certificate, key) {
        case (nil, nil): return nil
        case (let certificate?, let key?): return (certificate, key)
        default: throw ServiceTLSError("set both \(Variable.certificate) and \(Variable.key), or neither")
        }
    }

    private static func mutual(_ environment: Environment) throws -> Bool {
        switch environment[Variable.clientAuth] ?? "none" {
        case "none", "": return false
        case "require": return true
        case let other: throw ServiceTLSError("\(Variable.clientAuth) must be none or require, not \"\(other)\"")
        }
    }

    private static func read(_ variable: String, _ environment: Environment) throws -> String? {
        guard let path = environment[variable], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ServiceTLSError("\(variable): cannot read \(path)")
        }
        return text
    }
}

/// TLS settings that cannot work: what is wrong and which variable to change.
public struct ServiceTLSError: Error, CustomStringConvertible {
    /// What is wrong and how to put it right.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
