import Foundation
import RPC
import ServiceStore
import SessionsV1
import Wire

/// `mentornet.sessions.v1.Sessions`: booking, moving, cancelling and completing the sessions of
/// active matches, and the service's change feed. The rules are in docs/sessions.md.
public struct SessionsService: SessionsHandler {
    let store: SessionStore
    /// The read models of members and matches (the feed followers fill them).
    public let directory: PartnerDirectory
    private let notifier: ChangeNotifier
    let clock: @Sendable () -> Int64

    /// The largest page of ListSessions.
    public static let maximumPageSize = ListSessionsRequest.Limits.pageSizeRange.upperBound
    /// The largest page of ListChanges.
    public static let maximumChanges = ListSessionChangesRequest.Limits.limitRange.upperBound

    /// A service over `database`; `clock` gives microseconds since 1970 (tests may move it).
    public init(
        database: SessionsDatabase, policy: SessionPolicy = SessionPolicy(),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }
    ) {
        let notifier = ChangeNotifier()
        let store = SessionStore(database: database, notifier: notifier, policy: policy)
        self.store = store
        self.notifier = notifier
        self.directory = PartnerDirectory(database: database, store: store)
        self.clock = clock
    }

    /// Books a session for an active match; honours `idempotency-key`.
    public nonisolated(nonsending) func scheduleSession(
        _ request: ScheduleSessionRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkStart(request.startAtMicros, field: "start_at", into: &violations)
        Self.checkDuration(request.durationMinutes, zeroAllowed: false, into: &violations)
        Self.checkText(
            request.title, field: "title", limit: ScheduleSessionRequest.Limits.titleLength, into: &violations)
        Self.checkText(
            request.agenda, field: "agenda", limit: ScheduleSessionRequest.Limits.agendaLength, lines: true,
            into: &violations)
        Self.checkText(
            request.location, field: "location", limit: ScheduleSessionRequest.Limits.locationLength, into: &violations)
        let overrideReason = Self.checkOverride(
            request.overrideAvailability, request.overrideReason, into: &violations)
        let idempotency = try Self.idempotency(context, request, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.schedule(
            SessionStore.Booking(
                matchID: request.matchID, memberID: request.memberID, startMicros: request.startAtMicros,
                durationMinutes: request.durationMinutes, title: Self.collapse(request.title),
                agenda: request.agenda.trimmingCharacters(in: .whitespacesAndNewlines),
                location: request.location.trimmingCharacters(in: .whitespaces), overrideReason: overrideReason),
            now: clock(), idempotency: idempotency)
    }

    /// Reads one session.
    public nonisolated(nonsending) func getSession(
        _ request: GetSessionRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.id, prefix: "ses_", field: "id", what: "a session id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        // Only its participants and its network's admins see a session; to anyone else it does not exist.
        guard let session = try await store.get(request.id),
            Viewer(context).sees(members: session.participantIDs, network: session.network)
        else { throw SessionStoreError.sessionNotFound(sessionID: request.id).rpcError }
        return session
    }

    /// Moves a scheduled session; the answer is the new session, linked to the old one.
    public nonisolated(nonsending) func rescheduleSession(
        _ request: RescheduleSessionRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkStart(request.startAtMicros, field: "start_at", into: &violations)
        Self.checkDuration(request.durationMinutes, zeroAllowed: true, into: &violations)
        Self.checkText(
            request.reason, field: "reason", limit: RescheduleSessionRequest.Limits.reasonLength, into: &violations)
        let overrideReason = Self.checkOverride(
            request.overrideAvailability, request.overrideReason, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.reschedule(
            request.sessionID, by: request.memberID, startMicros: request.startAtMicros,
            durationMinutes: request.durationMinutes, reason: Self.collapse(request.reason),
            overrideReason: overrideReason, expectedVersion: request.expectedVersion, now: clock())
    }

    /// Calls off a scheduled session.
    public nonisolated(nonsending) func cancelSession(
        _ request: CancelSessionRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkText(
            request.reason, field: "reason", limit: CancelSessionRequest.Limits.reasonLength, into: &violations)
        if Self.collapse(request.reason).isEmpty {
            violations.append(FieldViolation(field: "reason", description: "is required to cancel a session"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.cancel(
            request.sessionID, by: request.memberID, reason: Self.collapse(request.reason),
            expectedVersion: request.expectedVersion, now: clock())
    }

    /// Marks a session that has started as having taken place.
    public nonisolated(nonsending) func completeSession(
        _ request: CompleteSessionRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.complete(
            request.sessionID, by: request.memberID, expectedVersion: request.expectedVersion, now: clock())
    }

    /// Changes the title, agenda, location or notes named in the update mask.
    public nonisolated(nonsending) func updateSession(
        _ request: UpdateSessionRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        let session = request.session ?? Session()
        Self.checkID(session.id, prefix: "ses_", field: "session.id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        let editable: Set<String> = ["title", "agenda", "location", "notes"]
        if request.updateMask.isEmpty {
            violations.append(
                FieldViolation(field: "update_mask", description: "must name a field: title, agenda, location, notes"))
        }
        for field in request.updateMask where !editable.contains(field) {
            violations.append(
                FieldViolation(
                    field: "update_mask",
                    description: "\(field) cannot be changed here (title, agenda, location, notes; "
                        + "the time with :reschedule)"))
        }
        let mask = Set(request.updateMask)
        let limits = Session.Limits.self
        if mask.contains("title") {
            Self.checkText(session.title, field: "session.title", limit: limits.titleLength, into: &violations)
        }
        if mask.contains("agenda") {
            Self.checkText(
                session.agenda, field: "session.agenda", limit: limits.agendaLength, lines: true, into: &violations)
        }
        if mask.contains("location") {
            Self.checkText(session.location, field: "session.location", limit: limits.locationLength, into: &violations)
        }
        if mask.contains("notes") {
            Self.checkText(
                session.notes, field: "session.notes", limit: limits.notesLength, lines: true, into: &violations)
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let edit = SessionStore.Edit(
            title: mask.contains("title") ? Self.collapse(session.title) : nil,
            agenda: mask.contains("agenda") ? session.agenda.trimmingCharacters(in: .whitespacesAndNewlines) : nil,
            location: mask.contains("location") ? session.location.trimmingCharacters(in: .whitespaces) : nil,
            notes: mask.contains("notes") ? session.notes.trimmingCharacters(in: .whitespacesAndNewlines) : nil)
        return try await store.update(
            session.id, by: request.memberID, edit: edit, expectedVersion: request.expectedVersion, now: clock())
    }

    /// Records whether a participant came.
    public nonisolated(nonsending) func recordAttendance(
        _ request: RecordAttendanceRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkID(request.attendeeID, prefix: "mbr_", field: "attendee_id", what: "a member id", into: &violations)
        if request.status == .unspecified {
            violations.append(
                FieldViolation(
                    field: "status",
                    description:
                        "must be ATTENDANCE_STATUS_ATTENDED, ATTENDANCE_STATUS_LATE or ATTENDANCE_STATUS_NO_SHOW"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.recordAttendance(
            request.sessionID, by: request.memberID, attendee: request.attendeeID, status: request.status,
            expectedVersion: request.expectedVersion, now: clock())
    }

    /// A member's or a match's sessions, soonest first, a page at a time.
    public nonisolated(nonsending) func listSessions(
        _ request: ListSessionsRequest, context: CallContext
    ) async throws -> ListSessionsResponse {
        var violations: [FieldViolation] = []
        if request.memberID.isEmpty && request.matchID.isEmpty {
            violations.append(FieldViolation(field: "member_id", description: "or match_id is required"))
        }
        if !request.memberID.isEmpty {
            Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        }
        if !request.matchID.isEmpty {
            Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        }
        return try await page(
            memberID: request.memberID, matchID: request.matchID, network: "",
            window: (request.windowStartAtMicros, request.windowEndAtMicros), state: request.state,
            size: request.pageSize, token: request.pageToken, violations: violations)
    }

    /// A network's sessions, soonest first, for its admins (and API keys with `sessions:read`).
    public nonisolated(nonsending) func listNetworkSessions(
        _ request: ListNetworkSessionsRequest, context: CallContext
    ) async throws -> ListSessionsResponse {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, field: "network", into: &violations)
        return try await page(
            memberID: "", matchID: "", network: request.network,
            window: (request.windowStartAtMicros, request.windowEndAtMicros), state: request.state,
            size: request.pageSize, token: request.pageToken, violations: violations)
    }

    /// A page of sessions, after the checks of the window, page size and token (refused with
    /// `violations` found before, naming every bad field).
    private func page(
        memberID: String, matchID: String, network: String, window: (start: Int64, end: Int64), state: SessionState,
        size: UInt32, token: String, violations: [FieldViolation]
    ) async throws -> ListSessionsResponse {
        var violations = violations
        if window.end != 0 && window.end <= window.start {
            violations.append(FieldViolation(field: "window_end_at", description: "must be after window_start_at"))
        }
        if size > Self.maximumPageSize {
            violations.append(
                FieldViolation(field: "page_size", description: "must be at most \(Self.maximumPageSize)"))
        }
        var position: SessionStore.PagePosition?
        if !token.isEmpty {
            position = Self.position(token)
            if position == nil {
                violations.append(FieldViolation(field: "page_token", description: "is not a token this service made"))
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let limit = Int(size == 0 ? 50 : size)
        let found = try await store.list(
            memberID: memberID, matchID: matchID, network: network, windowStart: window.start, windowEnd: window.end,
            state: state, after: position, limit: limit + 1)
        let page = Array(found.prefix(limit))
        let next = found.count > limit ? page.last.map { "\($0.startAtMicros)_\($0.id)" } ?? "" : ""
        return ListSessionsResponse(sessions: page, nextPageToken: next)
    }

    // MARK: Slots and holds

    /// Start times at which both partners are free.
    public nonisolated(nonsending) func findSlots(
        _ request: FindSlotsRequest, context: CallContext
    ) async throws -> FindSlotsResponse {
        var violations: [FieldViolation] = []
        Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkDuration(request.durationMinutes, zeroAllowed: false, into: &violations)
        if request.windowStartAtMicros < 0 {
            violations.append(FieldViolation(field: "window_start_at", description: "must be after 1970"))
        }
        let start = request.windowStartAtMicros
        if request.windowEndAtMicros != 0 {
            if request.windowEndAtMicros <= start {
                violations.append(FieldViolation(field: "window_end_at", description: "must be after window_start_at"))
            } else if start != 0 && request.windowEndAtMicros - start > Self.longestSearch {
                violations.append(
                    FieldViolation(field: "window_end_at", description: "must be at most 8 weeks after window_start_at")
                )
            }
        }
        let step = request.stepMinutes == 0 ? 15 : request.stepMinutes
        if !(5...FindSlotsRequest.Limits.stepMinutesRange.upperBound).contains(step) {
            violations.append(FieldViolation(field: "step_minutes", description: "must be 5 to 240"))
        }
        if request.limit > FindSlotsRequest.Limits.limitRange.upperBound {
            violations.append(
                FieldViolation(
                    field: "limit", description: "must be at most \(FindSlotsRequest.Limits.limitRange.upperBound)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        var until = request.windowEndAtMicros
        let now = clock()
        // An open-ended search from now runs at most 8 weeks too.
        if start == 0 && until != 0 && until - now > Self.longestSearch { until = now + Self.longestSearch }
        let slots = try await store.findSlots(
            SessionStore.SlotSearch(
                matchID: request.matchID, memberID: request.memberID, durationMinutes: request.durationMinutes,
                from: start, until: until, stepMinutes: step, limit: Int(request.limit == 0 ? 10 : request.limit)),
            now: now)
        return FindSlotsResponse(slots: slots)
    }

    /// Keeps a time for a few minutes.
    public nonisolated(nonsending) func holdSlot(
        _ request: HoldSlotRequest, context: CallContext
    ) async throws -> Hold {
        var violations: [FieldViolation] = []
        Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkStart(request.startAtMicros, field: "start_at", into: &violations)
        Self.checkDuration(request.durationMinutes, zeroAllowed: false, into: &violations)
        let minutes = request.holdMinutes == 0 ? 5 : request.holdMinutes
        if !(1...HoldSlotRequest.Limits.holdMinutesRange.upperBound).contains(minutes) {
            violations.append(FieldViolation(field: "hold_minutes", description: "must be 1 to 30"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.hold(
            matchID: request.matchID, by: request.memberID, startMicros: request.startAtMicros,
            durationMinutes: request.durationMinutes, holdMinutes: minutes, now: clock())
    }

    /// Books a held time.
    public nonisolated(nonsending) func confirmHold(
        _ request: ConfirmHoldRequest, context: CallContext
    ) async throws -> Session {
        var violations: [FieldViolation] = []
        Self.checkID(request.holdID, prefix: "hld_", field: "hold_id", what: "a hold id", into: &violations)
        if request.token.isEmpty { violations.append(FieldViolation(field: "token", description: "is required")) }
        Self.checkText(request.title, field: "title", limit: ConfirmHoldRequest.Limits.titleLength, into: &violations)
        Self.checkText(
            request.agenda, field: "agenda", limit: ConfirmHoldRequest.Limits.agendaLength, lines: true,
            into: &violations)
        Self.checkText(
            request.location, field: "location", limit: ConfirmHoldRequest.Limits.locationLength, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.confirm(
            holdID: request.holdID, token: request.token, viewer: Viewer(context), title: Self.collapse(request.title),
            agenda: request.agenda.trimmingCharacters(in: .whitespacesAndNewlines),
            location: request.location.trimmingCharacters(in: .whitespaces), now: clock())
    }

    /// Gives a held time back.
    public nonisolated(nonsending) func releaseHold(
        _ request: ReleaseHoldRequest, context: CallContext
    ) async throws -> Hold {
        var violations: [FieldViolation] = []
        Self.checkID(request.holdID, prefix: "hld_", field: "hold_id", what: "a hold id", into: &violations)
        if request.token.isEmpty { violations.append(FieldViolation(field: "token", description: "is required")) }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.release(
            holdID: request.holdID, token: request.token, viewer: Viewer(context), now: clock())
    }

    // MARK: Series

    /// Books a recurring session: every occurrence or none.
    public nonisolated(nonsending) func scheduleSeries(
        _ request: ScheduleSeriesRequest, context: CallContext
    ) async throws -> Series {
        var violations: [FieldViolation] = []
        Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkStart(request.firstStartAtMicros, field: "first_start_at", into: &violations)
        Self.checkDuration(request.durationMinutes, zeroAllowed: false, into: &violations)
        let interval = request.intervalWeeks == 0 ? 1 : request.intervalWeeks
        if !(1...ScheduleSeriesRequest.Limits.intervalWeeksRange.upperBound).contains(interval) {
            violations.append(FieldViolation(field: "interval_weeks", description: "must be 1 to 8"))
        }
        switch (request.count, request.untilAtMicros) {
        case (0, 0):
            violations.append(FieldViolation(field: "count", description: "or until_at is required"))
        case (let count, 0) where !(2...52).contains(count):
            violations.append(FieldViolation(field: "count", description: "must be 2 to 52"))
        case (0, let until) where until <= request.firstStartAtMicros:
            violations.append(FieldViolation(field: "until_at", description: "must be after first_start_at"))
        case (let count, let until) where count != 0 && until != 0:
            violations.append(FieldViolation(field: "until_at", description: "goes without count: give one of them"))
        default: break
        }
        Self.checkText(
            request.title, field: "title", limit: ScheduleSeriesRequest.Limits.titleLength, into: &violations)
        Self.checkText(
            request.agenda, field: "agenda", limit: ScheduleSeriesRequest.Limits.agendaLength, lines: true,
            into: &violations)
        Self.checkText(
            request.location, field: "location", limit: ScheduleSeriesRequest.Limits.locationLength,
            into: &violations)
        let overrideReason = Self.checkOverride(
            request.overrideAvailability, request.overrideReason, into: &violations)
        let idempotency = try Self.idempotency(context, request, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let series = try await store.scheduleSeries(
            SessionStore.SeriesBooking(
                matchID: request.matchID, memberID: request.memberID, firstStart: request.firstStartAtMicros,
                durationMinutes: request.durationMinutes, intervalWeeks: interval, count: request.count,
                until: request.untilAtMicros, title: Self.collapse(request.title),
                agenda: request.agenda.trimmingCharacters(in: .whitespacesAndNewlines),
                location: request.location.trimmingCharacters(in: .whitespaces), overrideReason: overrideReason),
            now: clock(), idempotency: idempotency)
        return series
    }

    /// Reads a series.
    public nonisolated(nonsending) func getSeries(
        _ request: GetSeriesRequest, context: CallContext
    ) async throws -> Series {
        var violations: [FieldViolation] = []
        Self.checkID(request.id, prefix: "srs_", field: "id", what: "a series id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        guard let series = try await store.series(request.id, viewer: Viewer(context)) else {
            throw SessionStoreError.seriesNotFound(seriesID: request.id).rpcError
        }
        return series
    }

    /// Cancels this and the following occurrences (or all).
    public nonisolated(nonsending) func cancelSeries(
        _ request: CancelSeriesRequest, context: CallContext
    ) async throws -> Series {
        var violations: [FieldViolation] = []
        Self.checkID(request.seriesID, prefix: "srs_", field: "series_id", what: "a series id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkText(
            request.reason, field: "reason", limit: CancelSeriesRequest.Limits.reasonLength, into: &violations)
        if Self.collapse(request.reason).isEmpty {
            violations.append(FieldViolation(field: "reason", description: "is required to cancel"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.cancelSeries(
            request.seriesID, by: request.memberID, from: Int(max(request.fromOccurrence, 1)),
            reason: Self.collapse(request.reason), expectedVersion: request.expectedVersion, now: clock())
    }

    /// Moves this and the following occurrences (or all).
    public nonisolated(nonsending) func rescheduleSeries(
        _ request: RescheduleSeriesRequest, context: CallContext
    ) async throws -> Series {
        var violations: [FieldViolation] = []
        Self.checkID(request.seriesID, prefix: "srs_", field: "series_id", what: "a series id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkStart(request.startAtMicros, field: "start_at", into: &violations)
        Self.checkDuration(request.durationMinutes, zeroAllowed: true, into: &violations)
        Self.checkText(
            request.reason, field: "reason", limit: RescheduleSeriesRequest.Limits.reasonLength, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.rescheduleSeries(
            request.seriesID, by: request.memberID, from: Int(max(request.fromOccurrence, 1)),
            start: request.startAtMicros, durationMinutes: request.durationMinutes,
            reason: Self.collapse(request.reason), expectedVersion: request.expectedVersion, now: clock())
    }

    // MARK: Network policies

    /// A network's scheduling rules.
    public nonisolated(nonsending) func getNetworkSessionPolicy(
        _ request: GetNetworkSessionPolicyRequest, context: CallContext
    ) async throws -> NetworkSessionPolicy {
        try Self.checkNetwork(request.network, field: "network")
        return try await store.policy(of: request.network)
    }

    /// Changes some of a network's scheduling rules.
    public nonisolated(nonsending) func updateNetworkSessionPolicy(
        _ request: UpdateNetworkSessionPolicyRequest, context: CallContext
    ) async throws -> NetworkSessionPolicy {
        let values = request.policy ?? NetworkSessionPolicy()
        try Self.checkNetwork(values.network, field: "policy.network")
        var violations: [FieldViolation] = []
        let ranges: [(String, UInt32, ClosedRange<UInt32>)] = [
            (
                "minimum_notice_minutes", values.minimumNoticeMinutes,
                NetworkSessionPolicy.Limits.minimumNoticeMinutesRange
            ),
            ("buffer_minutes", values.bufferMinutes, NetworkSessionPolicy.Limits.bufferMinutesRange),
            ("change_cutoff_minutes", values.changeCutoffMinutes, NetworkSessionPolicy.Limits.changeCutoffMinutesRange),
            ("maximum_reschedules", values.maximumReschedules, NetworkSessionPolicy.Limits.maximumReschedulesRange),
        ]
        let settable = Set(ranges.map(\.0) + ["reschedule_reason_required"])
        if request.updateMask.isEmpty {
            violations.append(FieldViolation(field: "update_mask", description: "must name a field to change"))
        }
        for field in request.updateMask where !settable.contains(field) {
            violations.append(FieldViolation(field: "update_mask", description: "\(field) cannot be set"))
        }
        for (field, value, range) in ranges where request.updateMask.contains(field) && !range.contains(value) {
            violations.append(
                FieldViolation(
                    field: "policy.\(field)", description: "must be \(range.lowerBound) to \(range.upperBound)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.updatePolicy(
            values.network, values: values, mask: Set(request.updateMask), expectedVersion: request.expectedVersion,
            now: clock())
    }

    /// A network name as profiles has them: 1 to 64 of a-z, 0-9 and '-'.
    private static func checkNetwork(_ network: String, field: String) throws {
        var violations: [FieldViolation] = []
        checkNetwork(network, field: field, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
    }

    static func checkNetwork(_ network: String, field: String, into violations: inout [FieldViolation]) {
        guard (1...64).contains(network.utf8.count),
            network.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 })
        else {
            violations.append(
                FieldViolation(field: field, description: "must be a network: 1 to 64 of a-z, 0-9 and '-'"))
            return
        }
    }

    // MARK: Calendars

    /// Makes (or remakes) a member's calendar feed.
    public nonisolated(nonsending) func createCalendarFeed(
        _ request: CreateCalendarFeedRequest, context: CallContext
    ) async throws -> CalendarFeed {
        var violations: [FieldViolation] = []
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.createFeed(memberID: request.memberID, now: clock())
    }

    /// Stops a member's calendar feed.
    public nonisolated(nonsending) func revokeCalendarFeed(
        _ request: RevokeCalendarFeedRequest, context: CallContext
    ) async throws -> RevokeCalendarFeedResponse {
        var violations: [FieldViolation] = []
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return RevokeCalendarFeedResponse(revoked: try await store.revokeFeed(memberID: request.memberID))
    }

    /// A calendar feed's document.
    public nonisolated(nonsending) func getCalendar(
        _ request: GetCalendarRequest, context: CallContext
    ) async throws -> CalendarDocument {
        guard request.token.utf8.count == 32, request.token.utf8.allSatisfy({ $0 < 128 && $0 != 0 }) else {
            throw RPCError.invalidArgument([FieldViolation(field: "token", description: "is not a feed token")])
        }
        return try await store.calendar(token: request.token, now: clock())
    }

    /// One session's invitation.
    public nonisolated(nonsending) func getSessionInvite(
        _ request: GetSessionInviteRequest, context: CallContext
    ) async throws -> CalendarDocument {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.invite(request.sessionID, viewer: Viewer(context))
    }

    /// The longest slot search: 8 weeks.
    static let longestSearch: Int64 = 8 * 7 * 86_400_000_000

    // MARK: Change feed

    /// Reads the change feed after a position.
    public nonisolated(nonsending) func listChanges(
        _ request: ListSessionChangesRequest, context: CallContext
    ) async throws -> ListSessionChangesResponse {
        let page = try await store.changes(after: request.afterSequence, limit: try Self.changeLimit(request.limit))
        return ListSessionChangesResponse(changes: page.changes, headSequence: page.head)
    }

    /// Streams the change feed after a position, then every new change.
    public nonisolated(nonsending) func watchChanges(
        _ request: ListSessionChangesRequest, writer: ResponseStreamWriter<SessionChange>, context: CallContext
    ) async throws {
        try await notifier.follow(
            after: request.afterSequence, limit: try Self.changeLimit(request.limit),
            page: { try await store.changes(after: $0, limit: $1).changes }, sequence: \.sequence,
            deliver: { try await writer.write($0) })
    }

    // MARK: Validation

    /// The call's idempotency key (1 to 200 bytes) with the request it guards, or nil.
    static func idempotency(
        _ context: CallContext, _ request: some ProtoMessage, into violations: inout [FieldViolation]
    ) throws -> (key: String, request: [UInt8])? {
        guard let key = context.metadata.idempotencyKey else { return nil }
        guard (1...200).contains(key.utf8.count) else {
            violations.append(FieldViolation(field: "idempotency-key", description: "must be 1 to 200 bytes"))
            return nil
        }
        return (key, try request.encoded())
    }

    private static func changeLimit(_ limit: UInt32) throws -> Int {
        guard limit <= maximumChanges else {
            throw RPCError.invalidArgument([
                FieldViolation(field: "limit", description: "must be at most \(maximumChanges)")
            ])
        }
        return Int(limit == 0 ? 100 : limit)
    }

    static func checkID(
        _ id: String, prefix: String, field: String, what: String, into violations: inout [FieldViolation]
    ) {
        if !SortableID.isWellFormed(id, prefix: prefix) {
            violations.append(
                FieldViolation(field: field, description: "must be \(what) (\(prefix) and 26 characters)"))
        }
    }

    static func checkStart(_ micros: Int64, field: String, into violations: inout [FieldViolation]) {
        if micros <= 0 {
            violations.append(FieldViolation(field: field, description: "is required"))
        } else if micros % 60_000_000 != 0 {
            violations.append(FieldViolation(field: field, description: "must be a whole minute"))
        }
    }

    static func checkDuration(_ minutes: UInt32, zeroAllowed: Bool, into violations: inout [FieldViolation]) {
        let range = ScheduleSessionRequest.Limits.durationMinutesRange
        if !(zeroAllowed && minutes == 0) && !range.contains(minutes) {
            violations.append(
                FieldViolation(
                    field: "duration_minutes", description: "must be \(range.lowerBound) to \(range.upperBound)"))
        }
    }

    static func checkText(
        _ text: String, field: String, limit: ClosedRange<Int>, lines: Bool = false,
        into violations: inout [FieldViolation]
    ) {
        if text.count > limit.upperBound {
            violations.append(
                FieldViolation(field: field, description: "must be at most \(limit.upperBound) characters"))
        }
        if text.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control && !(lines && ($0 == "\n" || $0 == "\t"))
        }) {
            violations.append(FieldViolation(field: field, description: "must not contain control characters"))
        }
    }

    /// The override's reason when the availability is overridden (it is then required).
    static func checkOverride(_ override: Bool, _ reason: String, into violations: inout [FieldViolation])
        -> String?
    {
        checkText(
            reason, field: "override_reason", limit: ScheduleSessionRequest.Limits.overrideReasonLength,
            into: &violations)
        let reason = collapse(reason)
        if override && reason.isEmpty {
            violations.append(
                FieldViolation(field: "override_reason", description: "is required to book outside the availability"))
        }
        if !override && !reason.isEmpty {
            violations.append(
                FieldViolation(
                    field: "override_reason", description: "is only for a booking with override_availability"))
        }
        return override ? reason : nil
    }

    private static func position(_ token: String) -> SessionStore.PagePosition? {
        let parts = token.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let start = Int64(parts[0]), SortableID.isWellFormed(String(parts[1]), prefix: "ses_")
        else { return nil }
        return SessionStore.PagePosition(startMicros: start, id: String(parts[1]))
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
