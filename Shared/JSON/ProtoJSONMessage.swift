/// A message with its proto3 JSON mapping, generated from its `.proto` (scripts/gen-proto):
/// lowerCamelCase names, enums by name, 64-bit integers as strings, bytes in base64, `*_at_micros`
/// times as RFC 3339 under the name without `Micros` (null when unset), every other field always
/// present, an absent message field left out.
public protocol ProtoJSONMessage: Sendable {
    /// Writes the message as a JSON object, its keys sorted.
    func writeJSON(to out: inout JSONBytes)
    /// Reads the message from a JSON object strictly: an unknown key, a value of the wrong type or
    /// out of the field's range is an error naming the field's path.
    init(json: JSONObjectReader) throws(JSONError)
}

extension ProtoJSONMessage {
    /// The message as JSON text. Inlinable, so that the caller's module calls the message's
    /// writer directly rather than through its protocol witness.
    @inlinable
    public func jsonBytes() -> [UInt8] {
        var out = JSONBytes()
        writeJSON(to: &out)
        return out.bytes
    }

    /// Reads the message from a JSON value that must be an object; errors name fields from `path`.
    public init(json value: JSONValue, path: String = "") throws(JSONError) {
        try self.init(json: JSONObjectReader(value, path: path))
    }
}

/// An enum with its proto names, generated from its `.proto`.
public protocol ProtoJSONEnum: CaseIterable, Sendable {
    /// The value's name in the `.proto`.
    var protoName: String { get }
    /// The value named `protoName`, or nil.
    init?(protoName: String)
}
