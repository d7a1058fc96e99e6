import Foundation
import ProfilesService
import ProfilesV1
import RPC
import Synchronization
import TestSupport
import Testing
import Wire

/// API keys in the profiles service: only the hash is stored, and expiry and revocation hold.
@Suite("API keys at rest: hashed, expiring, revoked")
struct ApiKeyStoreTests {
    @Test("the key itself is nowhere in the database files, its SHA-256 is")
    func onlyTheHash() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = ProfilesService(database: try ProfilesDatabase(directory: directory))
        let key = try await withTestServer([service]) { server in
            let client = server.client()
            defer { client.close() }
            return try await client.unary(
                ProfilesAPI.createApiKey, CreateApiKeyRequest(network: "acme", name: "sync", scopes: ["members:read"]))
        }
        #expect(key.secret.hasPrefix("mnk_"))
        var files = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files.append(FileManager.default.contents(atPath: directory + "/" + name) ?? Data())
        }
        let text = String(decoding: files, as: UTF8.self)
        #expect(!files.isEmpty && !text.contains(key.secret) && !text.contains(String(key.secret.dropFirst(4))))
        #expect(text.contains(key.id))
        let digest = try #require(
            try await service.apiKeys.authenticate(key.secret, now: Int64(Date().timeIntervalSince1970 * 1e6)))
        #expect(digest.id == key.id && digest.secret.isEmpty)
    }

    @Test("a key stops working when it expires or is revoked, and never for a near miss")
    func expiryAndRevocation() async throws {
        let now = Atomic<Int64>(1_900_000_000_000_000)
        let service = ProfilesService(
            database: try ProfilesDatabase.inMemory(), clock: { now.load(ordering: .relaxed) })
        try await withTestServer([service]) { server in
            let client = server.client()
            defer { client.close() }
            let start = now.load(ordering: .relaxed)
            let key = try await client.unary(
                ProfilesAPI.createApiKey,
                CreateApiKeyRequest(
                    network: "acme", name: "nightly", scopes: ["rounds:run"], expiresAtMicros: start + 60_000_000))
            func check(_ secret: String) async throws -> ApiKey {
                try await client.unary(ProfilesAPI.authenticateApiKey, AuthenticateApiKeyRequest(key: secret))
            }
            #expect(try await check(key.secret).scopes == ["rounds:run"])
            var nearMiss = Array(key.secret)
            nearMiss[nearMiss.count - 1] = nearMiss.last == "a" ? "b" : "a"
            for secret in [String(nearMiss), String(key.secret.dropLast()), "", "mnk_", key.prefix] {
                await #expect { _ = try await check(secret) } throws: { isRPCError($0, .unauthenticated) }
            }
            now.store(start + 60_000_000, ordering: .relaxed)
            await #expect { _ = try await check(key.secret) } throws: { isRPCError($0, .unauthenticated, "expired") }

            let other = try await client.unary(
                ProfilesAPI.createApiKey, CreateApiKeyRequest(network: "acme", name: "other", scopes: ["members:read"]))
            _ = try await check(other.secret)
            let revoked = try await client.unary(
                ProfilesAPI.revokeApiKey, RevokeApiKeyRequest(network: "acme", id: other.id))
            #expect(revoked.revokedAtMicros == now.load(ordering: .relaxed))
            await #expect { _ = try await check(other.secret) } throws: { isRPCError($0, .unauthenticated) }
            // Revoking again keeps the first time; another network's admin path finds nothing.
            now.add(5, ordering: .relaxed)
            let again = try await client.unary(
                ProfilesAPI.revokeApiKey, RevokeApiKeyRequest(network: "acme", id: other.id))
            #expect(again.revokedAtMicros == revoked.revokedAtMicros)
            await #expect {
                _ = try await client.unary(
                    ProfilesAPI.revokeApiKey, RevokeApiKeyRequest(network: "globex", id: other.id))
            } throws: { isRPCError($0, .notFound) }
            // A person may not ask whose a key is: that is for services.
            let person = CallOptions(
                metadata: [Metadata.principalKey: Principal(subject: "p", member: "mbr_x").metadataValue])
            await #expect {
                _ = try await client.unary(
                    ProfilesAPI.authenticateApiKey, AuthenticateApiKeyRequest(key: key.secret), options: person)
            } throws: { isRPCError($0, .permissionDenied) }
        }
    }
}
