import Foundation

/// JSON text written in order, for writers that know their fields: generated messages write
/// themselves here with their keys sorted, byte for byte what `JSONValue.serialized()` gives for
/// the same object. Commas are placed by `key` and by `list`.
///
/// Inlinable: the generated writers call these a few times per field on every response, from
/// other modules (a GET member's JSON is ~80 calls).
public struct JSONBytes: Sendable {
    /// The text so far.
    public var bytes: [UInt8] { storage }
    @usableFromInline var storage: [UInt8] = []
    /// Whether the innermost open object has no member yet.
    @usableFromInline var atFirstMember = true

    /// An empty text.
    public init() {
        storage.reserveCapacity(1024)
    }

    /// `{`.
    @inlinable
    public mutating func openObject() {
        storage.append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    /// `}`; the object is a value of whatever encloses it, so what follows needs a comma.
    @inlinable
    public mutating func closeObject() {
        storage.append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    /// `"key":`, after a comma unless it is the object's first member.
    @inlinable
    public mutating func key(_ key: StaticString) {
        if !atFirstMember { storage.append(UInt8(ascii: ",")) }
        atFirstMember = false
        storage.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { storage.append(contentsOf: $0) }
        storage.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A string, escaped.
    @inlinable
    public mutating func string(_ text: String) { JSONValue.writeString(text, to: &storage) }
    /// A 32-bit integer, as a number.
    @inlinable
    public mutating func integer(_ value: Int32) { storage.append(contentsOf: String(value).utf8) }
    /// A 32-bit unsigned integer, as a number.
    @inlinable
    public mutating func integer(_ value: UInt32) { storage.append(contentsOf: String(value).utf8) }
    /// A 64-bit integer, as a string of its digits (proto3 JSON: JavaScript numbers lose precision).
    @inlinable
    public mutating func integerString(_ value: Int64) { quoted(String(value)) }
    /// A 64-bit unsigned integer, as a string of its digits.
    @inlinable
    public mutating func integerString(_ value: UInt64) { quoted(String(value)) }

    @inlinable
    mutating func quoted(_ digits: String) {
        storage.append(UInt8(ascii: "\""))
        storage.append(contentsOf: digits.utf8)
        storage.append(UInt8(ascii: "\""))
    }
    /// A double; `null` when not finite.
    @inlinable
    public mutating func double(_ value: Double) { JSONValue.writeDouble(value, to: &storage) }
    /// `true` or `false`.
    @inlinable
    public mutating func bool(_ value: Bool) { storage.append(contentsOf: (value ? "true" : "false").utf8) }
    /// Bytes, in base64.
    @inlinable
    public mutating func base64(_ value: [UInt8]) { string(Base64.encode(value)) }
    /// `null`.
    @inlinable
    public mutating func null() { storage.append(contentsOf: "null".utf8) }

    /// A time in microseconds since 1970 as RFC 3339 in UTC, or `null` for 0 (not set).
    @inlinable
    public mutating func timestamp(_ micros: Int64) {
        if micros == 0 { null() } else { string(RFC3339.format(micros)) }
    }

    /// `[…]`, each element written by `element`.
    @inlinable
    public mutating func list<Element>(_ elements: [Element], _ element: (inout JSONBytes, Element) -> Void) {
        storage.append(UInt8(ascii: "["))
        for (index, item) in elements.enumerated() {
            if index > 0 { storage.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        storage.append(UInt8(ascii: "]"))
        atFirstMember = false
    }
}

/// Base64 (RFC 4648, with padding), for `bytes` fields.
@usableFromInline
enum Base64 {
    @usableFromInline
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
