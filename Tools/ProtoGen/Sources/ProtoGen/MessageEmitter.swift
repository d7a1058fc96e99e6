import SwiftProtobuf
import SwiftProtobufPluginLibrary

/// Writes a file's messages and enums: a Swift value type per message, mirroring its fields, with
/// the `ProtoMessage` conformance that copies them to and from protobuf-c's C structs.
struct MessageEmitter {
    let file: FileDescriptor
    let module: String

    func emit() throws -> String {
        var out = Printer()
        for enumeration in file.enums { try emitEnum(enumeration, into: &out) }
        for message in file.messages { try emitStruct(message, into: &out) }
        for message in file.messages { try emitConformance(message, into: &out) }
        emitCatalogue(into: &out)
        return Model.header(for: file, imports: try Model.imports(of: file, rpc: false)) + out.text
    }

    /// The name of the enum listing a file's messages: `profiles.proto` → `ProfilesProto`.
    static func catalogueName(_ file: FileDescriptor) -> String {
        let base = String(file.name.split(separator: "/").last!.dropLast(".proto".count))
        return Naming.upperCamel(base) + "Proto"
    }

    private func emitCatalogue(into out: inout Printer) {
        out.line()
        out.doc("What `\(file.name)` declares.")
        out.block("public enum \(Self.catalogueName(file)) {") { out in
            out.doc("Every message of the file, nested ones included, in declaration order.")
            out.line("public static let messages: [any ProtoMessage.Type] = [")
            out.indented { out in
                func list(_ messages: [Descriptor]) {
                    for message in messages where !message.options.mapEntry {
                        out.line("\(Model.localName(message)).self,")
                        list(message.messages)
                    }
                }
                list(file.messages)
            }
            out.line("]")
        }
    }

    // MARK: Enums

    private func emitEnum(_ enumeration: EnumDescriptor, into out: inout Printer) throws {
        out.line()
        out.doc(enumeration.comment(or: "`\(enumeration.name)`.") + "\n\nProto: `\(enumeration.fullName)`.")
        out.block("public enum \(enumeration.name): Int32, Sendable, CaseIterable, Codable {") { out in
            var seen: Set<Int32> = []
            for value in enumeration.values where seen.insert(value.number).inserted {
                out.doc(value.comment(or: "`\(value.name)`."))
                out.line("case \(Naming.escaped(caseName(value))) = \(value.number)")
            }
            out.line()
            out.doc("The value's name in the `.proto` (its proto3 JSON name).")
            out.block("public var protoName: String {") { out in
                out.block("switch self {") { out in
                    var named: Set<Int32> = []
                    for value in enumeration.values where named.insert(value.number).inserted {
                        out.line("case .\(Naming.escaped(caseName(value))): \"\(value.name)\"")
                    }
                }
            }
            out.line()
            out.doc("The value named `protoName` in the `.proto`, or nil.")
            out.block("public init?(protoName: String) {") { out in
                out.block("switch protoName {") { out in
                    for value in enumeration.values {
                        out.line("case \"\(value.name)\": self = .\(Naming.escaped(caseName(value)))")
                    }
                    out.line("default: return nil")
                }
            }
        }
    }

    private func caseName(_ value: EnumValueDescriptor) -> String {
        Naming.caseName(value: value.name, enumName: value.enumType.name)
    }

    // MARK: Structs

    private func emitStruct(_ message: Descriptor, into out: inout Printer) throws {
        // protobuf-c keeps a oneof's members in a union selected by a `*_case` field, which
        // ProtoReader and ProtoWriter do not read or set: refuse rather than mirror it wrongly.
        if let oneof = message.oneofs.first {
            throw GenerationError(
                description: "\(message.fullName): oneof \(oneof.name) is not supported by Wire's bridge")
        }
        out.line()
        out.doc(message.comment(or: "`\(message.name)`.") + "\n\nProto: `\(message.fullName)`.")
        try out.block("public struct \(message.name): Sendable, Equatable, Hashable {") { out in
            for field in message.fields {
                out.doc(field.comment(or: "`\(field.name)` (field \(field.number))."))
                out.line("public var \(Naming.escaped(swiftName(field))): \(try swiftType(field))")
            }
            out.line()
            out.doc("Creates the message; a field not given has its proto3 default.")
            let parameters = try message.fields.map {
                "\(swiftName($0)): \(try swiftType($0)) = \(try defaultValue($0))"
            }
            if parameters.isEmpty {
                out.line("public init() {}")
            } else {
                out.line("public init(")
                out.indented { out in
                    for (index, parameter) in parameters.enumerated() {
                        out.line(parameter + (index == parameters.count - 1 ? "" : ","))
                    }
                }
                out.block(") {") { out in
                    for field in message.fields {
                        let name = swiftName(field)
                        out.line("self.\(name) = \(Naming.escaped(name))")
                    }
                }
            }
            try emitLimits(message, into: &out)
            for enumeration in message.enums { try emitEnum(enumeration, into: &out) }
            for nested in message.messages where !nested.options.mapEntry { try emitStruct(nested, into: &out) }
        }
    }

