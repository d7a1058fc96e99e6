import Foundation
import RPC
import ServiceStore
import SessionsV1
import Wire

/// The partnership's record: goals with their progress reviews, and double-blind session feedback
/// (docs/sessions.md, "Goals and progress reviews" and "Session feedback").
extension SessionsService {
    // MARK: Goals and reviews

    /// Sets a goal for an active match.
    public nonisolated(nonsending) func createGoal(
        _ request: CreateGoalRequest, context: CallContext
    ) async throws -> Goal {
        var violations: [FieldViolation] = []
        Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        let fields = Self.goalFields(
            title: request.title, criteria: request.successCriteria, date: request.targetDate,
            visibility: request.visibility, cadence: request.reviewCadenceDays, mask: nil, prefix: "",
            into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.createGoal(matchID: request.matchID, by: request.memberID, fields: fields, now: clock())
    }

    /// Reads a goal.
    public nonisolated(nonsending) func getGoal(_ request: GetGoalRequest, context: CallContext) async throws -> Goal {
        var violations: [FieldViolation] = []
        Self.checkID(request.id, prefix: "gol_", field: "id", what: "a goal id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.goal(request.id, viewer: request.memberID, now: clock())
    }

    /// A match's goals.
    public nonisolated(nonsending) func listGoals(
        _ request: ListGoalsRequest, context: CallContext
    ) async throws -> ListGoalsResponse {
        var violations: [FieldViolation] = []
        Self.checkID(request.matchID, prefix: "mat_", field: "match_id", what: "a match id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return ListGoalsResponse(
            goals: try await store.goals(
                matchID: request.matchID, viewer: request.memberID, status: request.status, now: clock()))
    }

    /// A network's shared goals, oldest first, for its admins (and API keys with `goals:read`).
    public nonisolated(nonsending) func listNetworkGoals(
        _ request: ListNetworkGoalsRequest, context: CallContext
    ) async throws -> ListNetworkGoalsResponse {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, field: "network", into: &violations)
        if request.pageSize > Self.maximumPageSize {
            violations.append(
                FieldViolation(field: "page_size", description: "must be at most \(Self.maximumPageSize)"))
        }
        var afterID: String?
        if !request.pageToken.isEmpty {
            if let data = Data(base64Encoded: request.pageToken), let decoded = String(data: data, encoding: .utf8),
                decoded.hasPrefix("after:"), SortableID.isWellFormed(String(decoded.dropFirst(6)), prefix: "gol_")
            {
                afterID = String(decoded.dropFirst(6))
            } else {
                violations.append(FieldViolation(field: "page_token", description: "is not a token this service made"))
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let limit = Int(request.pageSize == 0 ? 50 : request.pageSize)
        let found = try await store.networkGoals(
            network: request.network, status: request.status, afterID: afterID, limit: limit + 1, now: clock())
        let page = Array(found.prefix(limit))
        let next = found.count > limit ? Data("after:\(page.last!.id)".utf8).base64EncodedString() : ""
        return ListNetworkGoalsResponse(goals: page, nextPageToken: next)
    }

    /// Changes a goal's fields named in the update mask.
    public nonisolated(nonsending) func updateGoal(
        _ request: UpdateGoalRequest, context: CallContext
    ) async throws -> Goal {
        var violations: [FieldViolation] = []
        let goal = request.goal ?? Goal()
        Self.checkID(goal.id, prefix: "gol_", field: "goal.id", what: "a goal id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        let settable: Set<String> = ["title", "success_criteria", "target_date", "visibility", "review_cadence_days"]
        if request.updateMask.isEmpty {
            violations.append(FieldViolation(field: "update_mask", description: "must name a field to change"))
        }
        for field in request.updateMask where !settable.contains(field) {
            violations.append(FieldViolation(field: "update_mask", description: "\(field) cannot be changed here"))
        }
        let fields = Self.goalFields(
            title: goal.title, criteria: goal.successCriteria, date: goal.targetDate, visibility: goal.visibility,
            cadence: goal.reviewCadenceDays, mask: Set(request.updateMask), prefix: "goal.", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.updateGoal(
            goal.id, by: request.memberID, fields: fields, expectedVersion: request.expectedVersion, now: clock())
    }

    /// States progress towards a goal.
    public nonisolated(nonsending) func reviewGoal(
        _ request: ReviewGoalRequest, context: CallContext
    ) async throws -> ProgressReview {
        var violations: [FieldViolation] = []
        Self.checkID(request.goalID, prefix: "gol_", field: "goal_id", what: "a goal id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !ReviewGoalRequest.Limits.progressRange.contains(request.progress) {
            violations.append(FieldViolation(field: "progress", description: "must be 0 to 100"))
        }
        if request.confidence == .unspecified {
            violations.append(
                FieldViolation(
                    field: "confidence", description: "must be CONFIDENCE_LOW, CONFIDENCE_MEDIUM or CONFIDENCE_HIGH"))
        }
        Self.checkText(
            request.note, field: "note", limit: ReviewGoalRequest.Limits.noteLength, lines: true, into: &violations)
        Self.checkLink(request.evidenceUrl, field: "evidence_url", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.review(
            goalID: request.goalID, by: request.memberID, progress: request.progress, confidence: request.confidence,
            note: request.note.trimmingCharacters(in: .whitespacesAndNewlines),
            evidence: request.evidenceUrl.trimmingCharacters(in: .whitespaces), now: clock())
    }

    /// The other partner agrees with a pending review.
    public nonisolated(nonsending) func confirmReview(
        _ request: RespondToReviewRequest, context: CallContext
    ) async throws -> ProgressReview {
        try await respond(request, confirm: true)
    }

    /// The other partner disagrees with a pending review, saying why.
    public nonisolated(nonsending) func disputeReview(
        _ request: RespondToReviewRequest, context: CallContext
    ) async throws -> ProgressReview {
        try await respond(request, confirm: false)
    }

    private func respond(_ request: RespondToReviewRequest, confirm: Bool) async throws -> ProgressReview {
        var violations: [FieldViolation] = []
        Self.checkID(request.reviewID, prefix: "rev_", field: "review_id", what: "a review id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        Self.checkText(
            request.comment, field: "comment", limit: RespondToReviewRequest.Limits.commentLength, lines: true,
            into: &violations)
        if !confirm && Self.collapse(request.comment).isEmpty {
            violations.append(FieldViolation(field: "comment", description: "is required to dispute a review"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.respond(
            reviewID: request.reviewID, by: request.memberID, confirm: confirm,
            comment: request.comment.trimmingCharacters(in: .whitespacesAndNewlines), now: clock())
    }

    /// A goal's reviews.
    public nonisolated(nonsending) func listReviews(
        _ request: ListReviewsRequest, context: CallContext
    ) async throws -> ListReviewsResponse {
        var violations: [FieldViolation] = []
        Self.checkID(request.goalID, prefix: "gol_", field: "goal_id", what: "a goal id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return ListReviewsResponse(reviews: try await store.reviews(goalID: request.goalID, viewer: request.memberID))
    }

    /// One partner's agreement that a goal is achieved.
    public nonisolated(nonsending) func achieveGoal(
        _ request: GoalActionRequest, context: CallContext
    ) async throws -> Goal {
        try Self.checkGoalAction(request)
        return try await store.achieve(
            request.goalID, by: request.memberID, expectedVersion: request.expectedVersion, now: clock())
    }

    /// The owner gives a goal up.
    public nonisolated(nonsending) func dropGoal(_ request: GoalActionRequest, context: CallContext) async throws
        -> Goal
    {
        try Self.checkGoalAction(request)
        return try await store.drop(
            request.goalID, by: request.memberID, expectedVersion: request.expectedVersion, now: clock())
    }

    /// Announces the goals whose review came due (the sweeper calls this).
    public func announceDueReviews() async throws -> Int {
        try await store.announceDueReviews(now: clock())
    }

    private static func checkGoalAction(_ request: GoalActionRequest) throws {
        var violations: [FieldViolation] = []
        checkID(request.goalID, prefix: "gol_", field: "goal_id", what: "a goal id", into: &violations)
        checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
    }

    /// A goal's fields, checked; only those in `mask` (all, without one) are set.
    private static func goalFields(
        title: String, criteria: String, date: String, visibility: GoalVisibility, cadence: UInt32, mask: Set<String>?,
        prefix: String, into violations: inout [FieldViolation]
    ) -> SessionStore.GoalFields {
        func named(_ field: String) -> Bool { mask?.contains(field) ?? true }
        let limits = Goal.Limits.self
        var fields = SessionStore.GoalFields()
        if named("title") {
            let text = collapse(title)
            if text.isEmpty { violations.append(FieldViolation(field: prefix + "title", description: "is required")) }
            checkText(title, field: prefix + "title", limit: limits.titleLength, into: &violations)
            fields.title = text
        }
        if named("success_criteria") {
            checkText(
                criteria, field: prefix + "success_criteria", limit: limits.successCriteriaLength, lines: true,
                into: &violations)
            fields.successCriteria = criteria.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if named("target_date") {
            if !date.isEmpty && !isDate(date) {
                violations.append(
                    FieldViolation(field: prefix + "target_date", description: "must be a date like 2027-03-31"))
            }
            fields.targetDate = date
        }
        if named("visibility") { fields.visibility = visibility == .unspecified ? .shared : visibility }
        if named("review_cadence_days") {
            if !limits.reviewCadenceDaysRange.contains(cadence) {
                violations.append(FieldViolation(field: prefix + "review_cadence_days", description: "must be 0 to 90"))
            }
            fields.reviewCadenceDays = cadence
        }
        return fields
    }

    /// `2027-03-31`, a real day.
    private static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
            let day = Int(parts[2]), (1...12).contains(month), day >= 1
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return days.contains(day)
    }

    /// An http or https link, or empty.
    private static func checkLink(_ link: String, field: String, into violations: inout [FieldViolation]) {
        checkText(link, field: field, limit: ReviewGoalRequest.Limits.evidenceUrlLength, into: &violations)
        guard !link.isEmpty else { return }
        guard let url = URL(string: link), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil
        else {
            violations.append(FieldViolation(field: field, description: "must be an http or https link"))
            return
        }
    }

    // MARK: Feedback

    /// Gives or changes one's feedback on a completed session.
    public nonisolated(nonsending) func giveFeedback(
        _ request: GiveFeedbackRequest, context: CallContext
    ) async throws -> SessionFeedback {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !GiveFeedbackRequest.Limits.ratingRange.contains(request.rating) {
            violations.append(FieldViolation(field: "rating", description: "must be 1 to 5"))
        }
        if request.goodFit == .unspecified {
            violations.append(
                FieldViolation(
                    field: "good_fit", description: "must be FIT_ANSWER_YES, FIT_ANSWER_NOT_SURE or FIT_ANSWER_NO"))
        }
        Self.checkText(
            request.wentWell, field: "went_well", limit: GiveFeedbackRequest.Limits.wentWellLength, lines: true,
            into: &violations)
        Self.checkText(
            request.toChange, field: "to_change", limit: GiveFeedbackRequest.Limits.toChangeLength, lines: true,
            into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.giveFeedback(
            sessionID: request.sessionID, by: request.memberID,
            answers: SessionStore.FeedbackAnswers(
                rating: request.rating, wentWell: request.wentWell.trimmingCharacters(in: .whitespacesAndNewlines),
                toChange: request.toChange.trimmingCharacters(in: .whitespacesAndNewlines), goodFit: request.goodFit),
            now: clock())
    }

    /// A session's feedback as one participant may see it.
    public nonisolated(nonsending) func getFeedback(
        _ request: GetFeedbackRequest, context: CallContext
    ) async throws -> SessionFeedback {
        var violations: [FieldViolation] = []
        Self.checkID(request.sessionID, prefix: "ses_", field: "session_id", what: "a session id", into: &violations)
        Self.checkID(request.memberID, prefix: "mbr_", field: "member_id", what: "a member id", into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.feedback(sessionID: request.sessionID, viewer: request.memberID, now: clock())
    }

    /// Reveals the feedback whose 7 days passed (the reveal job calls this).
    public func revealDueFeedback() async throws -> Int {
        try await store.revealDueFeedback(now: clock())
    }
}
