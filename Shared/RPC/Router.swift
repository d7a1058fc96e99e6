import Wire

/// The methods a server answers, by wire name.
public struct Router: Sendable {
    private(set) var methods: [String: RegisteredMethod] = [:]
    /// The services registered, by full proto name.
    public private(set) var services: Set<String> = []

    /// An empty router.
    public init() {}

    /// Answers `method` with `handler`. Inlinable, like the codec's entry points, so that each
    /// service's module specialises the decode and encode for its own messages.
    @inlinable
    public mutating func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler: nonisolated(nonsending) @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        register(
            method.service, method.path,
            .unary { payload, context in
                let request = try decodeRequest(Request.self, payload)
                let response = try await handler(request, context)
                return try encodeResponse(response)
            })
    }

    /// Answers `method` with `handler`, which hands back the response already encoded (a stored
    /// message, say): it goes out as it is.
    @inlinable
    public mutating func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        encoded handler:
            nonisolated(nonsending) @escaping @Sendable (Request, CallContext) async throws -> Encoded<Response>
    ) {
        register(
            method.service, method.path,
            .unary { payload, context in
                let request = try decodeRequest(Request.self, payload)
                return try await handler(request, context).bytes
            })
    }

    /// Answers `method`, a server-streaming method, with `handler`; the call ends when it returns.
    @inlinable
    public mutating func serverStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>,
        _ handler:
            nonisolated(nonsending) @escaping @Sendable (Request, ResponseStreamWriter<Response>, CallContext)
            async throws -> Void
    ) {
        register(
            method.service, method.path,
            .serverStreaming { payload, raw, context in
                let request = try decodeRequest(Request.self, payload)
                try await handler(request, ResponseStreamWriter(raw: raw), context)
            })
    }

    /// Registers every method of `service`.
    public mutating func add(_ service: some RPCService) {
        service.register(in: &self)
    }

    @usableFromInline
    mutating func register(_ service: String, _ path: String, _ method: RegisteredMethod) {
        precondition(methods[path] == nil, "\(path) registered twice")
        services.insert(service)
        methods[path] = method
    }

    func method(_ path: String) -> RegisteredMethod? { methods[path] }
}

/// A service: a set of methods it registers in a router.
public protocol RPCService: Sendable {
    /// Registers the service's methods.
    func register(in router: inout Router)
}

@usableFromInline
enum RegisteredMethod: Sendable {
    /// Runs on the caller's executor (the connection's event loop): no executor switch per call.
    @usableFromInline typealias Unary = nonisolated(nonsending) @Sendable ([UInt8], CallContext) async throws -> [UInt8]
    @usableFromInline typealias ServerStreaming =
        nonisolated(nonsending) @Sendable ([UInt8], RawStreamWriter, CallContext) async throws -> Void

    case unary(Unary)
    case serverStreaming(ServerStreaming)
}

@inlinable
func decodeRequest<Request: ProtoMessage>(_ type: Request.Type, _ payload: [UInt8]) throws(RPCError) -> Request {
    do {
        return try Request(decoding: payload)
    } catch {
        let violation = FieldViolation(
            field: error.field.isEmpty ? "payload" : error.field, description: error.description)
        throw RPCError(
            .invalidArgument, "request payload is not a valid \(Request.schema.fullName): \(error)",
            violations: [violation])
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
