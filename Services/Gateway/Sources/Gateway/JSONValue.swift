import Foundation
import Wire

/// Any JSON value, decoded strictly: `true` is never a number and `1` is never a boolean.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Decodes whichever JSON value comes next.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .unsigned(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses a request body; malformed JSON is a 400 naming the problem.
    public static func parse(_ data: Data) throws(APIError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            let detail: String =
                switch error {
                case .dataCorrupted(let context):
                    (context.underlyingError as? NSError)?.userInfo["NSDebugDescription"] as? String
                        ?? context.debugDescription
                default: "\(error)"
                }
            throw APIError(
                .invalidArgument, "the body is not valid JSON: \(detail)",
                violations: [FieldViolation(field: "body", description: "must be valid JSON")])
        } catch {
            throw APIError(
                .invalidArgument, "the body is not valid JSON",
                violations: [FieldViolation(field: "body", description: "must be valid JSON")])
        }
    }

    /// The value as JSON text (keys sorted, for stable output). Written by hand: Foundation's
    /// JSONEncoder was a visible share of a GET's time in the gateway benchmark.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(to: &out)
        return out
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): out.append(contentsOf: String(value).utf8)
        case .unsigned(let value): out.append(contentsOf: String(value).utf8)
        case .double(let value): out.append(contentsOf: (value.isFinite ? "\(value)" : "null").utf8)
        case .string(let value): Self.writeString(value, to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, key) in fields.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                fields[key]!.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Copy runs that need no escaping in one go; most strings are one such run.
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                writeEscape(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func writeEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)]])
            out.append(hex[Int(byte & 0xF)])
        }
    }
}

/// Reads the fields of one JSON object, naming the field in every error.
struct JSONObjectReader {
    let fields: [String: JSONValue]
    let path: String

    init(_ value: JSONValue, path: String) throws(APIError) {
        guard case .object(let fields) = value else {
            throw APIError.badField(path.isEmpty ? "body" : path, "must be a JSON object")
        }
        self.fields = fields
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Fails on keys outside `allowed`, as proto3 JSON parsers do.
    func rejectUnknown(_ allowed: Set<String>) throws(APIError) {
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badField(name(unknown), "is not a field of this object")
        }
    }

    func has(_ key: String) -> Bool { fields[key] != nil && fields[key] != .null }

    func string(_ key: String) throws(APIError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?:
            // protobuf-c strings end at NUL, so a NUL would silently cut the text short.
            guard !value.unicodeScalars.contains("\u{0}") else {
                throw APIError.badField(name(key), "must not contain NUL")
            }
            return value
        default: throw APIError.badField(name(key), "must be a string")
        }
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw APIError.badField(name(key), "must be true or false")
        }
    }

    /// A whole number in `range`; proto3 JSON also allows it as a string.
    func integer(_ key: String, in range: ClosedRange<UInt64>) throws(APIError) -> UInt64? {
        let number: UInt64?
        switch fields[key] {
        case nil, .null?: return nil
        case .integer(let value)?: number = value >= 0 ? UInt64(value) : nil
        case .unsigned(let value)?: number = value
        case .string(let text)?: number = UInt64(text)
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw APIError.badField(name(key), "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A number in `range` (a whole number is fine too).
    func number(_ key: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        let number: Double?
        switch fields[key] {
        case nil, .null?: return nil
        case .integer(let value)?: number = Double(value)
        case .unsigned(let value)?: number = Double(value)
        case .double(let value)?: number = value
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw APIError.badField(name(key), "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func array(_ key: String) throws(APIError) -> [JSONValue]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .array(let values)?: return values
        default: throw APIError.badField(name(key), "must be an array")
        }
    }

    func strings(_ key: String) throws(APIError) -> [String]? {
        guard let values = try array(key) else { return nil }
        var result: [String] = []
        for (index, value) in values.enumerated() {
            guard case .string(let text) = value, !text.unicodeScalars.contains("\u{0}") else {
                throw APIError.badField("\(name(key))[\(index)]", "must be a string without NUL")
            }
            result.append(text)
        }
        return result
    }

    func objects(_ key: String) throws(APIError) -> [JSONObjectReader]? {
        guard let values = try array(key) else { return nil }
        var result: [JSONObjectReader] = []
        for (index, value) in values.enumerated() {
            result.append(try JSONObjectReader(value, path: "\(name(key))[\(index)]"))
        }
        return result
    }

    func object(_ key: String) throws(APIError) -> JSONObjectReader? {
        guard let value = fields[key], value != .null else { return nil }
        return try JSONObjectReader(value, path: name(key))
    }

    /// An enum given by its proto name.
    func enumeration<E>(_ key: String, _ names: [String: E]) throws(APIError) -> E? {
        guard let text = try string(key) else { return nil }
        guard let value = names[text] else {
            throw APIError.badField(name(key), "must be one of \(names.keys.sorted().joined(separator: ", "))")
        }
        return value
    }
}
