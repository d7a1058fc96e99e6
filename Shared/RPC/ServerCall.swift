import NIOCore
import Wire

/// One call on a server connection, from its request frame until its final status is written; it
/// is also the storage of its handler's `CallContext`. A method's calls are of a subclass that
/// holds the decoded request (`TypedServerCall`). Its own state is confined to the connection's
/// event loop (hence no run-time exclusivity checks, as in the handler).
@usableFromInline
class ServerCall: CallContext.Storage, @unchecked Sendable {
    enum State {
        case queued
        case running(Burst)
        case finished
    }

    /// What a call is made of besides its request.
    @usableFromInline
    struct Head {
        let id: UInt64
        let entry: Router.Entry
        let metadata: Metadata
        let timeoutMicros: UInt64
        let connection: CallContext.ConnectionInfo
        /// The API key the call is made with, to check before its handler runs.
        var apiKey: String?

        /// The head of call `id` to `entry`, read from its request frame, arrived on `connection`.
        init(id: UInt64, entry: Router.Entry, request: ProtoReader<Frame>, connection: CallContext.ConnectionInfo) {
            self.id = id
            self.entry = entry
            self.metadata = Metadata(request.messages(.metadata))
            self.timeoutMicros = request.uint64(.timeoutMicros)
            self.connection = connection
        }
    }

    /// The method called: its path and handler.
    let entry: Router.Entry
    let timeoutMicros: UInt64
    /// The API key the call is made with (checked before the handler runs), or nil.
    let apiKey: String?
    @exclusivity(unchecked) var state: State = .queued

    /// A call made of `head`. Its expiry is when the server gives up on it (its deadline, on the
    /// loop's clock).
    @usableFromInline
    init(_ head: Head) {
        self.entry = head.entry
        self.timeoutMicros = head.timeoutMicros
        self.apiKey = head.apiKey
        super.init(
            method: head.entry.path, metadata: head.metadata,
            expiry: head.timeoutMicros == 0 ? nil : .now() + .microseconds(Int64(clamping: head.timeoutMicros)),
            connection: head.connection, callID: head.id)
    }

    /// The call's id.
    var id: UInt64 { callID }

    /// `/package.Service/Method`.
    var path: String { method }

    var isQueued: Bool {
        if case .queued = state { return true }
        return false
    }

    var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }
}

/// The calls read in one burst, run one after another in one task. When a handler suspends,
/// the calls after it move to a new burst and task, so a slow handler never holds up the others.
/// A burst whose calls have all run waits for the connection's next burst and runs it in the
/// same task (see `ServerConnectionHandler.waitForCalls`), so calls whose handlers do not suspend
/// need no task, burst or array of their own.
/// Confined to the connection's event loop (hence no run-time exclusivity checks, as in the handler).
final class Burst: AfterJobHook {
    /// The calls, in the order read. While the burst waits (`ServerConnectionHandler.waitForCalls`),
    /// the connection hands it the next calls by swapping its array of them with this one
    /// (emptied, its capacity kept).
    @exclusivity(unchecked) var calls: [ServerCall]
    @exclusivity(unchecked) private var next = 0
    @exclusivity(unchecked) private var running: ServerCall?
    @exclusivity(unchecked) private var hookRegistered = false
    private let connection: ServerConnectionHandler
    private let executor: EventLoopExecutor
    @exclusivity(unchecked) var task: Task<Void, Never>?

    init(calls: [ServerCall], connection: ServerConnectionHandler, executor: EventLoopExecutor) {
        self.calls = calls
        self.connection = connection
        self.executor = executor
    }

    /// Runs the calls, then the connection's later bursts, in this task. It stops when another
    /// burst already waits (one whose handler suspended finished later), when the task was
    /// cancelled (with a call whose deadline passed or that the client cancelled: its
    /// cancellation must not reach later calls) and when the connection closes.
    nonisolated(nonsending) func serve() async {
        repeat {
            await run()
            guard !Task.isCancelled else { return }
        } while await connection.waitForCalls(self)
    }

    private nonisolated(nonsending) func run() async {
        while next < calls.count {
            let call = calls[next]
            next += 1
            guard call.isQueued else { continue }
            call.state = .running(self)
            running = call
            // Told when the job ends, in case it ends inside this handler with calls left to
            // hand on; the last call leaves none.
            if !hookRegistered && next < calls.count {
                hookRegistered = true
                executor.afterCurrentJob(self)
            }
            await connection.execute(call)
            running = nil
        }
        // The task may wait long: hold no finished calls. Emptied from the end, which releases
        // each call directly (`removeAll(keepingCapacity:)` destroys them through the runtime's
        // generic array code, which showed in profiles).
        while calls.popLast() != nil {}
        next = 0
    }

    /// The job ended: if it ended inside a handler, hand the calls not yet started to a new task.
    func afterJob() {
        hookRegistered = false
        guard running != nil, next < calls.count else { return }
        let rest = Array(calls[next...])
        calls.removeAll()
        next = 0
        connection.startBurst(rest)
    }
}
