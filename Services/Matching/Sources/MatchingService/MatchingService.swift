import Foundation
import MatchingEngine
import MatchingV1
import ProfilesV1
import RPC
import ServiceStore
import Wire

/// `mentornet.matching.v1.Matching`: suggestions, the match lifecycle and the change feed.
public struct MatchingService: MatchingHandler {
    let store: MatchStore
    private let rounds: RoundStore
    /// The read model of members this service matches (the profiles feed follower fills it).
    public let directory: MemberDirectory
    let notifier: ChangeNotifier
    private let policy: MatchPolicy
    private let clock: @Sendable () -> Int64
    private let suggestionIndexes: SuggestionIndexes

    /// The most suggestions one call returns.
    public static let maximumSuggestions = GetSuggestionsRequest.Limits.limitRange.upperBound
    /// The largest page of ListMatches.
    public static let maximumPageSize = ListMatchesRequest.Limits.pageSizeRange.upperBound
    /// The largest page of ListChanges.
    public static let maximumChanges = ListMatchChangesRequest.Limits.limitRange.upperBound
    /// The minimum score of a round that asks for none (0).
    public static let defaultMinimumScore = 30.0
    /// The longest reason.
    public static let maximumReason = MatchActionRequest.Limits.reasonLength.upperBound

    /// A service over `database`; `clock` gives microseconds since 1970 (tests may move it).
    public init(
        database: MatchingDatabase, policy: MatchPolicy = MatchPolicy(),
        clock: @escaping @Sendable () -> Int64 = MatchingService.now
    ) {
        let notifier = ChangeNotifier()
        self.notifier = notifier
        let store = MatchStore(database: database, notifier: notifier, policy: policy)
        self.store = store
        self.rounds = RoundStore(database: database, matches: store, notifier: notifier, policy: policy)
        self.directory = MemberDirectory(database: database)
        self.suggestionIndexes = SuggestionIndexes(database: database, maximumMentors: policy.maximumMentors)
        self.policy = policy
        self.clock = clock
    }

    /// Microseconds since 1970, now.
    @Sendable public static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    // MARK: Matches

    /// Accepts a proposal for one partner; the match is ACTIVE once both have.
    public nonisolated(nonsending) func acceptMatch(
        _ request: MatchActionRequest, context: CallContext
    ) async throws -> Match {
        try check(request)
        return try await store.accept(
            request.matchID, by: request.memberID, expectedVersion: request.expectedVersion, now: clock())
    }

    /// Declines a proposal, for one partner.
    public nonisolated(nonsending) func declineMatch(
        _ request: MatchActionRequest, context: CallContext
    ) async throws -> Match {
        try check(request)
        return try await store.decline(
            request.matchID, by: request.memberID, expectedVersion: request.expectedVersion,
            reason: request.reason, now: clock())
    }

    /// Withdraws a proposal, for whoever proposed it.
    public nonisolated(nonsending) func withdrawMatch(
        _ request: MatchActionRequest, context: CallContext
    ) async throws -> Match {
        try check(request)
        return try await store.withdraw(
            request.matchID, by: request.memberID, expectedVersion: request.expectedVersion,
            reason: request.reason, now: clock())
    }

    /// Reads a match.
    public nonisolated(nonsending) func getMatch(
        _ request: GetMatchRequest, context: CallContext
    ) async throws -> Match {
        try Self.checkMatchID(request.id, field: "id")
        // Only its partners and its network's admins see a match; to anyone else it does not exist.
        guard let match = try await store.get(request.id),
            Viewer(context).sees(members: [match.mentorID, match.menteeID], network: match.network)
        else { throw MatchStoreError.matchNotFound(matchID: request.id).rpcError }
        return match
    }

    // MARK: Rounds

    /// Proposes a stored dry run's pairs.
    public nonisolated(nonsending) func publishRound(
        _ request: GetRoundRequest, context: CallContext
    ) async throws -> MatchingV1.Round {
        try Self.checkRoundID(request.id)
        // A round is its network's admins' business; to anyone else it does not exist.
        let viewer = Viewer(context)
        return try await rounds.publish(request.id, now: clock()) { viewer.administers($0.network) }
    }

