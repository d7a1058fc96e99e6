import Foundation
import HTTPTypes
import Hummingbird
import MatchingV1
import NIOCore
import ProtoJSON
import RPC
import Wire

/// The request body as JSON, refusing bodies over `limit` bytes (413) and malformed JSON (400).
func readJSON(_ request: Request, limit: Int) async throws -> JSONValue {
    var request = request
    let buffer: ByteBuffer
    do {
        buffer = try await request.collectBody(upTo: limit)
    } catch {
        throw APIError(
            .invalidArgument, "the body is larger than \(limit) bytes",
            violations: [FieldViolation(field: "body", description: "must be at most \(limit) bytes")],
            httpStatus: .contentTooLarge)
    }
    return try JSONValue.parse(Data(buffer.readableBytesView))
}

/// The version in an `If-Match` header (`"3"`, `W/"3"` or `3`), or 0 without one.
func ifMatchVersion(_ request: Request, of what: String) throws -> UInt64 {
    guard let header = request.headers[.ifMatch] else { return 0 }
    guard let version = UInt64(header.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
        throw APIError.badField("If-Match", "must be the \(what)'s version, e.g. \"3\"")
    }
    return version
}

/// The `Idempotency-Key` header as call metadata.
func idempotencyMetadata(_ request: Request) throws -> Metadata {
    var metadata = Metadata()
    if let key = request.headers[HTTPField.Name("Idempotency-Key")!] {
        guard (1...200).contains(key.utf8.count) else {
            throw APIError.badField("Idempotency-Key", "must be 1 to 200 characters")
        }
        metadata.idempotencyKey = key
    }
    return metadata
}

/// Splits `id:action` (AIP custom methods, e.g. `POST /v1/matches/{id}:accept`).
func customMethod(_ segment: String, path: String, allowed: [String]) throws -> (id: String, action: String) {
    let parts = segment.split(separator: ":", maxSplits: 1).map(String.init)
    guard parts.count == 2 else {
        throw APIError(.notFound, "no route POST \(path)/\(segment)", httpStatus: .notFound)
    }
    guard allowed.contains(parts[1]) else {
        throw APIError(
            .notFound, "unknown action :\(parts[1]) (\(allowed.joined(separator: ", ")))", httpStatus: .notFound)
    }
    return (parts[0], parts[1])
}

/// A message as a JSON response (its generated proto3 JSON).
func respondJSON(_ message: some ProtoJSONMessage, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: message.jsonBytes())))
}

/// An enum query parameter, given by its proto name; `excluded` (the zero value) is refused too.
func queryEnum<E: ProtoJSONEnum & Equatable>(_ name: String, _ text: String, excluding excluded: E) throws(APIError)
    -> E
{
    guard let value = E(protoName: text), value != excluded else {
        let names = E.allCases.filter { $0 != excluded }.map(\.protoName)
        throw APIError.badField(
            name,
            "must be \(names.count == 2 ? names.joined(separator: " or ") : "one of " + names.joined(separator: ", "))")
    }
    return value
}

/// A JSON value as a response.
func respondJSON(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
}
