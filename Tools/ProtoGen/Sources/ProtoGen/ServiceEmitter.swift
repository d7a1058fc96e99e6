import SwiftProtobufPluginLibrary

/// Writes a file's services: per service, its method descriptors (`<Service>API`), a typed client
/// (`<Service>Client`) and the protocol a server implements (`<Service>Handler`), whose
/// `register(in:)` routes every method to it.
struct ServiceEmitter {
    let file: FileDescriptor
    let module: String

    func emit() throws -> String {
        var out = Printer()
        for service in file.services {
            let methods = try service.methods.map { try Method($0, module: module) }
            emitAPI(service, methods, into: &out)
            emitClient(service, methods, into: &out)
            emitHandler(service, methods, into: &out)
        }
        return Model.header(for: file, imports: try Model.imports(of: file, rpc: true)) + out.text
    }

    /// One RPC as the emitters need it.
    struct Method {
        let descriptor: MethodDescriptor
        /// lowerCamelCase name (`CreateMember` → `createMember`).
        let swiftName: String
        let request: String
        let response: String
        let streaming: Bool
        /// The handler answers with the response's stored encoding.
        let storedResponse: Bool
        /// The method honours an `Idempotency-Key`.
        let idempotencyKey: Bool
        /// The content type of the raw body the gateway answers with (`raw_response`), or empty.
        let rawResponse: String
        /// Its HTTP routes (`google.api.http`), none for a method the gateway does not serve.
        let http: [HTTPRule]

        init(_ descriptor: MethodDescriptor, module: String) throws {
            guard !descriptor.clientStreaming else {
                throw GenerationError(description: "\(descriptor.fullName): client streaming is not supported")
            }
            self.descriptor = descriptor
            swiftName = descriptor.name.prefix(1).lowercased() + descriptor.name.dropFirst()
            request = try Model.swiftName(of: descriptor.inputType, from: module)
            response = try Model.swiftName(of: descriptor.outputType, from: module)
            streaming = descriptor.serverStreaming
            let options = try Options.lengthDelimited(Options.methodField, in: descriptor.options.unknownFields.data)
            let fields = try options.map { try WireFields.fields($0) } ?? [:]
            storedResponse = fields[1]?.bool ?? false
            idempotencyKey = fields[3]?.bool ?? false
            rawResponse = fields[4]?.string ?? ""
            if !rawResponse.isEmpty {
                let output: Descriptor = descriptor.outputType
                guard output.fields.contains(where: { $0.name == "data" && $0.type == .bytes && !$0.isRepeated }),
                    output.fields.contains(where: { $0.name == "etag" && $0.type == .string && !$0.isRepeated })
                else {
                    throw GenerationError(
                        description:
                            "\(descriptor.fullName): raw_response needs a response with bytes data and string etag")
                }
            }
            http =
                try Options.lengthDelimited(Options.httpField, in: descriptor.options.unknownFields.data)
                .map { try HTTPRule($0, method: descriptor.fullName).all } ?? []
            if storedResponse && streaming {
                throw GenerationError(description: "\(descriptor.fullName): stored_response is for unary methods")
            }
        }

        var doc: String {
            descriptor.comment(or: "`\(descriptor.name)`: \(request) → \(streaming ? "a stream of " : "")\(response).")
        }
    }

    private func emitAPI(_ service: ServiceDescriptor, _ methods: [Method], into out: inout Printer) {
        out.line()
        out.doc("The methods of `\(service.fullName)`, for servers and clients alike.")
        if case let comment = service.comment(or: ""), !comment.isEmpty { out.doc("\n" + comment) }
        out.block("public enum \(service.name)API {") { out in
            out.doc("The service's full name.")
            out.line("public static let service = \"\(service.fullName)\"")
            for method in methods {
                out.doc(method.doc)
                out.line(
                    "public static let \(Naming.escaped(method.swiftName)) = MethodDescriptor<\(method.request), \(method.response)>("
                )
                out.line("    service: service, name: \"\(method.descriptor.name)\")")
            }
        }
    }

    private func emitClient(_ service: ServiceDescriptor, _ methods: [Method], into out: inout Printer) {
        out.line()
        out.doc("Calls `\(service.fullName)` through a `Client`.")
        out.block("public struct \(service.name)Client: Sendable {") { out in
            out.doc("The connections calls go through.")
            out.line("public let client: Client")
            out.line()
            out.doc("Calls the service through `client`.")
            out.line("public init(_ client: Client) { self.client = client }")
            for method in methods {
                out.line()
                out.doc(method.doc)
                let api = "\(service.name)API.\(Naming.escaped(method.swiftName))"
                if method.streaming {
                    out.block(
                        "public func \(method.swiftName)(_ request: \(method.request), options: CallOptions = CallOptions()) -> AsyncThrowingStream<\(method.response), any Error> {"
                    ) { out in
                        out.line("client.serverStreaming(\(api), request, options: options)")
                    }
                } else {
                    out.line("@inlinable")
                    out.block(
                        "public func \(method.swiftName)(_ request: \(method.request), options: CallOptions = CallOptions()) async throws(RPCError) -> \(method.response) {"
                    ) { out in
                        out.line("try await client.unary(\(api), request, options: options)")
                    }
                }
            }
        }
    }

    private func emitHandler(_ service: ServiceDescriptor, _ methods: [Method], into out: inout Printer) {
        out.line()
        out.doc("What a server of `\(service.fullName)` implements; `register(in:)` routes every method to it.")
        out.doc("Each method runs on its caller's executor (`nonisolated(nonsending)`), as the router's own closures")
        out.doc("do: on the connection's event loop, without a switch to another executor per call.")
        out.block("public protocol \(service.name)Handler: RPCService {") { out in
            for method in methods {
                out.doc(method.doc)
                if method.streaming {
                    out.line(
                        "nonisolated(nonsending) func \(method.swiftName)(_ request: \(method.request), writer: ResponseStreamWriter<\(method.response)>, context: CallContext) async throws"
                    )
                } else {
                    let response = method.storedResponse ? "Encoded<\(method.response)>" : method.response
                    out.line(
                        "nonisolated(nonsending) func \(method.swiftName)(_ request: \(method.request), context: CallContext) async throws -> \(response)"
                    )
                }
            }
        }
        out.line()
        out.block("extension \(service.name)Handler {") { out in
            out.doc("Routes every method of `\(service.fullName)` to this handler. Inlinable, so that each")
            out.doc("handler's module specialises the routes for its own type.")
            out.line("@inlinable")
            out.block("public func register(in router: inout Router) {") { out in
                for method in methods {
                    let api = "\(service.name)API.\(Naming.escaped(method.swiftName))"
                    if method.streaming {
                        out.block("router.serverStreaming(\(api)) { request, writer, context in") { out in
                            out.line("try await self.\(method.swiftName)(request, writer: writer, context: context)")
                        }
                    } else {
                        let call = "try await self.\(method.swiftName)(request, context: context)"
                        if method.storedResponse {
                            out.line("router.unary(\(api), encoded: { request, context in \(call) })")
                        } else {
                            out.line("router.unary(\(api)) { request, context in \(call) }")
                        }
                    }
                }
            }
        }
    }
}
