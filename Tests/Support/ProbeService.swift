import Foundation
import RPC
import Synchronization
import TestingV1
import Wire

/// A test service that reports what its handlers saw and relays calls to another server.
public final class ProbeService: RPCService {
    /// The service's full name.
    public static let name = "mentornet.testing.v1.Probe"
    /// Answers with the trace id (text), the remaining budget in ms (index) and the principal (tags).
    public static let inspect = MethodDescriptor<EchoRequest, EchoResponse>(service: name, name: "Inspect")
    /// Calls `Inspect` on the downstream server and returns its answer.
    public static let relay = MethodDescriptor<EchoRequest, EchoResponse>(service: name, name: "Relay")
    /// Sleeps `delay_millis`, recording whether it was cancelled.
    public static let sleep = MethodDescriptor<EchoRequest, EchoResponse>(service: name, name: "Sleep")

    /// Blocks its thread (the connection's event loop) for `delay_millis` without suspending: a
    /// stand-in for a loop held up by other work, so timers come due together.
    public static let block = MethodDescriptor<EchoRequest, EchoResponse>(service: name, name: "Block")

    private let downstream: Client?
    private let cancelled = Mutex(0)
    private let completed = Mutex(0)
    private let started = Mutex(0)

    /// Creates the service; `downstream` serves Relay.
    public init(downstream: Client? = nil) {
        self.downstream = downstream
    }

    /// How many Sleep handlers saw cancellation.
    public var cancellations: Int { cancelled.withLock { $0 } }
    /// How many Sleep handlers have started.
    public var starts: Int { started.withLock { $0 } }
    /// How many Sleep handlers ran to the end.
    public var completions: Int { completed.withLock { $0 } }

    /// Registers the methods.
    public func register(in router: inout Router) {
        router.unary(Self.inspect) { _, context in
            let millis = context.remaining.map {
                UInt32($0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000)
            }
            return EchoResponse(
                text: context.traceID,
                index: millis ?? 0,
                tags: [context.metadata.principal ?? ""]
            )
        }
        router.unary(Self.relay) { request, _ in
            guard let downstream = self.downstream else { throw RPCError(.failedPrecondition, "no downstream") }
            return try await downstream.unary(Self.inspect, request)
        }
        router.unary(Self.block) { request, _ in
            let until = ContinuousClock.now + .milliseconds(Int(request.delayMillis))
            while ContinuousClock.now < until { usleep(1_000) }
            return EchoResponse(text: request.text)
        }
        router.unary(Self.sleep) { request, _ in
            self.started.withLock { $0 += 1 }
            do {
                try await Task.sleep(for: .milliseconds(Int(request.delayMillis)))
            } catch {
                self.cancelled.withLock { $0 += 1 }
                throw error
            }
            self.completed.withLock { $0 += 1 }
            return EchoResponse(text: request.text)
        }
    }
}
