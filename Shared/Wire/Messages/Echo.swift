/// The echo service's request (proto `mentornet.testing.v1.EchoRequest`).
public struct EchoRequest: Sendable, Equatable {
    /// Text to echo.
    public var text: String
    /// Bytes to echo.
    public var blob: [UInt8]
    /// For Expand: how many replies.
    public var count: UInt32
    /// Sleep this long before answering.
    public var delayMillis: UInt32
    /// Tags to echo.
    public var tags: [String]

    /// Creates a request.
    public init(text: String = "", blob: [UInt8] = [], count: UInt32 = 0, delayMillis: UInt32 = 0, tags: [String] = [])
    {
        self.text = text
        self.blob = blob
        self.count = count
        self.delayMillis = delayMillis
        self.tags = tags
    }
}

extension EchoRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case text = 1, blob, count, delayMillis, tags
    }

    /// `mentornet.testing.v1.EchoRequest`.
    public static let schema = MessageSchema("mentornet.testing.v1.EchoRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<EchoRequest>) {
        self.init(
            text: reader.string(.text),
            blob: reader.bytes(.blob),
            count: reader.uint32(.count),
            delayMillis: reader.uint32(.delayMillis),
            tags: reader.strings(.tags)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<EchoRequest>) {
        writer.set(.text, text)
        writer.set(.blob, blob)
        writer.set(.count, count)
        writer.set(.delayMillis, delayMillis)
        writer.set(.tags, tags)
    }
}

/// The echo service's response (proto `mentornet.testing.v1.EchoResponse`).
public struct EchoResponse: Sendable, Equatable {
    /// The echoed text.
    public var text: String
    /// The echoed bytes.
    public var blob: [UInt8]
    /// For Expand: which reply this is, from 0.
    public var index: UInt32
    /// The echoed tags.
    public var tags: [String]

    /// Creates a response.
    public init(text: String = "", blob: [UInt8] = [], index: UInt32 = 0, tags: [String] = []) {
        self.text = text
        self.blob = blob
        self.index = index
        self.tags = tags
    }
}

extension EchoResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case text = 1, blob, index, tags
    }

    /// `mentornet.testing.v1.EchoResponse`.
    public static let schema = MessageSchema("mentornet.testing.v1.EchoResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<EchoResponse>) {
        self.init(
            text: reader.string(.text), blob: reader.bytes(.blob), index: reader.uint32(.index),
            tags: reader.strings(.tags))
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<EchoResponse>) {
        writer.set(.text, text)
        writer.set(.blob, blob)
        writer.set(.index, index)
        writer.set(.tags, tags)
    }
}

/// A tree node (proto `mentornet.testing.v1.Node`), for tests of the nesting limit.
public struct Node: Sendable, Equatable {
    /// The node's label.
    public var label: String
    /// Its children.
    public var children: [Node]

    /// Creates a node.
    public init(label: String = "", children: [Node] = []) {
        self.label = label
        self.children = children
    }
}

extension Node: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case label = 1, children
    }

    /// `mentornet.testing.v1.Node`.
    public static let schema = MessageSchema("mentornet.testing.v1.Node")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<Node>) {
        self.init(label: reader.string(.label), children: reader.messages(.children))
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Node>) {
        writer.set(.label, label)
        writer.set(.children, children)
    }
}
