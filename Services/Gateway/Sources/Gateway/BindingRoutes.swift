import HTTPTypes
import Hummingbird
import RPC
import Wire

/// Registers a service's HTTP routes from its generated `httpBindings` (the `google.api.http`
/// annotations in its `.proto`): the `.proto` says which verb and path reach which RPC, the
/// gateway supplies one handler per RPC. A binding without a handler, or a handler without a
/// binding, stops the gateway at start-up (and every test).
enum BindingRoutes {
    /// A route's handler.
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// Adds a route per binding, each answered by the handler named by its RPC.
    static func register(
        _ bindings: [HTTPBinding], handlers: [String: Handler], in router: Hummingbird.Router<BasicRequestContext>
    ) {
        let bound = Set(bindings.map(\.method))
        precondition(
            bound == Set(handlers.keys),
            "routes without handlers: \(bound.subtracting(handlers.keys).sorted()); "
                + "handlers without routes: \(Set(handlers.keys).subtracting(bound).sorted())")
        // Custom methods (AIP-136) share their resource's path: `POST /v1/members/{id}:pause` is
        // one route `POST /v1/members/{id}` whose last segment carries `:pause`.
        var groups: [String: [HTTPBinding]] = [:]
        var order: [String] = []
        for binding in bindings {
            let key = "\(binding.verb) \(binding.resourcePath)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(binding)
        }
        for key in order {
            let group = groups[key]!
            let first = group[0]
            let method = HTTPRequest.Method(first.verb)!
            let path = routerPath(first.resourcePath)
            let custom = group.filter { $0.customVerb != nil }
            let plain = group.first { $0.customVerb == nil }
            guard !custom.isEmpty else {
                router.on(RouterPath(path), method: method, use: handlers[plain!.method]!)
                continue
            }
            let verbs = Dictionary(uniqueKeysWithValues: custom.map { ($0.customVerb!, handlers[$0.method]!) })
            let plainHandler = plain.map { handlers[$0.method]! }
            let last = lastParameter(path)
            router.on(RouterPath(path), method: method) { request, context in
                let segment = try context.parameters.require(last)
                guard let colon = segment.lastIndex(of: ":") else {
                    guard let plainHandler else {
                        throw APIError(
                            .notFound, "no route \(first.verb) \(request.uri.path): add :\(verbs.keys.sorted()[0])",
                            httpStatus: .notFound)
                    }
                    return try await plainHandler(request, context)
                }
                let verb = String(segment[segment.index(after: colon)...])
                guard let handler = verbs[verb] else {
                    throw APIError(
                        .notFound, "unknown action :\(verb) (\(verbs.keys.sorted().joined(separator: ", ")))",
                        httpStatus: .notFound)
                }
                return try await handler(request, context)
            }
        }
    }

    /// The name of the last parameter of a router path (the one a custom verb is attached to).
    static func lastParameter(_ path: String) -> String {
        let open = path.lastIndex(of: "{")!
        return String(path[path.index(after: open)..<path[open...].firstIndex(of: "}")!])
    }

    /// A template as Hummingbird's router writes it, each variable named after the collection
    /// before it: `/v1/members/{member.id}` → `v1/members/{member_id}`. The `.proto`'s variables
    /// are request fields and differ between RPCs at the same place (`{id}` in GetMember,
    /// `{member_id}` in GetSuggestions), where the router needs one name.
    static func routerPath(_ template: String) -> String {
        let segments = template.split(separator: "/", omittingEmptySubsequences: true)
        var out: [String] = []
        for (index, segment) in segments.enumerated() {
            if let open = segment.firstIndex(of: "{"), let close = segment.firstIndex(of: "}") {
                let name = index > 0 ? parameterName(collection: String(segments[index - 1])) : "root"
                out.append(
                    String(segment[..<open]) + "{" + name + "}" + String(segment[segment.index(after: close)...]))
            } else {
                out.append(String(segment))
            }
        }
        return out.joined(separator: "/")
    }

    /// `members` → `member_id`, `matches` → `match_id`: the id of one of the collection.
    static func parameterName(collection: String) -> String {
        let singular =
            ["ches", "shes", "sses", "xes"].contains(where: collection.hasSuffix)
            ? String(collection.dropLast(2)) : collection.hasSuffix("s") ? String(collection.dropLast()) : collection
        return singular + "_id"
    }
}
