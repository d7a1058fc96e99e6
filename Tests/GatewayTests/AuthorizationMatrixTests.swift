import Foundation
import Gateway
import HTTPMapping
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JWTKit
import MatchingV1
import NotificationsV1
import ProfilesService
import ProfilesV1
import RPC
import SessionsV1
import TestSupport
import Testing
import Wire

/// Every route × every role, from the route table and the rule each route's RPC declares in
/// proto/ (`access`): a new route without a rule does not compile (the generator refuses it), and
/// one whose service does not enforce its rule fails here. The services enforce the rules (the
/// gateway only authenticates), so this checks each service's enforcement on the binary protocol
/// through the gateway's routes.
@Suite("who may call what: the authorization matrix")
struct AuthorizationMatrixTests {
    /// The member the requests act for or name.
    static let subject = "mbr_00000000000000000000000001"
    /// The network the requests name.
    static let network = "acme"

    enum Role: String, CaseIterable {
        case anonymous, theMember, anotherMember, adminOfNetwork, adminOfAnotherNetwork
        /// An API key of the network with every scope.
        case apiKeyOfNetwork
    }

    static func token(_ role: Role) async throws -> String? {
        func mint(_ subject: String, member: String?, admin: [String]) async throws -> String {
            try await TokenMinter.mint(
                secret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
                audience: AuthenticationTests.audience, subject: subject, member: member, admin: admin,
                memberClaim: "member")
        }
        switch role {
        case .anonymous: return nil
        case .theMember: return try await mint("person-1", member: subject, admin: [])
        case .anotherMember: return try await mint("person-2", member: "mbr_00000000000000000000000002", admin: [])
        case .adminOfNetwork: return try await mint("admin-1", member: nil, admin: [network])
        case .adminOfAnotherNetwork: return try await mint("admin-2", member: nil, admin: ["globex"])
        case .apiKeyOfNetwork: return nil  // made by the profiles service once it runs
        }
    }

    /// Whether `role` may call a route whose RPC has `binding`'s rule (as the requests below name
    /// the member and network).
    static func allowed(_ role: Role, _ binding: HTTPBinding) -> Bool {
        // A key: only where its method names a scope, then as an admin of its network.
        if role == .apiKeyOfNetwork {
            return binding.access == "public" || (!binding.accessScope.isEmpty && allowed(.adminOfNetwork, binding))
        }
        switch (binding.access, role) {
        case ("public", _): return true
        case (_, .anonymous): return false
        case ("authenticated", _): return true
        case ("self", .theMember): return true
        case ("self", .adminOfNetwork): return !binding.accessNetworkField.isEmpty
        case ("networkAdmin", .adminOfNetwork), ("anyAdmin", .adminOfNetwork), ("anyAdmin", .adminOfAnotherNetwork):
            return true
        default: return false
        }
    }

    /// The request for `binding`: the member field names `subject`, the network field `network`,
    /// every other path variable a made-up id; an empty JSON object body otherwise.
    static func request(_ binding: HTTPBinding) -> (path: String, body: ByteBuffer?) {
        var path = binding.template
        for parameter in binding.pathParameters {
            let value =
                parameter.jsonField == binding.accessMemberField
                ? subject : parameter.jsonField == binding.accessNetworkField ? network : "x0000000000000000000000001"
            path = path.replacingOccurrences(of: "{\(parameter.name)}", with: value)
        }
        let inPath = Set(binding.pathParameters.map(\.jsonField))
        var query: [String] = []
        var body: [String: Any] = [:]
        for (field, value) in [(binding.accessMemberField, subject), (binding.accessNetworkField, network)]
        where !field.isEmpty && !inPath.contains(field) {
            if binding.queryParameters.contains(where: { $0.name == field }) {
                query.append("\(field)=\(value)")
            } else if binding.body == "*" {
                body[field] = value
            } else {
                Issue.record("\(binding): the rule's field \(field) is neither in the path, the query nor the body")
            }
        }
        // A PATCH changes the fields its body names: one, reset to its default (null fits any type).
        if let field = binding.maskFields.keys.sorted().first { body[field] = NSNull() }
        if !query.isEmpty { path += "?" + query.joined(separator: "&") }
        guard !binding.body.isEmpty else { return (path, nil) }
        let data = try! JSONSerialization.data(withJSONObject: body)
        return (path, ByteBuffer(bytes: data))
    }

    static var bindings: [HTTPBinding] {
        ProfilesAPI.httpBindings + MatchingAPI.httpBindings + SessionsAPI.httpBindings
            + NotificationsAPI.httpBindings
    }

    /// Every scope a route's method asks of an API key.
    static var scopes: Set<String> {
        Set(bindings.map(\.accessScope).filter { !$0.isEmpty })
    }

    @Test("the scopes a key may hold are exactly those the routes ask for, each listing its methods")
    func scopesMatchTheRoutes() {
        #expect(Set(ApiKeyStore.scopes.keys) == Self.scopes)
        // Methods with a scope that have no route (streams, on the binary protocol only).
        let unrouted = [NotificationsAPI.watchNetworkEvents.name: NotificationsAPI.watchNetworkEventsAccess.scope]
        for scope in Self.scopes {
            var methods = Set(Self.bindings.filter { $0.accessScope == scope }.map(\.method))
            for (method, methodScope) in unrouted where methodScope == scope { methods.insert(method) }
            let listed = Set((ApiKeyStore.scopes[scope] ?? "").split(separator: ", ").map(String.init))
            #expect(listed == methods, "\(scope) lists \(listed.sorted()), its routes' methods are \(methods.sorted())")
        }
    }

