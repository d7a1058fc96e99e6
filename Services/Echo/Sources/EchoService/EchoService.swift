import RPC
import TestingV1
import Wire

/// `mentornet.testing.v1.Echo`: answers with what it was sent. Protocol conformance checks,
/// tests and benchmarks use it; `status:CODE` as text makes it fail with that status code and
/// `panic` makes it throw an unexpected error (answered as INTERNAL).
public struct EchoService: EchoHandler {
    /// The most replies Expand sends.
    public static let maximumCount: UInt32 = 100_000
    /// The longest delay accepted.
    public static let maximumDelayMillis: UInt32 = 60_000

    /// Creates the service.
    public init() {}

    /// `Get`: one response.
    public nonisolated(nonsending) func get(
        _ request: EchoRequest, context: CallContext
    ) async throws -> EchoResponse {
        try Self.validate(request)
        if request.delayMillis > 0 { try await Task.sleep(for: .milliseconds(Int(request.delayMillis))) }
        try Self.failIfAsked(request.text)
        return EchoResponse(text: request.text, blob: request.blob, tags: request.tags)
    }

    /// `Expand`: `count` responses, `delay_millis` apart.
    public nonisolated(nonsending) func expand(
        _ request: EchoRequest, writer: ResponseStreamWriter<EchoResponse>, context: CallContext
    ) async throws {
        try Self.validate(request)
        try Self.failIfAsked(request.text)
        for index in 0..<request.count {
            if request.delayMillis > 0 { try await Task.sleep(for: .milliseconds(Int(request.delayMillis))) }
            try await writer.write(
                EchoResponse(text: request.text, blob: request.blob, index: index, tags: request.tags))
        }
    }

    private static func validate(_ request: EchoRequest) throws(RPCError) {
        var violations: [FieldViolation] = []
        if request.count > maximumCount {
            violations.append(FieldViolation(field: "count", description: "must be at most \(maximumCount)"))
        }
        if request.delayMillis > maximumDelayMillis {
            violations.append(
                FieldViolation(field: "delay_millis", description: "must be at most \(maximumDelayMillis)"))
        }
        if !violations.isEmpty { throw RPCError.invalidArgument(violations) }
    }

    private struct Panic: Error {}

    private static func failIfAsked(_ text: String) throws {
        if text == "panic" { throw Panic() }
        guard text.hasPrefix("status:") else { return }
        let name = text.dropFirst("status:".count)
        if let code = StatusCode.allCases.first(where: { $0.description == name }), code != .ok {
            throw RPCError(code, "failed as asked")
        }
    }
}
