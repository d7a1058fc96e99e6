import NIOCore

/// Something to run once the current executor job has given the thread back.
protocol AfterJobHook: AnyObject {
    /// Called on the event loop after the job that registered it returned.
    func afterJob()
}

/// Runs Swift tasks on one event loop, so a handler preferring it starts and resumes on the
/// thread that read its request: no thread hop, one context switch per call.
///
/// SwiftNIO 2.101 has no `TaskExecutor` for an event loop; this adapter is that. It also lets
/// code running in a job ask to be told when the job ends (when the task finished or suspended),
/// which the server uses to coalesce flushes and to notice handlers that suspended.
///
/// Other servers use it too (the gateway runs each HTTP connection's requests on the connection's
/// loop): code running on it must never block, as it holds up every connection of the loop.
public final class EventLoopExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `hooks` and `inJob` are only touched on `loop`'s thread (asserted below), which
    // is also why they skip the run-time exclusivity checks.
    /// The loop jobs run on.
    public let loop: any EventLoop
    @exclusivity(unchecked) private var hooks: [any AfterJobHook] = []
    @exclusivity(unchecked) private var inJob = false
    /// Set while `startNow` creates a task: its first job is kept here instead of queued.
    @exclusivity(unchecked) private var capturing = false
    @exclusivity(unchecked) private var captured: UnownedJob?

    /// An executor running jobs on `loop`.
    public init(loop: any EventLoop) {
        self.loop = loop
    }

    /// Runs `job` on the loop.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // `capturing` is only ever set on the loop's thread, so it is read only there.
        if loop.inEventLoop && capturing && captured == nil {
            captured = job
            return
        }
        loop.execute { self.run(job) }
    }

    private func run(_ job: UnownedJob) {
        inJob = true
        job.runSynchronously(on: asUnownedTaskExecutor())
        inJob = false
        runHooks()
    }

    /// Calls `start`, which creates a task preferring this executor, and runs the task's first
    /// job at once, on this thread, rather than after the loop's current tick: a request read in
    /// this tick is answered in it. Inside a job, the task starts after it, as usual.
    func startNow(_ start: () -> Void) {
        loop.assertInEventLoop()
        guard !inJob && !capturing else { return start() }
        capturing = true
        start()
        capturing = false
        if let job = captured {
            captured = nil
            run(job)
        }
    }

    /// Whether the caller runs inside a job of this executor.
    var isRunningJob: Bool {
        loop.inEventLoop && inJob
    }

    /// Asks for `hook.afterJob()` once the current job returns; only from inside a job.
    func afterCurrentJob(_ hook: any AfterJobHook) {
        loop.assertInEventLoop()
        assert(inJob)
        hooks.append(hook)
    }

    private func runHooks() {
        while !hooks.isEmpty {
            let pending = hooks
            hooks.removeAll(keepingCapacity: true)
            for hook in pending { hook.afterJob() }
        }
    }
}

/// One executor per event loop, made on first use.
final class EventLoopExecutors: Sendable {
    private let executors: [ObjectIdentifier: EventLoopExecutor]

    init(group: any EventLoopGroup) {
        var executors: [ObjectIdentifier: EventLoopExecutor] = [:]
        for loop in group.makeIterator() {
            executors[ObjectIdentifier(loop)] = EventLoopExecutor(loop: loop)
        }
        self.executors = executors
    }

    func executor(for loop: any EventLoop) -> EventLoopExecutor {
        executors[ObjectIdentifier(loop)] ?? EventLoopExecutor(loop: loop)
    }
}
