import NIOCore
import Testing
import TestingV1
import Wire

@Suite("encoding a payload into its frame, reading a frame in place")
struct InPlaceCodecTests {
    static let response = EchoResponse(
        text: "Zoë mentors 日本語", blob: [0, 1, 255], index: 7, tags: ["mentor", "", "peer"])

    static func lengthPrefixed(_ frame: Frame) throws -> [UInt8] {
        var buffer = ByteBuffer()
        try frame.encodeLengthPrefixed(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    @Test("a message encoded as a frame's payload gives the bytes of the frame built around its encoding")
    func payloadIntoFrame() throws {
        for (message, callID, kind) in [
            (Self.response, UInt64(1), FrameKind.response), (EchoResponse(), UInt64.max, .message),
            (Self.response, 0, .response),
            // Payloads whose length takes one, two and three bytes of varint.
            (EchoResponse(text: String(repeating: "m", count: 120)), 3, .response),
            (EchoResponse(text: String(repeating: "m", count: 200)), 4, .response),
            (EchoResponse(text: String(repeating: "é", count: 9000)), 5, .message),
        ] {
            var buffer = ByteBuffer()
            let size = try message.encodeAsPayload(callID: callID, kind: kind, into: &buffer)
            let expected = try Self.lengthPrefixed(Frame(callID: callID, kind: kind, payload: message.encoded()))
            #expect(Array(buffer.readableBytesView) == expected)
            #expect(size == expected.count - 4)
        }
    }

    @Test("stored bytes sent as a frame's payload give the same bytes as the frame holding them")
    func bytesIntoFrame() throws {
        for payload in [[UInt8](), [0], try Self.response.encoded()] {
            var buffer = ByteBuffer(string: "kept")
            try Frame.encodeLengthPrefixed(callID: 42, kind: .response, payload: payload, into: &buffer)
            let expected = try Self.lengthPrefixed(Frame(callID: 42, kind: .response, payload: payload))
            #expect(Array(buffer.readableBytesView) == Array("kept".utf8) + expected)
        }
    }

    @Test("a message that cannot be encoded fails as a payload too, naming the field")
    func unencodablePayload() {
        var buffer = ByteBuffer()
        #expect(throws: ProtoEncodingError(field: "text", reason: "contains NUL, which protobuf-c strings cannot hold"))
        {
            try EchoResponse(text: "a\u{0}b").encodeAsPayload(callID: 1, kind: .response, into: &buffer)
        }
    }

    @Test("a frame read in place gives its strings and bytes without copies, and rejects what decoding rejects")
    func readInPlace() throws {
        let frame = Frame(
            callID: 9, kind: .request, method: "/mentornet.testing.v1.Echo/Get", payload: [0, 1, 2, 0])
        let bytes = try frame.encoded()
        let (method, payload, callID) = try bytes.withUnsafeBytes { bytes in
            try Frame.read(bytes) { reader in
                (
                    reader.withUTF8(.method) { String(decoding: $0, as: UTF8.self) },
                    reader.withBytes(.payload) { Array($0) },
                    reader.uint64(.callID)
                )
            }
        }
        #expect(method == frame.method)
        #expect(payload == frame.payload)
        #expect(callID == 9)
        let empty = try Frame.read(UnsafeRawBufferPointer(start: nil, count: 0)) { reader in
            (reader.withUTF8(.method) { $0.count }, reader.withBytes(.payload) { $0.count })
        }
        #expect(empty == (0, 0))
        // "mentor\0" as field 3: the same rejection as Frame(decoding:).
        let withNUL: [UInt8] = [0x1A, 0x07] + Array("mentor".utf8) + [0]
        #expect(throws: ProtoDecodingError.self) { try withNUL.withUnsafeBytes { try Frame.read($0) { _ in () } } }
    }
}
