import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import RPC

/// Records what a test's tasks did, in order, from any thread.
private final class Journal: Sendable {
    private let entries = Mutex<[String]>([])

    func add(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }

    var all: [String] {
        entries.withLock { $0 }
    }
}

/// Asks to be told when the job it was registered in ends.
private final class Hook: AfterJobHook, @unchecked Sendable {
    // @unchecked: only used on the loop.
    let journal: Journal
    init(journal: Journal) { self.journal = journal }
    func afterJob() { journal.add("job ended") }
}

@Suite("the event loop executor")
struct EventLoopExecutorTests {
    @Test("startNow runs a task's first part before it returns, then the hooks that part asked for")
    func startsAtOnce() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopExecutor(loop: loop)
        let journal = Journal()
        let hook = Hook(journal: journal)
        try await loop.submit {
            executor.startNow {
                _ = Task(executorPreference: executor) {
                    journal.add("task on loop: \(loop.inEventLoop)")
                    executor.afterCurrentJob(hook)
                }
            }
            journal.add("startNow returned")
        }.get()
        #expect(journal.all == ["task on loop: true", "job ended", "startNow returned"])
    }

    @Test("a task started at once that suspends resumes on the loop, through its queue")
    func resumesOnLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopExecutor(loop: loop)
        let journal = Journal()
        let done = loop.makePromise(of: Void.self)
        try await loop.submit {
            executor.startNow {
                _ = Task(executorPreference: executor) {
                    journal.add("before")
                    try? await Task.sleep(for: .milliseconds(5))
                    journal.add("after, on loop: \(loop.inEventLoop)")
                    done.succeed()
                }
            }
            journal.add("startNow returned")
        }.get()
        try await done.futureResult.get()
        #expect(journal.all == ["before", "startNow returned", "after, on loop: true"])
    }

    @Test("inside a job, startNow leaves the new task to start after the job")
    func insideJob() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopExecutor(loop: loop)
        let journal = Journal()
        let done = loop.makePromise(of: Void.self)
        try await loop.submit {
            _ = Task(executorPreference: executor) {
                executor.startNow {
                    _ = Task(executorPreference: executor) {
                        journal.add("inner task")
                        done.succeed()
                    }
                }
                journal.add("outer job goes on")
            }
        }.get()
        try await done.futureResult.get()
        #expect(journal.all == ["outer job goes on", "inner task"])
    }

    @Test("startNow with no task created runs nothing and leaves the executor usable")
    func nothingStarted() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopExecutor(loop: loop)
        let journal = Journal()
        try await loop.submit {
            executor.startNow { journal.add("no task") }
            executor.startNow {
                _ = Task(executorPreference: executor) { journal.add("task") }
            }
        }.get()
        #expect(journal.all == ["no task", "task"])
    }
}
