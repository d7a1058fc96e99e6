import Wire

/// A method's full name and its message types, shared by clients and servers.
public struct MethodDescriptor<Request: ProtoMessage, Response: ProtoMessage>: Sendable, Hashable {
    /// The service's full proto name, e.g. `mentornet.testing.v1.Echo`.
    public var service: String
    /// The method's name, e.g. `Get`.
    public var name: String

    /// Creates a descriptor.
    public init(service: String, name: String) {
        self.service = service
        self.name = name
    }

    /// The wire name, `/service/Method`.
    public var path: String { "/\(service)/\(name)" }
}
