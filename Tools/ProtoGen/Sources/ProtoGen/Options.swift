import Foundation
import SwiftProtobufPluginLibrary

/// Reads the custom options MentorNet declares (proto/mentornet/api/v1/options.proto) and the
/// `google.api.http` rule out of an options message's unknown fields: the plugin registers no
/// Swift extensions for them, so protoc's encoding of them arrives there as bytes.
enum Options {
    /// `mentornet.api.v1.swift_module` on `google.protobuf.FileOptions`.
    static let swiftModuleField: UInt64 = 50100
    /// `mentornet.api.v1.unrecognized_as` on `google.protobuf.EnumOptions`.
    static let unrecognizedAsField: UInt64 = 50100
    /// `mentornet.api.v1.method` on `google.protobuf.MethodOptions`.
    static let methodField: UInt64 = 50100
    /// `google.api.http` on `google.protobuf.MethodOptions`.
    static let httpField: UInt64 = 72_295_728
    /// `mentornet.api.v1.limits` on `google.protobuf.FieldOptions`.
    static let limitsField: UInt64 = 50100
    /// `google.api.field_behavior` on `google.protobuf.FieldOptions`.
    static let fieldBehaviorField: UInt64 = 1052

    /// The last value of length-delimited field `number` in `data`, or nil.
    static func lengthDelimited(_ number: UInt64, in data: Data) throws -> Data? {
        var result: Data?
        try WireFields.forEach(in: data) { field, value in
            if field == number, case .bytes(let bytes) = value { result = bytes }
        }
        return result
    }
}

/// What a field's annotations say: `google.api.field_behavior` and `mentornet.api.v1.limits`.
struct FieldAnnotations {
    /// OUTPUT_ONLY: set by the service, refused in requests.
    var outputOnly = false
    /// REQUIRED: a request must give it.
    var required = false
    /// Characters of a string (0: no limit).
    var minLength: UInt32 = 0
    var maxLength: UInt32 = 0
    /// Elements of a repeated field (0: no limit).
    var minItems: UInt32 = 0
    var maxItems: UInt32 = 0
    /// The range of a number, when `maximum` is given.
    var range: ClosedRange<Double>?

    init(_ field: FieldDescriptor) throws {
        let data = field.options.unknownFields.data
        try WireFields.forEach(in: data) { number, value in
            guard number == Options.fieldBehaviorField else { return }
            switch value {
            case .varint(let behavior): mark(behavior)
            case .bytes(let packed): try WireFields.varints(packed).forEach { mark($0) }
            case .fixed: throw WireFields.Malformed()
            }
        }
        if let limits = try Options.lengthDelimited(Options.limitsField, in: data) {
            let fields = try WireFields.fields(limits)
            minLength = fields[1]?.uint32 ?? 0
            maxLength = fields[2]?.uint32 ?? 0
            maxItems = fields[3]?.uint32 ?? 0
            minItems = fields[6]?.uint32 ?? 0
            if let maximum = fields[5]?.double {
                range = (fields[4]?.double ?? 0)...maximum
            } else if fields[4] != nil {
                throw GenerationError(description: "\(field.fullName): limits give minimum without maximum")
            }
            let isNumber = [.double, .float, .int32, .int64, .uint32, .uint64, .sint32, .sint64].contains(field.type)
            if (minLength != 0 || maxLength != 0) && field.type != .string
                || (minItems != 0 || maxItems != 0) && !field.isRepeated
                || range != nil && !isNumber
            {
                throw GenerationError(description: "\(field.fullName): limits that do not fit its type")
            }
        }
    }

    private mutating func mark(_ behavior: UInt64) {
        switch behavior {
        case 2: required = true
        case 3: outputOnly = true
        default: break
        }
    }

    /// Whether any limit is given.
    var hasLimits: Bool { minLength != 0 || maxLength != 0 || minItems != 0 || maxItems != 0 || range != nil }
}

