/// gRPC's status codes with gRPC's meanings (proto `mentornet.rpc.v1.StatusCode`).
public enum StatusCode: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16

    /// The code's proto name, e.g. `INVALID_ARGUMENT`.
    public var description: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }
}

/// How a call ended (proto `mentornet.rpc.v1.Status`).
public struct Status: Sendable, Equatable {
    /// The outcome.
    public var code: StatusCode
    /// A human-readable explanation.
    public var message: String
    /// For INVALID_ARGUMENT: each bad field and the rule it broke.
    public var violations: [FieldViolation]

    /// Creates a status.
    public init(code: StatusCode = .ok, message: String = "", violations: [FieldViolation] = []) {
        self.code = code
        self.message = message
        self.violations = violations
    }
}

extension Status: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case code = 1, message, violations
    }

    /// `mentornet.rpc.v1.Status`.
    public static let schema = MessageSchema("mentornet.rpc.v1.Status")

    /// Copies the fields out; a code this build does not know reads as UNKNOWN, as gRPC says.
    public init(reading reader: ProtoReader<Status>) {
        self.init(
            code: StatusCode(rawValue: reader.enumValue(.code)) ?? .unknown,
            message: reader.string(.message),
            violations: reader.messages(.violations)
        )
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<Status>) {
        writer.setEnum(.code, code.rawValue)
        writer.set(.message, message)
        writer.set(.violations, violations)
    }
}

/// One bad argument (proto `mentornet.rpc.v1.FieldViolation`).
public struct FieldViolation: Sendable, Equatable, CustomStringConvertible {
    /// The field as a path, e.g. `expertise[2].level`.
    public var field: String
    /// The rule it broke.
    public var description: String

    /// Creates a violation.
    public init(field: String, description: String) {
        self.field = field
        self.description = description
    }
}

extension FieldViolation: ProtoMessage {
    /// Proto field numbers.
    public enum Field: UInt32, CaseIterable {
        case field = 1, description
    }

    /// `mentornet.rpc.v1.FieldViolation`.
    public static let schema = MessageSchema("mentornet.rpc.v1.FieldViolation")

    /// Copies the fields out.
    public init(reading reader: ProtoReader<FieldViolation>) {
        self.init(field: reader.string(.field), description: reader.string(.description))
    }

    /// Copies the fields in.
    public func write(to writer: inout ProtoWriter<FieldViolation>) {
        writer.set(.field, field)
        writer.set(.description, description)
    }
}
