import RPC
import Wire

/// Whether `error` is an RPC error with `code` whose message contains `text`.
public func isRPCError(_ error: any Error, _ code: StatusCode, _ text: String = "") -> Bool {
    guard let error = error as? RPCError else { return false }
    return error.code == code && (text.isEmpty || error.message.contains(text))
}

/// Whether `error` is INVALID_ARGUMENT naming `field`.
public func names(_ error: any Error, _ field: String) -> Bool {
    (error as? RPCError)?.code == .invalidArgument
        && (error as? RPCError)?.violations.contains { $0.field == field } == true
}

/// A small, seeded generator (SplitMix64), so that a failing run can be repeated.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
