import ProtoC

/// Bytes that are not a valid encoding of the expected message.
public struct ProtoDecodingError: Error, Equatable, CustomStringConvertible {
    /// What is wrong with the bytes.
    public enum Reason: Sendable, Equatable {
        case truncated, badVarint, badFieldNumber, badWireType, wrongWireType
        case invalidUTF8, nulInString, tooDeep, rejectedByProtobufC, outOfMemory
    }

    /// The full proto name of the message being decoded.
    public var message: String
    /// What is wrong.
    public var reason: Reason
    /// The field at fault as a path (`metadata[1].value`), or "" when no field is to blame.
    public var field: String
    /// The byte offset of the fault in the input.
    public var offset: Int

    /// Creates an error.
    public init(message: String, reason: Reason, field: String, offset: Int) {
        self.message = message
        self.reason = reason
        self.field = field
        self.offset = offset
    }

    init(message: String, validation: ProtoValidationError) {
        var validation = validation
        let path = withUnsafeBytes(of: &validation.path) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let reason: Reason =
            switch validation.code {
            case PROTO_TRUNCATED: .truncated
            case PROTO_BAD_VARINT: .badVarint
            case PROTO_BAD_FIELD_NUMBER: .badFieldNumber
            case PROTO_BAD_WIRE_TYPE: .badWireType
            case PROTO_WRONG_WIRE_TYPE: .wrongWireType
            case PROTO_INVALID_UTF8: .invalidUTF8
            case PROTO_NUL_IN_STRING: .nulInString
            case PROTO_TOO_DEEP: .tooDeep
            default: .rejectedByProtobufC
            }
        self.init(message: message, reason: reason, field: path, offset: validation.offset)
    }

    /// A one-line explanation naming the field and the problem.
    public var description: String {
        let problem: String =
            switch reason {
            case .truncated: "the input ends inside a field"
            case .badVarint: "a varint is longer than 10 bytes"
            case .badFieldNumber: "a field number is 0 or above 2^29-1"
            case .badWireType: "an unsupported wire type (groups or 6/7)"
            case .wrongWireType: "the wire type does not match the field's declared type"
            case .invalidUTF8: "the string is not valid UTF-8"
            case .nulInString: "the string contains a NUL character"
            case .tooDeep: "messages are nested more than \(maximumMessageDepth) deep"
            case .rejectedByProtobufC: "protobuf-c rejected the encoding"
            case .outOfMemory: "out of memory"
            }
        let place = field.isEmpty ? "" : " field \(field):"
        return "cannot decode \(message):\(place) \(problem) (at byte \(offset))"
    }
}

/// A value that protobuf-c cannot encode.
public struct ProtoEncodingError: Error, Equatable, CustomStringConvertible {
    /// The field at fault as a path.
    public var field: String
    /// Why it cannot be encoded.
    public var reason: String

    /// Creates an error.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// A one-line explanation.
    public var description: String { "cannot encode field \(field): \(reason)" }

    /// The arena could not get memory.
    @usableFromInline static let outOfMemory = ProtoEncodingError(field: "", reason: "out of memory")
}
