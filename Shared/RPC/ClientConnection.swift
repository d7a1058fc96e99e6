import NIOCore
import Synchronization
import Wire

/// One open connection of a client. Calls may be started from any thread.
final class ClientConnection: Sendable {
    let channel: any Channel
    private let handler: NIOLoopBound<ClientConnectionHandler>
    private let nextCallID = Atomic<UInt64>(0)
    private let usable = Atomic<Bool>(true)

    init(channel: any Channel, handler: ClientConnectionHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// False once the server sent GOAWAY or the connection closed: new calls need a new one.
    var isUsable: Bool { usable.load(ordering: .relaxed) && channel.isActive }

    func markUnusable() { usable.store(false, ordering: .relaxed) }

    private func makeFrame(
        _ path: String, _ payload: [UInt8], _ metadata: Metadata, _ deadline: ContinuousClock.Instant?
    ) -> (Frame, NIODeadline?) {
        let id = nextCallID.wrappingAdd(1, ordering: .relaxed).newValue
        var timeoutMicros: UInt64 = 0
        var nioDeadline: NIODeadline?
        if let deadline {
            let remaining = max(deadline - .now, .microseconds(1)).microseconds
            timeoutMicros = UInt64(remaining)
            nioDeadline = .now() + .microseconds(remaining)
        }
        let frame = Frame(
            callID: id, kind: .request, method: path, timeoutMicros: timeoutMicros, metadata: metadata.entries,
            payload: payload)
        return (frame, nioDeadline)
    }

    /// Sends a unary request and waits for its response payload.
    func unary(_ path: String, _ payload: [UInt8], _ metadata: Metadata, _ deadline: ContinuousClock.Instant?)
        async throws(RPCError) -> [UInt8]
    {
        let (frame, nioDeadline) = makeFrame(path, payload, metadata, deadline)
        let handler = self.handler
        let loop = channel.eventLoop
        let result: Result<[UInt8], RPCError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let onEnd: @Sendable (Result<[UInt8], RPCError>) -> Void = { continuation.resume(returning: $0) }
                if loop.inEventLoop {
                    // Called on the connection's own loop: write now, no hop through its queue.
                    handler.value.start(frame, deadline: nioDeadline, .init(onEnd: onEnd))
                } else {
                    loop.execute { handler.value.start(frame, deadline: nioDeadline, .init(onEnd: onEnd)) }
                }
            }
        } onCancel: {
            loop.execute { handler.value.cancel(frame.callID) }
        }
        return try result.get()
    }

    /// Sends a server-streaming request; messages and the end go to `onMessage` and `onEnd`.
    /// Returns a function that cancels the call.
    func serverStreaming(
        _ path: String,
        _ payload: [UInt8],
        _ metadata: Metadata,
        _ deadline: ContinuousClock.Instant?,
        onMessage: @escaping @Sendable ([UInt8]) -> Void,
        onEnd: @escaping @Sendable (Result<[UInt8], RPCError>) -> Void
    ) -> @Sendable () -> Void {
        let (frame, nioDeadline) = makeFrame(path, payload, metadata, deadline)
        let handler = self.handler
        let loop = channel.eventLoop
        loop.execute {
            handler.value.start(frame, deadline: nioDeadline, .init(onMessage: onMessage, onEnd: onEnd))
        }
        return { loop.execute { handler.value.cancel(frame.callID) } }
    }

    func close() {
        channel.close(promise: nil)
    }
}
