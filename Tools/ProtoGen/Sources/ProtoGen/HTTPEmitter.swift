import Foundation
import SwiftProtobufPluginLibrary

/// Writes what the gateway needs of a file's services (`<name>.http.swift`): per service, its
/// HTTP bindings (`google.api.http`) with the request fields each route's path, query and body
/// fill, a visitor that hands the gateway each method with its binding, and the OpenAPI 3.1
/// paths of the routes with the schemas of their request bodies.
struct HTTPEmitter {
    let file: FileDescriptor
    let module: String

    /// Whether `file` has a method with an HTTP route.
    static func hasRoutes(_ file: FileDescriptor, module: String) throws -> Bool {
        try file.services.contains { service in
            try service.methods.contains { try !ServiceEmitter.Method($0, module: module).http.isEmpty }
        }
    }

    func emit() throws -> String {
        var out = Printer()
        for service in file.services {
            let methods = try service.methods.map { try ServiceEmitter.Method($0, module: module) }
            var routes: [HTTPRoute] = []
            for method in methods {
                for rule in method.http { routes.append(try HTTPRoute(rule, method: method)) }
            }
            guard !routes.isEmpty else { continue }
            HTTPRoute.linkCreated(&routes)
            try emit(service, routes, into: &out)
        }
        var imports = try Model.imports(of: file, rpc: true)
        imports += ["HTTPMapping", "ProtoJSON"]
        return Model.header(for: file, imports: imports.sorted()) + out.text
    }

    private func emit(_ service: ServiceDescriptor, _ routes: [HTTPRoute], into out: inout Printer) throws {
        out.line()
        try out.block("extension \(service.name)API {") { out in
            out.doc("The HTTP routes of the service's methods (`google.api.http`), in declaration order.")
            out.line("public static let httpBindings: [HTTPBinding] = [")
            try out.indented { out in
                for route in routes { try binding(route, into: &out) }
            }
            out.line("]")
            out.line()
            out.doc("Calls `visitor` with each method the gateway serves, its binding, and how to read the")
            out.doc("response's id and version (for `Location` and `ETag`). Inlinable, so that the gateway's visitor")
            out.doc("is specialised for each method's types rather than called through their metadata.")
            out.line("@inlinable")
            out.block("public static func visitHTTPMethods(_ visitor: inout some HTTPMethodVisitor) {") { out in
                for (index, route) in routes.enumerated() {
                    let id = route.responseID ? "{ $0.id }" : "nil"
                    let version = route.responseVersion ? "{ $0.version }" : "nil"
                    let raw = route.method.rawResponse.isEmpty ? "" : ", raw: { ($0.data, $0.etag) }"
                    out.line(
                        "visitor.visit(\(Naming.escaped(route.method.swiftName)), httpBindings[\(index)], resource: HTTPResource(id: \(id), version: \(version)\(raw)))"
                    )
                }
            }
            let document = try OpenAPIPaths(service: service, routes: routes).document()
            guard !document.contains("\"\"\"#"), !document.contains("\\#") else {
                throw GenerationError(
                    description: "\(file.name): a comment holds \"\"\"# or \\#, which a raw string cannot")
            }
            out.line()
            out.doc("The OpenAPI 3.1 `paths` of the routes and the `schemas` of their request bodies.")
            out.line("public static let openAPI = #\"\"\"")
            for line in document.split(separator: "\n", omittingEmptySubsequences: false) { out.line(String(line)) }
            out.line("\"\"\"#")
        }
    }

