/// The encoding of one `Message`, kept as bytes: a stored message answered as it was stored,
/// without decoding it and encoding it again.
public struct Encoded<Message: ProtoMessage>: Sendable, Equatable {
    /// The protobuf encoding.
    public let bytes: [UInt8]

    /// Bytes known to be an encoding of `Message`: ones `encoded()` wrote earlier, say. Nothing
    /// checks them here; whoever decodes them does.
    public init(trusting bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The encoding of `message`.
    public init(_ message: Message) throws(ProtoEncodingError) {
        bytes = try message.encoded()
    }

    /// The message the bytes encode.
    public func decoded() throws(ProtoDecodingError) -> Message {
        try Message(decoding: bytes)
    }
}
