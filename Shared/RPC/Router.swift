import NIOCore
import Wire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The methods a server answers, by wire name.
public struct Router: Sendable {
    /// The methods, matched against a request's method name as the frame holds it (UTF-8).
    private(set) var entries: [Entry] = []
    /// The services registered, by full proto name.
    public private(set) var services: Set<String> = []

    /// An empty router.
    public init() {}

    /// Answers `method` with `handler`. Inlinable, like the codec's entry points, so that each
    /// service's module specialises the decode and encode for its own messages.
    @inlinable
    public mutating func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, access: Access<Request> = .unrestricted,
        _ handler: nonisolated(nonsending) @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        register(
            method.service, method.path, TypedServerCall<Request>.make,
            .unary { call, context, responder in
                let request = TypedServerCall<Request>.request(of: call)
                if let refusal = access.refusal(request, context) { throw refusal }
                responder.respond(try await handler(request, context))
            })
    }

    /// Answers `method` with `handler`, which hands back the response already encoded (a stored
    /// message, say): it goes out as it is.
    @inlinable
    public mutating func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, access: Access<Request> = .unrestricted,
        encoded handler:
            nonisolated(nonsending) @escaping @Sendable (Request, CallContext) async throws -> Encoded<Response>
    ) {
        register(
            method.service, method.path, TypedServerCall<Request>.make,
            .unary { call, context, responder in
                let request = TypedServerCall<Request>.request(of: call)
                if let refusal = access.refusal(request, context) { throw refusal }
                responder.respond(encoded: try await handler(request, context).bytes)
            })
    }

    /// Answers `method`, a server-streaming method, with `handler`; the call ends when it returns.
    @inlinable
    public mutating func serverStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, access: Access<Request> = .unrestricted,
        _ handler:
            nonisolated(nonsending) @escaping @Sendable (Request, ResponseStreamWriter<Response>, CallContext)
            async throws -> Void
    ) {
        register(
            method.service, method.path, TypedServerCall<Request>.make,
            .serverStreaming { call, raw, context in
                let request = TypedServerCall<Request>.request(of: call)
                if let refusal = access.refusal(request, context) { throw refusal }
                try await handler(request, ResponseStreamWriter(raw: raw), context)
            })
    }

    /// Registers every method of `service`.
    public mutating func add(_ service: some RPCService) {
        service.register(in: &self)
    }

    @usableFromInline
    mutating func register(
        _ service: String, _ path: String, _ makeCall: @escaping RegisteredMethod.MakeCall, _ method: RegisteredMethod
    ) {
        precondition(!entries.contains { $0.path == path }, "\(path) registered twice")
        services.insert(service)
        entries.append(
            Entry(
                path: path, utf8: Array(path.utf8), makeCall: makeCall, method: method,
                needsCredentials: service != HealthAPI.service))
    }

    /// The method named by `utf8`, a request's method name as its frame holds it: compared as
    /// bytes, so no `String` is made per call (a service has a few dozen methods at most).
    func entry(named utf8: UnsafeRawBufferPointer) -> Entry? {
        guard let name = utf8.baseAddress else { return nil }
        for entry in entries
        where entry.utf8.count == utf8.count
            && entry.utf8.withUnsafeBytes({ memcmp($0.baseAddress!, name, utf8.count) }) == 0
        {
            return entry
        }
        return nil
    }

    /// A registered method: a reference, so a call holds it with one retain.
    @usableFromInline
    final class Entry: Sendable {
        /// `/package.Service/Method`.
        let path: String
        /// The path's UTF-8, compared with a frame's method bytes.
        let utf8: [UInt8]
        /// Decodes a request's payload into the call that runs it.
        let makeCall: RegisteredMethod.MakeCall
        /// What answers it.
        let method: RegisteredMethod
        /// Whether a server with an authenticator asks callers for credentials: every method but
        /// health's, which load balancers and probes call without any.
        let needsCredentials: Bool

        init(
            path: String, utf8: [UInt8], makeCall: @escaping RegisteredMethod.MakeCall, method: RegisteredMethod,
            needsCredentials: Bool
        ) {
            self.path = path
            self.utf8 = utf8
            self.makeCall = makeCall
            self.method = method
            self.needsCredentials = needsCredentials
        }
    }
}

