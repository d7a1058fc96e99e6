import HTTPMapping
import MatchingV1
import NotificationsV1
import ProfilesV1
import SessionsV1

/// The services the gateway serves over HTTP: per backend, its generated bindings, the visitor
/// that hands over each method with its types, and its part of the OpenAPI document. Serving a
/// new service's routes is one entry here (and its backend address in `GatewayConfiguration`).
struct ServedAPI: Sendable {
    /// The backend's name in `GatewayConfiguration.backends`.
    let backend: String
    /// Its routes (`google.api.http`).
    let bindings: [HTTPBinding]
    /// Calls a visitor with each routed method.
    let visit: @Sendable (inout RouteBuilder) -> Void
    /// Its OpenAPI paths and request-body schemas (`{"paths", "schemas"}`).
    let openAPI: String
    /// The OpenAPI schemas of the messages and enums of its `.proto` files.
    let schemas: [String]

    /// Every service the gateway serves, in the order their routes are registered.
    static let all: [ServedAPI] = [
        ServedAPI(
            backend: "profiles", bindings: ProfilesAPI.httpBindings, visit: { ProfilesAPI.visitHTTPMethods(&$0) },
            openAPI: ProfilesAPI.openAPI, schemas: [ProfilesProto.openAPISchemas]),
        ServedAPI(
            backend: "matching", bindings: MatchingAPI.httpBindings, visit: { MatchingAPI.visitHTTPMethods(&$0) },
            openAPI: MatchingAPI.openAPI, schemas: [MatchingProto.openAPISchemas]),
        ServedAPI(
            backend: "sessions", bindings: SessionsAPI.httpBindings, visit: { SessionsAPI.visitHTTPMethods(&$0) },
            openAPI: SessionsAPI.openAPI, schemas: [SessionsProto.openAPISchemas]),
        ServedAPI(
            backend: "notifications", bindings: NotificationsAPI.httpBindings,
            visit: { NotificationsAPI.visitHTTPMethods(&$0) }, openAPI: NotificationsAPI.openAPI,
            schemas: [NotificationsProto.openAPISchemas]),
    ]
}
