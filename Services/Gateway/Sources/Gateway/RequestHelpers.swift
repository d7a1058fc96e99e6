import Foundation
import HTTPTypes
import Hummingbird
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

/// The version in an `If-Match` header (`"3"`, `W/"3"` or `3`), or nil without one.
func ifMatchVersion(_ request: Request) throws -> UInt64? {
    guard let header = request.headers[.ifMatch] else { return nil }
    guard let version = UInt64(header.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))) else {
        throw APIError.badField("If-Match", "must be the version read (its ETag), e.g. \"3\"")
    }
    return version
}

/// A message as a JSON response (its generated proto3 JSON).
func respondJSON(_ message: some ProtoJSONMessage, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: message.jsonBytes())))
}

/// A JSON value as a response.
func respondJSON(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: value.serialized())))
}