    private func binding(_ route: HTTPRoute, into out: inout Printer) throws {
        func quoted(_ text: String) -> String { "\"\(text)\"" }
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        let rule = route.rule
        out.line("HTTPBinding(")
        out.indented { out in
            out.line(
                "verb: \(quoted(rule.verb)), path: \(quoted(rule.path)), body: \(quoted(rule.body)), method: \(quoted(route.method.descriptor.name)),"
            )
            out.line("template: \(quoted(route.template)),")
            let path = route.pathParameters.map {
                "HTTPPathParameter(name: \(quoted($0.name)), field: \(quoted($0.field)), jsonField: \(quoted($0.jsonField)))"
            }
            out.line("pathParameters: \(list(path)),")
            let query = route.query.map { field in
                let json = JSONEmitter.JSONField(field)
                let kind =
                    switch field.type {
                    case .bool: ".bool"
                    case .double, .float: ".number"
                    default: ".text"
                    }
                return
                    "HTTPQueryParameter(name: \(quoted(json.jsonName)), protoName: \(quoted(json.protoName)), kind: \(kind), repeated: \(field.isRepeated))"
            }
            out.line("queryParameters: \(list(query)),")
            let readOnly = route.readOnly.flatMap { field -> [String] in
                let json = JSONEmitter.JSONField(field)
                return json.jsonName == json.protoName ? [json.jsonName] : [json.jsonName, json.protoName]
            }
            out.line("readOnlyKeys: \(list(readOnly.sorted().map(quoted))),")
            var mask: [String] = []
            if route.updateMask {
                for field in route.bodyFields {
                    let json = JSONEmitter.JSONField(field)
                    mask.append("\(quoted(json.jsonName)): \(quoted(field.name))")
                    if json.protoName != json.jsonName {
                        mask.append("\(quoted(json.protoName)): \(quoted(field.name))")
                    }
                }
            }
            out.line("maskFields: \(mask.isEmpty ? "[:]" : list(mask.sorted())),")
            out.line(
                "ifMatch: \(route.ifMatch), idempotencyKey: \(route.method.idempotencyKey), location: \"\(route.location)\", rawContentType: \"\(route.method.rawResponse)\","
            )
            let access = route.method.access
            out.line(
                "access: \"\(access?.rule ?? "")\", accessMemberField: \"\(access?.memberField?.json ?? "")\", accessNetworkField: \"\(access?.networkField?.json ?? "")\", accessScope: \"\(access?.scope ?? "")\""
            )
        }
        out.line("),")
    }
}

/// The OpenAPI operations of one service's routes.
struct OpenAPIPaths {
    let service: ServiceDescriptor
    let routes: [HTTPRoute]