    @Test("every route states a rule, and only the rules the model knows")
    func everyRouteHasARule() {
        for binding in Self.bindings {
            #expect(Access<Member>.Rule(rawValue: binding.access) != nil, "\(binding) has no known rule")
            #expect(binding.access != "services", "\(binding): a services-only method must not be routed")
        }
    }

    @Test("every role on every route: 401 without a token, 403 where the rule refuses, otherwise through")
    func matrix() async throws {
        let tokens = try await TokenVerifier(
            settings: TokenSettings(
                hmacSecret: AuthenticationTests.secret, issuer: AuthenticationTests.issuer,
                audience: AuthenticationTests.audience, memberClaim: "member"))
        var roleTokens: [Role: String] = [:]
        for role in Role.allCases { roleTokens[role] = try await Self.token(role) }
        let minted = roleTokens
        let outcomes = try await withMatchingGateway(tokens: tokens) { client, harness in
            var frozen = minted
            frozen[.apiKeyOfNetwork] = try await harness.rpc.unary(
                ProfilesAPI.createApiKey,
                CreateApiKeyRequest(
                    network: Self.network, name: "matrix",
                    scopes: Self.scopes.sorted())
            ).secret
            var outcomes: [String] = []
            for binding in Self.bindings {
                let (path, body) = Self.request(binding)
                for role in Role.allCases {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let token = frozen[role] { headers[.authorization] = "Bearer \(token)" }
                    let response = try await client.execute(
                        uri: path, method: HTTPRequest.Method(binding.verb)!, headers: headers, body: body)
                    let status = response.status.code
                    let expected = Self.allowed(role, binding)
                    let ok: Bool
                    if role == .anonymous && binding.access != "public" {
                        ok = status == 401
                    } else if expected {
                        ok = status != 401 && status != 403
                    } else {
                        ok = status == 403 && (try? errorCode(response)) == "PERMISSION_DENIED"
                    }
                    if !ok {
                        outcomes.append(
                            "\(binding.verb) \(binding.template) [\(binding.access)] as \(role.rawValue): \(status) "
                                + String(buffer: response.body).prefix(160))
                    }
                }
            }
            return outcomes
        }
        #expect(outcomes.isEmpty, "\(outcomes.joined(separator: "\n"))")
    }

    @Test("on the binary protocol: feeds and batch reads are for services only; a person acts only as themself")
    func binaryProtocol() async throws {
        try await withMatchingGateway { _, harness in
            let person = CallOptions(
                metadata: [Metadata.principalKey: Principal(subject: "p", member: Self.subject).metadataValue])
            let feeds: [@Sendable (CallOptions) async throws -> Void] = [
                { _ = try await harness.rpc.unary(ProfilesAPI.listChanges, ListChangesRequest(limit: 1), options: $0) },
                { _ = try await harness.rpc.unary(ProfilesAPI.batchGetMembers, BatchGetMembersRequest(), options: $0) },
                {
                    _ = try await harness.rpc.unary(
                        MatchingAPI.listChanges, ListMatchChangesRequest(limit: 1), options: $0)
                },
                {
                    _ = try await harness.rpc.unary(
                        SessionsAPI.listChanges, ListSessionChangesRequest(limit: 1), options: $0)
                },
            ]
            for call in feeds {
                try await call(CallOptions())  // a service, for itself
                await #expect { try await call(person) } throws: {
                    isRPCError($0, .permissionDenied, "only MentorNet's services")
                }
            }
            // Acting as another member over the protocol is refused as through the gateway.
            await #expect {
                _ = try await harness.rpc.unary(
                    NotificationsAPI.getNotificationCounts,
                    GetNotificationCountsRequest(memberID: "mbr_00000000000000000000000002"), options: person)
            } throws: { isRPCError($0, .permissionDenied, "takes that member's token") }
            let counts = try await harness.rpc.unary(
                NotificationsAPI.getNotificationCounts, GetNotificationCountsRequest(memberID: Self.subject),
                options: person)
            #expect(counts.unreadCount == 0)
            // The streams that have no route hold their rules too: a network's events, for its admins.
            let notifications = NotificationsClient(harness.rpc)
            for (principal, refusal) in [
                (Principal(subject: "p", member: Self.subject), "only an admin of network acme"),
                (Principal(subject: "a", adminNetworks: ["globex"]), "only an admin of network acme"),
            ] {
                var events = notifications.watchNetworkEvents(
                    WatchNetworkEventsRequest(network: Self.network),
                    options: CallOptions(metadata: [Metadata.principalKey: principal.metadataValue])
                ).makeAsyncIterator()
                await #expect { _ = try await events.next() } throws: { isRPCError($0, .permissionDenied, refusal) }
            }
            let garbled = CallOptions(metadata: [Metadata.principalKey: "not a principal"])
            await #expect {
                _ = try await harness.rpc.unary(ProfilesAPI.listMembers, ListMembersRequest(), options: garbled)
            } throws: { isRPCError($0, .unauthenticated, "principal metadata is malformed") }
        }
    }
}
