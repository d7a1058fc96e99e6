import Foundation
import HTTPMapping
import MatchingV1
import ProfilesV1
import SessionsV1
import Testing

@testable import Gateway

/// The gateway's routes come from the `google.api.http` annotations in proto/ (generated
/// `httpBindings`); the OpenAPI document, generated from the same annotations, must describe
/// exactly those operations.
@Suite("the route table generated from proto/")
struct RouteTableTests {
    static let bindings = ServedAPI.all.flatMap(\.bindings)
    /// Routes the gateway serves itself, not through a binding (the SSE stream is over a streaming
    /// method, which has no `google.api.http` route).
    static let operational: Set<String> = [
        "GET /healthz", "GET /readyz", "GET /metrics", "GET /openapi.json",
        "GET /v1/members/{member_id}/notification-stream",
    ]

    @Test("every route has an operation in the OpenAPI document, and every operation a route")
    func routesAndOperations() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
        let paths = document["paths"] as! [String: [String: Any]]
        var operations: Set<String> = []
        for (path, item) in paths {
            for verb in ["get", "put", "post", "patch", "delete"] where item[verb] != nil {
                operations.insert("\(verb.uppercased()) \(path)")
            }
        }
        let routes = Set(Self.bindings.map(\.description))
        #expect(routes.count == Self.bindings.count, "two bindings share a route")
        #expect(operations.subtracting(Self.operational) == routes)
        #expect(Self.operational.isSubset(of: operations))
    }

    @Test("each operation's path parameters are its template's variables, and every $ref resolves")
    func operationsAreComplete() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as! [String: Any]
        let paths = document["paths"] as! [String: [String: Any]]
        for binding in Self.bindings {
            let operation = try #require(paths[binding.template]?[binding.verb.lowercased()] as? [String: Any])
            let parameters = operation["parameters"] as? [[String: Any]] ?? []
            let inPath = parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
            #expect(inPath == binding.pathParameters.map(\.name), "\(binding)")
            let inQuery = parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
            #expect(inQuery == binding.queryParameters.map(\.name), "\(binding)")
            #expect((operation["requestBody"] != nil) == !binding.body.isEmpty, "\(binding)")
            let responses = try #require(operation["responses"] as? [String: Any])
            #expect(responses[binding.createsResource ? "201" : "200"] != nil, "\(binding)")
        }
        // Operation ids are unique (OpenAPI requires it; additional bindings get their own).
        let ids = paths.values.flatMap { $0.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String } }
        #expect(Set(ids).count == ids.count, "\(ids.sorted())")
        // Every reference points at a component that exists.
        let components = document["components"] as! [String: [String: Any]]
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        for reference in Set(references) {
            let parts = reference.split(separator: "/").map(String.init)
            #expect(parts.count == 4 && components[parts[2]]?[parts[3]] != nil, "\(reference) resolves to nothing")
        }
    }

    @Test("bindings are well formed: verbs, no body on GET, path fields, custom verbs, templates")
    func bindingsAreWellFormed() {
        for binding in Self.bindings {
            #expect(binding.path.hasPrefix("/v1/"), "\(binding)")
            #expect(["GET", "POST", "PATCH", "DELETE", "PUT"].contains(binding.verb), "\(binding)")
            #expect(binding.verb != "GET" || binding.body.isEmpty, "a GET has no body: \(binding)")
        }
        let update = ProfilesAPI.httpBindings.first { $0.method == "UpdateMember" }
        #expect(update?.pathFields == ["member.id"] && update?.template == "/v1/members/{member_id}")
        #expect(update?.ifMatch == true && update?.maskFields["displayName"] == "display_name")
        #expect(update?.maskFields["version"] == nil && update?.readOnlyKeys.contains("version") == true)
        let pause = ProfilesAPI.httpBindings.first { $0.method == "PauseMember" }
        #expect(pause?.customVerb == "pause" && pause?.resourceTemplate == "/v1/members/{member_id}")
        let accept = MatchingAPI.httpBindings.first { $0.method == "AcceptMatch" }
        #expect(accept?.template == "/v1/matches/{match_id}:accept" && accept?.pathFields == ["match_id"])
        let list = ProfilesAPI.httpBindings.first { $0.method == "ListMembers" }
        #expect(
            list?.queryParameters.map(\.name) == [
                "network", "role", "skill", "query", "status", "pageSize", "pageToken",
            ])
        #expect(ProfilesAPI.httpBindings.first { $0.method == "CreateMember" }?.location == "/v1/members/")
        #expect(SessionsAPI.httpBindings.first { $0.method == "ScheduleSession" }?.location == "/v1/sessions/")
        #expect(
            SessionsAPI.httpBindings.filter { $0.method == "ListSessions" }.map(\.template) == [
                "/v1/members/{member_id}/sessions", "/v1/matches/{match_id}/sessions",
            ])
        #expect(MatchingAPI.httpBindings.first { $0.method == "ProposeMatch" }?.idempotencyKey == true)
    }
}
