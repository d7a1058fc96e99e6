import HTTPMapping
import HTTPTypes
import Hummingbird
import Wire

/// Registers the HTTP routes of the served services (`ServedAPI.all`), one per generated binding,
/// each answered by the handler `RouteBuilder` made for it.
enum BindingRoutes {
    /// A route's handler.
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// Adds every served service's routes to `router`.
    static func register(
        _ apis: [ServedAPI], backends: Backends, maximumBodySize: Int,
        in router: Hummingbird.Router<BasicRequestContext>
    ) {
        var routes: [(binding: HTTPBinding, handler: Handler)] = []
        for api in apis {
            var builder = RouteBuilder(backends: backends, backend: api.backend, maximumBodySize: maximumBodySize)
            api.visit(&builder)
            precondition(
                builder.routes.map(\.binding) == api.bindings,
                "\(api.backend): the visited methods are not its bindings")
            routes += builder.routes
        }
        register(routes, in: router)
    }

    /// Adds a route per binding. Custom methods (AIP-136) share their resource's path:
    /// `POST /v1/members/{member_id}:pause` is one route `POST /v1/members/{member_id}` whose last
    /// segment carries `:pause`, dispatched here by its verb.
    static func register(
        _ routes: [(binding: HTTPBinding, handler: Handler)], in router: Hummingbird.Router<BasicRequestContext>
    ) {
        var groups: [String: [(binding: HTTPBinding, handler: Handler)]] = [:]
        var order: [String] = []
        for route in routes {
            let key = "\(route.binding.verb) \(route.binding.resourceTemplate)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(route)
        }
        for key in order {
            let group = groups[key]!
            let first = group[0].binding
            let method = HTTPRequest.Method(first.verb)!
            let path = RouterPath(String(first.resourceTemplate.dropFirst()))
            var verbs: [String: Handler] = [:]
            var plain: Handler?
            for route in group {
                if let verb = route.binding.customVerb {
                    precondition(verbs.updateValue(route.handler, forKey: verb) == nil, "two routes \(route.binding)")
                } else {
                    precondition(plain == nil, "two routes \(route.binding)")
                    plain = route.handler
                }
            }
            guard !verbs.isEmpty else {
                router.on(path, method: method, use: plain!)
                continue
            }
            // A custom method on a collection (`POST /v1/members/{member_id}/notifications:markRead`):
            // its last segment is a literal, so each verb is a literal route of its own.
            if !first.resourceTemplate.hasSuffix("}") {
                if let plain { router.on(path, method: method, use: plain) }
                for (verb, handler) in verbs {
                    router.on(
                        RouterPath(String(first.resourceTemplate.dropFirst()) + ":" + verb), method: method,
                        use: handler)
                }
                continue
            }
            guard let last = first.pathParameters.last?.name else {
                preconditionFailure("\(first): a custom method needs a path variable before its verb")
            }
            let known = verbs.keys.sorted()
            router.on(path, method: method) { [plain, verbs] request, context in
                let segment = try context.parameters.require(last)
                guard let colon = segment.lastIndex(of: ":") else {
                    guard let plain else {
                        throw APIError(
                            .notFound, "no route \(first.verb) \(request.uri.path): add :\(known[0])",
                            httpStatus: .notFound)
                    }
                    return try await plain(request, context)
                }
                let verb = String(segment[segment.index(after: colon)...])
                guard let handler = verbs[verb] else {
                    throw APIError(
                        .notFound, "unknown action :\(verb) (\(known.joined(separator: ", ")))", httpStatus: .notFound)
                }
                return try await handler(request, context)
            }
        }
    }
}