    /// The fields' `(mentornet.api.v1.limits)` as constants the service's validation uses, so
    /// that they are stated once, in the `.proto`, for the code and the OpenAPI document alike:
    /// `<field>Length` (characters of a string, or of each element), `<field>Count` (elements),
    /// `<field>Range` (a number's values).
    private func emitLimits(_ message: Descriptor, into out: inout Printer) throws {
        var lines: [(doc: String, line: String)] = []
        for field in message.fields {
            let limits = try FieldAnnotations(field)
            guard limits.hasLimits else { continue }
            let name = swiftName(field)
            if limits.minLength != 0 || limits.maxLength != 0 {
                guard limits.maxLength >= max(limits.minLength, 1) else {
                    throw GenerationError(description: "\(field.fullName): limits need max_length >= min_length")
                }
                lines.append(
                    (
                        "Characters of `\(field.name)`\(field.isRepeated ? " (each)" : "").",
                        "public static let \(name)Length: ClosedRange<Int> = \(limits.minLength)...\(limits.maxLength)"
                    ))
            }
            if limits.minItems != 0 || limits.maxItems != 0 {
                guard limits.maxItems >= max(limits.minItems, 1) else {
                    throw GenerationError(description: "\(field.fullName): limits need max_items >= min_items")
                }
                lines.append(
                    (
                        "Elements of `\(field.name)`.",
                        "public static let \(name)Count: ClosedRange<Int> = \(limits.minItems)...\(limits.maxItems)"
                    ))
            }
            if let range = limits.range {
                let type = try elementType(field)
                let bound = { (value: Double) -> String in
                    type == "Double" ? "\(value)" : "\(Int64(value))"
                }
                guard range.lowerBound <= range.upperBound else {
                    throw GenerationError(description: "\(field.fullName): limits need minimum <= maximum")
                }
                lines.append(
                    (
                        "Values of `\(field.name)`.",
                        "public static let \(name)Range: ClosedRange<\(type)> = \(bound(range.lowerBound))...\(bound(range.upperBound))"
                    ))
            }
        }
        guard !lines.isEmpty else { return }
        out.line()
        out.doc("The limits `\(message.fullName)` states on its fields (`(mentornet.api.v1.limits)`).")
        out.block("public enum Limits {") { out in
            for (doc, line) in lines {
                out.doc(doc)
                out.line(line)
            }
        }
    }

    // MARK: ProtoMessage

    private func emitConformance(_ message: Descriptor, into out: inout Printer) throws {
        let name = Model.localName(message)
        out.line()
        try out.block("extension \(name): ProtoMessage {") { out in
            out.doc("The proto field numbers.")
            if message.fields.isEmpty {
                out.block("public struct Field: RawRepresentable, CaseIterable, Sendable {") { out in
                    out.doc("A field number; this message declares none.")
                    out.line("public let rawValue: UInt32")
                    out.doc("No number names a field of this message.")
                    out.line("public init?(rawValue: UInt32) { nil }")
                    out.doc("None.")
                    out.line("public static var allCases: [Field] { [] }")
                }
            } else {
                out.block("public enum Field: UInt32, CaseIterable {") { out in
                    for field in message.fields {
                        out.line("case \(Naming.escaped(swiftName(field))) = \(field.number)")
                    }
                }
            }
            out.line()
            out.doc("`\(message.fullName)`.")
            out.line("public static let schema = MessageSchema(\"\(message.fullName)\")")
            out.line()
            out.doc("Copies every field out of a decoded message.")
            try out.block("public init(reading reader: ProtoReader<\(name)>) {") { out in
                if message.fields.isEmpty {
                    out.line("self.init()")
                    return
                }
                try out.block("self.init(", closing: ")") { out in
                    for (index, field) in message.fields.enumerated() {
                        let separator = index == message.fields.count - 1 ? "" : ","
                        out.line("\(swiftName(field)): \(try readExpression(field))\(separator)")
                    }
                }
            }
            out.line()
            out.doc("Copies every field into a message about to be encoded.")
            try out.block("public func write(to writer: inout ProtoWriter<\(name)>) {") { out in
                for field in message.fields { out.line(try writeStatement(field)) }
            }
        }
        for nested in message.messages where !nested.options.mapEntry { try emitConformance(nested, into: &out) }
    }

    // MARK: Fields

    private func swiftName(_ field: FieldDescriptor) -> String {
        Naming.lowerCamel(field.name)
    }

    private func unsupported(_ field: FieldDescriptor) -> GenerationError {
        GenerationError(
            description:
                "\(field.fullName): \(field.isRepeated ? "repeated " : "")\(field.type) is not supported by Wire's "
                + "protobuf-c bridge (ProtoReader/ProtoWriter)")
    }

