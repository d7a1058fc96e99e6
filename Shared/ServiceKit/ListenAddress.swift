import ArgumentParser

/// A `host:port` pair from configuration.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host (IPv4, `[IPv6]` without brackets, or a name).
    public var host: String
    /// The port; 0 means "pick a free one".
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` or `[v6]:port`; `option` names the setting in the error.
    public init(parsing text: String, option: String) throws {
        guard let colon = text.lastIndex(of: ":") else {
            throw ValidationError("\(option) must be host:port, not \"\(text)\"")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw ValidationError("\(option) has no host in \"\(text)\"") }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("\(option) must end in a port from 0 to 65535, not \"\(text)\"")
        }
        self.init(host: host, port: port)
    }

    /// `host:port`, bracketing IPv6 hosts.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
