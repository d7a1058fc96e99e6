import NIOCore
import Wire

/// One call on a server connection, from its request frame until its final status is written.
/// Confined to the connection's event loop (hence no run-time exclusivity checks, as in the handler).
final class ServerCall {
    enum State {
        case queued
        case running(Burst)
        case finished
    }

    let id: UInt64
    /// The method called: its path and handler.
    let method: Router.Entry
    let payload: [UInt8]
    let metadata: Metadata
    let timeoutMicros: UInt64
    /// When the server gives up on the call (its deadline, on the loop's clock).
    let expiry: NIODeadline?
    @exclusivity(unchecked) var state: State = .queued

    /// A call for `method`, read from its request frame.
    init(id: UInt64, method: Router.Entry, request: ProtoReader<Frame>) {
        self.id = id
        self.method = method
        self.payload = request.bytes(.payload)
        self.metadata = Metadata(request.messages(.metadata))
        let timeoutMicros = request.uint64(.timeoutMicros)
        self.timeoutMicros = timeoutMicros
        self.expiry = timeoutMicros == 0 ? nil : .now() + .microseconds(Int64(clamping: timeoutMicros))
    }

    /// `/package.Service/Method`.
    var path: String { method.path }

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
/// the calls after it move to a new task, so a slow handler never holds up the others. A task
/// that ran its burst goes on to wait for the connection's next one (see
/// `ServerConnectionHandler.serveBursts`), so calls whose handlers do not suspend need no task
/// of their own.
/// Confined to the connection's event loop (hence no run-time exclusivity checks, as in the handler).
final class Burst: AfterJobHook {
    @exclusivity(unchecked) private var calls: [ServerCall]
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

    /// Runs the calls, then serves the connection's later bursts in this task.
    nonisolated(nonsending) func serve() async {
        await run()
        if let task { await connection.serveBursts(task: task) }
    }

    nonisolated(nonsending) func run() async {
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
        calls = []  // the task may wait long for the next burst: hold no finished calls
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
