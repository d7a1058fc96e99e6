import Foundation
import SwiftProtobufPluginLibrary

/// Writes the OpenAPI 3.1 schema of every message and enum of a file, as its generated JSON
/// mapping writes them (`JSONEmitter`): one object per message with every field required except
/// an absent message field, enums by name, 64-bit integers as digit strings, `*_at_micros` times
/// as RFC 3339 or null. The gateway merges them into the document it serves.
struct OpenAPIEmitter {
    let file: FileDescriptor

    /// The schemas as a JSON object text, keys sorted.
    func schemas() throws -> String {
        var schemas: [String: Any] = [:]
        func add(_ enumeration: EnumDescriptor) {
            var schema: [String: Any] = ["type": "string", "enum": enumeration.values.map(\.name)]
            let comment = enumeration.comment(or: "")
            if !comment.isEmpty { schema["description"] = comment }
            schemas[Self.name(JSONEmitter.localName(enumeration))] = schema
        }
        func add(_ message: Descriptor) throws {
            var properties: [String: Any] = [:]
            var required: [String] = []
            for field in message.fields {
                let json = JSONEmitter.JSONField(field)
                var schema = try Self.property(field, forInput: false)
                if try FieldAnnotations(field).outputOnly { schema["readOnly"] = true }
                properties[json.jsonName] = schema
                if field.isRepeated || field.type != .message { required.append(json.jsonName) }
            }
            var schema: [String: Any] = [
                "type": "object", "additionalProperties": false, "properties": properties, "required": required,
            ]
            let comment = message.comment(or: "")
            if !comment.isEmpty { schema["description"] = comment }
            schemas[Self.name(Model.localName(message))] = schema
            for nested in message.enums { add(nested) }
            for nested in message.messages where !nested.options.mapEntry { try add(nested) }
        }
        for enumeration in file.enums { add(enumeration) }
        for message in file.messages { try add(message) }
        let data = try JSONSerialization.data(
            withJSONObject: schemas, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// A schema's name: the type's name, nested names run together (`Outer.Inner` → `OuterInner`).
    static func name(_ local: String) -> String {
        local.replacingOccurrences(of: ".", with: "")
    }

    private static func reference(_ local: String) -> [String: Any] {
        ["$ref": "#/components/schemas/\(Self.name(local))"]
    }

    /// A field's property schema: its element's (an array of them when repeated), its comment
    /// and limits.
    static func property(_ field: FieldDescriptor, forInput: Bool) throws -> [String: Any] {
        var schema = try element(JSONEmitter.JSONField(field), forInput: forInput)
        if field.isRepeated { schema = ["type": "array", "items": schema] }
        try addLimits(of: field, to: &schema)
        let comment = field.comment(or: "")
        if !comment.isEmpty { schema["description"] = comment }
        return schema
    }

    /// Adds a field's `(mentornet.api.v1.limits)` to its schema: lengths to a string (the
    /// elements' of a repeated one), item counts to an array, a range to a number.
    static func addLimits(of field: FieldDescriptor, to schema: inout [String: Any]) throws {
        let limits = try FieldAnnotations(field)
        guard limits.hasLimits else { return }
        func apply(_ element: inout [String: Any]) {
            if limits.minLength != 0 { element["minLength"] = limits.minLength }
            if limits.maxLength != 0 { element["maxLength"] = limits.maxLength }
            if let range = limits.range {
                let whole =
                    range.lowerBound.rounded() == range.lowerBound && range.upperBound.rounded() == range.upperBound
                element["minimum"] = whole ? Int64(range.lowerBound) as Any : range.lowerBound
                element["maximum"] = whole ? Int64(range.upperBound) as Any : range.upperBound
            }
        }
        if field.isRepeated, var items = schema["items"] as? [String: Any] {
            apply(&items)
            schema["items"] = items
            if limits.minItems != 0 { schema["minItems"] = limits.minItems }
            if limits.maxItems != 0 { schema["maxItems"] = limits.maxItems }
        } else {
            apply(&schema)
        }
    }

    /// The schema of one value of `field`: as written, or (`forInput`) as the reader accepts it.
    static func element(_ field: JSONEmitter.JSONField, forInput: Bool) throws -> [String: Any] {
        if field.isTimestamp { return ["type": ["string", "null"], "format": "date-time"] }
        if forInput {
            switch field.descriptor.type {
            case .int64, .sint64, .sfixed64: return ["type": ["string", "integer"], "format": "int64"]
            case .uint64, .fixed64: return ["type": ["string", "integer"], "format": "uint64", "minimum": 0]
            case .double: return ["type": "number", "format": "double"]
            default: break
            }
        }
        switch field.descriptor.type {
        case .string: return ["type": "string"]
        case .bytes: return ["type": "string", "contentEncoding": "base64"]
        case .bool: return ["type": "boolean"]
        case .double: return ["type": ["number", "null"], "format": "double"]
        case .int32, .sint32, .sfixed32: return ["type": "integer", "minimum": Int32.min, "maximum": Int32.max]
        case .uint32, .fixed32: return ["type": "integer", "minimum": 0, "maximum": UInt32.max]
        case .int64, .sint64, .sfixed64: return ["type": "string", "pattern": "^-?[0-9]+$", "format": "int64"]
        case .uint64, .fixed64: return ["type": "string", "pattern": "^[0-9]+$", "format": "uint64"]
        case .enum: return Self.reference(JSONEmitter.localName(field.descriptor.enumType))
        case .message: return Self.reference(Model.localName(field.descriptor.messageType))
        default: throw GenerationError(description: "\(field.descriptor.fullName): no OpenAPI schema for its type")
        }
    }
}
