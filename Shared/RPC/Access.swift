import Wire

/// Who may call a method (`(mentornet.api.v1.method).access` in proto/, generated into each
/// service's `<Service>API`): checked by the router before the handler runs, against the
/// principal the calling service says the call acts for (docs/security.md).
///
/// A call with no principal is a service acting for itself (a feed follower, a job, an internal
/// system holding the service credential) and may call every method.
public struct Access<Request: Sendable>: Sendable {
    /// The kinds of rule.
    public enum Rule: String, Sendable, CaseIterable {
        /// Anyone.
        case `public`
        /// Any authenticated person.
        case authenticated
        /// Only the member a request field names (or, where a network field is given, an admin of
        /// that network).
        case `self`
        /// Only an admin of the network a request field names.
        case networkAdmin
        /// Only an admin of some network (the handler checks the resource's network).
        case anyAdmin
        /// Only services, never a person.
        case services
    }

    /// The rule.
    public let rule: Rule
    /// The request field naming the member (proto path), or empty.
    public let memberField: String
    /// The request field naming the network (proto path), or empty.
    public let networkField: String
    /// The scope an API key needs to call the method, or empty (no key may).
    public let scope: String
    private let member: (@Sendable (Request) -> String)?
    private let network: (@Sendable (Request) -> String)?

    /// A rule (generated code writes these).
    public init(
        _ rule: Rule, memberField: String = "", member: (@Sendable (Request) -> String)? = nil,
        networkField: String = "", network: (@Sendable (Request) -> String)? = nil, scope: String = ""
    ) {
        self.rule = rule
        self.scope = scope
        self.memberField = memberField
        self.member = member
        self.networkField = networkField
        self.network = network
    }

    /// No rule: anyone (methods registered without one: health, test services).
    public static var unrestricted: Access { Access(.public) }

    /// The error refusing `request` for `principal`, or nil when it may be called.
    public func refusal(_ request: Request, for principal: Principal?) -> RPCError? {
        guard let principal else { return nil }
        // An API key: only within its scopes, then as an admin of its network.
        if principal.apiKey != nil, rule != .public {
            guard !scope.isEmpty else {
                return RPCError(.permissionDenied, "an API key may not call this method; it takes a person's token")
            }
            guard principal.scopes.contains(scope) else {
                return RPCError(.permissionDenied, "the API key lacks the scope \(scope) this method needs")
            }
        }
        switch rule {
        case .public, .authenticated:
            return nil
        case .services:
            return RPCError(.permissionDenied, "only MentorNet's services may call this method, not a person's token")
        case .`self`:
            let named = member?(request) ?? ""
            if !named.isEmpty, principal.member == named { return nil }
            if let network, case let name = network(request), !name.isEmpty, principal.administers(name) {
                return nil
            }
            guard !named.isEmpty else {
                return RPCError(
                    .permissionDenied, "\(Self.jsonName(memberField)) must name the member the token is for")
            }
            return RPCError(
                .permissionDenied,
                "acting as member \(named) takes that member's token"
                    + (network == nil ? "" : " (or an admin of the network's)"))
        case .networkAdmin:
            let name = network?(request) ?? ""
            if !name.isEmpty, principal.administers(name) { return nil }
            return RPCError(
                .permissionDenied,
                name.isEmpty
                    ? "\(Self.jsonName(networkField)) must name a network the token administers"
                    : "only an admin of network \(name) may do this")
        case .anyAdmin:
            return principal.adminNetworks.isEmpty
                ? RPCError(.permissionDenied, "only a network admin may do this") : nil
        }
    }

    /// The refusal for the call being served by `context`.
    @inlinable
    public func refusal(_ request: Request, _ context: CallContext) -> RPCError? {
        guard rule != .public, let value = context.metadata.principal else { return nil }
        guard let principal = Principal(metadataValue: value) else {
            return RPCError(.unauthenticated, "the call's principal metadata is malformed")
        }
        return refusal(request, for: principal)
    }

    /// `preferences.member_id` → `preferences.memberId`, as the JSON API names it.
    static func jsonName(_ path: String) -> String {
        path.split(separator: ".").map { segment in
            let words = segment.split(separator: "_")
            return (words.first.map(String.init) ?? "")
                + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        }.joined(separator: ".")
    }
}
