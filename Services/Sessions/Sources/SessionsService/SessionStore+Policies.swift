import Foundation
import GRDB
import SessionsV1
import Wire

/// Each network's own scheduling rules (docs/sessions.md, "Policies").
extension SessionStore {
    // MARK: Network policies

    /// The rules `network` follows: its own, or the defaults.
    func rules(for network: String, in db: Database) throws -> SessionPolicy {
        guard let stored = try Self.storedPolicy(network, in: db) else { return defaults }
        return SessionPolicy(
            minimumNoticeMinutes: Int(stored.minimumNoticeMinutes), bufferMinutes: Int(stored.bufferMinutes),
            changeCutoffMinutes: Int(stored.changeCutoffMinutes), maximumReschedules: Int(stored.maximumReschedules),
            rescheduleReasonRequired: stored.rescheduleReasonRequired)
    }

    private static func storedPolicy(_ network: String, in db: Database) throws -> NetworkSessionPolicy? {
        try Data.fetchOne(db, sql: "SELECT body FROM network_policy WHERE network = ?", arguments: [network])
            .map { try NetworkSessionPolicy(decoding: [UInt8]($0)) }
    }

    /// The defaults as a network's policy.
    private func defaultPolicy(_ network: String) -> NetworkSessionPolicy {
        NetworkSessionPolicy(
            network: network, minimumNoticeMinutes: UInt32(defaults.minimumNoticeMinutes),
            bufferMinutes: UInt32(defaults.bufferMinutes), changeCutoffMinutes: UInt32(defaults.changeCutoffMinutes),
            maximumReschedules: UInt32(defaults.maximumReschedules),
            rescheduleReasonRequired: defaults.rescheduleReasonRequired, isDefault: true)
    }

    /// The network's policy (the defaults until it sets its own).
    public func policy(of network: String) async throws -> NetworkSessionPolicy {
        try await database.writer.read { db in try Self.storedPolicy(network, in: db) ?? defaultPolicy(network) }
    }

    /// Sets the fields of `values` named in `mask` (proto names) for `network`, starting from the
    /// defaults the first time.
    public func updatePolicy(
        _ network: String, values: NetworkSessionPolicy, mask: Set<String>, expectedVersion: UInt64, now: Int64
    ) async throws -> NetworkSessionPolicy {
        try await database.writer.write { db in
            var policy = try Self.storedPolicy(network, in: db) ?? defaultPolicy(network)
            if expectedVersion != 0 && expectedVersion != policy.version {
                throw SessionStoreError.stalePolicy(
                    network: network, current: policy.version, expected: expectedVersion)
            }
            if mask.contains("minimum_notice_minutes") { policy.minimumNoticeMinutes = values.minimumNoticeMinutes }
            if mask.contains("buffer_minutes") { policy.bufferMinutes = values.bufferMinutes }
            if mask.contains("change_cutoff_minutes") { policy.changeCutoffMinutes = values.changeCutoffMinutes }
            if mask.contains("maximum_reschedules") { policy.maximumReschedules = values.maximumReschedules }
            if mask.contains("reschedule_reason_required") {
                policy.rescheduleReasonRequired = values.rescheduleReasonRequired
            }
            policy.isDefault = false
            policy.version += 1
            policy.updatedAtMicros = now
            try db.execute(
                sql: """
                    INSERT INTO network_policy (network, version, body) VALUES (?, ?, ?)
                    ON CONFLICT(network) DO UPDATE SET version = excluded.version, body = excluded.body
                    """,
                arguments: [network, Int64(clamping: policy.version), Data(try policy.encoded())])
            return policy
        }
    }
}
