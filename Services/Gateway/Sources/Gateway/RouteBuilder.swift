import Foundation
import HTTPMapping
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import ProtoJSON
import RPC
import Wire

/// Builds one route per generated binding: the request message is read from the path, the query
/// and the JSON body as the binding says, the backend is called, and the response written as JSON.
/// The conventions (docs/gateway.md): `If-Match` fills `expected_version`, `Idempotency-Key` goes
/// to the methods that honour it, a PATCH body's keys are its `update_mask`, a versioned response
/// carries an `ETag`, a POST to a collection answers 201 with a `Location`.
struct RouteBuilder: HTTPMethodVisitor {
    let backends: Backends
    let backend: String
    let maximumBodySize: Int
    private(set) var routes: [(binding: HTTPBinding, handler: BindingRoutes.Handler)] = []

    init(backends: Backends, backend: String, maximumBodySize: Int) {
        self.backends = backends
        self.backend = backend
        self.maximumBodySize = maximumBodySize
    }

    mutating func visit<Request: ProtoJSONMessage, Response: ProtoJSONMessage>(
        _ method: MethodDescriptor<Request, Response>, _ binding: HTTPBinding, resource: HTTPResource<Response>
    ) {
        let client = backends.client(backend)
        let (backends, backend, limit) = (self.backends, self.backend, maximumBodySize)
        // Errors about fields of the body name them as the body does: `email`, not `member.email`.
        let bodyPrefix = binding.body.isEmpty || binding.body == "*" ? "" : JSONError.jsonPath(binding.body) + "."
        let reader = HTTPRequestReader(binding: binding, bodyPrefix: bodyPrefix)
        routes.append(
            (
                binding,
                { request, context in
                    let (message, metadata) = try await reader.read(
                        Request.self, from: request, context: context, limit: limit)
                    let answer: Response
                    do throws(APIError) {
                        answer = try await backends.call(client, backend, method, message, metadata: metadata)
                    } catch {
                        throw error.jsonFieldNames(droppingPrefix: bodyPrefix)
                    }
                    if let raw = resource.raw {
                        return Self.respondRaw(raw(answer), contentType: binding.rawContentType, to: request)
                    }
                    var response = respondJSON(answer, status: binding.createsResource ? .created : .ok)
                    if let version = resource.version?(answer) { response.headers[.eTag] = "\"\(version)\"" }
                    if binding.createsResource, let id = resource.id?(answer) {
                        response.headers[.location] = binding.location + id
                    }
                    return response
                }
            ))
    }
}

extension RouteBuilder {
    /// A raw document with its ETag; 304 without a body when If-None-Match names the ETag.
    static func respondRaw(_ document: (data: [UInt8], etag: String), contentType: String, to request: Request)
        -> Response
    {
        var headers = HTTPFields()
        let tag = "\"\(document.etag)\""
        if !document.etag.isEmpty { headers[.eTag] = tag }
        if !document.etag.isEmpty, let asked = request.headers[.ifNoneMatch],
            asked.split(separator: ",").contains(where: {
                let one = $0.trimmingCharacters(in: .whitespaces)
                return one == tag || one == "W/" + tag || one == "*"
            })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document.data)))
    }
}

/// Reads a request message from an HTTP request, as one binding maps it; what can be worked out
/// from the binding alone is, once, when the route is built.
struct HTTPRequestReader: Sendable {
    let binding: HTTPBinding
    let bodyPrefix: String
    /// The body field's JSON name (`member`), or empty.
    private let bodyKey: String
    /// Per path variable: its name, the JSON path of the field it fills, and how many characters
    /// of its segment to drop (`:verb` of a custom method, on the last one).
    private let pathParameters: [(name: String, path: [String], drop: Int)]

    init(binding: HTTPBinding, bodyPrefix: String) {
        self.binding = binding
        self.bodyPrefix = bodyPrefix
        bodyKey = binding.body.isEmpty || binding.body == "*" ? "" : JSONError.jsonPath(binding.body)
        // The verb shares the last variable's segment (`{id}:cancel`), not a literal's
        // (`notifications:markRead`).
        let verbOnVariable = binding.resourceTemplate.hasSuffix("}")
        let verbLength = verbOnVariable ? binding.customVerb.map { $0.count + 1 } ?? 0 : 0
        pathParameters = binding.pathParameters.enumerated().map { index, parameter in
            (
                parameter.name, parameter.jsonField.split(separator: ".").map(String.init),
                index == binding.pathParameters.count - 1 ? verbLength : 0
            )
        }
    }

