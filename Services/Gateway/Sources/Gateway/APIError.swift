import Foundation
import HTTPTypes
import Hummingbird
import ProtoJSON
import RPC
import Wire

/// The gateway's error body, `{"error": {"code", "message", "details"}}`, with the HTTP status
/// grpc-gateway v2 gives the gRPC code.
public struct APIError: HTTPResponseError, Sendable {
    /// The gRPC status code, by name in the body.
    public var code: StatusCode
    /// A message safe for the client.
    public var message: String
    /// One entry per bad field.
    public var violations: [FieldViolation]
    /// An HTTP status for cases the gRPC mapping has no word for (413, 404 for unknown paths).
    public var httpStatus: HTTPResponse.Status?
    /// Headers the response carries besides its content type (`WWW-Authenticate` on a 401).
    public var headers = HTTPFields()

    /// Creates an error.
    public init(
        _ code: StatusCode, _ message: String, violations: [FieldViolation] = [], httpStatus: HTTPResponse.Status? = nil
    ) {
        self.code = code
        self.message = message
        self.violations = violations
        self.httpStatus = httpStatus
    }

    /// The error a backend call failed with.
    public init(_ error: RPCError) {
        self.init(error.code, error.message, violations: error.violations)
    }

    /// A body or field that could not be read as JSON: INVALID_ARGUMENT naming the field.
    public init(_ error: JSONError) {
        self.init(
            .invalidArgument, error.message,
            violations: [FieldViolation(field: error.field, description: error.description)])
    }

    /// The same error with field paths in JSON names: `member.learning_goals[0].skill` becomes
    /// `learningGoals[0].skill` (the `prefix` the backend puts before body fields is dropped).
    public func jsonFieldNames(droppingPrefix prefix: String) -> APIError {
        guard !violations.isEmpty else { return self }
        var copy = self
        copy.violations = violations.map { violation in
            var field = violation.field
            if field.hasPrefix(prefix) { field.removeFirst(prefix.count) }
            return FieldViolation(field: JSONError.jsonPath(field), description: violation.description)
        }
        if code == .invalidArgument {
            copy.message = "invalid " + copy.violations.map(\.field).joined(separator: ", ")
        }
        return copy
    }

    /// 400 naming one field.
    public static func badField(_ field: String, _ description: String) -> APIError {
        APIError(
            .invalidArgument, "invalid \(field): \(description)",
            violations: [FieldViolation(field: field, description: description)])
    }

    /// grpc-gateway v2's mapping from gRPC code to HTTP status.
    public var status: HTTPResponse.Status {
        if let httpStatus { return httpStatus }
        switch code {
        case .ok: return .ok
        case .cancelled: return .init(code: 499, reasonPhrase: "Client Closed Request")
        case .invalidArgument, .failedPrecondition, .outOfRange: return .badRequest
        case .deadlineExceeded: return .gatewayTimeout
        case .notFound: return .notFound
        case .alreadyExists, .aborted: return .conflict
        case .permissionDenied: return .forbidden
        case .unauthenticated: return .unauthorized
        case .resourceExhausted: return .tooManyRequests
        case .unimplemented: return .notImplemented
        case .unavailable: return .serviceUnavailable
        case .unknown, .internal, .dataLoss: return .internalServerError
        }
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var field: String
            var description: String
        }
        struct Inner: Encodable {
            var code: String
            var message: String
            var details: [Detail]
        }
        var error: Inner
    }

    /// The JSON response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try response()
    }

    /// The JSON response (it depends on nothing of the request).
    func response() throws -> Response {
        let body = Body(
            error: .init(
                code: code.description, message: message,
                details: violations.map { .init(field: $0.field, description: $0.description) })
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
