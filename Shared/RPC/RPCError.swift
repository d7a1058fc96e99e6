import Wire

/// How a call failed: a status code, a message, field violations and, for logs only, a cause.
public struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The status code sent on the wire.
    public var code: StatusCode
    /// A message safe to show the caller.
    public var message: String
    /// For INVALID_ARGUMENT: each bad field and the rule it broke.
    public var violations: [FieldViolation]
    /// The underlying error, logged but never sent.
    public var cause: (any Error)?
    /// Above 0 when the call was refused before it started for want of capacity: nothing was done,
    /// and it may be sent again after at least this many microseconds.
    public var retryAfterMicros: UInt64 = 0

    /// Creates an error.
    public init(_ code: StatusCode, _ message: String, violations: [FieldViolation] = [], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.violations = violations
        self.cause = cause
    }

    /// The error a status on the wire describes.
    public init(status: Status) {
        self.init(status.code, status.message, violations: status.violations)
        retryAfterMicros = status.retryAfterMicros
    }

    /// The status to send for this error.
    public var status: Status {
        Status(code: code, message: message, violations: violations, retryAfterMicros: retryAfterMicros)
    }

    /// `CODE: message`, with the violations.
    public var description: String {
        var text = "\(code): \(message)"
        if !violations.isEmpty {
            text += " [" + violations.map { "\($0.field): \($0.description)" }.joined(separator: "; ") + "]"
        }
        return text
    }

    /// INVALID_ARGUMENT naming every bad field.
    public static func invalidArgument(_ violations: [FieldViolation]) -> RPCError {
        let fields = violations.map(\.field).joined(separator: ", ")
        return RPCError(.invalidArgument, "invalid \(fields)", violations: violations)
    }
}

/// A domain error that chooses its own wire status; others become INTERNAL.
public protocol RPCErrorConvertible: Error {
    /// The error as the caller should see it.
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    /// Itself.
    public var rpcError: RPCError { self }
}
