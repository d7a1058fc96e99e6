import Foundation

/// JSON text written in order, for writers that know their fields: generated messages write
/// themselves here with their keys sorted, byte for byte what `JSONValue.serialized()` gives for
/// the same object. Commas are placed by `key` and by `list`.
public struct JSONBytes: Sendable {
    /// The text so far.
    public private(set) var bytes: [UInt8] = []
    /// Whether the innermost open object has no member yet.
    private var atFirstMember = true

    /// An empty text.
    public init() {
        bytes.reserveCapacity(1024)
    }

    /// `{`.
    public mutating func openObject() {
        bytes.append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    /// `}`; the object is a value of whatever encloses it, so what follows needs a comma.
    public mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    /// `"key":`, after a comma unless it is the object's first member.
    public mutating func key(_ key: StaticString) {
        if !atFirstMember { bytes.append(UInt8(ascii: ",")) }
        atFirstMember = false
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A string, escaped.
    public mutating func string(_ text: String) { JSONValue.writeString(text, to: &bytes) }
    /// A 32-bit integer, as a number.
    public mutating func integer(_ value: Int32) { bytes.append(contentsOf: String(value).utf8) }
    /// A 32-bit unsigned integer, as a number.
    public mutating func integer(_ value: UInt32) { bytes.append(contentsOf: String(value).utf8) }
    /// A 64-bit integer, as a string of its digits (proto3 JSON: JavaScript numbers lose precision).
    public mutating func integerString(_ value: Int64) { quoted(String(value)) }
    /// A 64-bit unsigned integer, as a string of its digits.
    public mutating func integerString(_ value: UInt64) { quoted(String(value)) }

    private mutating func quoted(_ digits: String) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: digits.utf8)
        bytes.append(UInt8(ascii: "\""))
    }
    /// A double; `null` when not finite.
    public mutating func double(_ value: Double) { JSONValue.writeDouble(value, to: &bytes) }
    /// `true` or `false`.
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    /// Bytes, in base64.
    public mutating func base64(_ value: [UInt8]) { string(Base64.encode(value)) }
    /// `null`.
    public mutating func null() { bytes.append(contentsOf: "null".utf8) }

    /// A time in microseconds since 1970 as RFC 3339 in UTC, or `null` for 0 (not set).
    public mutating func timestamp(_ micros: Int64) {
        if micros == 0 { null() } else { string(RFC3339.format(micros)) }
    }

    /// `[…]`, each element written by `element`.
    public mutating func list<Element>(_ elements: [Element], _ element: (inout JSONBytes, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            element(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
        atFirstMember = false
    }
}

/// Base64 (RFC 4648, with padding), for `bytes` fields.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map { [UInt8]($0) }
    }
}
