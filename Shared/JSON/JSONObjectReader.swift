import Foundation

/// Reads the fields of one JSON object, naming the field in every error.
public struct JSONObjectReader: Sendable {
    /// The object's members.
    public let fields: [String: JSONValue]
    /// Where the object is, e.g. `expertise[2]`; empty for the body itself.
    public let path: String

    /// A reader of `fields`, found at `path`.
    public init(fields: [String: JSONValue], path: String) {
        self.fields = fields
        self.path = path
    }

    /// Reads `value`, which must be an object.
    public init(_ value: JSONValue, path: String) throws(JSONError) {
        guard case .object(let fields) = value else {
            throw JSONError(path.isEmpty ? "body" : path, "must be a JSON object")
        }
        self.fields = fields
        self.path = path
    }

    /// The path of member `key`.
    public func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Fails on keys outside `allowed`, as proto3 JSON parsers do.
    public func rejectUnknown(_ allowed: Set<String>) throws(JSONError) {
        // The common case, every key known, without sorting; the first unknown in order otherwise.
        guard !fields.keys.allSatisfy(allowed.contains) else { return }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw JSONError(name(unknown), "is not a field of this object")
        }
    }

    /// Whether `key` is present and not null.
    public func has(_ key: String) -> Bool { fields[key] != nil && fields[key] != .null }

    /// A string without NUL.
    public func string(_ key: String) throws(JSONError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let value)?:
            // protobuf-c strings end at NUL, so a NUL would silently cut the text short.
            guard !value.unicodeScalars.contains("\u{0}") else {
                throw JSONError(name(key), "must not contain NUL")
            }
            return value
        default: throw JSONError(name(key), "must be a string")
        }
    }

    /// A boolean.
    public func bool(_ key: String) throws(JSONError) -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw JSONError(name(key), "must be true or false")
        }
    }

    /// A whole number in `range`; proto3 JSON also allows it as a string.
    public func integer(_ key: String, in range: ClosedRange<UInt64>) throws(JSONError) -> UInt64? {
        let number: UInt64?
        switch fields[key] {
        case nil, .null?: return nil
        case .integer(let value)?: number = value >= 0 ? UInt64(value) : nil
        case .unsigned(let value)?: number = value
        case .string(let text)?: number = UInt64(text)
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw JSONError(name(key), "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// A number in `range` (a whole number is fine too).
    public func number(_ key: String, in range: ClosedRange<Double>) throws(JSONError) -> Double? {
        let number: Double?
        switch fields[key] {
        case nil, .null?: return nil
        case .integer(let value)?: number = Double(value)
        case .unsigned(let value)?: number = Double(value)
        case .double(let value)?: number = value
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw JSONError(name(key), "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// An array.
    public func array(_ key: String) throws(JSONError) -> [JSONValue]? {
        switch fields[key] {
        case nil, .null?: return nil
        case .array(let values)?: return values
        default: throw JSONError(name(key), "must be an array")
        }
    }

    /// An array of strings without NUL.
    public func strings(_ key: String) throws(JSONError) -> [String]? {
        guard let values = try array(key) else { return nil }
        var result: [String] = []
        for (index, value) in values.enumerated() {
            guard case .string(let text) = value, !text.unicodeScalars.contains("\u{0}") else {
                throw JSONError("\(name(key))[\(index)]", "must be a string without NUL")
            }
            result.append(text)
        }
        return result
    }

    /// An array of objects.
    public func objects(_ key: String) throws(JSONError) -> [JSONObjectReader]? {
        guard let values = try array(key) else { return nil }
        var result: [JSONObjectReader] = []
        for (index, value) in values.enumerated() {
            result.append(try JSONObjectReader(value, path: "\(name(key))[\(index)]"))
        }
        return result
    }

    /// An object.
    public func object(_ key: String) throws(JSONError) -> JSONObjectReader? {
        guard let value = fields[key], value != .null else { return nil }
        return try JSONObjectReader(value, path: name(key))
    }

    /// An enum given by one of `names`.
    public func enumeration<E>(_ key: String, _ names: [String: E]) throws(JSONError) -> E? {
        guard let text = try string(key) else { return nil }
        guard let value = names[text] else {
            throw JSONError(name(key), "must be one of \(names.keys.sorted().joined(separator: ", "))")
        }
        return value
    }
}
