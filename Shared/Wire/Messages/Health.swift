/// Asks about a service's health (proto `mentornet.health.v1.HealthCheckRequest`).
public struct HealthCheckRequest: Sendable, Equatable {
    /// "" for the whole server, or a service name.
    public var service: String

    /// Creates a request.
    public init(service: String = "") {
        self.service = service
    }
}

extension HealthCheckRequest: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case service = 1
    }

    /// `mentornet.health.v1.HealthCheckRequest`.
    public static let schema = MessageSchema("mentornet.health.v1.HealthCheckRequest")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<HealthCheckRequest>) {
        self.init(service: reader.string(.service))
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<HealthCheckRequest>) {
        writer.set(.service, service)
    }
}

/// A service's health (proto `mentornet.health.v1.HealthCheckResponse`).
public struct HealthCheckResponse: Sendable, Equatable {
    /// gRPC's serving states.
    public enum ServingStatus: Int32, Sendable, CaseIterable {
        case unknown = 0
        case serving = 1
        case notServing = 2
        case serviceUnknown = 3
    }

    /// The state.
    public var status: ServingStatus

    /// Creates a response.
    public init(status: ServingStatus = .unknown) {
        self.status = status
    }
}

extension HealthCheckResponse: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case status = 1
    }

    /// `mentornet.health.v1.HealthCheckResponse`.
    public static let schema = MessageSchema("mentornet.health.v1.HealthCheckResponse")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<HealthCheckResponse>) {
        self.init(status: ServingStatus(rawValue: reader.enumValue(.status)) ?? .unknown)
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<HealthCheckResponse>) {
        writer.setEnum(.status, status.rawValue)
    }
}
