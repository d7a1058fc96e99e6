import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Process-wide logging set-up for services.
public enum LogSetup {
    private static let bootstrapped = Mutex(false)

    /// Installs the handler for `format` at `level`, once per process (later calls do nothing).
    public static func bootstrap(format: LogFormat, level: Logger.Level) {
        let first = bootstrapped.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: format, logLevel: level)
        }
    }

    /// The level with this name, or nil.
    public static func level(named name: String) -> Logger.Level? {
        Logger.Level(rawValue: name.lowercased())
    }
}

/// Writes each log event as one line on standard output, as text in swift-log's
/// `StreamLogHandler` layout (`<time> <level> <label>: <key>=<value>… [<source>] <message>`) or as
/// one JSON object (`{"time":…,"level":…,"label":…,"message":…, "<metadata key>": …}`).
///
/// Unlike `StreamLogHandler` it renders metadata only when it writes a line: servers attach
/// metadata to a logger for every request (Hummingbird adds a request id), and most of those
/// loggers never write anything.
public struct LineLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// Text or JSON lines.
    public let format: LogFormat
    /// The lowest level written.
    public var logLevel: Logger.Level
    /// Metadata added to every event.
    public var metadata: Logger.Metadata = [:]
    private static let lock = Mutex(())

    /// Creates a handler.
    public init(label: String, format: LogFormat, logLevel: Logger.Level = .info) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one event.
    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        let line = LogRedaction.mask(format == .json ? jsonLine(event, merged) : textLine(event, merged))
        Self.lock.withLock { _ in
            StandardStreams.out(line)
        }
    }

    private func textLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> String {
        var line = "\(Self.localTimestamp()) \(event.level)\(label.isEmpty ? "" : " ")\(label):"
        for key in metadata.keys.sorted() { line += " \(key)=\(metadata[key]!)" }
        return line + " [\(event.source)] \(event.message)\n"
    }

    private func jsonLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> String {
        var fields: [(String, String)] = [
            ("time", Self.timestamp()),
            ("level", event.level.rawValue),
            ("label", label),
            ("message", event.message.description),
        ]
        for key in metadata.keys.sorted() { fields.append((key, "\(metadata[key]!)")) }
        return "{" + fields.map { "\(Self.quote($0.0)):\(Self.quote($0.1))" }.joined(separator: ",") + "}\n"
    }

    /// Now in local time, as `StreamLogHandler` writes it (`2026-11-27T16:49:07+0000`).
    static func localTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A JSON string literal for `text`.
    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Now as RFC 3339 in UTC with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let millis = Int32(now.tv_nsec / 1_000_000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(millis, 3))Z"
    }
}
