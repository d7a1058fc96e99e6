import Foundation
import MemberRules
import ProfilesV1
import RPC
import ServiceStore
import Wire

/// `mentornet.profiles.v1.Profiles`: members, their search, and the change feed.
public struct ProfilesService: ProfilesHandler {
    private let store: MemberStore
    private let notifier: ChangeNotifier
    /// Who is whose active partner (pushed by matching).
    public let partnerships: Partnerships
    /// The networks' API keys.
    public let apiKeys: ApiKeyStore
    private let clock: @Sendable () -> Int64

    /// The largest page of ListMembers.
    public static let maximumPageSize = ListMembersRequest.Limits.pageSizeRange.upperBound
    /// The page size when none is asked for.
    public static let defaultPageSize: UInt32 = 50
    /// The most ids BatchGetMembers takes.
    public static let maximumBatch = BatchGetMembersRequest.Limits.idsCount.upperBound
    /// The largest page of ListChanges.
    public static let maximumChanges = ListChangesRequest.Limits.limitRange.upperBound

    /// The fields UpdateMember may change (proto names).
    public static let updatableFields: Set<String> = [
        "email", "display_name", "headline", "bio", "roles", "networks", "organization", "department", "location",
        "timezone", "languages", "years_of_experience", "expertise", "learning_goals", "mentoring_capacity",
        "availability", "preferences",
    ]

    /// A service over `database`; `clock` gives microseconds since 1970 (tests may fix it).
    public init(database: ProfilesDatabase, clock: @escaping @Sendable () -> Int64 = ProfilesService.now) {
        let notifier = ChangeNotifier()
        self.notifier = notifier
        self.store = MemberStore(database: database, notifier: notifier)
        self.partnerships = Partnerships(database: database)
        self.apiKeys = ApiKeyStore(database: database)
        self.clock = clock
    }

