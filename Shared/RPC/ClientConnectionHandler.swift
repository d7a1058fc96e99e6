import NIOCore
import Wire

/// The client side of one connection: writes requests, splits the bytes read into frames and
/// matches them to calls by id.
/// Confined to the channel's event loop (hence no run-time exclusivity checks, as in the server's).
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct PendingCall {
        var onMessage: (([UInt8]) -> Void)?
        var onEnd: (Result<[UInt8], RPCError>) -> Void
        /// When the call gives up, and the method it named (for the error).
        var deadline: NIODeadline?
        var method = ""
    }

    @exclusivity(unchecked) private var context: ChannelHandlerContext?
    @exclusivity(unchecked) private var deadlines: DeadlineSweeper?
    @exclusivity(unchecked) private var frames: FrameSplitter
    @exclusivity(unchecked) private var calls = CallTable<PendingCall>()
    @exclusivity(unchecked) private var cancelledEarly: Set<UInt64> = []
    @exclusivity(unchecked) private var output = ByteBuffer()
    @exclusivity(unchecked) private var flushScheduled = false
    @exclusivity(unchecked) private var closedReason: RPCError?
    /// Set when this side closes the connection: frames still in the input are not read.
    @exclusivity(unchecked) private var closing = false
    private let onGoAway: @Sendable () -> Void
    private let address: String

    init(address: String, maximumFrameSize: Int, onGoAway: @escaping @Sendable () -> Void) {
        self.address = address
        self.onGoAway = onGoAway
        self.frames = FrameSplitter(maximumFrameSize: maximumFrameSize)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        deadlines = DeadlineSweeper(loop: context.eventLoop) { [weak self] now in self?.expireCalls(at: now) }
        output = context.channel.allocator.buffer(capacity: 1024)
    }

    /// Sends a request and registers the call.
    func start(_ frame: Frame, deadline: NIODeadline?, _ call: PendingCall) {
        if cancelledEarly.remove(frame.callID) != nil {
            return call.onEnd(.failure(RPCError(.cancelled, "the call was cancelled")))
        }
        if let closedReason { return call.onEnd(.failure(closedReason)) }
        guard context != nil else {
            return call.onEnd(.failure(RPCError(.unavailable, "connection to \(address) is closed")))
        }
        var call = call
        if let deadline {
            call.deadline = deadline
            call.method = frame.method
            deadlines?.watch(deadline)
        }
        calls[frame.callID] = call
        do {
            try frame.encodeLengthPrefixed(into: &output)
        } catch {
            return end(
                frame.callID, .failure(RPCError(.invalidArgument, "cannot encode the request: \(error)")),
                sendCancel: false)
        }
        scheduleFlush()
    }

    /// The caller gave up on call `id`.
    func cancel(_ id: UInt64) {
        guard calls[id] != nil else {
            cancelledEarly.insert(id)
            return
        }
        end(id, .failure(RPCError(.cancelled, "the call was cancelled")), sendCancel: true)
    }

    /// Ends the calls whose deadline has passed (sending CANCEL for each); returns the next deadline.
    private func expireCalls(at now: NIODeadline) -> NIODeadline? {
        var next: NIODeadline?
        var expired: [(deadline: NIODeadline, id: UInt64, method: String)] = []
        for (id, call) in calls {
            guard let deadline = call.deadline else { continue }
            if deadline <= now {
                expired.append((deadline, id, call.method))
            } else {
                next = min(next ?? deadline, deadline)
            }
        }
        expired.sort { $0.deadline < $1.deadline }  // a loop that woke late ends them in order
        for call in expired {
            end(
                call.id, .failure(RPCError(.deadlineExceeded, "deadline exceeded waiting for \(call.method)")),
                sendCancel: true)
        }
        return next
    }

    private func end(_ id: UInt64, _ result: Result<[UInt8], RPCError>, sendCancel: Bool) {
        guard let call = calls.removeValue(forKey: id) else { return }
        if sendCancel {
            _ = try? Frame(callID: id, kind: .cancel).encodeLengthPrefixed(into: &output)
            scheduleFlush()
        }
        call.onEnd(result)
    }

    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            guard output.readableBytes > 0, let context = self.context else { return }
            context.writeAndFlush(wrapOutboundOut(output), promise: nil)
            output.clear()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        do {
            try frames.split(unwrapInboundIn(data)) { body in
                frameArrived(body)
                return !closing
            }
        } catch {
            failAll(RPCError(.unavailable, "connection to \(address) failed: \(error)", cause: error), close: true)
        }
    }

    private func frameArrived(_ body: UnsafeRawBufferPointer) {
        let frame: InboundFrame
        do {
            frame = try Frame.read(body) { InboundFrame($0) }
        } catch {
            return failAll(
                RPCError(.internal, "the server at \(address) sent an undecodable frame: \(error)"), close: true)
        }
        switch frame.kind {
        case .response:
            let result: Result<[UInt8], RPCError> =
                if let status = frame.status, status.code != .ok { .failure(RPCError(status: status)) } else {
                    .success(frame.payload)
                }
            end(frame.callID, result, sendCancel: false)
        case .message:
            calls[frame.callID]?.onMessage?(frame.payload)
        case .goaway:
            onGoAway()
            let reason = frame.status.map { "\($0.code): \($0.message)" } ?? "going away"
            let refused = calls.ids.filter { $0 > frame.callID }
            for id in refused {
                end(
                    id,
                    .failure(RPCError(.unavailable, "the server at \(address) did not accept the call (\(reason))")),
                    sendCancel: false)
            }
            if let status = frame.status, status.code != .unavailable {
                closedReason = RPCError(.unavailable, "the server at \(address) closed the connection: \(reason)")
            }
        case .unspecified, .request, .cancel:
            failAll(RPCError(.internal, "the server at \(address) sent a frame of kind \(frame.kind)"), close: true)
        }
    }

    /// The fields of a server's frame a client uses, read in place (no method, no metadata).
    private struct InboundFrame {
        var callID: UInt64
        var kind: FrameKind
        var payload: [UInt8]
        var status: Status?

        init(_ frame: ProtoReader<Frame>) {
            callID = frame.uint64(.callID)
            kind = FrameKind(rawValue: frame.enumValue(.kind)) ?? .unspecified
            payload = frame.bytes(.payload)
            status = frame.message(.status)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        onGoAway()
        let reason =
            frames.bufferedBytes > 0
            ? "connection to \(address) closed inside a frame (\(frames.bufferedBytes) bytes of it received)"
            : "connection to \(address) closed"
        failAll(closedReason ?? RPCError(.unavailable, reason), close: false)
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RPCError(.unavailable, "connection to \(address) failed: \(error)", cause: error), close: true)
    }

    private func failAll(_ error: RPCError, close: Bool) {
        closedReason = closedReason ?? error
        onGoAway()
        let pending = calls
        calls.removeAll()
        deadlines?.stop()
        for call in pending.values {
            call.onEnd(.failure(error))
        }
        if close {
            closing = true
            context?.close(promise: nil)
        }
    }
}
