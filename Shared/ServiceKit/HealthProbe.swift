import RPC
import Wire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--health-check`: asks a running service whether it is serving.
public enum HealthProbe {
    /// Probes `address` (a wildcard host is probed on loopback); prints the outcome; 0 when SERVING.
    public static func run(address: ListenAddress, tls: TLSSettings? = nil, timeout: Duration = .seconds(3)) async
        -> Int32
    {
        guard address.port != 0 else {
            StandardStreams.error(
                "health check: give the address to probe (--listen HOST:PORT); port 0 names no server\n")
            return 1
        }
        let host = ["0.0.0.0", "::", ""].contains(address.host) ? "127.0.0.1" : address.host
        let client = Client(
            configuration: ClientConfiguration(host: host, port: address.port, connectTimeout: timeout, tls: tls))
        defer { client.close() }
        do {
            let response = try await client.unary(
                HealthAPI.check, HealthCheckRequest(), options: CallOptions(timeout: timeout))
            guard response.status == .serving else {
                StandardStreams.error("health check: \(host):\(address.port) is \(response.status)\n")
                return 1
            }
            StandardStreams.out("health check: \(host):\(address.port) is SERVING\n")
            return 0
        } catch {
            StandardStreams.error("health check: \(host):\(address.port): \(error)\n")
            return 1
        }
    }
}
