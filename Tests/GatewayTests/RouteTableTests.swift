import Foundation
import MatchingV1
import ProfilesV1
import RPC
import Testing

@testable import Gateway

/// The gateway's routes come from the `google.api.http` annotations in proto/ (generated
/// `httpBindings`); the OpenAPI document must describe exactly those operations.
@Suite("the route table generated from proto/")
struct RouteTableTests {
    static let bindings = ProfilesAPI.httpBindings + MatchingAPI.httpBindings
    /// Routes the gateway serves itself, not through a service.
    static let operational: Set<String> = ["GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json"]

    /// `POST /v1/matches/{match_id}:accept` → `POST /v1/matches/{}:accept`.
    static func normalised(_ operation: String) -> String {
        operation.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression)
    }

    @Test("every route has an operation in the OpenAPI document, and every operation a route")
    func routesAndOperations() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
        let paths = document["paths"] as! [String: [String: Any]]
        var operations: Set<String> = []
        for (path, item) in paths {
            for verb in ["get", "put", "post", "patch", "delete"] where item[verb] != nil {
                operations.insert(Self.normalised("\(verb.uppercased()) \(path)"))
            }
        }
        let routes = Set(Self.bindings.map { Self.normalised($0.description) })
        #expect(routes.count == Self.bindings.count, "two bindings share a route")
        #expect(operations.subtracting(Self.operational.map(Self.normalised)) == routes)
    }

    @Test("bindings are well formed: verbs, no body on GET, path fields, custom verbs, router paths")
    func bindingsAreWellFormed() {
        for binding in Self.bindings {
            #expect(binding.path.hasPrefix("/v1/"), "\(binding)")
            #expect(["GET", "POST", "PATCH", "DELETE", "PUT"].contains(binding.verb), "\(binding)")
            #expect(binding.verb != "GET" || binding.body.isEmpty, "a GET has no body: \(binding)")
        }
        #expect(ProfilesAPI.httpBindings.first { $0.method == "UpdateMember" }?.pathFields == ["member.id"])
        let pause = ProfilesAPI.httpBindings.first { $0.method == "PauseMember" }
        #expect(pause?.customVerb == "pause" && pause?.resourcePath == "/v1/members/{id}")
        #expect(BindingRoutes.routerPath("/v1/members/{member.id}") == "v1/members/{member_id}")
        #expect(BindingRoutes.routerPath("/v1/matches/{match_id}:accept") == "v1/matches/{match_id}:accept")
        #expect(BindingRoutes.parameterName(collection: "matches") == "match_id")
    }
}
