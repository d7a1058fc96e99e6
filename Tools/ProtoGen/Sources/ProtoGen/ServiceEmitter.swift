import Foundation
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
            // A service the gateway serves states who may call each of its methods.
            if methods.contains(where: { !$0.http.isEmpty }), let bare = methods.first(where: { $0.access == nil }) {
                throw GenerationError(
                    description:
                        "\(bare.descriptor.fullName): every method of a served service needs (mentornet.api.v1.method).access"
                )
            }
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
        /// Who may call it (`access`), nil when the method states no rule.
        let access: AccessRule?

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
            if case .bytes(let nested)? = fields[2] {
                access = try AccessRule(nested, request: descriptor.inputType, method: descriptor.fullName)
            } else {
                access = nil
            }
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
                if let access = method.access {
                    out.doc("Who may call `\(method.descriptor.name)`.")
                    out.line(
                        "public static let \(method.swiftName)Access = Access<\(method.request)>(\(access.swiftArguments))"
                    )
                }
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
                    let access = method.access == nil ? "" : ", access: \(service.name)API.\(method.swiftName)Access"
                    if method.streaming {
                        out.block("router.serverStreaming(\(api)\(access)) { request, writer, context in") { out in
                            out.line("try await self.\(method.swiftName)(request, writer: writer, context: context)")
                        }
                    } else {
                        let call = "try await self.\(method.swiftName)(request, context: context)"
                        if method.storedResponse {
                            out.line("router.unary(\(api)\(access), encoded: { request, context in \(call) })")
                        } else {
                            out.line("router.unary(\(api)\(access)) { request, context in \(call) }")
                        }
                    }
                }
            }
        }
    }
}

/// A method's `(mentornet.api.v1.method).access`: its rule and the request fields it reads.
struct AccessRule {
    /// The Swift case of `Access.Rule`.
    let rule: String
    /// The member field's proto path, its JSON path and a Swift closure reading it.
    let memberField: (proto: String, json: String, swift: String)?
    /// The same for the network field.
    let networkField: (proto: String, json: String, swift: String)?
    /// The scope an API key needs (`members:read`), or empty.
    let scope: String

    static let rules: [UInt64: String] = [
        1: "public", 2: "authenticated", 3: "self", 4: "networkAdmin", 5: "anyAdmin", 6: "services",
    ]

    init(_ data: Data, request: Descriptor, method: String) throws {
        let fields = try WireFields.fields(data)
        guard case .varint(let number)? = fields[1], let rule = Self.rules[number] else {
            throw GenerationError(description: "\(method): access needs a rule")
        }
        self.rule = rule
        func field(_ number: UInt64, _ name: String) throws -> (proto: String, json: String, swift: String)? {
            guard let path = fields[number]?.string, !path.isEmpty else { return nil }
            var message = request
            var json: [String] = []
            var swift = "$0"
            let segments = path.split(separator: ".").map(String.init)
            for (index, segment) in segments.enumerated() {
                guard let field = message.fields.first(where: { $0.name == segment }), !field.isRepeated else {
                    throw GenerationError(description: "\(method): access \(name) \(path): no field \(segment)")
                }
                json.append(Naming.lowerCamelJSON(segment))
                swift += (index == 0 ? "." : "?.") + Naming.escaped(Naming.lowerCamel(segment))
                if index == segments.count - 1 {
                    guard field.type == .string else {
                        throw GenerationError(description: "\(method): access \(name) \(path) is not a string")
                    }
                } else {
                    guard field.type == .message, let inner = field.messageType else {
                        throw GenerationError(
                            description: "\(method): access \(name) \(path): \(segment) is not a message")
                    }
                    message = inner
                }
            }
            if segments.count > 1 { swift += " ?? \"\"" }
            return (path, json.joined(separator: "."), "{ \(swift) }")
        }
        memberField = try field(2, "member_field")
        networkField = try field(3, "network_field")
        scope = fields[4]?.string ?? ""
        if !scope.isEmpty, scope.wholeMatch(of: /[a-z]+:[a-z]+/) == nil {
            throw GenerationError(description: "\(method): access scope \"\(scope)\" is not of the form noun:verb")
        }
        if !scope.isEmpty, ["public", "services"].contains(rule) {
            throw GenerationError(description: "\(method): a \(rule) method takes no scope")
        }
        if rule == "self", memberField == nil {
            throw GenerationError(description: "\(method): RULE_SELF needs a member_field")
        }
        if rule == "networkAdmin", networkField == nil {
            throw GenerationError(description: "\(method): RULE_NETWORK_ADMIN needs a network_field")
        }
    }

    /// The arguments of `Access(...)`.
    var swiftArguments: String {
        var arguments = [rule == "self" || rule == "public" ? ".`\(rule)`" : ".\(rule)"]
        if let memberField {
            arguments.append("memberField: \"\(memberField.proto)\", member: \(memberField.swift)")
        }
        if let networkField {
            arguments.append("networkField: \"\(networkField.proto)\", network: \(networkField.swift)")
        }
        if !scope.isEmpty { arguments.append("scope: \"\(scope)\"") }
        return arguments.joined(separator: ", ")
    }
}
