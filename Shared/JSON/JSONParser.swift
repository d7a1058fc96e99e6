/// A strict JSON parser (RFC 8259) over bytes, into `JSONValue`s. Written by hand: Foundation's
/// JSONDecoder, through `Codable`, was half of `mentornet-match`'s time on a 10,000-member
/// instance, and it accepts what RFC 8259 does not (trailing commas, repeated keys).
///
/// Numbers are as JSONDecoder gave them: an integral value that fits 64 bits is an integer
/// (`1.0` and `1e2` included), anything else a double; a number too large for a double is an
/// error. Strings must be valid UTF-8 without raw control characters, escapes well formed and
/// surrogates paired. An object must not repeat a key. Nesting is at most `maximumDepth` deep.
/// Each error says what is wrong and where (byte offset).
struct JSONParser {
    /// How deep arrays and objects may nest.
    static let maximumDepth = 512

    /// What is wrong with the text, and at which byte.
    struct Failure: Error {
        var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The one value `bytes` hold (whitespace around it, and a leading byte order mark, allowed).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.index = 3 }
        let value = try parser.value()
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.failure("unexpected \(parser.describeByte()) after the value") }
        return value
    }

    private func failure(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(index)")
    }

    private func describeByte() -> String {
        guard index < bytes.count else { return "end of text" }
        let byte = bytes[index]
        return byte >= 0x20 && byte < 0x7F
            ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("expected a value but the text ended") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("expected a value but found \(describeByte())")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        let text = UnsafeBufferPointer(start: word.utf8Start, count: count)
        guard index + count <= bytes.count, bytes[index..<(index + count)].elementsEqual(text) else {
            throw failure("expected \(word) but found \(describeByte())")
        }
        index += count
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("arrays and objects nest deeper than \(Self.maximumDepth)") }
        index += 1
    }

    private mutating func array() throws(Failure) -> JSONValue {
        try enter()
        var values: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(values)
        }
        while true {
            values.append(try value())
            skipWhitespace()
            guard index < bytes.count else { throw failure("an array is not closed") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(values)
            default:
                throw failure("expected ',' or ']' in an array but found \(describeByte())")
            }
        }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        try enter()
        var fields: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(fields)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw failure("expected a key (a string) in an object but found \(describeByte())")
            }
            let keyStart = index
            let key = try string()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw failure("expected ':' after a key but found \(describeByte())")
            }
            index += 1
            let value = try value()
            if fields.updateValue(value, forKey: key) != nil {
                throw Failure(message: "an object repeats the key \(key.debugDescription) at byte \(keyStart)")
            }
            skipWhitespace()
            guard index < bytes.count else { throw failure("an object is not closed") }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(fields)
            default:
                throw failure("expected ',' or '}' in an object but found \(describeByte())")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        let start = index
        index += 1
        // Most strings have no escapes: find the closing quote and validate the bytes in one go.
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        if end < bytes.count && bytes[end] == UInt8(ascii: "\"") {
            guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
            else { throw Failure(message: "a string is not valid UTF-8 at byte \(start)") }
            index = end + 1
            return text
        }
        var utf8 = Array(bytes[index..<end])
        index = end
        while true {
            guard index < bytes.count else {
                throw Failure(message: "a string starting at byte \(start) is not closed")
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw Failure(message: "a string is not valid UTF-8 at byte \(start)")
                }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &utf8)
            case ..<0x20:
                throw failure("a string holds a raw control character (byte 0x\(String(byte, radix: 16))); escape it")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(Failure) {
        guard index + 1 < bytes.count else { throw failure("a string ends inside an escape") }
        let letter = bytes[index + 1]
        index += 2
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(letter)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("a \\u escape of a high surrogate is not followed by its low surrogate") }
                index += 2
                let low = UInt32(try hex4())
                guard (0xDC00..<0xE000).contains(low) else {
                    throw failure("a \\u escape of a high surrogate is not followed by its low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw failure("a \\u escape is a low surrogate without a high one")
            }
            utf8.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            index -= 1
            throw failure("\\\(describeByte()) is not an escape")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt16 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hex digits, not \(describeByte())")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        func isDigit(_ i: Int) -> Bool { i < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) }
        guard isDigit(index) else { throw failure("a number needs a digit after '-'") }
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw Failure(message: "a number starts with 0 at byte \(start)") }
        } else {
            while isDigit(index) {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = sum
                index += 1
            }
        }
        var integral = true
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            integral = false
            index += 1
            guard isDigit(index) else { throw failure("a number needs a digit after '.'") }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            integral = false
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard isDigit(index) else { throw failure("a number needs a digit in its exponent") }
            while isDigit(index) { index += 1 }
        }
        if integral && !overflow {
            if !negative { return magnitude <= UInt64(Int64.max) ? .integer(Int64(magnitude)) : .unsigned(magnitude) }
            if magnitude <= UInt64(Int64.max) + 1 {
                return .integer(magnitude == 0 ? 0 : Int64(bitPattern: 0 &- magnitude))
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw Failure(message: "the number \(text) at byte \(start) is too large")
        }
        // A fraction or an exponent with an integral value: an integer, as JSONDecoder read it.
        if !integral && double == double.rounded() {
            if let integer = Int64(exactly: double) { return .integer(integer) }
            if let unsigned = UInt64(exactly: double) { return .unsigned(unsigned) }
        }
        return .double(double)
    }
}