    /// Microseconds since 1970, now.
    @Sendable public static func now() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1_000_000).rounded())
    }

    // MARK: Handlers

    /// Creates a member; honours `idempotency-key`.
    public nonisolated(nonsending) func createMember(
        _ request: CreateMemberRequest, context: CallContext
    ) async throws -> Member {
        guard let input = request.member else {
            throw RPCError.invalidArgument([FieldViolation(field: "member", description: "is required")])
        }
        let subject = try request.linkSignIn ? signInToLink(Viewer(context)) : nil
        var member = try normalised(input, path: "member.")
        let now = clock()
        member.id = MemberID.make(atMicros: now)
        member.status = .active
        member.version = 1
        member.createdAtMicros = now
        member.updatedAtMicros = now
        var idempotency: (key: String, request: [UInt8])?
        if let key = context.metadata.idempotencyKey {
            guard (1...200).contains(key.utf8.count) else {
                throw RPCError.invalidArgument([
                    FieldViolation(field: "idempotency-key", description: "must be 1 to 200 bytes")
                ])
            }
            idempotency = (key, try request.encoded())
        }
        return try await store.create(member, linking: subject, idempotency: idempotency)
    }

    /// The subject a CreateMember with `link_sign_in` links: a person's whose token names no member.
    private func signInToLink(_ viewer: Viewer) throws -> String {
        guard let principal = viewer.principal, principal.apiKey == nil, !principal.subject.isEmpty else {
            throw RPCError.invalidArgument([
                FieldViolation(
                    field: "link_sign_in", description: "links a person's sign-in, and this call is not made by one")
            ])
        }
        if let member = principal.member {
            throw RPCError(.alreadyExists, "your sign-in is already linked to member \(member)")
        }
        return principal.subject
    }

    /// Links a member that exists to a sign-in, for an admin of one of its networks.
    public nonisolated(nonsending) func linkSignIn(
        _ request: LinkSignInRequest, context: CallContext
    ) async throws -> SignInLink {
        var violations: [FieldViolation] = []
        if !MemberID.isWellFormed(request.memberID) {
            violations.append(
                FieldViolation(field: "member_id", description: "must be a member id (mbr_ and 26 characters)"))
        }
        let subject = request.subject
        if subject.isEmpty {
            violations.append(FieldViolation(field: "subject", description: "is required"))
        } else if subject.count > LinkSignInRequest.Limits.subjectLength.upperBound {
            violations.append(
                FieldViolation(
                    field: "subject",
                    description: "must be at most \(LinkSignInRequest.Limits.subjectLength.upperBound) characters"))
        } else if subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            || subject.trimmingCharacters(in: .whitespaces) != subject
        {
            violations.append(
                FieldViolation(
                    field: "subject",
                    description: "must be the token's sub exactly: no control characters, no spaces around it"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let member = try await administered(request.memberID, by: Viewer(context))
        guard member.status != .deactivated else {
            throw RPCError(.failedPrecondition, "member \(member.id) has left: a sign-in cannot be linked to them")
        }
        return try await store.link(subject: subject, to: member.id, now: clock())
    }

    /// Removes a member's sign-in link, for an admin of one of its networks.
    public nonisolated(nonsending) func unlinkSignIn(
        _ request: UnlinkSignInRequest, context: CallContext
    ) async throws -> SignInLink {
        try checkID(request.memberID, field: "member_id")
        let member = try await administered(request.memberID, by: Viewer(context))
        guard let removed = try await store.unlink(memberID: member.id) else {
            throw RPCError(.notFound, "member \(member.id) has no sign-in linked")
        }
        return removed
    }

    /// The member, when `viewer` administers one of its networks; to anyone else it does not exist.
    private func administered(_ id: String, by viewer: Viewer) async throws -> Member {
        guard let member = try await store.get(id),
            viewer.isService || member.networks.contains(where: viewer.administers)
        else { throw MemberStoreError.notFound(id: id) }
        return member
    }

    /// The member a sign-in is: by its linked subject or its verified email.
    public nonisolated(nonsending) func resolveMember(
        _ request: ResolveMemberRequest, context: CallContext
    ) async throws -> ResolveMemberResponse {
        switch (request.subject.isEmpty, request.email.isEmpty) {
        case (true, true):
            throw RPCError.invalidArgument([FieldViolation(field: "subject", description: "or email is required")])
        case (false, false):
            throw RPCError.invalidArgument([
                FieldViolation(field: "email", description: "must not be given with subject: resolve by one of them")
            ])
        default: break
        }
        guard request.subject.count <= LinkSignInRequest.Limits.subjectLength.upperBound,
            request.email.utf8.count <= 320
        else {
            throw RPCError.invalidArgument([
                FieldViolation(
                    field: request.subject.isEmpty ? "email" : "subject", description: "is longer than any sign-in's")
            ])
        }
        guard
            let id = try await store.resolve(
                subject: request.subject.isEmpty ? nil : request.subject,
                email: request.email.isEmpty ? nil : request.email)
        else {
            throw RPCError(.notFound, "no member is linked to this sign-in")
        }
        return ResolveMemberResponse(memberID: id)
    }

    /// The member as stored: answered without decoding and encoding it again.
    public nonisolated(nonsending) func getMember(
        _ request: GetMemberRequest, context: CallContext
    ) async throws -> Encoded<Member> {
        let id = request.id
        try checkID(id, field: "id")
        guard let encoded = try await store.encoded(id) else { throw RPCError(.notFound, "no member \(id)") }
        // A service, or the member themselves: the stored encoding as it is.
        let viewer = Viewer(context)
        if viewer.is(id) { return encoded }
        // An admin of one of the member's networks sees it whole: the networks are read from the
        // encoding, without decoding the member (the admin GET stays as cheap as the member's own).
        if let admin = viewer.principal?.adminNetworks, !admin.isEmpty,
            Self.networks(inEncoded: encoded.bytes).contains(where: admin.contains)
        {
            return encoded
        }
        var member = try encoded.decoded()
        switch try await partnerships.view(of: member, by: viewer) {
        case .whole:
            return encoded
        case .publicFields:
            member.email = ""
            return try Encoded(member)
        case .hidden:
            throw RPCError(.notFound, "no member \(id)")
        }
    }

    /// Reads up to `maximumBatch` members; the ids not found are listed apart.
    public nonisolated(nonsending) func batchGetMembers(
        _ request: BatchGetMembersRequest, context: CallContext
    ) async throws
        -> BatchGetMembersResponse
    {
        guard request.ids.count <= Self.maximumBatch else {
            throw RPCError.invalidArgument([
                FieldViolation(field: "ids", description: "must be at most \(Self.maximumBatch)")
            ])
        }
        for (index, id) in request.ids.enumerated() { try checkID(id, field: "ids[\(index)]") }
        let found = try await store.get(request.ids)
        let foundIDs = Set(found.map(\.id))
        return BatchGetMembersResponse(members: found, missingIDs: request.ids.filter { !foundIDs.contains($0) })
    }

    /// Changes the fields in the update mask, checking the expected version.
    public nonisolated(nonsending) func updateMember(
        _ request: UpdateMemberRequest, context: CallContext
    ) async throws -> Member {
        guard let input = request.member else {
            throw RPCError.invalidArgument([FieldViolation(field: "member", description: "is required")])
        }
        try checkID(input.id, field: "member.id")
        var violations: [FieldViolation] = []
        for (index, path) in request.updateMask.enumerated() where !Self.updatableFields.contains(path) {
            violations.append(
                FieldViolation(field: "update_mask[\(index)]", description: "\"\(path)\" is not an updatable field"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        let mask = request.updateMask.isEmpty ? Self.updatableFields : Set(request.updateMask)
        return try await store.update(input.id, expectedVersion: request.expectedVersion, kind: .updated, now: clock())
        { member in
            guard member.status != .deactivated else {
                throw RPCError(.failedPrecondition, "member \(member.id) is deactivated and cannot change")
            }
            Self.apply(input, to: &member, mask: mask)
            member = try normalised(member, path: "member.")
        }
    }

    private func setStatus(
        _ request: SetMemberStatusRequest,
        to status: MemberStatus,
        kind: ChangeKind,
        allowedFrom: Set<MemberStatus>
    ) async throws -> Member {
        try checkID(request.id, field: "id")
        return try await store.update(request.id, expectedVersion: request.expectedVersion, kind: kind, now: clock()) {
            member in
            guard allowedFrom.contains(member.status) else {
                throw RPCError(
                    .failedPrecondition,
                    "member \(member.id) is \(Self.name(member.status)) and cannot become \(Self.name(status))")
            }
            member.status = status
        }
    }

    /// Searches members, a page at a time.
    public nonisolated(nonsending) func listMembers(
        _ request: ListMembersRequest, context: CallContext
    ) async throws -> ListMembersResponse {
        var violations: [FieldViolation] = []
        if request.pageSize > Self.maximumPageSize {
            violations.append(
                FieldViolation(field: "page_size", description: "must be at most \(Self.maximumPageSize)"))
        }
        var afterID = ""
        if !request.pageToken.isEmpty {
            if let decoded = Data(base64Encoded: request.pageToken).map({ String(decoding: $0, as: UTF8.self) }),
                decoded.hasPrefix("after:"), MemberID.isWellFormed(String(decoded.dropFirst(6)))
            {
                afterID = String(decoded.dropFirst(6))
            } else {
                violations.append(
                    FieldViolation(field: "page_token", description: "is not a token this service issued"))
            }
        }
        var filter = MemberStore.Filter()
        filter.network = request.network.trimmingCharacters(in: .whitespaces).lowercased()
        filter.role = request.role
        filter.skill = MemberValidator.normaliseSkill(request.skill)
        filter.words = request.query.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(
            String.init)
        filter.status = request.status
        if filter.words.count > 10 {
            violations.append(FieldViolation(field: "query", description: "must have at most 10 words"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        // A person lists the networks they belong to or administer; emails only of themselves, their
        // active partners and the members of networks they administer.
        let viewer = Viewer(context)
        let scope = try await partnerships.listScope(of: viewer)
        filter.withinNetworks = scope.networks
        let size = Int(request.pageSize == 0 ? Self.defaultPageSize : request.pageSize)
        let found = try await store.list(filter, afterID: afterID, limit: size + 1)
        var page = Array(found.prefix(size))
        if !viewer.isService {
            for index in page.indices
            where !viewer.is(page[index].id) && !scope.partners.contains(page[index].id)
                && !page[index].networks.contains(where: viewer.administers)
            {
                page[index].email = ""
            }
        }
        let next = found.count > size ? Data("after:\(page.last!.id)".utf8).base64EncodedString() : ""
        return ListMembersResponse(members: page, nextPageToken: next)
    }

    /// Applies matching's feed (pushed by matching's `PartnershipPublisher`).
    public nonisolated(nonsending) func applyPartnerships(
        _ request: ApplyPartnershipsRequest, context: CallContext
    ) async throws -> ApplyPartnershipsResponse {
        guard request.changes.count <= ApplyPartnershipsRequest.Limits.changesCount.upperBound else {
            throw RPCError.invalidArgument([
                FieldViolation(
                    field: "changes",
                    description: "must be at most \(ApplyPartnershipsRequest.Limits.changesCount.upperBound)")
            ])
        }
        var violations: [FieldViolation] = []
        var previous: UInt64 = 0
        for (index, change) in request.changes.enumerated() {
            if change.sequence <= previous {
                violations.append(
                    FieldViolation(field: "changes[\(index)].sequence", description: "must increase"))
            }
            previous = change.sequence
            if let partnership = change.partnership {
                for (name, value) in [
                    ("match_id", partnership.matchID), ("mentor_id", partnership.mentorID),
                    ("mentee_id", partnership.menteeID),
                ] where value.isEmpty {
                    violations.append(
                        FieldViolation(field: "changes[\(index)].partnership.\(name)", description: "is required"))
                }
            }
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return ApplyPartnershipsResponse(position: try await partnerships.apply(request.changes))
    }

    // MARK: API keys

    /// Makes an API key for a network; the answer alone holds the key.
    public nonisolated(nonsending) func createApiKey(
        _ request: CreateApiKeyRequest, context: CallContext
    ) async throws -> ApiKey {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, into: &violations)
        let name = request.name.trimmingCharacters(in: .whitespaces)
        if !CreateApiKeyRequest.Limits.nameLength.contains(name.count)
            || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            violations.append(
                FieldViolation(
                    field: "name",
                    description:
                        "must be 1 to \(CreateApiKeyRequest.Limits.nameLength.upperBound) characters, no control characters"
                ))
        }
        if !CreateApiKeyRequest.Limits.scopesCount.contains(request.scopes.count) {
            violations.append(
                FieldViolation(
                    field: "scopes",
                    description: "must name 1 to \(CreateApiKeyRequest.Limits.scopesCount.upperBound) scopes"))
        }
        for (index, scope) in request.scopes.enumerated() where ApiKeyStore.scopes[scope] == nil {
            violations.append(
                FieldViolation(
                    field: "scopes[\(index)]",
                    description: "must be one of \(ApiKeyStore.scopes.keys.sorted().joined(separator: ", "))"))
        }
        if Set(request.scopes).count != request.scopes.count {
            violations.append(FieldViolation(field: "scopes", description: "must not repeat a scope"))
        }
        let now = clock()
        if request.expiresAtMicros != 0 && request.expiresAtMicros <= now {
            violations.append(FieldViolation(field: "expires_at", description: "must be in the future (or 0: never)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return try await apiKeys.create(
            network: request.network, name: name, scopes: request.scopes, expiresAtMicros: request.expiresAtMicros,
            createdBy: context.principal?.subject ?? "service", now: now)
    }

    /// A network's API keys, without their secrets.
    public nonisolated(nonsending) func listApiKeys(
        _ request: ListApiKeysRequest, context: CallContext
    ) async throws -> ListApiKeysResponse {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, into: &violations)
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        return ListApiKeysResponse(keys: try await apiKeys.list(network: request.network))
    }

    /// Revokes an API key at once.
    public nonisolated(nonsending) func revokeApiKey(
        _ request: RevokeApiKeyRequest, context: CallContext
    ) async throws -> ApiKey {
        var violations: [FieldViolation] = []
        Self.checkNetwork(request.network, into: &violations)
        if !SortableID.isWellFormed(request.id, prefix: "key_") {
            violations.append(FieldViolation(field: "id", description: "must be an API key id (key_…)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
        guard let key = try await apiKeys.revoke(network: request.network, id: request.id, now: clock()) else {
            throw RPCError(.notFound, "no API key \(request.id) in network \(request.network)")
        }
        return key
    }

    /// Whose an API key is: UNAUTHENTICATED unless it works now.
    public nonisolated(nonsending) func authenticateApiKey(
        _ request: AuthenticateApiKeyRequest, context: CallContext
    ) async throws -> ApiKey {
        try await workingKey(request.key)
    }

    /// Whom a call made with an API key acts for (`CallAuthenticator.APIKeyCheck`): the key's
    /// record checked here, as `AuthenticateApiKey` does.
    public func apiKeyPrincipal(_ secret: String) async throws(RPCError) -> Principal {
        let key = try await workingKey(secret)
        return Principal.apiKey(id: key.id, network: key.network, scopes: key.scopes)
    }

    /// The record of a key that works now; UNAUTHENTICATED otherwise.
    private func workingKey(_ secret: String) async throws(RPCError) -> ApiKey {
        let key: ApiKey?
        do {
            key = try await apiKeys.authenticate(secret, now: clock())
        } catch {
            throw RPCError(.unavailable, "the API key could not be checked: \(error)")
        }
        guard let key else {
            throw RPCError(
                .unauthenticated, "the API key is not one this deployment made, or it was revoked or expired")
        }
        return key
    }

    /// The `networks` (field 7) of an encoded Member, read field by field without decoding the
    /// rest; whatever does not parse ends the scan (the stored encoding is the service's own).
    public static func networks(inEncoded bytes: [UInt8]) -> [String] {
        var networks: [String] = []
        var index = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while index < bytes.count, let key = varint() {
            switch key & 7 {
            case 0: guard varint() != nil else { return networks }
            case 1: index += 8
            case 5: index += 4
            case 2:
                guard let length = varint(), length <= UInt64(bytes.count - index) else { return networks }
                if key >> 3 == 7 {
                    networks.append(String(decoding: bytes[index..<index + Int(length)], as: UTF8.self))
                }
                index += Int(length)
            default: return networks
            }
        }
        return networks
    }

    private static func checkNetwork(_ network: String, into violations: inout [FieldViolation]) {
        if !MemberValidator.isSlug(network) {
            violations.append(
                FieldViolation(field: "network", description: "must be a network: 1 to 64 of a-z, 0-9 and '-'"))
        }
    }

    /// Active → paused.
    public nonisolated(nonsending) func pauseMember(
        _ request: SetMemberStatusRequest, context: CallContext
    ) async throws -> Member {
        try await setStatus(request, to: .paused, kind: .paused, allowedFrom: [.active])
    }

    /// Paused → active.
    public nonisolated(nonsending) func resumeMember(
        _ request: SetMemberStatusRequest, context: CallContext
    ) async throws -> Member {
        try await setStatus(request, to: .active, kind: .resumed, allowedFrom: [.paused])
    }

    /// Active or paused → deactivated.
    public nonisolated(nonsending) func deactivateMember(
        _ request: SetMemberStatusRequest, context: CallContext
    ) async throws -> Member {
        try await setStatus(request, to: .deactivated, kind: .deactivated, allowedFrom: [.active, .paused])
    }

    /// Reads the change feed after a position.
    public nonisolated(nonsending) func listChanges(
        _ request: ListChangesRequest, context: CallContext
    ) async throws -> ListChangesResponse {
        let limit = try changeLimit(request.limit)
        let page = try await store.changes(after: request.afterSequence, limit: limit)
        return ListChangesResponse(changes: page.changes, headSequence: page.head)
    }

    /// Streams the change feed after a position, then every new change.
    public nonisolated(nonsending) func watchChanges(
        _ request: ListChangesRequest, writer: ResponseStreamWriter<MemberChange>, context: CallContext
    ) async throws {
        try await notifier.follow(
            after: request.afterSequence, limit: try changeLimit(request.limit),
            page: { try await store.changes(after: $0, limit: $1).changes }, sequence: \.sequence,
            deliver: { try await writer.write($0) })
    }

    // MARK: Helpers

    private func normalised(_ member: Member, path: String) throws -> Member {
        switch MemberValidator.normalise(member, path: path) {
        case .success(let member): return member
        case .failure(let failure): throw RPCError.invalidArgument(failure.violations)
        }
    }

    private func checkID(_ id: String, field: String) throws {
        guard MemberID.isWellFormed(id) else {
            throw RPCError.invalidArgument([
                FieldViolation(field: field, description: "must be a member id (mbr_ and 26 characters)")
            ])
        }
    }

    private func changeLimit(_ limit: UInt32) throws -> Int {
        guard limit <= Self.maximumChanges else {
            throw RPCError.invalidArgument([
                FieldViolation(field: "limit", description: "must be at most \(Self.maximumChanges)")
            ])
        }
        return Int(limit == 0 ? 100 : limit)
    }

    private static func name(_ status: MemberStatus) -> String {
        switch status {
        case .active: "active"
        case .paused: "paused"
        case .deactivated: "deactivated"
        case .unspecified: "unspecified"
        }
    }

    /// Copies the masked fields of `input` onto `member`.
    static func apply(_ input: Member, to member: inout Member, mask: Set<String>) {
        if mask.contains("email") { member.email = input.email }
        if mask.contains("display_name") { member.displayName = input.displayName }
        if mask.contains("headline") { member.headline = input.headline }
        if mask.contains("bio") { member.bio = input.bio }
        if mask.contains("roles") { member.roles = input.roles }
        if mask.contains("networks") { member.networks = input.networks }
        if mask.contains("organization") { member.organization = input.organization }
        if mask.contains("department") { member.department = input.department }
        if mask.contains("location") { member.location = input.location }
        if mask.contains("timezone") { member.timezone = input.timezone }
        if mask.contains("languages") { member.languages = input.languages }
        if mask.contains("years_of_experience") { member.yearsOfExperience = input.yearsOfExperience }
        if mask.contains("expertise") { member.expertise = input.expertise }
        if mask.contains("learning_goals") { member.learningGoals = input.learningGoals }
        if mask.contains("mentoring_capacity") { member.mentoringCapacity = input.mentoringCapacity }
        if mask.contains("availability") { member.availability = input.availability }
        if mask.contains("preferences") { member.preferences = input.preferences }
    }
}