    /// The Swift type and `ProtoReader` accessor of each scalar proto type the bridge reads.
    private static let scalars: [Google_Protobuf_FieldDescriptorProto.TypeEnum: (type: String, accessor: String)] = [
        .double: ("Double", "double"), .int64: ("Int64", "int64"), .sint64: ("Int64", "int64"),
        .sfixed64: ("Int64", "int64"), .uint64: ("UInt64", "uint64"), .fixed64: ("UInt64", "uint64"),
        .int32: ("Int32", "int32"), .sint32: ("Int32", "int32"), .sfixed32: ("Int32", "int32"),
        .uint32: ("UInt32", "uint32"), .fixed32: ("UInt32", "uint32"), .bool: ("Bool", "bool"),
        .string: ("String", "string"), .bytes: ("[UInt8]", "bytes"),
    ]

    private func elementType(_ field: FieldDescriptor) throws -> String {
        switch field.type {
        case .enum: return try Model.swiftName(of: field.enumType, from: module)
        case .message:
            guard !field.isMap else { throw unsupported(field) }
            return try Model.swiftName(of: field.messageType, from: module)
        default:
            guard let scalar = Self.scalars[field.type] else { throw unsupported(field) }
            return scalar.type
        }
    }

    private func swiftType(_ field: FieldDescriptor) throws -> String {
        let element = try elementType(field)
        if field.isRepeated { return "[\(element)]" }
        return field.type == .message ? "\(element)?" : element
    }

    private func defaultValue(_ field: FieldDescriptor) throws -> String {
        if field.isRepeated { return "[]" }
        switch field.type {
        case .bool: return "false"
        case .string: return "\"\""
        case .bytes: return "[]"
        case .message: return "nil"
        case .enum: return ".\(Naming.escaped(caseName(Self.zeroValue(field.enumType))))"
        default: return "0"
        }
    }

    /// The reader accessor of a scalar field's kind.
    private func scalarAccessor(_ field: FieldDescriptor) throws -> String {
        guard let scalar = Self.scalars[field.type] else { throw unsupported(field) }
        return scalar.accessor
    }

    /// The case a number this build does not know reads as: the enum's
    /// `(mentornet.api.v1.unrecognized_as)` value, or its zero value.
    private func unrecognizedCase(_ enumeration: EnumDescriptor) throws -> String {
        let data = enumeration.options.unknownFields.data
        guard let named = try Options.lengthDelimited(Options.unrecognizedAsField, in: data) else {
            return Naming.escaped(caseName(Self.zeroValue(enumeration)))
        }
        let name = String(decoding: named, as: UTF8.self)
        guard let value = enumeration.values.first(where: { $0.name == name }) else {
            throw GenerationError(description: "\(enumeration.fullName): unrecognized_as names no value \(name)")
        }
        return Naming.escaped(caseName(value))
    }

    /// A proto3 enum's default: its first value, which must be 0.
    static func zeroValue(_ enumeration: EnumDescriptor) -> EnumValueDescriptor {
        enumeration.values[0]
    }

    private func readExpression(_ field: FieldDescriptor) throws -> String {
        let key = ".\(Naming.escaped(swiftName(field)))"
        switch (field.type, field.isRepeated) {
        case (.message, false): return "reader.message(\(key))"
        case (.message, true): return "reader.messages(\(key))"
        case (.enum, let repeated):
            let type = try elementType(field)
            let zero = try unrecognizedCase(field.enumType)
            // proto3 enums are open: a number this build does not know reads as `unrecognizedCase`.
            return repeated
                ? "reader.enumValues(\(key)).map { \(type)(rawValue: $0) ?? .\(zero) }"
                : "\(type)(rawValue: reader.enumValue(\(key))) ?? .\(zero)"
        case (.string, true): return "reader.strings(\(key))"
        case (.bytes, true): return "reader.bytesList(\(key))"
        case (.uint32, true), (.fixed32, true): return "reader.uint32s(\(key))"
        case (.int32, true), (.sint32, true), (.sfixed32, true): return "reader.int32s(\(key))"
        case (_, true): throw unsupported(field)
        case (_, false): return "reader.\(try scalarAccessor(field))(\(key))"
        }
    }

    private func writeStatement(_ field: FieldDescriptor) throws -> String {
        let name = swiftName(field)
        let key = ".\(Naming.escaped(name))"
        let value = name == "self" ? "self.`self`" : Naming.escaped(name)
        switch (field.type, field.isRepeated) {
        case (.enum, false): return "writer.setEnum(\(key), \(value).rawValue)"
        case (.enum, true): return "writer.setEnums(\(key), \(value).map(\\.rawValue))"
        case (.string, _), (.bytes, _), (.message, _), (.uint32, _), (.fixed32, _), (.int32, _), (.sint32, _),
            (.sfixed32, _):
            return "writer.set(\(key), \(value))"
        case (_, true): throw unsupported(field)
        default: return "writer.set(\(key), \(value))"
        }
    }
}
