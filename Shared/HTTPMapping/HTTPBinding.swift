import ProtoJSON
import RPC
import Wire

/// One HTTP route of an RPC, generated from its `google.api.http` annotation: the verb and path,
/// which request fields the path, the query and the body fill, and which of the gateway's
/// conventions apply (docs/gateway.md).
public struct HTTPBinding: Sendable, Hashable, CustomStringConvertible {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public let verb: String
    /// The path template as the `.proto` writes it, e.g. `/v1/members/{id}:pause`: `{field}`
    /// variables fill request fields (`{member.id}`: a nested one), and a `:verb` suffix names a
    /// custom method (AIP-136).
    public let path: String
    /// The request field the JSON body fills: `*` for the whole request less the path's fields,
    /// empty for no body.
    public let body: String
    /// The RPC's name, e.g. `PauseMember`.
    public let method: String
    /// The template with each variable named after the collection before it, as the router and
    /// the OpenAPI document name it: `/v1/members/{member_id}:pause`.
    public let template: String
    /// The template's variables, in order, with the request fields they fill.
    public let pathParameters: [HTTPPathParameter]
    /// The query parameters the route takes: the request's scalar fields the path and body leave.
    public let queryParameters: [HTTPQueryParameter]
    /// Body keys refused as set by the service (output-only fields), by JSON and proto name.
    public let readOnlyKeys: Set<String>
    /// When the request has an `update_mask` the body fills: body key (JSON or proto name) → the
    /// field's proto name. The mask is the keys the body gives.
    public let maskFields: [String: String]
    /// The request has `expected_version`, which an `If-Match` header fills.
    public let ifMatch: Bool
    /// The method honours an `Idempotency-Key` header.
    public let idempotencyKey: Bool
    /// For a POST that creates a resource (answered 201 Created), where the new resource is read:
    /// the read route's path without its id (`/v1/sessions/`); `Location` is this and the id.
    /// Empty for every other route.
    public let location: String
    /// The content type of the raw body the route answers with (the response's `data`), not
    /// JSON; empty for a JSON route.
    public let rawContentType: String
    /// Who may call the route's method: the raw value of `Access.Rule` (`self`, `networkAdmin`, …).
    public let access: String
    /// The JSON path of the field naming the member the rule reads (`memberId`), or empty.
    public let accessMemberField: String
    /// The JSON path of the field naming the network the rule reads (`rules.network`), or empty.
    public let accessNetworkField: String
    /// The scope an API key needs to call the route's method (`members:read`), or empty.
    public let accessScope: String

    /// A binding (generated code writes these).
    public init(
        verb: String, path: String, body: String, method: String, template: String,
        pathParameters: [HTTPPathParameter], queryParameters: [HTTPQueryParameter], readOnlyKeys: Set<String>,
        maskFields: [String: String], ifMatch: Bool, idempotencyKey: Bool, location: String,
        rawContentType: String, access: String, accessMemberField: String, accessNetworkField: String,
        accessScope: String = ""
    ) {
        self.verb = verb
        self.path = path
        self.body = body
        self.method = method
        self.template = template
        self.pathParameters = pathParameters
        self.queryParameters = queryParameters
        self.readOnlyKeys = readOnlyKeys
        self.maskFields = maskFields
        self.ifMatch = ifMatch
        self.idempotencyKey = idempotencyKey
        self.location = location
        self.rawContentType = rawContentType
        self.access = access
        self.accessMemberField = accessMemberField
        self.accessNetworkField = accessNetworkField
        self.accessScope = accessScope
    }

    /// Whether the route creates a resource (201 Created with a `Location`).
    public var createsResource: Bool { !location.isEmpty }

    /// The template without its custom verb: `/v1/members/{member_id}`.
    public var resourceTemplate: String {
        guard let verb = customVerb else { return template }
        return String(template.dropLast(verb.count + 1))
    }

    /// The custom verb (`pause`), or nil.
    public var customVerb: String? {
        guard let colon = template.lastIndex(of: ":"), !template[colon...].contains("/"),
            !template[colon...].contains("}")
        else { return nil }
        return String(template[template.index(after: colon)...])
    }

    /// The request fields the path's variables fill, in order (`["member.id"]`).
    public var pathFields: [String] { pathParameters.map(\.field) }

    /// `POST /v1/members/{member_id}:pause`.
    public var description: String { "\(verb) \(template)" }
}

/// A path variable of a binding.
public struct HTTPPathParameter: Sendable, Hashable {
    /// Its name in the template (`member_id`).
    public let name: String
    /// The request field it fills, by proto names (`member.id`).
    public let field: String
    /// The same field by JSON names (`member.id`, `matchId`).
    public let jsonField: String

    public init(name: String, field: String, jsonField: String) {
        self.name = name
        self.field = field
        self.jsonField = jsonField
    }
}

/// A query parameter of a binding: a scalar request field.
public struct HTTPQueryParameter: Sendable, Hashable {
    /// How a query value becomes the field's JSON value.
    public enum Kind: Sendable, Hashable {
        /// Strings, enums by name, integers: the text as a JSON string (proto3 JSON reads
        /// integers from strings).
        case text
        /// `true` or `false`.
        case bool
        /// A floating-point number.
        case number
    }

    /// The field's JSON name (`pageSize`), the name the OpenAPI document gives.
    public let name: String
    /// The field's proto name (`page_size`), accepted too.
    public let protoName: String
    /// How its values are read.
    public let kind: Kind
    /// Whether the parameter may be repeated (`?role=A&role=B`).
    public let repeated: Bool

    public init(name: String, protoName: String, kind: Kind, repeated: Bool) {
        self.name = name
        self.protoName = protoName
        self.kind = kind
        self.repeated = repeated
    }
}

/// How to read a response's id and version, for `Location` and `ETag`.
public struct HTTPResource<Response>: Sendable {
    /// The response's `id`, when it has one.
    public let id: (@Sendable (Response) -> String)?
    /// The response's `version`, when it has one.
    public let version: (@Sendable (Response) -> UInt64)?
    /// For a raw response: its body and its ETag.
    public let raw: (@Sendable (Response) -> (data: [UInt8], etag: String))?

    public init(
        id: (@Sendable (Response) -> String)?, version: (@Sendable (Response) -> UInt64)?,
        raw: (@Sendable (Response) -> (data: [UInt8], etag: String))? = nil
    ) {
        self.id = id
        self.version = version
        self.raw = raw
    }
}

/// Receives each method a service serves over HTTP (generated `<Service>API.visitHTTPMethods`),
/// with its message types, so that the gateway builds one typed route per binding.
public protocol HTTPMethodVisitor {
    /// One method and one of its bindings.
    mutating func visit<Request: ProtoJSONMessage, Response: ProtoJSONMessage>(
        _ method: MethodDescriptor<Request, Response>, _ binding: HTTPBinding, resource: HTTPResource<Response>)
}
