import NIOCore
import NIOPosix

/// `--health-check` for an HTTP front end: GET /healthz, exit 0 on a 200.
///
/// A dozen lines of HTTP/1.1 over NIO rather than an HTTP client library: the probe runs in
/// containers where nothing else is needed, and it only reads a status line.
public enum HTTPHealthProbe {
    /// Probes `address` (a wildcard host on loopback); prints the outcome; 0 when healthy.
    public static func run(address: ListenAddress, path: String = "/healthz") async -> Int32 {
        guard address.port != 0 else {
            StandardStreams.error(
                "health check: give the address to probe (--listen HOST:PORT); port 0 names no server\n")
            return 1
        }
        let host = ["0.0.0.0", "::", ""].contains(address.host) ? "127.0.0.1" : address.host
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(3))
                .connect(host: host, port: address.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
            let statusLine = try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(
                    ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"))
                var received = ByteBuffer()
                for try await var chunk in inbound {
                    received.writeBuffer(&chunk)
                    if let line = received.readableBytesView.firstIndex(of: UInt8(ascii: "\r")) {
                        return String(decoding: received.readableBytesView[..<line], as: UTF8.self)
                    }
                }
                return String(decoding: received.readableBytesView, as: UTF8.self)
            }
            guard statusLine.hasPrefix("HTTP/1.1 200") || statusLine.hasPrefix("HTTP/1.0 200") else {
                StandardStreams.error("health check: \(host):\(address.port)\(path) answered \"\(statusLine)\"\n")
                return 1
            }
            StandardStreams.out("health check: \(host):\(address.port)\(path) is OK\n")
            return 0
        } catch {
            StandardStreams.error("health check: \(host):\(address.port): \(error)\n")
            return 1
        }
    }
}
