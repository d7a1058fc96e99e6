import Foundation

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

    /// The last value of length-delimited field `number` in `data`, or nil.
    static func lengthDelimited(_ number: UInt64, in data: Data) throws -> Data? {
        var result: Data?
        try WireFields.forEach(in: data) { field, value in
            if field == number, case .bytes(let bytes) = value { result = bytes }
        }
        return result
    }
}

/// One field's value as the protobuf wire format carries it.
enum WireValue {
    case varint(UInt64)
    case bytes(Data)
    case fixed
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
                index += 8
                try body(key >> 3, .fixed)
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.count else { throw Malformed() }
                try body(key >> 3, .bytes(Data(bytes[index..<index + length])))
                index += length
            case 5:
                index += 4
                try body(key >> 3, .fixed)
            default: throw Malformed()
            }
            guard index <= bytes.count else { throw Malformed() }
        }
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

    /// A varint value as a Bool.
    var bool: Bool {
        if case .varint(let value) = self { return value != 0 }
        return false
    }
}