    /// Reads a stored round.
    public nonisolated(nonsending) func getRound(
        _ request: GetRoundRequest, context: CallContext
    ) async throws -> MatchingV1.Round {
        try Self.checkRoundID(request.id)
        guard let round = try await rounds.get(request.id), Viewer(context).administers(round.network) else {
            throw MatchStoreError.roundNotFound(roundID: request.id).rpcError
        }
        return round
    }

    // MARK: Change feed

    /// Reads the change feed after a position.
    public nonisolated(nonsending) func listChanges(
        _ request: ListMatchChangesRequest, context: CallContext
    ) async throws
        -> ListMatchChangesResponse
    {
        let page = try await store.changes(after: request.afterSequence, limit: try Self.changeLimit(request.limit))
        return ListMatchChangesResponse(changes: page.changes, headSequence: page.head)
    }

    /// Streams the change feed after a position, then every new change.
    public nonisolated(nonsending) func watchChanges(
        _ request: ListMatchChangesRequest, writer: ResponseStreamWriter<MatchChange>, context: CallContext
    ) async throws {
        try await notifier.follow(
            after: request.afterSequence, limit: try Self.changeLimit(request.limit),
            page: { try await store.changes(after: $0, limit: $1).changes }, sequence: \.sequence,
            deliver: { try await writer.write($0) })
    }

    /// Expires due proposals (the background job calls this).
    public func expireDue() async throws -> Int {
        try await store.expireDue(now: clock())
    }

    // MARK: Handlers

