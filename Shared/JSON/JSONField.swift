/// Decoders of single proto3 JSON values, each given the value and its path for errors; generated
/// `init(json:)` code reads fields with them through `JSONObjectReader.field` and `.list`.
public enum JSONField {
    /// One value read as `T`.
    public typealias Decoder<T> = (JSONValue, String) throws(JSONError) -> T

    /// A string without NUL (protobuf-c strings end at NUL).
    public static func string(_ value: JSONValue, _ path: String) throws(JSONError) -> String {
        guard case .string(let text) = value else { throw JSONError(path, "must be a string") }
        guard !text.unicodeScalars.contains("\u{0}") else { throw JSONError(path, "must not contain NUL") }
        return text
    }

    /// `true` or `false`.
    public static func bool(_ value: JSONValue, _ path: String) throws(JSONError) -> Bool {
        guard case .bool(let flag) = value else { throw JSONError(path, "must be true or false") }
        return flag
    }

    /// A number (a whole number is fine too).
    public static func double(_ value: JSONValue, _ path: String) throws(JSONError) -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .unsigned(let number): return Double(number)
        case .double(let number): return number
        default: throw JSONError(path, "must be a number")
        }
    }

    /// A whole number of type `T`, as a number or (proto3 JSON) a string of digits.
    public static func integer<T: FixedWidthInteger & Sendable>(_ type: T.Type) -> Decoder<T> {
        { (value: JSONValue, path: String) throws(JSONError) -> T in
            let number: T? =
                switch value {
                case .integer(let number): T(exactly: number)
                case .unsigned(let number): T(exactly: number)
                case .double(let number): T(exactly: number)
                case .string(let text): T(text)
                default: nil
                }
            guard let number else {
                throw JSONError(path, "must be a whole number from \(T.min) to \(T.max)")
            }
            return number
        }
    }

    /// Bytes in base64.
    public static func bytes(_ value: JSONValue, _ path: String) throws(JSONError) -> [UInt8] {
        guard case .string(let text) = value, let bytes = Base64.decode(text) else {
            throw JSONError(path, "must be base64")
        }
        return bytes
    }

    /// A time in RFC 3339, as microseconds since 1970.
    public static func timestamp(_ value: JSONValue, _ path: String) throws(JSONError) -> Int64 {
        guard case .string(let text) = value, let micros = RFC3339.parse(text) else {
            throw JSONError(path, "must be an RFC 3339 time such as 2026-11-27T09:00:00Z")
        }
        return micros
    }

    /// An enum value by its proto name.
    public static func enumeration<E: ProtoJSONEnum>(_ type: E.Type) -> Decoder<E> {
        { (value: JSONValue, path: String) throws(JSONError) -> E in
            if case .string(let name) = value, let known = E(protoName: name) { return known }
            throw JSONError(path, "must be one of \(E.allCases.map(\.protoName).joined(separator: ", "))")
        }
    }

    /// A nested message.
    public static func message<M: ProtoJSONMessage>(_ type: M.Type) -> Decoder<M> {
        { (value: JSONValue, path: String) throws(JSONError) -> M in try M(json: value, path: path) }
    }
}

extension JSONObjectReader {
    /// Field `jsonName` (or, as proto3 JSON parsers accept, `protoName`) read with `decode`; nil
    /// when absent or null.
    public func field<T>(_ jsonName: String, _ protoName: String, _ decode: JSONField.Decoder<T>)
        throws(JSONError) -> T?
    {
        guard let (key, value) = try present(jsonName, protoName) else { return nil }
        return try decode(value, name(key))
    }

    /// Repeated field `jsonName` (or `protoName`), each element read with `decode`; nil when
    /// absent or null.
    public func list<T>(_ jsonName: String, _ protoName: String, _ decode: JSONField.Decoder<T>)
        throws(JSONError) -> [T]?
    {
        guard let (key, value) = try present(jsonName, protoName) else { return nil }
        guard case .array(let elements) = value else { throw JSONError(name(key), "must be an array") }
        var result: [T] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            result.append(try decode(element, "\(name(key))[\(index)]"))
        }
        return result
    }

    private func present(_ jsonName: String, _ protoName: String) throws(JSONError) -> (String, JSONValue)? {
        let byJSONName = fields[jsonName].flatMap { $0 == .null ? nil : $0 }
        let byProtoName = jsonName == protoName ? nil : fields[protoName].flatMap { $0 == .null ? nil : $0 }
        switch (byJSONName, byProtoName) {
        case (let value?, nil): return (jsonName, value)
        case (nil, let value?): return (protoName, value)
        case (nil, nil): return nil
        case (_?, _?): throw JSONError(name(jsonName), "is given twice (also as \(protoName))")
        }
    }
}