    func read<Message: ProtoJSONMessage>(
        _ type: Message.Type, from request: Request, context: BasicRequestContext, limit: Int
    ) async throws -> (Message, Metadata) {
        var fields: [String: JSONValue] = [:]
        if !binding.body.isEmpty {
            let body = try JSONObjectReader(try await readJSON(request, limit: limit), path: "")
            try checkBody(body)
            if binding.body == "*" {
                fields = body.fields
            } else {
                fields[bodyKey] = .object(body.fields)
                if !binding.maskFields.isEmpty {
                    let mask = Set(body.fields.keys.compactMap { binding.maskFields[$0] })
                    guard !mask.isEmpty else {
                        throw APIError.badField("body", "must set at least one field to change")
                    }
                    fields["updateMask"] = .array(mask.sorted().map(JSONValue.string))
                }
            }
        }
        if request.uri.query != nil { try readQuery(request.uri, into: &fields) }
        for parameter in pathParameters {
            var value = try context.parameters.require(parameter.name)
            if parameter.drop > 0 { value = String(value.dropLast(parameter.drop)) }
            Self.set(.string(value), at: parameter.path, in: &fields)
        }
        if binding.ifMatch, let version = try ifMatchVersion(request) {
            guard fields["expectedVersion"] == nil, fields["expected_version"] == nil else {
                throw APIError.badField("expectedVersion", "is given twice (also as If-Match)")
            }
            fields["expectedVersion"] = .string(String(version))
        }
        var metadata = Metadata()
        if binding.idempotencyKey, let key = request.headers[HTTPField.Name("Idempotency-Key")!] {
            guard (1...200).contains(key.utf8.count) else {
                throw APIError.badField("Idempotency-Key", "must be 1 to 200 characters")
            }
            metadata.idempotencyKey = key
        }
        do {
            return (try Message(json: JSONObjectReader(fields: fields, path: "")), metadata)
        } catch {
            var field = error.field
            if field.hasPrefix(bodyPrefix) { field.removeFirst(bodyPrefix.count) }
            throw JSONError(field, error.description)
        }
    }

    /// Refuses what a body must not carry: output-only fields, and (body `*`) the path's fields.
    private func checkBody(_ body: JSONObjectReader) throws {
        for key in body.fields.keys.sorted() {
            if binding.readOnlyKeys.contains(key) {
                throw APIError.badField(key, "is set by the service; leave it out")
            }
            if binding.body == "*",
                binding.pathParameters.contains(where: { $0.jsonField == key || $0.field == key })
            {
                throw APIError.badField(key, "is given by the path; leave it out of the body")
            }
        }
    }

    /// Each query parameter as its field's JSON value: text as a string (proto3 JSON reads enums
    /// and integers from strings), `true`/`false`, or a number; a repeated one as an array.
    private func readQuery(_ uri: URI, into fields: inout [String: JSONValue]) throws {
        for (key, value) in uri.queryParameters {
            let name = String(key)
            guard let parameter = binding.queryParameters.first(where: { $0.name == name || $0.protoName == name })
            else {
                let known = binding.queryParameters.map(\.name)
                throw APIError.badField(
                    name,
                    known.isEmpty
                        ? "is not a parameter: this route takes none"
                        : "is not a parameter here (\(known.joined(separator: ", ")))")
            }
            let text = String(value)
            let json: JSONValue
            switch parameter.kind {
            case .text: json = .string(text)
            case .bool:
                guard let flag = Bool(text) else { throw APIError.badField(parameter.name, "must be true or false") }
                json = .bool(flag)
            case .number:
                guard let number = Double(text), number.isFinite else {
                    throw APIError.badField(parameter.name, "must be a number")
                }
                json = .double(number)
            }
            switch (parameter.repeated, fields[parameter.name]) {
            case (true, .array(let values)?): fields[parameter.name] = .array(values + [json])
            case (true, nil): fields[parameter.name] = .array([json])
            case (false, nil): fields[parameter.name] = json
            default: throw APIError.badField(parameter.name, "is given twice")
            }
        }
    }

    /// Sets `value` at a path of JSON names, making the objects on the way.
    static func set(_ value: JSONValue, at path: [String], in fields: inout [String: JSONValue]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            fields[first] = value
            return
        }
        var inner: [String: JSONValue] = [:]
        if case .object(let existing)? = fields[first] { inner = existing }
        set(value, at: Array(path.dropFirst()), in: &inner)
        fields[first] = .object(inner)
    }
}
