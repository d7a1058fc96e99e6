import Foundation
import NotificationsV1
import RPC
import ServiceStore
import Wire

/// `mentornet.notifications.v1.Notifications`: members' inboxes and counts, marking, preferences,
/// networks' nudge rules, explanations and the live stream. What makes notifications is in
/// `FeedEvents` (the other services' feeds) and the jobs; the rules are in docs/notifications.md.
public struct NotificationsService: NotificationsHandler {
    /// The state (the feed followers and the jobs use it too).
    public let store: NotificationStore
    let clock: @Sendable () -> Int64

    /// The default and largest page of ListNotifications.
    public static let defaultPageSize = 50
    public static let maximumPageSize = Int(ListNotificationsRequest.Limits.pageSizeRange.upperBound)

    /// A service over `database`; live-stream events are kept `streamRetentionHours` for resuming;
    /// `clock` gives microseconds since 1970 (tests move it).
    public init(
        database: NotificationsDatabase, streamRetentionHours: Int = 72,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }
    ) {
        self.store = NotificationStore(
            database: database, streamRetentionMicros: Int64(streamRetentionHours) * 3_600_000_000)
        self.clock = clock
    }

    /// The frequent job: quiet hours ended, reminders due.
    public func deliverDue() async throws -> Int { try await store.deliverDue(now: clock()) }

    /// The slow job: nudges, digests, stream retention.
    public func sweep() async throws -> Int { try await store.sweep(now: clock()) }

    // MARK: Inbox

    public nonisolated(nonsending) func listNotifications(
        _ request: ListNotificationsRequest, context: CallContext
    ) async throws -> ListNotificationsResponse {
        var violations: [FieldViolation] = []
        Self.checkMember(request.memberID, field: "member_id", into: &violations)
        if request.pageSize > Self.maximumPageSize {
            violations.append(
                FieldViolation(field: "page_size", description: "must be at most \(Self.maximumPageSize)"))
        }
        var cursor: (Int64, Int64)?
        if !request.pageToken.isEmpty {
            cursor = Self.decodeToken(request.pageToken)
            if cursor == nil {
                violations.append(FieldViolation(field: "page_token", description: "is not a token this service gave"))
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let size = request.pageSize == 0 ? Self.defaultPageSize : Int(request.pageSize)
        let page = try await store.list(
            memberID: request.memberID, filter: request.filter, category: request.category, pageSize: size,
            after: cursor)
        return ListNotificationsResponse(
            notifications: page.notifications, nextPageToken: page.next.map(Self.encodeToken) ?? "",
            unreadCount: page.unread, unseenCount: page.unseen)
    }

    public nonisolated(nonsending) func getNotification(
        _ request: GetNotificationRequest, context: CallContext
    ) async throws -> Notification {
        try Self.checkNotification(request.id, memberID: request.memberID)
        return try await store.get(request.id, memberID: request.memberID)
    }

    public nonisolated(nonsending) func getNotificationCounts(
        _ request: GetNotificationCountsRequest, context: CallContext
    ) async throws -> NotificationCounts {
        var violations: [FieldViolation] = []
        Self.checkMember(request.memberID, field: "member_id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.counts(request.memberID)
    }

    public nonisolated(nonsending) func markRead(_ request: MarkNotificationsRequest, context: CallContext)
        async throws -> MarkNotificationsResponse
    { try await mark(.read, request) }

    public nonisolated(nonsending) func markUnread(_ request: MarkNotificationsRequest, context: CallContext)
        async throws -> MarkNotificationsResponse
    { try await mark(.unread, request) }

    public nonisolated(nonsending) func markSeen(_ request: MarkNotificationsRequest, context: CallContext)
        async throws -> MarkNotificationsResponse
    { try await mark(.seen, request) }

    public nonisolated(nonsending) func archive(_ request: MarkNotificationsRequest, context: CallContext)
        async throws -> MarkNotificationsResponse
    { try await mark(.archive, request) }

    public nonisolated(nonsending) func unarchive(_ request: MarkNotificationsRequest, context: CallContext)
        async throws -> MarkNotificationsResponse
    { try await mark(.unarchive, request) }

    private func mark(_ mark: NotificationStore.Mark, _ request: MarkNotificationsRequest) async throws
        -> MarkNotificationsResponse
    {
        var violations: [FieldViolation] = []
        Self.checkMember(request.memberID, field: "member_id", into: &violations)
        let limit = MarkNotificationsRequest.Limits.notificationIDsCount.upperBound
        if request.all && !request.notificationIDs.isEmpty {
            violations.append(
                FieldViolation(field: "notification_ids", description: "must be empty when all is true"))
        } else if !request.all && request.notificationIDs.isEmpty {
            violations.append(
                FieldViolation(
                    field: "notification_ids", description: "must name 1 to \(limit) notifications, or set all"))
        } else if request.notificationIDs.count > limit {
            violations.append(
                FieldViolation(field: "notification_ids", description: "must name at most \(limit) notifications"))
        }
        for (index, id) in request.notificationIDs.enumerated() where !SortableID.isWellFormed(id, prefix: "ntf_") {
            violations.append(
                FieldViolation(
                    field: "notification_ids[\(index)]",
                    description: "must be a notification id (ntf_ and 26 characters)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.mark(
            mark, memberID: request.memberID, ids: request.notificationIDs, all: request.all, now: clock())
    }

    public nonisolated(nonsending) func explainNotification(
        _ request: ExplainNotificationRequest, context: CallContext
    ) async throws -> NotificationExplanation {
        try Self.checkNotification(request.id, memberID: request.memberID)
        return try await store.explain(request.id, memberID: request.memberID)
    }

    // MARK: Preferences and rules

    public nonisolated(nonsending) func getNotificationPreferences(
        _ request: GetNotificationPreferencesRequest, context: CallContext
    ) async throws -> NotificationPreferences {
        var violations: [FieldViolation] = []
        Self.checkMember(request.memberID, field: "member_id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.preferences(request.memberID)
    }

    public nonisolated(nonsending) func updateNotificationPreferences(
        _ request: UpdateNotificationPreferencesRequest, context: CallContext
    ) async throws -> NotificationPreferences {
        let values = request.preferences ?? NotificationPreferences()
        var violations: [FieldViolation] = []
        Self.checkMember(values.memberID, field: "preferences.member_id", into: &violations)
        let mask = Self.checkMask(
            request.updateMask,
            allowed: ["categories", "quiet_hours", "timezone", "digest_hour", "reminder_offsets_minutes"],
            into: &violations)
        if mask.contains("categories") {
            if values.categories.isEmpty {
                violations.append(FieldViolation(field: "preferences.categories", description: "must name a category"))
            }
            var seen = Set<NotificationsV1.Category>()
            for (index, entry) in values.categories.enumerated() {
                let field = "preferences.categories[\(index)]"
                if entry.category == .unspecified {
                    violations.append(FieldViolation(field: "\(field).category", description: "is required"))
                } else if !seen.insert(entry.category).inserted {
                    violations.append(
                        FieldViolation(
                            field: "\(field).category", description: "names \(entry.category.protoName) twice"))
                }
                if Preferences.locked.contains(entry.category) && (!entry.inbox || !entry.live) {
                    violations.append(
                        FieldViolation(
                            field: field,
                            description: "\(entry.category.protoName) is locked on: its inbox and live channels stay on"
                        ))
                }
            }
        }
        if mask.contains("quiet_hours"), let quiet = values.quietHours {
            let range = QuietHours.Limits.startMinuteRange
            if !range.contains(quiet.startMinute) {
                violations.append(
                    FieldViolation(field: "preferences.quiet_hours.start_minute", description: "must be 0 to 1439"))
            }
            if !range.contains(quiet.endMinute) {
                violations.append(
                    FieldViolation(field: "preferences.quiet_hours.end_minute", description: "must be 0 to 1439"))
            }
            if quiet.enabled && quiet.startMinute == quiet.endMinute {
                violations.append(
                    FieldViolation(
                        field: "preferences.quiet_hours.end_minute", description: "must differ from start_minute"))
            }
        }
        if mask.contains("timezone") && !values.timezone.isEmpty && !LocalTime.isKnownZone(values.timezone) {
            violations.append(
                FieldViolation(
                    field: "preferences.timezone",
                    description: "must be an IANA timezone such as Europe/Berlin (or empty: the profile's)"))
        }
        if mask.contains("digest_hour") && values.digestHour > 23 {
            violations.append(FieldViolation(field: "preferences.digest_hour", description: "must be 0 to 23"))
        }
        if mask.contains("reminder_offsets_minutes") {
            let offsets = values.reminderOffsetsMinutes
            let limit = NotificationPreferences.Limits.reminderOffsetsMinutesCount.upperBound
            if offsets.isEmpty || offsets.count > limit {
                violations.append(
                    FieldViolation(
                        field: "preferences.reminder_offsets_minutes", description: "must hold 1 to \(limit) offsets"))
            }
            if Set(offsets).count != offsets.count {
                violations.append(
                    FieldViolation(
                        field: "preferences.reminder_offsets_minutes", description: "must not repeat an offset"))
            }
            for (index, offset) in offsets.enumerated() where !(5...10_080).contains(offset) {
                violations.append(
                    FieldViolation(
                        field: "preferences.reminder_offsets_minutes[\(index)]",
                        description: "must be 5 to 10080 minutes (a week)"))
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.updatePreferences(
            values, mask: mask, expectedVersion: request.expectedVersion, now: clock())
    }

    public nonisolated(nonsending) func getNetworkNotificationRules(
        _ request: GetNetworkNotificationRulesRequest, context: CallContext
    ) async throws -> NetworkNotificationRules {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, field: "network", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.rules(request.network)
    }

    public nonisolated(nonsending) func updateNetworkNotificationRules(
        _ request: UpdateNetworkNotificationRulesRequest, context: CallContext
    ) async throws -> NetworkNotificationRules {
        let values = request.rules ?? NetworkNotificationRules()
        var violations: [FieldViolation] = []
        Self.checkNetwork(values.network, field: "rules.network", into: &violations)
        let mask = Self.checkMask(
            request.updateMask,
            allowed: ["proposal_waiting_days", "no_session_days", "feedback_missing_days", "admin_member_ids"],
            into: &violations)
        typealias Limits = NetworkNotificationRules.Limits
        for (field, value, range) in [
            ("proposal_waiting_days", values.proposalWaitingDays, Limits.proposalWaitingDaysRange),
            ("no_session_days", values.noSessionDays, Limits.noSessionDaysRange),
            ("feedback_missing_days", values.feedbackMissingDays, Limits.feedbackMissingDaysRange),
        ] where mask.contains(field) && !range.contains(value) {
            violations.append(
                FieldViolation(
                    field: "rules.\(field)",
                    description: "must be \(range.lowerBound) to \(range.upperBound) (0: never)"))
        }
        if mask.contains("admin_member_ids") {
            let limit = Limits.adminMemberIDsCount.upperBound
            if values.adminMemberIDs.count > limit {
                violations.append(
                    FieldViolation(field: "rules.admin_member_ids", description: "must name at most \(limit) members"))
            }
            if Set(values.adminMemberIDs).count != values.adminMemberIDs.count {
                violations.append(
                    FieldViolation(field: "rules.admin_member_ids", description: "must not name a member twice"))
            }
            for (index, id) in values.adminMemberIDs.enumerated() {
                Self.checkMember(id, field: "rules.admin_member_ids[\(index)]", into: &violations)
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.updateRules(values, mask: mask, expectedVersion: request.expectedVersion, now: clock())
    }

    // MARK: Live stream

    public nonisolated(nonsending) func watchNotifications(
        _ request: WatchNotificationsRequest, writer: ResponseStreamWriter<NotificationEvent>, context: CallContext
    ) async throws {
        var violations: [FieldViolation] = []
        Self.checkMember(request.memberID, field: "member_id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        try await store.watch(memberID: request.memberID, after: request.afterEventID, fromStart: request.fromStart) {
            try await writer.write($0)
        }
    }

    // MARK: Network events

    /// A page of a network's events, for its admins (and API keys with `events:subscribe`).
    public nonisolated(nonsending) func listNetworkEvents(
        _ request: ListNetworkEventsRequest, context: CallContext
    ) async throws -> ListNetworkEventsResponse {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, field: "network", into: &violations)
        if request.limit > ListNetworkEventsRequest.Limits.limitRange.upperBound {
            violations.append(
                FieldViolation(
                    field: "limit",
                    description: "must be at most \(ListNetworkEventsRequest.Limits.limitRange.upperBound)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.networkEvents(
            request.network, after: request.afterSequence, limit: request.limit == 0 ? 100 : Int(request.limit))
    }

    /// A network's events after a position, then each new one.
    public nonisolated(nonsending) func watchNetworkEvents(
        _ request: WatchNetworkEventsRequest, writer: ResponseStreamWriter<NetworkEvent>, context: CallContext
    ) async throws {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, field: "network", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        try await store.watchNetwork(request.network, after: request.afterSequence, fromStart: request.fromStart) {
            try await writer.write($0)
        }
    }

    // MARK: Validation

    static func checkMember(_ id: String, field: String, into violations: inout [FieldViolation]) {
        if !SortableID.isWellFormed(id, prefix: "mbr_") {
            violations.append(FieldViolation(field: field, description: "must be a member id (mbr_ and 26 characters)"))
        }
    }

    static func checkNotification(_ id: String, memberID: String) throws {
        var violations: [FieldViolation] = []
        if !SortableID.isWellFormed(id, prefix: "ntf_") {
            violations.append(
                FieldViolation(field: "id", description: "must be a notification id (ntf_ and 26 characters)"))
        }
        checkMember(memberID, field: "member_id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
    }

    /// A network name as profiles has them: 1 to 64 of a-z, 0-9 and '-'.
    static func checkNetwork(_ network: String, field: String, into violations: inout [FieldViolation]) {
        if !(1...64).contains(network.utf8.count)
            || !network.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 })
        {
            violations.append(
                FieldViolation(field: field, description: "must be a network: 1 to 64 of a-z, 0-9 and '-'"))
        }
    }

    /// The update mask as a set, each name checked against `allowed`.
    static func checkMask(_ mask: [String], allowed: [String], into violations: inout [FieldViolation]) -> Set<String> {
        if mask.isEmpty {
            violations.append(
                FieldViolation(
                    field: "update_mask", description: "must name a field: \(allowed.joined(separator: ", "))"))
        }
        for field in mask where !allowed.contains(field) {
            violations.append(
                FieldViolation(
                    field: "update_mask",
                    description: "cannot change \(field); changeable: \(allowed.joined(separator: ", "))"))
        }
        return Set(mask)
    }

    static func encodeToken(_ cursor: (Int64, Int64)) -> String { "n\(cursor.0)_\(cursor.1)" }

    static func decodeToken(_ token: String) -> (Int64, Int64)? {
        guard token.first == "n" else { return nil }
        let parts = token.dropFirst().split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let deliverAt = Int64(parts[0]), let seq = Int64(parts[1]), seq > 0 else { return nil }
        return (deliverAt, seq)
    }
}
