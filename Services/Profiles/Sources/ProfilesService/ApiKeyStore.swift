import Crypto
import Foundation
import GRDB
import ProfilesV1
import RPC
import ServiceStore
import Wire

/// API keys for a network's internal systems (docs/security.md): made by the network's admins,
/// shown once, stored as their SHA-256 only, with a name, scopes and an optional expiry;
/// revocable, which takes effect at the next request (the gateway asks on every one).
public struct ApiKeyStore: Sendable {
    private let database: ProfilesDatabase

    /// The scopes a key may hold, and what each lets it call (as an admin of its network).
    public static let scopes: [String: String] = [
        "members:read": "GetMember, ListMembers",
        "members:link": "LinkSignIn, UnlinkSignIn",
        "matches:read": "GetMatch, ListNetworkMatches",
        "matches:propose": "ProposeMatch",
        "rounds:run": "RunRound, GetRound, PublishRound",
        "sessions:read": "GetSession, GetSeries, GetSessionInvite, ListNetworkSessions",
        "goals:read": "ListNetworkGoals",
        "events:subscribe": "ListNetworkEvents, WatchNetworkEvents",
    ]
    /// Every key starts so: a scanner (or a person) can tell it from other secrets.
    public static let keyPrefix = "mnk_"

    /// Keys in `database`.
    public init(database: ProfilesDatabase) {
        self.database = database
    }

    /// Makes a key; the answer alone holds its secret.
    public func create(
        network: String, name: String, scopes: [String], expiresAtMicros: Int64, createdBy: String, now: Int64
    ) async throws -> ApiKey {
        let secret = Self.keyPrefix + SortableID.randomText(40)
        var key = ApiKey(
            id: SortableID.make(prefix: "key_", atMicros: now), network: network, name: name, scopes: scopes,
            expiresAtMicros: expiresAtMicros, createdAtMicros: now, createdBy: createdBy,
            prefix: String(secret.prefix(Self.keyPrefix.count + 6)))
        let stored = key
        try await database.writer.write { db in
            try db.execute(
                sql: "INSERT INTO api_key (id, network, hash, created_at, body) VALUES (?, ?, ?, ?, ?)",
                arguments: [stored.id, network, Self.hash(secret), now, Data(try stored.encoded())])
        }
        key.secret = secret
        return key
    }

    /// A network's keys, newest first, without secrets.
    public func list(network: String) async throws -> [ApiKey] {
        try await database.writer.read { db in
            try Data.fetchAll(
                db, sql: "SELECT body FROM api_key WHERE network = ? ORDER BY created_at DESC, id DESC",
                arguments: [network]
            ).map { try ApiKey(decoding: [UInt8]($0)) }
        }
    }

    /// Revokes key `id` of `network` (again: the first revocation stands); nil when there is none.
    public func revoke(network: String, id: String, now: Int64) async throws -> ApiKey? {
        try await database.writer.write { db -> ApiKey? in
            guard
                var key = try Data.fetchOne(
                    db, sql: "SELECT body FROM api_key WHERE id = ? AND network = ?", arguments: [id, network]
                ).map({ try ApiKey(decoding: [UInt8]($0)) })
            else { return nil }
            if key.revokedAtMicros == 0 {
                key.revokedAtMicros = now
                try db.execute(
                    sql: "UPDATE api_key SET body = ? WHERE id = ?", arguments: [Data(try key.encoded()), id])
            }
            return key
        }
    }

    /// The key `secret` is, when it works now: not revoked, not expired.
    public func authenticate(_ secret: String, now: Int64) async throws -> ApiKey? {
        guard secret.hasPrefix(Self.keyPrefix), secret.utf8.count <= 100 else { return nil }
        let hash = Self.hash(secret)
        let key = try await database.writer.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM api_key WHERE hash = ?", arguments: [hash])
                .map { try ApiKey(decoding: [UInt8]($0)) }
        }
        guard let key, key.revokedAtMicros == 0, key.expiresAtMicros == 0 || key.expiresAtMicros > now else {
            return nil
        }
        return key
    }

    /// The SHA-256 of a key, in hex: what is stored. A key holds 200 random bits, so a fast hash
    /// is enough (nothing to guess from a dictionary).
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
