import Foundation
import ProtoJSON
import Testing

/// Random JSON values of every kind, nested a few levels, with strings that need escapes.
func randomJSON(_ rng: inout SystemRandomNumberGenerator, depth: Int = 0) -> JSONValue {
    let strings = ["", "plain", "quote \" and \\ backslash", "tab\tnew\nline", "ünï 🚀", "ctl \u{01}\u{1F}", "/"]
    switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &rng) {
    case 0: return .null
    case 1: return .bool(Bool.random(using: &rng))
    case 2: return .integer(Int64.random(in: Int64.min...Int64.max, using: &rng))
    case 3: return .unsigned(UInt64.random(in: (UInt64(Int64.max) + 1)...UInt64.max, using: &rng))
    case 4:
        let value = Double.random(in: -1e12...1e12, using: &rng)
        return value == value.rounded() ? .double(0.5) : .double(value)
    case 5: return .string(strings.randomElement(using: &rng)! + String(Int.random(in: 0..<100, using: &rng)))
    case 6: return .array((0..<Int.random(in: 0..<5, using: &rng)).map { _ in randomJSON(&rng, depth: depth + 1) })
    default:
        var fields: [String: JSONValue] = [:]
        for k in 0..<Int.random(in: 0..<5, using: &rng) {
            fields["k\(k)\(strings[k])"] = randomJSON(&rng, depth: depth + 1)
        }
        return .object(fields)
    }
}

@Suite("the JSON parser")
struct JSONParserTests {
    /// What Foundation's JSONDecoder made of the text (the parser it replaces), or nil.
    static func foundation(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func parse(_ text: String) -> Result<JSONValue, JSONError> {
        Result { () throws(JSONError) in try JSONValue.parse(Data(text.utf8)) }
    }

    @Test(
        "valid documents read exactly as Foundation's JSONDecoder read them",
        arguments: [
            "null", "true", "false", "0", "-0", "-0.0", "1.0", "1e2", "1.5e1", "0.1e1", "1.5", "-2.25", "1E-2",
            "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551615",
            "18446744073709551616", "123456789012345678901234567890", "-9223372036854775809",
            "\"\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u00e9\\u20AC\\ud83d\\ude80\"", "\"\\u0000\"",
            "\"ünïcödé 🚀\"", " \t\r\n[ 1 , [ ] , { } , { \"a\" : [ null ] } ] \n",
            "{\"b\":1,\"a\":{\"c\":[true,false]}}",
            "\u{FEFF}{\"bom\":1}",
        ])
    func matchesFoundation(_ text: String) throws {
        let expected = try #require(Self.foundation(text), "Foundation reads \(text)")
        #expect(try Self.parse(text).get() == expected, "\(text)")
    }

    @Test("random documents read back as written, and as Foundation reads them")
    func roundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let value = randomJSON(&rng)
            let text = String(decoding: value.serialized(), as: UTF8.self)
            let parsed = try Self.parse(text).get()
            #expect(parsed == value, "\(text)")
            #expect(Self.foundation(text) == parsed, "\(text)")
        }
    }

    @Test(
        "malformed documents are refused with what is wrong and where",
        arguments: [
            ("", "expected a value but the text ended at byte 0"),
            ("[1,]", "expected a value but found ']' at byte 3"),
            ("{\"a\":1,}", "expected a key (a string) in an object but found '}' at byte 7"),
            ("{\"a\":1,\"a\":2}", "an object repeats the key \"a\" at byte 7"),
            ("[1 2]", "expected ',' or ']' in an array but found '2' at byte 3"),
            ("{\"a\" 1}", "expected ':' after a key but found '1' at byte 5"),
            ("{\"a\":1", "an object is not closed at byte 6"),
            ("[1", "an array is not closed at byte 2"),
            ("{1:2}", "expected a key (a string) in an object but found '1' at byte 1"),
            ("01", "a number starts with 0 at byte 0"),
            ("1.", "a number needs a digit after '.' at byte 2"),
            ("-", "a number needs a digit after '-' at byte 1"),
            ("1e", "a number needs a digit in its exponent at byte 2"),
            ("+1", "expected a value but found '+' at byte 0"),
            (".5", "expected a value but found '.' at byte 0"),
            ("1e400", "the number 1e400 at byte 0 is too large"),
            ("NaN", "expected a value but found 'N' at byte 0"),
            ("nul", "expected null but found 'n' at byte 0"),
            ("truex", "unexpected 'x' after the value at byte 4"),
            ("trux", "expected true but found 't' at byte 0"),
            ("[]x", "unexpected 'x' after the value at byte 2"),
            ("{} {}", "unexpected '{' after the value at byte 3"),
            ("\"abc", "a string starting at byte 0 is not closed"),
            ("\"a\u{01}b\"", "a string holds a raw control character (byte 0x1); escape it at byte 2"),
            ("\"\\x\"", "\\'x' is not an escape at byte 2"),
            ("\"\\u12G4\"", "a \\u escape needs four hex digits, not 'G' at byte 5"),
            ("\"\\u12\"", "a \\u escape needs four hex digits at byte 3"),
            ("\"\\ud800\"", "a \\u escape of a high surrogate is not followed by its low surrogate at byte 7"),
            ("\"\\ud800\\u0041\"", "a \\u escape of a high surrogate is not followed by its low surrogate at byte 13"),
            ("\"\\udc00\"", "a \\u escape is a low surrogate without a high one at byte 7"),
            ("'a'", "expected a value but found ''' at byte 0"),
            ("[1,\u{0B}2]", "expected a value but found byte 0xb at byte 3"),
        ])
    func malformed(_ text: String, _ problem: String) {
        switch Self.parse(text) {
        case .success(let value): Issue.record("\(text.debugDescription) read as \(value)")
        case .failure(let error):
            #expect(error.field == "body")
            #expect(error.message == "the body is not valid JSON: \(problem)", "\(text.debugDescription)")
        }
    }

    @Test("invalid UTF-8 in a string is refused, with or without escapes before it")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0x5C, 0x6E, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]] {
            switch Result(catching: { () throws(JSONError) in try JSONValue.parse(Data(bytes)) }) {
            case .success(let value): Issue.record("\(bytes) read as \(value)")
            case .failure(let error):
                #expect(error.message == "the body is not valid JSON: a string is not valid UTF-8 at byte 0")
            }
        }
    }

    @Test("arrays and objects nest up to 512 deep, not deeper")
    func depth() throws {
        let deepest =
            String(repeating: "[", count: 256) + String(repeating: "{\"a\":[", count: 128) + "1"
            + String(repeating: "]}", count: 128) + String(repeating: "]", count: 256)
        #expect(throws: Never.self) { try JSONValue.parse(Data(deepest.utf8)) }
        let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        switch Self.parse(tooDeep) {
        case .success: Issue.record("513 levels were read")
        case .failure(let error):
            #expect(error.message == "the body is not valid JSON: arrays and objects nest deeper than 512 at byte 512")
        }
        // Far deeper than a stack would take, answered the same way.
        #expect(throws: JSONError.self) { try JSONValue.parse(Data(String(repeating: "[", count: 1_000_000).utf8)) }
    }
}
