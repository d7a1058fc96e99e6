import SwiftProtobufPluginLibrary

/// One `google.api.http` route of an RPC, as the gateway serves it and the OpenAPI document
/// describes it: which request fields the path, the query and the body fill, and the gateway's
/// conventions that apply (docs/gateway.md).
struct HTTPRoute {
    /// A path variable: its name in the template, the request field it fills (proto names,
    /// dotted when nested) and that field's JSON path.
    struct PathParameter {
        let name: String
        let field: String
        let jsonField: String
        let descriptor: FieldDescriptor
    }

    let rule: HTTPRule
    let method: ServiceEmitter.Method
    /// The template with each variable named after the collection before it:
    /// `/v1/members/{member.id}` → `/v1/members/{member_id}`. The `.proto`'s variables are request
    /// fields and differ between RPCs at the same place (`{id}` in GetMember, `{member_id}` in
    /// GetSuggestions), where a router and the OpenAPI document need one name.
    let template: String
    let pathParameters: [PathParameter]
    /// The request fields a query parameter fills: with no body, every scalar field the path
    /// does not fill; with a body field, the others too; none with body `*`. The conventions'
    /// fields (expected_version, update_mask) are not among them.
    let query: [FieldDescriptor]
    /// The message the body holds: the request (body `*`), a field's message, or nil.
    let bodyMessage: Descriptor?
    /// The fields a body may carry: the body message's, less output-only ones and (body `*`)
    /// those the path fills.
    let bodyFields: [FieldDescriptor]
    /// The body message's output-only fields, which a body must not carry.
    let readOnly: [FieldDescriptor]
    /// The request has `uint64 expected_version`, which `If-Match` fills.
    let ifMatch: Bool
    /// The request has `repeated string update_mask` and the body is a field: the mask is the
    /// body's keys.
    let updateMask: Bool
    /// A POST to a collection (`/v1/members`, `/v1/matches/{match_id}/sessions`) whose response
    /// has a string `id` creates a resource: 201 Created with a `Location` under the collection's
    /// read route (`/v1/sessions/` + id). Set by `ServiceRoutes` once every route is known.
    var location = ""
    var createsResource: Bool { !location.isEmpty }

    init(_ rule: HTTPRule, method: ServiceEmitter.Method) throws {
        self.rule = rule
        self.method = method
        let request: Descriptor = method.descriptor.inputType
        var parameters: [PathParameter] = []
        var segments: [String] = []
        let pieces = rule.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for (index, segment) in pieces.enumerated() {
            guard let open = segment.firstIndex(of: "{"), let close = segment.firstIndex(of: "}") else {
                segments.append(segment)
                continue
            }
            guard index > 0 else {
                throw GenerationError(description: "\(method.descriptor.fullName): a path cannot start with a variable")
            }
            let field = String(segment[segment.index(after: open)..<close].split(separator: "=")[0])
            let name = Self.parameterName(collection: pieces[index - 1])
            guard !parameters.contains(where: { $0.name == name }) else {
                throw GenerationError(description: "\(method.descriptor.fullName): two path variables named \(name)")
            }
            var message: Descriptor? = request
            var jsonParts: [String] = []
            var leaf: FieldDescriptor?
            for part in field.split(separator: ".") {
                guard let found = message?.fields.first(where: { $0.name == part }), !found.isRepeated else {
                    throw GenerationError(
                        description: "\(method.descriptor.fullName): path variable {\(field)} names no field")
                }
                jsonParts.append(JSONEmitter.JSONField(found).jsonName)
                leaf = found
                message = found.type == .message ? found.messageType : nil
            }
            guard let leaf, leaf.type == .string else {
                throw GenerationError(
                    description: "\(method.descriptor.fullName): path variable {\(field)} must name a string field")
            }
            parameters.append(
                PathParameter(name: name, field: field, jsonField: jsonParts.joined(separator: "."), descriptor: leaf))
            segments.append(
                String(segment[..<open]) + "{" + name + "}" + String(segment[segment.index(after: close)...]))
        }
        template = "/" + segments.joined(separator: "/")
        pathParameters = parameters
        let pathTop = Set(parameters.map { String($0.field.split(separator: ".")[0]) })

        let conventions: Set<String> = ["expected_version", "update_mask"]
        ifMatch = request.fields.contains { $0.name == "expected_version" && $0.type == .uint64 && !$0.isRepeated }
        switch rule.body {
        case "":
            bodyMessage = nil
            query = request.fields.filter {
                !pathTop.contains($0.name) && !conventions.contains($0.name) && $0.type != .message
            }
        case "*":
            bodyMessage = request
            query = []
        default:
            guard let field = request.fields.first(where: { $0.name == rule.body }), field.type == .message,
                !field.isRepeated
            else {
                throw GenerationError(
                    description: "\(method.descriptor.fullName): body \(rule.body) must name a message field")
            }
            bodyMessage = field.messageType
            query = request.fields.filter {
                $0.name != rule.body && !pathTop.contains($0.name) && !conventions.contains($0.name)
                    && $0.type != .message
            }
        }
        var readOnly: [FieldDescriptor] = []
        var bodyFields: [FieldDescriptor] = []
        for field in bodyMessage?.fields ?? [] {
            if try FieldAnnotations(field).outputOnly {
                readOnly.append(field)
            } else if !(rule.body == "*" && pathTop.contains(field.name)) {
                bodyFields.append(field)
            }
        }
        self.readOnly = readOnly
        self.bodyFields = bodyFields
        updateMask =
            rule.body != "" && rule.body != "*"
            && request.fields.contains { $0.name == "update_mask" && $0.type == .string && $0.isRepeated }
    }

