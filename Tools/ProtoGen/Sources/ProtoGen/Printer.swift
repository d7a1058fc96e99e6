/// Builds generated source a line at a time, indented by four spaces per level.
struct Printer {
    private(set) var text = ""
    private var level = 0

    /// Appends one line (an empty string for a blank line).
    mutating func line(_ content: String = "") {
        text += content.isEmpty ? "\n" : String(repeating: "    ", count: level) + content + "\n"
    }

    /// Appends `opening`, the lines `body` writes one level deeper, then `closing`.
    mutating func block(_ opening: String, closing: String = "}", _ body: (inout Printer) throws -> Void) rethrows {
        line(opening)
        level += 1
        try body(&self)
        level -= 1
        line(closing)
    }

    /// Appends the lines `body` writes one level deeper.
    mutating func indented(_ body: (inout Printer) throws -> Void) rethrows {
        level += 1
        try body(&self)
        level -= 1
    }

    /// Appends `comment` as `///` lines (each line of it).
    mutating func doc(_ comment: String) {
        for part in comment.split(separator: "\n", omittingEmptySubsequences: false) {
            line(part.isEmpty ? "///" : "/// \(part)")
        }
    }
}
