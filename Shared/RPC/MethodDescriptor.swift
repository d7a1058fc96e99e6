import Wire

/// A method's full name and its message types, shared by clients and servers.
public struct MethodDescriptor<Request: ProtoMessage, Response: ProtoMessage>: Sendable, Hashable {
    /// The service's full proto name, e.g. `mentornet.testing.v1.Echo`.
    public let service: String
    /// The method's name, e.g. `Get`.
    public let name: String
    /// The wire name, `/service/Method` (made once: every call sends it).
    public let path: String

    /// Creates a descriptor.
    public init(service: String, name: String) {
        self.service = service
        self.name = name
        self.path = "/\(service)/\(name)"
    }
}