    /// `{"paths": {...}, "schemas": {...}}` as JSON text, keys sorted.
    func document() throws -> String {
        var paths: [String: [String: Any]] = [:]
        var schemas: [String: Any] = [:]
        for route in routes {
            let verb = route.rule.verb.lowercased()
            guard paths[route.template]?[verb] == nil else {
                throw GenerationError(
                    description: "\(route.method.descriptor.fullName): a second \(route.rule.verb) \(route.template)")
            }
            paths[route.template, default: [:]][verb] = try operation(route, schemas: &schemas)
        }
        let data = try JSONSerialization.data(
            withJSONObject: ["paths": paths, "schemas": schemas],
            options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    private func operation(_ route: HTTPRoute, schemas: inout [String: Any]) throws -> [String: Any] {
        let method = route.method.descriptor
        let comment = method.comment(or: "")
        // An additional binding's operation is named by what its path selects by:
        // `listSessions`, then `listSessionsByMatch` for `/v1/matches/{match_id}/sessions`.
        var operationID = route.method.swiftName
        if route.rule.path != route.method.http.first?.path {
            let by = route.pathParameters.map { Naming.upperCamel(String($0.name.dropLast("_id".count))) }
            operationID += "By" + (by.isEmpty ? route.rule.verb.capitalized : by.joined(separator: "And"))
        }
        var operation: [String: Any] = [
            "operationId": operationID,
            "summary": comment.split(separator: "\n").first.map(String.init) ?? method.name,
            "tags": [service.name],
        ]
        if comment.contains("\n") { operation["description"] = comment }
        var parameters: [[String: Any]] = []
        for parameter in route.pathParameters {
            var schema: [String: Any] = ["type": "string"]
            try OpenAPIEmitter.addLimits(of: parameter.descriptor, to: &schema)
            parameters.append(
                described(
                    ["name": parameter.name, "in": "path", "required": true, "schema": schema], parameter.descriptor))
        }
        for field in route.query {
            let json = JSONEmitter.JSONField(field)
            var schema = try OpenAPIEmitter.element(json, forInput: true)
            if field.isRepeated { schema = ["type": "array", "items": schema] }
            try OpenAPIEmitter.addLimits(of: field, to: &schema)
            var parameter: [String: Any] = ["name": json.jsonName, "in": "query", "schema": schema]
            if try FieldAnnotations(field).required { parameter["required"] = true }
            if field.isRepeated { parameter["explode"] = true }
            parameters.append(described(parameter, field))
        }
        if route.ifMatch {
            parameters.append([
                "name": "If-Match", "in": "header",
                "description": "The version read (the ETag); a different current version is 409 ABORTED.",
                "schema": ["type": "string"],
            ])
        }
        if route.method.idempotencyKey {
            parameters.append([
                "name": "Idempotency-Key", "in": "header",
                "description": "A retry with the same key answers the first result.",
                "schema": ["type": "string", "minLength": 1, "maxLength": 200],
            ])
        }
        if !parameters.isEmpty { operation["parameters"] = parameters }
        if let body = route.bodyMessage {
            // Named by what it holds, so routes with the same body share one schema: a message
            // field's writable fields (`MemberInput`; as a PATCH, `MemberPatch`), or the request
            // less its path fields (`MatchActionRequestBody`).
            let name =
                rule(route) == "*"
                ? OpenAPIEmitter.name(Model.localName(body)) + "Body"
                : OpenAPIEmitter.name(Model.localName(body)) + (route.updateMask ? "Patch" : "Input")
            var properties: [String: Any] = [:]
            var required: [String] = []
            for field in route.bodyFields {
                let json = JSONEmitter.JSONField(field)
                properties[json.jsonName] = try OpenAPIEmitter.property(field, forInput: true)
                if try FieldAnnotations(field).required && !route.updateMask { required.append(json.jsonName) }
            }
            var schema: [String: Any] = [
                "type": "object", "additionalProperties": false, "properties": properties,
                "description": body.comment(or: "A \(body.name)."),
            ]
            if !required.isEmpty { schema["required"] = required.sorted() }
            if route.updateMask {
                schema["minProperties"] = 1
                schema["description"] = "The fields of the \(body.name) to change; the others keep their values."
            }
            if let existing = schemas[name] {
                guard NSDictionary(dictionary: existing as! [String: Any]).isEqual(to: schema) else {
                    throw GenerationError(
                        description:
                            "\(route.method.descriptor.fullName): its body schema \(name) differs from another route's")
                }
            }
            schemas[name] = schema
            operation["requestBody"] = [
                "required": true,
                "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(name)"]]],
            ]
        }
        var headers: [String: Any] = [:]
        if route.responseVersion {
            headers["ETag"] = ["description": "The version, for If-Match.", "schema": ["type": "string"]]
        }
        if route.createsResource {
            headers["Location"] = ["description": "The new resource.", "schema": ["type": "string"]]
        }
        var content: [String: Any] = [
            "application/json": [
                "schema": ["$ref": "#/components/schemas/\(OpenAPIEmitter.name(Model.localName(method.outputType)))"]
            ]
        ]
        if !route.method.rawResponse.isEmpty {
            content = [route.method.rawResponse: ["schema": ["type": "string"]]]
            headers["ETag"] = [
                "description": "The document's version, for If-None-Match.", "schema": ["type": "string"],
            ]
            parameters.append([
                "name": "If-None-Match", "in": "header",
                "description": "The ETag read last; when it is still current the answer is 304 Not Modified.",
                "schema": ["type": "string"],
            ])
            operation["parameters"] = parameters
        }
        var success: [String: Any] = [
            "description": route.createsResource ? "Created" : "OK", "content": content,
        ]
        if !headers.isEmpty { success["headers"] = headers }
        var responses: [String: Any] = [route.createsResource ? "201" : "200": success]
        if !route.method.rawResponse.isEmpty {
            responses["304"] = ["description": "Not Modified: the document is as the ETag given says"]
        }
        var errors = ["400", "500", "503", "504"]
        // Who may call (docs/security.md): an open route needs no token; the others answer 401
        // without one, and 403 where the rule can refuse a valid token.
        switch route.method.access?.rule {
        case "public": operation["security"] = [Any]()
        case "authenticated", nil: errors.append("401")
        default: errors += ["401", "403"]
        }
        if !route.pathParameters.isEmpty || route.rule.verb != "GET" { errors.append("404") }
        if route.rule.verb != "GET" { errors.append("409") }
        if route.bodyMessage != nil { errors.append("413") }
        for status in errors { responses[status] = ["$ref": "#/components/responses/Error"] }
        operation["responses"] = responses
        return operation
    }

    private func rule(_ route: HTTPRoute) -> String { route.rule.body }

    private func described(_ parameter: [String: Any], _ field: FieldDescriptor) -> [String: Any] {
        var parameter = parameter
        let comment = field.comment(or: "")
        if !comment.isEmpty { parameter["description"] = comment }
        return parameter
    }
}