/// A `google.api.http` rule: its verb and path, body field and additional bindings.
struct HTTPRule {
    var verb: String
    var path: String
    var body: String
    var additional: [HTTPRule] = []

    /// The rule encoded in `data` (a `google.api.HttpRule`).
    init(_ data: Data, method: String) throws {
        verb = ""
        path = ""
        body = ""
        let verbs: [UInt64: String] = [2: "GET", 3: "PUT", 4: "POST", 5: "DELETE", 6: "PATCH"]
        try WireFields.forEach(in: data) { number, value in
            switch (number, value) {
            case (2...6, .bytes):
                verb = verbs[number]!
                path = value.string ?? ""
            case (8, .bytes(let custom)):
                let fields = try WireFields.fields(custom)
                verb = fields[1]?.string ?? ""
                path = fields[2]?.string ?? ""
            case (7, .bytes): body = value.string ?? ""
            case (11, .bytes(let nested)): additional.append(try HTTPRule(nested, method: method))
            default: break
            }
        }
        guard !verb.isEmpty, path.hasPrefix("/") else {
            throw GenerationError(description: "\(method): google.api.http needs a verb and a path starting with /")
        }
    }

    /// The rule and its additional bindings.
    var all: [HTTPRule] { [self] + additional.flatMap(\.all) }
}

/// One field's value as the protobuf wire format carries it.
enum WireValue {
    case varint(UInt64)
    case bytes(Data)
    /// A fixed64 or fixed32 value's bits.
    case fixed(UInt64)
}

/// A minimal protobuf wire-format reader, for option messages only.
enum WireFields {
    struct Malformed: Error, CustomStringConvertible {
        var description: String { "malformed option bytes from protoc" }
    }

    /// Calls `body` with every field of `data`, in order.
    static func forEach(in data: Data, _ body: (UInt64, WireValue) throws -> Void) throws {
        let bytes = [UInt8](data)
        var index = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count, shift < 64 {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            throw Malformed()
        }
        while index < bytes.count {
            let key = try varint()
            switch key & 7 {
            case 0: try body(key >> 3, .varint(try varint()))
            case 1:
                guard index + 8 <= bytes.count else { throw Malformed() }
                let bits = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[index + $1]) << (8 * UInt64($1)) }
                index += 8
                try body(key >> 3, .fixed(bits))
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.count else { throw Malformed() }
                try body(key >> 3, .bytes(Data(bytes[index..<index + length])))
                index += length
            case 5:
                guard index + 4 <= bytes.count else { throw Malformed() }
                let bits = (0..<4).reduce(UInt64(0)) { $0 | UInt64(bytes[index + $1]) << (8 * UInt64($1)) }
                index += 4
                try body(key >> 3, .fixed(bits))
            default: throw Malformed()
            }
            guard index <= bytes.count else { throw Malformed() }
        }
    }

    /// The varints of a packed repeated field.
    static func varints(_ data: Data) throws -> [UInt64] {
        var values: [UInt64] = []
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in data {
            guard shift < 64 else { throw Malformed() }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                values.append(value)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        guard shift == 0 else { throw Malformed() }
        return values
    }

    /// The fields of `data` as a dictionary of the last value per number (for small messages).
    static func fields(_ data: Data) throws -> [UInt64: WireValue] {
        var out: [UInt64: WireValue] = [:]
        try forEach(in: data) { out[$0] = $1 }
        return out
    }
}

extension WireValue {
    /// The UTF-8 text of a length-delimited value.
    var string: String? {
        if case .bytes(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    /// A varint value as a UInt32 (truncated as protobuf does).
    var uint32: UInt32? {
        if case .varint(let value) = self { return UInt32(truncatingIfNeeded: value) }
        return nil
    }

    /// A fixed64 value as a Double.
    var double: Double? {
        if case .fixed(let bits) = self { return Double(bitPattern: bits) }
        return nil
    }

    /// A varint value as a Bool.
    var bool: Bool {
        if case .varint(let value) = self { return value != 0 }
        return false
    }
}
