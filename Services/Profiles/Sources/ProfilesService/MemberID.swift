import ServiceStore

/// Makes member ids: `mbr_` + a ULID in Crockford base 32, so ids sort by creation time.
public enum MemberID {
    /// A new id for a member created at `micros` (microseconds since 1970).
    public static func make(atMicros micros: Int64) -> String {
        SortableID.make(prefix: "mbr_", atMicros: micros)
    }

    /// Whether `text` has the form of a member id.
    public static func isWellFormed(_ text: String) -> Bool {
        SortableID.isWellFormed(text, prefix: "mbr_")
    }
}