    /// The best partners for a member, with explanations; one-way unless the request says mutual.
    public nonisolated(nonsending) func getSuggestions(
        _ request: GetSuggestionsRequest, context: CallContext
    ) async throws
        -> GetSuggestionsResponse
    {
        var request = request
        if request.kind == .unspecified { request.kind = .oneWay }
        var violations: [FieldViolation] = []
        Self.checkMemberID(request.memberID, field: "member_id", into: &violations)
        Self.checkNetwork(request.network, into: &violations)
        if request.limit > Self.maximumSuggestions {
            violations.append(FieldViolation(field: "limit", description: "must be at most \(Self.maximumSuggestions)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }

        let limit = Int(request.limit == 0 ? 10 : request.limit)
        // The member, their partners and the index's changes in one read: one trip to the database.
        let found = try await suggestionIndexes.query(request.network, now: clock()) { [request] db in
            (
                member: try MemberDirectory.member(request.memberID, in: db),
                excluded: try MatchStore.partnersToExclude(of: request.memberID, in: db)
            )
        } check: { read in
            guard let member = read.member else { throw RPCError(.notFound, "no member \(request.memberID)") }
            guard member.status == .active, member.networks.contains(request.network) else {
                throw RPCError(
                    .failedPrecondition,
                    member.status != .active
                        ? "\(member.id) is \(MatchStore.name(member.status)): no new matches"
                        : "\(member.id) is not in network \(request.network)")
            }
        } _: { index, read in
            request.kind == .mutual
                ? index.peers(for: request.memberID, limit: limit, excluding: read.excluded)
                : index.mentors(for: request.memberID, limit: limit, excluding: read.excluded)
        }
        return GetSuggestionsResponse(
            suggestions: found.map { pair in
                let isFirst = pair.mentor == request.memberID
                return Suggestion(
                    candidateID: isFirst ? pair.mentee : pair.mentor, kind: request.kind, score: pair.total,
                    scoreParts: pair.scoreParts,
                    // What the candidate teaches the member, and (mutual) the other way round.
                    focusSkills: isFirst ? pair.reverseCoveredSkills : pair.coveredSkills,
                    reverseFocusSkills: pair.kind == .mutual
                        ? (isFirst ? pair.coveredSkills : pair.reverseCoveredSkills) : [],
                    explanation: pair.explanation)
            })
    }

    /// Runs a round for a network and stores it as a dry run.
    public nonisolated(nonsending) func runRound(
        _ request: RunRoundRequest, context: CallContext
    ) async throws -> MatchingV1.Round {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, into: &violations)
        let scores = RunRoundRequest.Limits.minimumScoreRange
        if !scores.contains(request.minimumScore) {
            violations.append(
                FieldViolation(
                    field: "minimum_score",
                    description: "must be \(Int(scores.lowerBound)) to \(Int(scores.upperBound))"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let options = RoundOptions(
            objective: request.objective == .maxParticipation ? .maxParticipation : .maxScore,
            minimumScore: request.minimumScore == 0 ? Self.defaultMinimumScore : request.minimumScore,
            seed: request.seed, mutual: !request.skipMutual)
        return try await rounds.run(network: request.network, options: options, now: clock())
    }

    /// Proposes a match: a member's request or an administrator's proposal; honours `idempotency-key`.
    /// Kind and origin default to one-way and requested.
    public nonisolated(nonsending) func proposeMatch(
        _ request: ProposeMatchRequest, context: CallContext
    ) async throws -> Match {
        var request = request
        if request.kind == .unspecified { request.kind = .oneWay }
        if request.origin == .unspecified { request.origin = .requested }
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, into: &violations)
        Self.checkMemberID(request.mentorID, field: "mentor_id", into: &violations)
        Self.checkMemberID(request.menteeID, field: "mentee_id", into: &violations)
        if request.mentorID == request.menteeID && !request.mentorID.isEmpty {
            violations.append(FieldViolation(field: "mentee_id", description: "must differ from mentor_id"))
        }
        switch request.origin {
        case .requested, .suggestion:
            if request.requestedBy != request.mentorID && request.requestedBy != request.menteeID {
                violations.append(
                    FieldViolation(field: "requested_by", description: "must be mentor_id or mentee_id"))
            }
        case .admin:
            if !request.requestedBy.isEmpty {
                violations.append(
                    FieldViolation(field: "requested_by", description: "must be empty for an administrator's proposal"))
            }
        case .round, .unspecified:
            violations.append(
                FieldViolation(
                    field: "origin",
                    description: "must be MATCH_ORIGIN_REQUESTED, MATCH_ORIGIN_SUGGESTION or MATCH_ORIGIN_ADMIN"))
        }
        var idempotency: (key: String, request: [UInt8])?
        if let key = context.metadata.idempotencyKey {
            if (1...200).contains(key.utf8.count) {
                idempotency = (key, try request.encoded())
            } else {
                violations.append(FieldViolation(field: "idempotency-key", description: "must be 1 to 200 bytes"))
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.propose(
            MatchStore.Proposal(
                network: request.network, kind: request.kind, mentorID: request.mentorID, menteeID: request.menteeID,
                origin: request.origin, requestedBy: request.requestedBy),
            now: clock(), idempotency: idempotency)
    }

    /// Ends an active match.
    public nonisolated(nonsending) func endMatch(
        _ request: EndMatchRequest, context: CallContext
    ) async throws -> Match {
        var violations: [FieldViolation] = []
        Self.checkMatchID(request.matchID, field: "match_id", into: &violations)
        Self.checkMemberID(request.memberID, field: "member_id", into: &violations)
        if request.outcome != .completed && request.outcome != .ended {
            violations.append(
                FieldViolation(field: "outcome", description: "must be MATCH_STATE_COMPLETED or MATCH_STATE_ENDED"))
        }
        if request.outcome == .ended && request.reason.trimmingCharacters(in: .whitespaces).isEmpty {
            violations.append(FieldViolation(field: "reason", description: "is required to end a match early"))
        }
        Self.checkReason(request.reason, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await store.end(
            request.matchID, by: request.memberID, outcome: request.outcome, expectedVersion: request.expectedVersion,
            reason: request.reason, now: clock())
    }

    /// A member's matches, newest first, a page at a time.
    public nonisolated(nonsending) func listMatches(
        _ request: ListMatchesRequest, context: CallContext
    ) async throws -> ListMatchesResponse {
        var violations: [FieldViolation] = []
        Self.checkMemberID(request.memberID, field: "member_id", into: &violations)
        return try await page(
            of: .member(request.memberID), state: request.state, size: request.pageSize, token: request.pageToken,
            violations: violations)
    }

    /// A network's matches, for its admins (and API keys with `matches:read`).
    public nonisolated(nonsending) func listNetworkMatches(
        _ request: ListNetworkMatchesRequest, context: CallContext
    ) async throws -> ListMatchesResponse {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, into: &violations)
        return try await page(
            of: .network(request.network), state: request.state, size: request.pageSize, token: request.pageToken,
            violations: violations)
    }

    /// A page of `owner`'s matches, newest first, after the checks of the page size and token
    /// (refused with `violations` found before, naming every bad field).
    private func page(
        of owner: MatchStore.Owner, state: MatchState, size: UInt32, token: String, violations: [FieldViolation]
    ) async throws -> ListMatchesResponse {
        var violations = violations
        if size > Self.maximumPageSize {
            violations.append(
                FieldViolation(field: "page_size", description: "must be at most \(Self.maximumPageSize)"))
        }
        var beforeID: String?
        if !token.isEmpty {
            if let data = Data(base64Encoded: token), let decoded = String(data: data, encoding: .utf8),
                decoded.hasPrefix("before:"), SortableID.isWellFormed(String(decoded.dropFirst(7)), prefix: "mat_")
            {
                beforeID = String(decoded.dropFirst(7))
            } else {
                violations.append(
                    FieldViolation(field: "page_token", description: "is not a token this service issued"))
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let limit = Int(size == 0 ? 50 : size)
        let found = try await store.list(owner, state: state, beforeID: beforeID, limit: limit + 1)
        let page = Array(found.prefix(limit))
        let next = found.count > limit ? Data("before:\(page.last!.id)".utf8).base64EncodedString() : ""
        return ListMatchesResponse(matches: page, nextPageToken: next)
    }

    // MARK: Validation

    private func check(_ request: MatchActionRequest) throws {
        var violations: [FieldViolation] = []
        Self.checkMatchID(request.matchID, field: "match_id", into: &violations)
        Self.checkMemberID(request.memberID, field: "member_id", into: &violations)
        Self.checkReason(request.reason, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
    }

    private static func checkMemberID(_ id: String, field: String, into violations: inout [FieldViolation]) {
        if !SortableID.isWellFormed(id, prefix: "mbr_") {
            violations.append(FieldViolation(field: field, description: "must be a member id (mbr_ and 26 characters)"))
        }
    }

    private static func checkMatchID(_ id: String, field: String, into violations: inout [FieldViolation]) {
        if !SortableID.isWellFormed(id, prefix: "mat_") {
            violations.append(FieldViolation(field: field, description: "must be a match id (mat_ and 26 characters)"))
        }
    }

    private static func checkMatchID(_ id: String, field: String) throws {
        var violations: [FieldViolation] = []
        checkMatchID(id, field: field, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
    }

    private static func checkRoundID(_ id: String) throws {
        guard SortableID.isWellFormed(id, prefix: "rnd_") else {
            throw RPCError.invalidArgument([
                FieldViolation(field: "id", description: "must be a round id (rnd_ and 26 characters)")
            ])
        }
    }

    private static func checkNetwork(_ network: String, into violations: inout [FieldViolation]) {
        let allowed = network.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
        if network.isEmpty || network.utf8.count > 64 || !allowed {
            violations.append(FieldViolation(field: "network", description: "must be 1 to 64 of a-z, 0-9 and '-'"))
        }
    }

    private static func checkReason(_ reason: String, into violations: inout [FieldViolation]) {
        if reason.count > maximumReason {
            violations.append(
                FieldViolation(field: "reason", description: "must be at most \(maximumReason) characters"))
        }
    }

    private static func changeLimit(_ limit: UInt32) throws -> Int {
        guard limit <= maximumChanges else {
            throw RPCError.invalidArgument([
                FieldViolation(field: "limit", description: "must be at most \(maximumChanges)")
            ])
        }
        return Int(limit == 0 ? 100 : limit)
    }
}
