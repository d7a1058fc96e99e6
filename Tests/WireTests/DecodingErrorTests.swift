import Testing
import TestingV1
import Wire

@Suite("decoding rejects bad input with a clear error")
struct DecodingErrorTests {
    /// A length-delimited field: tag, length, bytes.
    static func field(_ number: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        [number << 3 | 2, UInt8(bytes.count)] + bytes
    }

    @Test(
        "invalid UTF-8 in a string is rejected",
        arguments: [
            [0xFF] as [UInt8],  // never valid
            [0xC0, 0x80],  // overlong NUL
            [0xE0, 0x80, 0x80],  // overlong
            [0xED, 0xA0, 0x80],  // surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0x61, 0xE2, 0x82],  // truncated sequence
        ]
    )
    func invalidUTF8(_ bad: [UInt8]) {
        let error = #expect(throws: ProtoDecodingError.self) { try EchoRequest(decoding: Self.field(1, bad)) }
        #expect(error?.reason == .invalidUTF8)
        #expect(error?.field == "text")
        #expect(error?.description.contains("text") == true)
    }

    @Test("NUL in a string is rejected, naming the nested field")
    func nulInNestedString() {
        let entry = Self.field(1, Array("key".utf8)) + Self.field(2, [0x61, 0x00, 0x62])
        let bytes = Self.field(5, Self.field(1, Array("ok".utf8))) + Self.field(5, entry)
        let error = #expect(throws: ProtoDecodingError.self) { try Frame(decoding: bytes) }
        #expect(error?.reason == .nulInString)
        #expect(error?.field == "metadata[1].value")
        #expect(error?.message == "mentornet.rpc.v1.Frame")
    }

    @Test("NUL in a repeated string names its index")
    func nulInRepeated() {
        let bytes = Self.field(5, [0x61]) + Self.field(5, [0x00])
        let error = #expect(throws: ProtoDecodingError.self) { try EchoRequest(decoding: bytes) }
        #expect(error?.field == "tags[1]")
    }

    @Test(
        "malformed encodings are rejected",
        arguments: [
            ([0x0A, 0x05, 0x61] as [UInt8], ProtoDecodingError.Reason.truncated),
            ([0x18], .truncated),  // count, no value
            ([0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], .badVarint),
            ([0x00, 0x01], .badFieldNumber),
            ([0x4B], .badWireType),  // field 9, group start
            ([0x4F], .badWireType),  // field 9, wire type 7
            ([0x08, 0x01], .wrongWireType),  // text as a varint
            ([0x1A, 0x01, 0x00], .wrongWireType),  // count as length-delimited, not packed
        ]
    )
    func malformed(_ bytes: [UInt8], _ reason: ProtoDecodingError.Reason) {
        let error = #expect(throws: ProtoDecodingError.self) { try EchoRequest(decoding: bytes) }
        #expect(error?.reason == reason)
    }

    @Test("nesting deeper than the limit is rejected before protobuf-c recurses")
    func tooDeep() throws {
        var node = Node(label: "leaf")
        for _ in 0..<Int(maximumMessageDepth) { node = Node(children: [node]) }
        #expect(try Node(decoding: node.encoded()) == node)
        let deeper = try Node(children: [node]).encoded()
        let error = #expect(throws: ProtoDecodingError.self) { try Node(decoding: deeper) }
        #expect(error?.reason == .tooDeep)
    }

    @Test("unknown fields are skipped")
    func unknownFields() throws {
        // field 99 varint, field 100 length-delimited, field 101 fixed32, then text.
        let bytes: [UInt8] =
            [0x98, 0x06, 0x05, 0xA2, 0x06, 0x02, 0xFF, 0xFE, 0xAD, 0x06, 1, 2, 3, 4] + Self.field(1, [0x68])
        #expect(try EchoRequest(decoding: bytes) == EchoRequest(text: "h"))
    }

    @Test("encoding a string holding NUL fails, naming the field")
    func encodeNul() {
        let frame = Frame(metadata: [MetadataEntry(key: "k", value: "a\u{0}b")])
        let error = #expect(throws: ProtoEncodingError.self) { try frame.encoded() }
        #expect(error?.field == "metadata[0].value")
        // Two levels down, in a singular and then a repeated message field, past a good element.
        let status = Status(
            code: .invalidArgument,
            violations: [
                FieldViolation(field: "a", description: "b"), FieldViolation(field: "x\u{0}", description: ""),
            ])
        let nested = #expect(throws: ProtoEncodingError.self) { try Frame(status: status).encoded() }
        #expect(nested?.field == "status.violations[1].field")
    }
}
