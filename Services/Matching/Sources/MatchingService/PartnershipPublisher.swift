import Logging
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore

extension MatchingService {
    /// Changes per page pushed to profiles.
    static let partnershipPage = 500

    /// Pushes this service's change feed into profiles' copy of who is whose active partner
    /// (`Profiles/ApplyPartnerships`), which profiles needs to show a member's email to their
    /// partners. The feed goes the other way round from the other read models because matching
    /// follows profiles' feed: profiles cannot also follow matching's, since each service must know
    /// the other's address when it starts. Profiles stores the position with what it applied, so
    /// this resumes from there after a restart of either side and nothing applies twice.
    public func partnershipPublisher(client: Client, logger: Logger) -> FeedFollower<PartnershipChange> {
        let profiles = ProfilesClient(client)
        let store = self.store
        let notifier = self.notifier
        let pageSize = Self.partnershipPage
        return FeedFollower(
            feed: "matching → profiles partnerships", pageSize: pageSize, logger: logger,
            position: { try await profiles.applyPartnerships(ApplyPartnershipsRequest()).position },
            page: { position in
                try await store.changes(after: position, limit: pageSize).changes.map(Self.partnershipChange)
            },
            watch: { position in
                AsyncThrowingStream { continuation in
                    let task = Task {
                        do {
                            try await notifier.follow(
                                after: position, limit: pageSize,
                                page: { try await store.changes(after: $0, limit: $1).changes },
                                sequence: \MatchChange.sequence,
                                deliver: { continuation.yield(Self.partnershipChange($0)) })
                            continuation.finish()
                        } catch {
                            continuation.finish(throwing: error)
                        }
                    }
                    continuation.onTermination = { _ in task.cancel() }
                }
            },
            apply: { changes in
                try await profiles.applyPartnerships(ApplyPartnershipsRequest(changes: changes)).position
            })
    }

    /// A matching change as profiles keeps it.
    static func partnershipChange(_ change: MatchChange) -> PartnershipChange {
        PartnershipChange(
            sequence: change.sequence,
            partnership: change.match.map {
                Partnership(matchID: $0.id, mentorID: $0.mentorID, menteeID: $0.menteeID, active: $0.state == .active)
            })
    }
}
