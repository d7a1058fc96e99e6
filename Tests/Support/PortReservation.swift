#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback port held for the length of a test: a socket bound to 127.0.0.1 and never
/// listening. Connections to the port are refused, as to a server that is down, and no other
/// socket can bind it (port 0 never hands it out) — except a server binding with `SO_REUSEADDR`,
/// as ours do, which may listen on it, stop, and listen on it again.
///
/// Closing a probe socket to "free" a port for later lets a concurrent test's port-0 bind take
/// it in between; this keeps it.
public final class PortReservation: Sendable {
    /// The reserved port.
    public let port: Int
    private let descriptor: Int32

    /// Reserves a free port.
    public init() throws(PortReservationError) {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PortReservationError(operation: "socket", errno: errno) }
        var one: Int32 = 1
        guard setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            let error = PortReservationError(operation: "setsockopt", errno: errno)
            close(descriptor)
            throw error
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(descriptor, address, length) == 0 && getsockname(descriptor, address, &length) == 0
            }
        }
        guard bound else {
            let error = PortReservationError(operation: "bind", errno: errno)
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}

/// A port could not be reserved.
public struct PortReservationError: Error, CustomStringConvertible {
    /// The call that failed.
    public let operation: String
    /// Its errno.
    public let errno: Int32

    public var description: String { "\(operation) failed: \(String(cString: strerror(errno)))" }
}
