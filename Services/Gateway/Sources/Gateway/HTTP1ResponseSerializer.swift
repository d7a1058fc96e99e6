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

    /// The fields the channel itself gives every response head, replacing any of the same name
    /// the handler set (`Connection` only when it says `close`).
    struct ChannelFields {
        /// The `Date` value.
        var date: String
        /// The `Server` value, if any.
        var server: String?
        /// Whether the connection closes after this response (`Connection: close`).
        var close: Bool
    }

    /// Writes the status line and fields of `head` with the channel's own fields, adding
    /// `Transfer-Encoding: chunked` when the body's length is unknown, and the blank line that
    /// ends the head; answers how the body is framed and its `Content-Length`.
    ///
    /// One pass over the handler's fields and nothing copied: reading `Content-Length` through
    /// `HTTPFields`' subscript joins the values of every field of that name, and setting `Date`
    /// through it copies the fields' storage, which together cost more than the rest of the head.
    static func writeHead(
        _ head: HTTPResponse, method: HTTPRequest.Method, adding own: ChannelFields, into buffer: inout ByteBuffer
    ) -> (framing: Framing, contentLength: Int?) {
        var contentLength: Int?
        var hasLength = false
        for field in head.headerFields where field.name == .contentLength {
            hasLength = true
            contentLength = Int(field.value)
            break
        }
        let code = head.status.code
        let framing: Framing =
            if method == .head || (100..<200).contains(code) || code == 204 || code == 304 {
                .none
            } else {
                hasLength ? .length : .chunked
            }
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(code))
        buffer.writeStaticString(" ")
        buffer.writeString(head.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        for field in head.headerFields {
            let name = field.name
            if name == .date || (own.server != nil && name == .server) || (own.close && name == .connection) {
                continue
            }
            if framing == .chunked && name == .transferEncoding { continue }
            writeField(name.rawName, field.value, into: &buffer)
        }
        writeField("Date", own.date, into: &buffer)
        if let server = own.server { writeField("Server", server, into: &buffer) }
        if own.close { buffer.writeStaticString("Connection: close\r\n") }
        if framing == .chunked { buffer.writeStaticString("Transfer-Encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
        return (framing, contentLength)
    }

    private static func writeField(_ name: String, _ value: String, into buffer: inout ByteBuffer) {
        buffer.writeString(name)
        buffer.writeStaticString(": ")
        buffer.writeString(value)
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
        for field in trailers ?? [:] { writeField(field.name.rawName, field.value, into: &buffer) }
        buffer.writeStaticString("\r\n")
    }
}
