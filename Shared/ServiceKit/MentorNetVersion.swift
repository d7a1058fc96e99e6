/// The version every executable reports with `--version`.
public enum MentorNetVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
