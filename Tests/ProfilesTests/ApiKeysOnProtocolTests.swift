import Foundation
import MatchingV1
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

/// An internal system calling the services directly on the binary protocol with an API key
/// (`authorization: Bearer mnk_…`), as it would through the gateway: `mentornet-profiles` checks
/// keys itself, `mentornet-matching` asks profiles on every call.
@Suite("API keys on the binary protocol, with the real executables")
struct ApiKeysOnProtocolTests {
    /// A client presenting `authorization` and nothing else (no service credential).
    static func caller(port: Int, _ authorization: String, principal: String? = nil) -> (Client, CallOptions) {
        var metadata: Metadata = [Metadata.authorizationKey: authorization]
        if let principal { metadata.principal = principal }
        return (
            Client(configuration: ClientConfiguration(host: "127.0.0.1", port: port)),
            CallOptions(metadata: metadata)
        )
    }

    /// The status code `body` fails with, or nil when it succeeds.
    static func code(_ body: () async throws -> Void) async -> StatusCode? {
        do {
            try await body()
            return nil
        } catch let error as RPCError {
            return error.code
        } catch {
            return .unknown
        }
    }

    @Test("a key acts as an admin of its network within its scopes; revoked, it stops at once, in both services")
    func keys() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mentornet-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let profilesArguments = ["--listen", "127.0.0.1:0", "--data-dir", directory + "/profiles"]
        _ = try await ServiceProcess.with("mentornet-profiles", profilesArguments) { profiles in
            let profilesPort = try await profiles.listeningPort()
            let service = ServiceProcess.client(port: profilesPort)
            defer { service.close() }
            let ours = try await service.create(sampleMember(email: "ours@example.org", networks: ["acme"]))
            let theirs = try await service.create(sampleMember(email: "theirs@example.org", networks: ["globex"]))
            // Keys are made by a network admin (here: a service acting for one).
            let admin = CallOptions(metadata: [Metadata.principalKey: "sub=admin-1;admin=acme"])
            let reader = try await service.unary(
                ProfilesAPI.createApiKey,
                CreateApiKeyRequest(network: "acme", name: "HR sync", scopes: ["members:read"]), options: admin)
            let rounds = try await service.unary(
                ProfilesAPI.createApiKey,
                CreateApiKeyRequest(network: "acme", name: "scheduler", scopes: ["rounds:run"]), options: admin)

            let matchingArguments = ["--listen", "127.0.0.1:0", "--data-dir", directory + "/matching"]
            let environment = ["MENTORNET_PROFILES_ADDR": "127.0.0.1:\(profilesPort)"]
            _ = try await ServiceProcess.with("mentornet-matching", matchingArguments, environment: environment) {
                matching in
                let matchingPort = try await matching.listeningPort()
                // A principal sent beside the key is not heeded: the key's own is.
                let (onProfiles, asReader) = Self.caller(
                    port: profilesPort, "Bearer \(reader.secret)", principal: "sub=x;admin=globex")
                let (onMatching, asReaderThere) = Self.caller(port: matchingPort, "Bearer \(reader.secret)")
                let (_, asRounds) = Self.caller(port: matchingPort, "Bearer \(rounds.secret)")
                defer { [onProfiles, onMatching].forEach { $0.close() } }

                let listed = try await onProfiles.unary(
                    ProfilesAPI.listMembers, ListMembersRequest(pageSize: 10), options: asReader)
                #expect(listed.members.map(\.id) == [ours.id])
                #expect(listed.members.first?.email == "ours@example.org")
                let hidden = await Self.code {
                    _ = try await onProfiles.unary(
                        ProfilesAPI.getMember, GetMemberRequest(id: theirs.id), options: asReader)
                }
                #expect(hidden == .notFound)
                // Outside its scopes: refused, saying which scope is missing.
                do {
                    _ = try await onProfiles.unary(
                        ProfilesAPI.createApiKey,
                        CreateApiKeyRequest(network: "acme", name: "more", scopes: ["members:read"]), options: asReader)
                    Issue.record("a key made a key")
                } catch let error as RPCError {
                    #expect(error.code == .permissionDenied)
                    #expect(error.message.contains("an API key may not call this method"))
                }
                do {
                    _ = try await onMatching.unary(
                        MatchingAPI.getRound, GetRoundRequest(id: "rnd_00000000000000000000000001"),
                        options: asReaderThere)
                    Issue.record("a members:read key read a round")
                } catch let error as RPCError {
                    #expect(error.code == .permissionDenied)
                    #expect(error.message.contains("lacks the scope rounds:run"))
                }
                // Within its scope the call reaches the handler (the round does not exist).
                let missing = await Self.code {
                    _ = try await onMatching.unary(
                        MatchingAPI.getRound, GetRoundRequest(id: "rnd_00000000000000000000000001"), options: asRounds)
                }
                #expect(missing == .notFound)

                // Made-up keys and people's tokens are refused before anything runs.
                for (authorization, message) in [
                    ("Bearer mnk_madeup0000000000000000000000000000000000", "revoked or expired"),
                    ("Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "people's tokens go to the gateway"),
                ] {
                    let (client, options) = Self.caller(port: profilesPort, authorization)
                    let (there, optionsThere) = Self.caller(port: matchingPort, authorization)
                    defer { [client, there].forEach { $0.close() } }
                    do {
                        _ = try await client.unary(
                            ProfilesAPI.listMembers, ListMembersRequest(pageSize: 1), options: options)
                        Issue.record("\(authorization) was accepted by profiles")
                    } catch let error as RPCError {
                        #expect(error.code == .unauthenticated, "\(error)")
                        #expect(error.message.contains(message), "\(error.message)")
                    }
                    do {
                        _ = try await there.unary(
                            MatchingAPI.getRound, GetRoundRequest(id: "rnd_00000000000000000000000001"),
                            options: optionsThere)
                        Issue.record("\(authorization) was accepted by matching")
                    } catch let error as RPCError {
                        #expect(error.code == .unauthenticated, "\(error)")
                        #expect(error.message.contains(message), "\(error.message)")
                    }
                }

                // Revoked: the next call is refused, on both services.
                _ = try await service.unary(
                    ProfilesAPI.revokeApiKey, RevokeApiKeyRequest(network: "acme", id: reader.id), options: admin)
                let afterRevoke = await Self.code {
                    _ = try await onProfiles.unary(
                        ProfilesAPI.listMembers, ListMembersRequest(pageSize: 10), options: asReader)
                }
                #expect(afterRevoke == .unauthenticated)
                let afterRevokeThere = await Self.code {
                    _ = try await onMatching.unary(
                        MatchingAPI.getRound, GetRoundRequest(id: "rnd_00000000000000000000000001"),
                        options: asReaderThere)
                }
                #expect(afterRevokeThere == .unauthenticated)
                matching.signal(SIGTERM)
                await matching.waitForEndOfOutput()
            }
            profiles.signal(SIGTERM)
            await profiles.waitForEndOfOutput()
        }
    }
}
