import SwiftProtobufPluginLibrary

/// Writes the proto3 JSON mapping of a file's messages and enums (`ProtoJSONMessage`,
/// `ProtoJSONEnum` of the ProtoJSON module): a writer with the keys in sorted order and a strict
/// reader. Conventions beyond proto3's, documented in docs/gateway.md: an `int64` field named
/// `*_at_micros` is a time, written as RFC 3339 under the name without `_micros` (null when 0),
/// and every field is written, defaults included, except an absent message.
struct JSONEmitter {
    let file: FileDescriptor
    let module: String

    /// The runtime's own modules are never served as JSON and sit below ProtoJSON.
    static func generatesJSON(module: String) -> Bool {
        module != "Wire" && module != "RPC"
    }

    func emit() throws -> String {
        var out = Printer()
        func enums(_ list: [EnumDescriptor]) {
            for enumeration in list {
                out.line()
                out.doc("Written and read by its proto names.")
                out.line("extension \(Self.localName(enumeration)): ProtoJSONEnum {}")
            }
        }
        enums(file.enums)
        func messages(_ list: [Descriptor]) throws {
            for message in list where !message.options.mapEntry {
                enums(message.enums)
                try emitMessage(message, into: &out)
                try messages(message.messages)
            }
        }
        try messages(file.messages)
        let schemas = try OpenAPIEmitter(file: file).schemas()
        guard !schemas.contains("\"\"\"#"), !schemas.contains("\\#") else {
            throw GenerationError(
                description: "\(file.name): a comment holds \"\"\"# or \\#, which a raw string cannot")
        }
        out.line()
        out.block("extension \(MessageEmitter.catalogueName(file)) {") { out in
            out.doc("The OpenAPI 3.1 schemas of the file's messages and enums, by name, as their JSON is written.")
            out.line("public static let openAPISchemas = #\"\"\"")
            for line in schemas.split(separator: "\n", omittingEmptySubsequences: false) { out.line(String(line)) }
            out.line("\"\"\"#")
        }
        var imports = try Model.imports(of: file, rpc: false)
        imports.append("ProtoJSON")
        return Model.header(for: file, imports: imports.sorted()) + out.text
    }

    static func localName(_ enumeration: EnumDescriptor) -> String {
        (enumeration.containingType.map(Model.localName).map { $0 + "." } ?? "") + enumeration.name
    }

    /// A field as JSON sees it.
    struct JSONField {
        let descriptor: FieldDescriptor
        /// The Swift property.
        let property: String
        /// The name written, and read first.
        let jsonName: String
        /// The other name a reader accepts (the proto name, as proto3 JSON parsers do).
        let protoName: String
        let isTimestamp: Bool

        init(_ field: FieldDescriptor) {
            descriptor = field
            property = Naming.escaped(Naming.lowerCamel(field.name))
            isTimestamp = field.name.hasSuffix("_at_micros") && field.type == .int64 && !field.isRepeated
            if isTimestamp {
                let base = String(field.name.dropLast("_micros".count))
                protoName = base
                jsonName = Naming.lowerCamelJSON(base)
            } else {
                protoName = field.name
                jsonName = field.jsonName ?? Naming.lowerCamelJSON(field.name)
            }
        }
    }

    private func emitMessage(_ message: Descriptor, into out: inout Printer) throws {
        let name = Model.localName(message)
        let fields = message.fields.map(JSONField.init)
        out.line()
        try out.block("extension \(name): ProtoJSONMessage {") { out in
            out.doc("The JSON names a reader accepts: each field's JSON name and its proto name.")
            let keys = Set(fields.flatMap { [$0.jsonName, $0.protoName] }).sorted()
            out.line("public static let jsonKeys: Set<String> = [\(keys.map { "\"\($0)\"" }.joined(separator: ", "))]")
            out.line()
            out.doc("Writes the message as a JSON object, its keys sorted.")
            try out.block("public func writeJSON(to out: inout JSONBytes) {") { out in
                out.line("out.openObject()")
                for field in fields.sorted(by: { $0.jsonName < $1.jsonName }) {
                    let value = "self.\(field.property)"
                    if field.descriptor.type == .message && !field.descriptor.isRepeated {
                        try out.block("if let value = \(value) {") { out in
                            out.line("out.key(\"\(field.jsonName)\")")
                            out.line(try write("value", field))
                        }
                    } else {
                        out.line("out.key(\"\(field.jsonName)\")")
                        if field.descriptor.isRepeated {
                            out.line("out.list(\(value)) { out, element in \(try write("element", field)) }")
                        } else {
                            out.line(try write(value, field))
                        }
                    }
                }
                out.line("out.closeObject()")
            }
            out.line()
            out.doc("Reads the message from a JSON object, strictly; errors name the field's path.")
            try out.block("public init(json: JSONObjectReader) throws(JSONError) {") { out in
                out.line("try json.rejectUnknown(Self.jsonKeys)")
                out.line("self.init()")
                for field in fields {
                    let read = field.descriptor.isRepeated ? "list" : "field"
                    out.line(
                        "if let value = try json.\(read)(\"\(field.jsonName)\", \"\(field.protoName)\", \(try decoder(field))) { self.\(field.property) = value }"
                    )
                }
            }
        }
    }

    /// The statement writing one value (an element, for a repeated field) of `field`.
    private func write(_ value: String, _ field: JSONField) throws -> String {
        if field.isTimestamp { return "out.timestamp(\(value))" }
        switch field.descriptor.type {
        case .string: return "out.string(\(value))"
        case .bool: return "out.bool(\(value))"
        case .double, .float: return "out.double(Double(\(value)))"
        case .int32, .sint32, .sfixed32, .uint32, .fixed32: return "out.integer(\(value))"
        case .int64, .sint64, .sfixed64, .uint64, .fixed64: return "out.integerString(\(value))"
        case .bytes: return "out.base64(\(value))"
        case .enum: return "out.string(\(value).protoName)"
        case .message: return "\(value).writeJSON(to: &out)"
        default: throw GenerationError(description: "\(field.descriptor.fullName): no JSON mapping for its type")
        }
    }

    /// The `JSONField` decoder of one value of `field`.
    private func decoder(_ field: JSONField) throws -> String {
        if field.isTimestamp { return "JSONField.timestamp" }
        switch field.descriptor.type {
        case .string: return "JSONField.string"
        case .bool: return "JSONField.bool"
        case .double: return "JSONField.double"
        case .int32, .sint32, .sfixed32: return "JSONField.integer(Int32.self)"
        case .uint32, .fixed32: return "JSONField.integer(UInt32.self)"
        case .int64, .sint64, .sfixed64: return "JSONField.integer(Int64.self)"
        case .uint64, .fixed64: return "JSONField.integer(UInt64.self)"
        case .bytes: return "JSONField.bytes"
        case .enum:
            return "JSONField.enumeration(\(try Model.swiftName(of: field.descriptor.enumType, from: module)).self)"
        case .message:
            return "JSONField.message(\(try Model.swiftName(of: field.descriptor.messageType, from: module)).self)"
        default: throw GenerationError(description: "\(field.descriptor.fullName): no JSON mapping for its type")
        }
    }
}
