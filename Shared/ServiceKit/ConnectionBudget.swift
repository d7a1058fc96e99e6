#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// How many connections a service holds at once (`--max-connections`, `MENTORNET_MAX_CONNECTIONS`):
/// the number asked for, but never so many that the process runs out of file descriptors, which
/// would make accepting fail for everyone rather than refuse the connection over the limit.
public enum ConnectionBudget {
    /// Descriptors kept for what is not a client connection: the database, its journal and
    /// readers, connections to peers, the listener, logs.
    public static let reserved = 256

    /// The limit to apply: `asked` (or the default), lowered to what the descriptor limit allows
    /// after `reserved`; `descriptors` is the process's limit on open files.
    public static func limit(asked: Int?, descriptors: Int) -> Int {
        let wanted = asked ?? 10_000
        return max(1, min(wanted, descriptors - reserved))
    }

    /// Raises the process's soft limit on open files to its hard limit (as Go's runtime does: the
    /// soft limit of 1,024 many systems start with is far below what a server needs) and returns
    /// the soft limit now in force.
    public static func raiseDescriptorLimit() -> Int {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return 1024 }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return limits.rlim_cur >= rlim_t(Int32.max) ? Int(Int32.max) : Int(limits.rlim_cur)
    }
}
