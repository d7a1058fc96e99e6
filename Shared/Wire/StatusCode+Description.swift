extension StatusCode: CustomStringConvertible {
    /// The code's name, as gRPC writes it (`INVALID_ARGUMENT`).
    public var description: String { protoName }
}

/// A violation describes itself by its rule (its `description` field).
extension FieldViolation: CustomStringConvertible {}
