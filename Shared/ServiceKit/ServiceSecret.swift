import Foundation
import RPC

/// The secret a deployment's services share to authenticate each other on the binary protocol
/// (`ServiceCredential`): `MENTORNET_SERVICE_SECRET`, or the file `MENTORNET_SERVICE_SECRET_FILE`
/// names (a mounted Kubernetes or Compose secret; one trailing line break is ignored).
public enum ServiceSecret {
    /// The variable holding the secret.
    public static let variable = "MENTORNET_SERVICE_SECRET"
    /// The variable naming a file that holds it.
    public static let fileVariable = "MENTORNET_SERVICE_SECRET_FILE"

    /// The configured secret, nil when neither variable is set; throws when it is unusable.
    public static func load(_ environment: Environment) throws -> String? {
        let inline = environment[variable]
        let file = environment[fileVariable]
        if inline != nil, file != nil {
            throw ServiceSecretError("set \(variable) or \(fileVariable), not both")
        }
        var secret: String
        var source = variable
        if let inline {
            secret = inline
        } else if let file {
            source = "the file \(file) (\(fileVariable))"
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else {
                throw ServiceSecretError("\(fileVariable): cannot read \(file)")
            }
            secret = text
            if secret.hasSuffix("\n") { secret.removeLast() }
            if secret.hasSuffix("\r") { secret.removeLast() }
        } else {
            return nil
        }
        if let problem = ServiceCredential.problem(withSecret: secret) {
            throw ServiceSecretError("the service secret in \(source) \(problem)")
        }
        return secret
    }

    /// The configured secret; throws, saying how to set one, when there is none.
    public static func require(_ environment: Environment, by name: String) throws -> String {
        guard let secret = try load(environment) else {
            throw ServiceSecretError(
                "mentornet-\(name) needs the service secret its peers share: set \(variable) (at least "
                    + "\(ServiceCredential.minimumSecretLength) characters; `openssl rand -hex 32` makes one) "
                    + "or \(fileVariable) (docs/security.md)")
        }
        return secret
    }
}

/// A service secret that is missing or cannot be used.
public struct ServiceSecretError: Error, CustomStringConvertible {
    /// What is wrong and how to put it right.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
