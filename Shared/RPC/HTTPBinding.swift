/// How one RPC is reached over HTTP, as its `.proto` declares it with `google.api.http`
/// (generated into `<Service>API.httpBindings`): the gateway's routes and its OpenAPI document's
/// operations are made from these.
public struct HTTPBinding: Sendable, Hashable, CustomStringConvertible {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE` (or a custom verb).
    public let verb: String
    /// The path template, e.g. `/v1/members/{id}:pause`: `{field}` variables fill request fields
    /// (`{member.id}`: a nested one), and a `:verb` suffix names a custom method (AIP-136).
    public let path: String
    /// The request field the JSON body fills: `*` for the whole request less the path's fields,
    /// empty for no body.
    public let body: String
    /// The RPC's name, e.g. `PauseMember`.
    public let method: String

    /// A binding.
    public init(verb: String, path: String, body: String, method: String) {
        self.verb = verb
        self.path = path
        self.body = body
        self.method = method
    }

    /// The template without its custom verb: `/v1/members/{id}`.
    public var resourcePath: String {
        guard let colon = path.lastIndex(of: ":"), !path[colon...].contains("/"), !path[colon...].contains("}") else {
            return path
        }
        return String(path[..<colon])
    }

    /// The custom verb (`pause`), or nil.
    public var customVerb: String? {
        resourcePath == path ? nil : String(path.dropFirst(resourcePath.count + 1))
    }

    /// The request fields the path's variables fill, in order (`["member.id"]`).
    public var pathFields: [String] {
        var fields: [String] = []
        var rest = Substring(path)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let variable = rest[rest.index(after: open)..<close]
            fields.append(String(variable.split(separator: "=").first ?? variable))
            rest = rest[rest.index(after: close)...]
        }
        return fields
    }

    /// `POST /v1/members/{id}:pause`.
    public var description: String { "\(verb) \(path)" }
}