/// A service: a set of methods it registers in a router.
public protocol RPCService: Sendable {
    /// Registers the service's methods.
    func register(in router: inout Router)
}

@usableFromInline
enum RegisteredMethod: Sendable {
    /// Decodes a request's payload (valid only during the call) and makes the call holding the
    /// request; throws INVALID_ARGUMENT when the payload is not a valid request.
    @usableFromInline typealias MakeCall =
        @Sendable (UnsafeRawBufferPointer, ServerCall.Head) throws(RPCError) -> ServerCall
    /// Runs on the caller's executor (the connection's event loop): no executor switch per call.
    /// Answers through the responder, or throws.
    @usableFromInline typealias Unary =
        nonisolated(nonsending) @Sendable (ServerCall, CallContext, UnaryResponder) async throws -> Void
    @usableFromInline typealias ServerStreaming =
        nonisolated(nonsending) @Sendable (ServerCall, RawStreamWriter, CallContext) async throws -> Void

    case unary(Unary)
    case serverStreaming(ServerStreaming)
}

/// A call with its decoded request: made by its method's `MakeCall`, so a handler registered for
/// `Request` is only ever handed calls of this type.
@usableFromInline
final class TypedServerCall<Request: ProtoMessage>: ServerCall, @unchecked Sendable {
    // @unchecked: as ServerCall; the request is immutable.
    @usableFromInline let request: Request

    @inlinable
    init(_ head: Head, request: Request) {
        self.request = request
        super.init(head)
    }

    /// Decodes `payload` into a call; the `MakeCall` of methods taking `Request`.
    @inlinable
    static func make(_ payload: UnsafeRawBufferPointer, _ head: Head) throws(RPCError) -> ServerCall {
        do {
            return TypedServerCall(head, request: try Request(decoding: payload))
        } catch {
            let violation = FieldViolation(
                field: error.field.isEmpty ? "payload" : error.field, description: error.description)
            throw RPCError(
                .invalidArgument, "request payload is not a valid \(Request.schema.fullName): \(error)",
                violations: [violation])
        }
    }

    /// The request of `call`, one of this method's calls.
    @inlinable
    static func request(of call: ServerCall) -> Request {
        unsafeDowncast(call, to: TypedServerCall.self).request
    }
}

@inlinable
func encodeResponse<Response: ProtoMessage>(_ response: Response) throws(RPCError) -> [UInt8] {
    do {
        return try response.encoded()
    } catch {
        throw RPCError(.internal, "internal error", cause: error)
    }
}

/// Writes a unary call's response straight into its connection's output: the message is packed
/// into the arena the response frame is built in, with no intermediate copy.
@usableFromInline
struct UnaryResponder {
    let connection: ServerConnectionHandler
    let call: ServerCall

    /// The call's id.
    @usableFromInline var callID: UInt64 { call.id }

    /// Ends the call with `response`.
    @inlinable
    func respond<Response: ProtoMessage>(_ response: Response) {
        let id = callID
        finish { (buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int in
            try response.encodeAsPayload(callID: id, kind: .response, into: &buffer)
        }
    }

    /// Ends the call with a response already encoded.
    @inlinable
    func respond(encoded bytes: [UInt8]) {
        let id = callID
        finish { (buffer: inout ByteBuffer) throws(ProtoEncodingError) -> Int in
            try Frame.encodeLengthPrefixed(callID: id, kind: .response, payload: bytes, into: &buffer)
        }
    }

    /// Ends the call with the frame `encode` appends to the connection's output.
    @usableFromInline
    func finish(_ encode: (inout ByteBuffer) throws(ProtoEncodingError) -> Int) {
        connection.finish(call, encoding: encode)
    }
}

/// Sends the messages of a server-streaming call.
public struct ResponseStreamWriter<Response: ProtoMessage>: Sendable {
    @usableFromInline let raw: RawStreamWriter

    @usableFromInline
    init(raw: RawStreamWriter) {
        self.raw = raw
    }

    /// Sends one message; waits while the connection is not writable; throws when the call ended.
    @inlinable
    public func write(_ message: Response) async throws {
        try await raw.send(try encodeResponse(message))
    }
}

/// A type-erased stream writer that sends encoded messages.
@usableFromInline
struct RawStreamWriter: Sendable {
    @usableFromInline let send: @Sendable ([UInt8]) async throws -> Void
}
