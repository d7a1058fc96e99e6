import GRDBSQLite
import Synchronization

#if canImport(Darwin)
    import Darwin
#else
    import Glibc
#endif

/// Read-only SQLite connections to a service's database, one per thread that reads through them,
/// for point reads answered on the event loop that serves the call.
///
/// A read through a pool reader from an event loop would have to wait for a free reader, which
/// may be held by an asynchronous read whose release must run on that same loop (the deadlock the
/// load tool found); the asynchronous read avoids that but hops to a reader queue and back on
/// every call. A connection of the thread's own never waits for another thread: nobody else uses
/// it, and in WAL mode a reader does not wait for the writer. SQLite may still refuse a read at
/// once with SQLITE_BUSY (while another connection recovers the WAL after a crash); a read then
/// throws and the caller uses the pool.
///
/// The connections are SQLite's own (`sqlite3_open_v2`, read-only, no mutex) with their prepared
/// statements, not GRDB queues: a GRDB queue serialises every access through a dispatch queue and
/// binds arguments and reads columns through its value types, which cost a GET in the profiles
/// service more than SQLite's own work. Each read is one statement, stepped once and reset, so it
/// sees one consistent snapshot and holds no read transaction afterwards.
///
/// For single-row reads only: keep anything slow (a scan, a search) on the pool.
public final class ThreadReaders: Sendable {
    /// The database file.
    public let path: String
    /// By thread; closed with this object. Threads are few (event loops, the cooperative pool).
    private let connections = Mutex<[UInt: ThreadConnection]>([:])

    /// Readers of the database at `path` (which must be in WAL mode, as `ServiceDatabase` opens it).
    public init(path: String) {
        self.path = path
    }

    /// The bytes of the first column (a blob or text) of the row `sql` selects with its one
    /// parameter bound to `argument` as text; nil when it selects no row, empty for NULL. `sql`
    /// should be a constant: each thread's connection prepares it once and keeps it.
    public func firstColumn(_ sql: String, _ argument: String) throws(SQLiteReadError) -> [UInt8]? {
        try connection().firstColumn(sql, argument)
    }

    private func connection() throws(SQLiteReadError) -> ThreadConnection {
        #if canImport(Darwin)
            let thread = UInt(bitPattern: pthread_self())
        #else
            let thread = UInt(pthread_self())
        #endif
        if let connection = connections.withLock({ $0[thread] }) { return connection }
        let connection = try ThreadConnection(path: path)
        connections.withLock { $0[thread] = connection }
        return connection
    }
}

/// A read that SQLite refused or failed.
public struct SQLiteReadError: Error, CustomStringConvertible {
    /// SQLite's result code.
    public var code: Int32
    /// SQLite's explanation.
    public var message: String

    /// A one-line explanation.
    public var description: String { "SQLite error \(code): \(message)" }
}

/// One thread's read-only connection and its prepared statements.
///
/// It is stored in a shared table but used only by the thread it belongs to, so its lock is never
/// contended (tens of nanoseconds against a read's microseconds); the lock makes that a
/// guarantee rather than a convention.
final class ThreadConnection: Sendable {
    private struct State {
        let handle: OpaquePointer
        var statements: [String: OpaquePointer] = [:]
    }

    private let state: Mutex<State>

    init(path: String) throws(SQLiteReadError) {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close_v2(handle)
            throw SQLiteReadError(code: code, message: message)
        }
        state = Mutex(State(handle: handle))
    }

    deinit {
        state.withLock { state in
            for statement in state.statements.values { sqlite3_finalize(statement) }
            sqlite3_close_v2(state.handle)
        }
    }

    func firstColumn(_ sql: String, _ argument: String) throws(SQLiteReadError) -> [UInt8]? {
        try state.withLock { (state: inout State) throws(SQLiteReadError) -> [UInt8]? in
            let statement = try Self.prepared(sql, in: &state)
            defer {
                // Ends the statement's read transaction, and forgets the argument's borrowed bytes.
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            let code = argument.withCString { text in
                // SQLITE_STATIC (nil): the text stays valid until the statement is reset, below.
                let bound = sqlite3_bind_text(statement, 1, text, -1, nil)
                return bound == SQLITE_OK ? sqlite3_step(statement) : bound
            }
            switch code {
            case SQLITE_ROW:
                let count = Int(sqlite3_column_bytes(statement, 0))
                guard count > 0, let bytes = sqlite3_column_blob(statement, 0) else { return [] }
                return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
            case SQLITE_DONE:
                return nil
            default:
                throw Self.failure(code, state.handle)
            }
        }
    }

    private static func prepared(_ sql: String, in state: inout State) throws(SQLiteReadError) -> OpaquePointer {
        if let statement = state.statements[sql] { return statement }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(state.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, state.handle) }
        state.statements[sql] = statement
        return statement
    }

    private static func failure(_ code: Int32, _ handle: OpaquePointer) -> SQLiteReadError {
        SQLiteReadError(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}
