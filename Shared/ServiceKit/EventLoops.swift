import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many event-loop threads a service runs: `--event-loops`, else `MENTORNET_EVENT_LOOPS`, else
/// the CPUs the process may run on.
///
/// SwiftNIO sizes its shared group by the machine's cores (or a container's CPU quota), not by the
/// CPUs the process is allowed on: a service started with `taskset -c 0`, or in a container pinned
/// to one CPU with a cpuset, would run two or more busy loop threads taking turns on that one CPU.
public enum EventLoops {
    /// The largest count accepted.
    public static let maximum = 256

    /// The count `option` or `environment` asks for, else `available`.
    public static func count(option: Int?, environment: Environment, available: Int = availableCPUs()) -> Int {
        option ?? environment["MENTORNET_EVENT_LOOPS"].flatMap { Int($0) } ?? available
    }

    /// The CPUs the calling thread may run on (a service asks at start, from its main thread, whose
    /// mask is the process's): its affinity (`taskset`, a cpuset), at most what SwiftNIO counts
    /// (which honours a container's CPU quota).
    public static func availableCPUs() -> Int {
        var count = System.coreCount
        if let allowed = allowedCPUs() { count = min(count, allowed) }
        return max(count, 1)
    }

    /// The `Cpus_allowed_list` of Linux's `/proc/thread-self/status` (`0-3,6`), counted; nil
    /// elsewhere. (Glibc's module does not export `sched_getaffinity`.)
    static func allowedCPUs() -> Int? {
        guard let file = fopen("/proc/thread-self/status", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix("Cpus_allowed_list:") else { continue }
            return count(cpuList: String(text.dropFirst("Cpus_allowed_list:".count)))
        }
        return nil
    }

    /// The number of CPUs in a kernel CPU list such as `0-3,6`; nil if it does not parse.
    static func count(cpuList: String) -> Int? {
        var total = 0
        for part in cpuList.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.filter { !$0.isWhitespace }) }
            switch bounds.count {
            case 1:
                guard bounds[0] != nil else { return nil }
                total += 1
            case 2:
                guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }
                total += high - low + 1
            default:
                return nil
            }
        }
        return total > 0 ? total : nil
    }

    /// Sizes SwiftNIO's shared event-loop group, which the server and clients use. Must run before
    /// anything touches that group, and once per process: service executables do it first thing.
    static func configure(_ options: ServiceOptions, environment: Environment) {
        NIOSingletons.groupLoopCountSuggestion = count(option: options.eventLoops, environment: environment)
    }
}
