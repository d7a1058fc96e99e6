import GRDB
import Synchronization

#if canImport(Darwin)
    import Darwin
#else
    import Glibc
#endif

/// Read-only connections to a service's database, one per thread that reads through them, for
/// short point reads answered on the event loop that serves the call.
///
/// A read through a pool reader from an event loop would have to wait for a free reader, which
/// may be held by an asynchronous read whose release must run on that same loop (the deadlock the
/// load tool found); the asynchronous read avoids that but hops to a reader queue and back on
/// every call. A connection of the thread's own never waits for another thread: nobody else uses
/// it, and in WAL mode a reader does not wait for the writer. SQLite may still refuse a read at
/// once with SQLITE_BUSY (while another connection recovers the WAL after a crash); `read` then
/// throws and the caller uses the pool.
///
/// For single-statement reads only: keep anything slow (a scan, a search) on the pool.
public final class ThreadReaders: Sendable {
    /// The database file.
    public let path: String
    /// By thread; closed with this object. Threads are few (event loops, the cooperative pool).
    private let connections = Mutex<[UInt: DatabaseQueue]>([:])

    /// Readers of the database at `path` (which must be in WAL mode, as `ServiceDatabase` opens it).
    public init(path: String) {
        self.path = path
    }

    /// Runs `body` on this thread's connection (opened on first use), outside any transaction:
    /// one statement sees one consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try connection().inDatabase(body)
    }

    private func connection() throws -> DatabaseQueue {
        #if canImport(Darwin)
            let thread = UInt(bitPattern: pthread_self())
        #else
            let thread = UInt(pthread_self())
        #endif
        if let connection = connections.withLock({ $0[thread] }) { return connection }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .immediateError
        configuration.label = "thread reader"
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        connections.withLock { $0[thread] = connection }
        return connection
    }
}
