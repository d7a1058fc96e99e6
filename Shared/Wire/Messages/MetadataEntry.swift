/// One metadata pair (proto `mentornet.rpc.v1.MetadataEntry`).
public struct MetadataEntry: Sendable, Equatable {
    /// A lower-case ASCII key.
    public var key: String
    /// The value.
    public var value: String

    /// Creates an entry.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension MetadataEntry: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case key = 1, value
    }

    /// `mentornet.rpc.v1.MetadataEntry`.
    public static let schema = MessageSchema("mentornet.rpc.v1.MetadataEntry")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<MetadataEntry>) {
        self.init(key: reader.string(.key), value: reader.string(.value))
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<MetadataEntry>) {
        writer.set(.key, key)
        writer.set(.value, value)
    }
}
