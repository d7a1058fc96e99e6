import ProfilesV1
import RPC

extension ServiceContext {
    /// API keys as the profiles service knows them (`AuthenticateApiKey`), asked on every call made
    /// with one, so that a revoked key is refused at its next call; for the services other than
    /// profiles, which checks its own.
    public func apiKeysViaProfiles() -> CallAuthenticator.APIKeyCheck {
        let profiles = client(.profiles)
        return { key throws(RPCError) in
            let record = try await profiles.unary(
                ProfilesAPI.authenticateApiKey, AuthenticateApiKeyRequest(key: key),
                options: CallOptions(timeout: .seconds(5)))
            return Principal.apiKey(id: record.id, network: record.network, scopes: record.scopes)
        }
    }
}