    /// `members` → `member_id`, `matches` → `match_id`, `series` → `series_id`, `api-keys` →
    /// `api_key_id`: the id of one of the collection.
    static func parameterName(collection: String) -> String {
        if collection == "series" { return "series_id" }
        let singular =
            ["ches", "shes", "sses", "xes"].contains(where: collection.hasSuffix)
            ? String(collection.dropLast(2)) : collection.hasSuffix("s") ? String(collection.dropLast()) : collection
        return singular.replacingOccurrences(of: "-", with: "_") + "_id"
    }

    /// The collection a POST of this route adds to (`sessions` of
    /// `/v1/matches/{match_id}/sessions`), or nil.
    var createdCollection: String? {
        guard rule.verb == "POST", customVerb == nil, responseID,
            let last = rule.path.split(separator: "/").last, !last.contains("{")
        else { return nil }
        return String(last)
    }

    /// The collection and response type of a read route `GET /v1/<collection>/{id}`, or nil.
    var readsOne: (collection: String, response: String)? {
        let parts = template.split(separator: "/").map(String.init)
        guard rule.verb == "GET", parts.count == 3, pathParameters.count == 1, parts[2].hasPrefix("{") else {
            return nil
        }
        return (parts[1], method.descriptor.outputType.fullName)
    }

    /// Sets `location` on each creating route: the template of the read route for the created
    /// collection and type, without its variable (`/v1/sessions/`).
    static func linkCreated(_ routes: inout [HTTPRoute]) {
        let reads = routes.compactMap { route in route.readsOne.map { ($0, route.template) } }
        for index in routes.indices {
            guard let collection = routes[index].createdCollection else { continue }
            let type = routes[index].method.descriptor.outputType.fullName
            if let read = reads.first(where: { $0.0.collection == collection && $0.0.response == type }) {
                routes[index].location = String(read.1[...read.1.lastIndex(of: "/")!])
            }
        }
    }

    /// The custom verb (`pause` of `/v1/members/{id}:pause`), or nil.
    var customVerb: String? {
        guard let colon = rule.path.lastIndex(of: ":"), !rule.path[colon...].contains("/"),
            !rule.path[colon...].contains("}")
        else { return nil }
        return String(rule.path[rule.path.index(after: colon)...])
    }

    /// The response has a string `id` and a uint64 `version`: what Location and ETag carry.
    var responseID: Bool {
        (method.descriptor.outputType as Descriptor).fields.contains {
            $0.name == "id" && $0.type == .string && !$0.isRepeated
        }
    }
    var responseVersion: Bool {
        (method.descriptor.outputType as Descriptor).fields.contains {
            $0.name == "version" && $0.type == .uint64 && !$0.isRepeated
        }
    }
}
