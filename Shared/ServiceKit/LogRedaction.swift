/// What never reaches a log line in clear (docs/security.md, "Abuse resistance"): bearer tokens
/// and JWTs, API keys, the service secret, calendar-feed URLs (their path is their credential),
/// `token=`/`secret=` values, and email addresses (kept to their first character and domain, so a
/// line still says whose domain was involved). `LineLogHandler` masks every line it writes, so
/// this holds for every logger of a service, the libraries' included.
public enum LogRedaction {
    /// `line` with the secrets in it masked.
    public static func mask(_ line: String) -> String {
        var text = line
        text.replace(#/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/#, with: "[jwt]")
        text.replace(#/(?i)(bearer)\s+(?!\[)[^\s",;]+/#) { "\($0.output.1) [redacted]" }
        text.replace(#/mnk_[A-Za-z0-9_]+/#, with: "mnk_[redacted]")
        text.replace(#/\bService\s+([A-Za-z0-9._-]+)\s+[^\s",;]+/#) { "Service \($0.output.1) [redacted]" }
        text.replace(#/(/v1/calendars/)[^/\s?"]+/#) { "\($0.output.1)[redacted]" }
        text.replace(#/(?i)\b(token|secret|password|api_key)=[^\s&",;]+/#) { "\($0.output.1)=[redacted]" }
        text.replace(#/([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/#) {
            "\($0.output.1)***@\($0.output.2)"
        }
        return text
    }
}
