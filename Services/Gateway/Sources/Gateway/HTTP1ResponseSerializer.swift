import HTTPTypes
import NIOCore

/// HTTP/1.1 response bytes, written straight from swift-http-types' values.
///
/// SwiftNIO's encoder takes its own head type, so Hummingbird's pipeline converts every response
/// head field by field (swift-http-types → NIO's `HTTPHeaders`) before encoding it. Field names
/// and values are already valid here: swift-http-types checks names and replaces bytes a value
/// may not hold (CR, LF, NUL) when a field is made.
enum HTTP1ResponseSerializer {
    /// How the body is framed.
    enum Framing: Equatable {
        /// No body at all (a HEAD request, 1xx, 204, 304).
        case none
        /// The body's length is in `Content-Length`; it follows as it is.
        case length
        /// The length is unknown: `Transfer-Encoding: chunked`.
        case chunked
    }

    /// The framing for a response with `head` to a request with `method`.
    static func framing(for head: HTTPResponse, method: HTTPRequest.Method) -> Framing {
        let code = head.status.code
        if method == .head || (100..<200).contains(code) || code == 204 || code == 304 { return .none }
        return head.headerFields[.contentLength] != nil ? .length : .chunked
    }

    /// Writes the status line and fields of `head`, adding `Transfer-Encoding: chunked` when the
    /// framing needs it, and the blank line that ends the head.
    static func writeHead(_ head: HTTPResponse, framing: Framing, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(head.status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(head.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for field in head.headerFields {
            if framing == .chunked && field.name == .transferEncoding { continue }
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        if framing == .chunked { buffer.writeStaticString("Transfer-Encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
    }

    /// Writes `part` as one chunk of a chunked body (nothing for an empty part, which would end it).
    static func writeChunk(_ part: ByteBuffer, into buffer: inout ByteBuffer) {
        guard part.readableBytes > 0 else { return }
        var part = part
        buffer.writeString(String(part.readableBytes, radix: 16))
        buffer.writeStaticString("\r\n")
        buffer.writeBuffer(&part)
        buffer.writeStaticString("\r\n")
    }

    /// Ends a chunked body, with its trailers if any.
    static func writeEnd(_ trailers: HTTPFields?, framing: Framing, into buffer: inout ByteBuffer) {
        guard framing == .chunked else { return }
        buffer.writeStaticString("0\r\n")
        for field in trailers ?? [:] {
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }
}
