#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes straight to file descriptors 1 and 2 (the C `stdout`/`stderr` globals are not
/// concurrency-safe to touch from Swift 6).
enum StandardStreams {
    /// Writes `text` to standard output.
    static func out(_ text: String) { write(fd: 1, text) }
    /// Writes `text` to standard error.
    static func error(_ text: String) { write(fd: 2, text) }

    private static func write(fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                    let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                #else
                    let written = Darwin.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                #endif
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
