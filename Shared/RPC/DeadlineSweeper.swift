import NIOCore

/// One timer for all the deadlines of a connection's calls, instead of one scheduled task per call.
///
/// Scheduling and cancelling a task on an event loop allocates and walks the loop's timer heap; a
/// connection carrying thousands of calls a second, each with a deadline that almost never
/// passes, paid that twice per call. The sweeper keeps one task, due at the earliest deadline it
/// was told about: when it fires, the owner ends the calls whose deadline has passed and answers
/// the next deadline still pending, if any. Confined to the loop, like the handler owning it.
final class DeadlineSweeper {
    private let loop: any EventLoop
    private let sweep: (NIODeadline) -> NIODeadline?
    @exclusivity(unchecked) private var due: NIODeadline?
    @exclusivity(unchecked) private var task: Scheduled<Void>?

    /// `sweep(now)` ends every call whose deadline is at or before `now` and returns the earliest
    /// deadline of the calls still open, or nil.
    init(loop: any EventLoop, sweep: @escaping (NIODeadline) -> NIODeadline?) {
        self.loop = loop
        self.sweep = sweep
    }

    /// A call with `deadline` started: make sure a sweep happens by then.
    func watch(_ deadline: NIODeadline) {
        if let due, due <= deadline { return }
        task?.cancel()
        schedule(deadline)
    }

    /// No more sweeps (the connection closed).
    func stop() {
        task?.cancel()
        task = nil
        due = nil
    }

    private func schedule(_ deadline: NIODeadline) {
        due = deadline
        task = loop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            due = nil
            task = nil
            if let next = sweep(.now()) { schedule(next) }
        }
    }
}
