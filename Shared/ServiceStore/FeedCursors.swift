import GRDB

/// The `feed_cursor` table of a service that follows other services' change feeds: per feed, the
/// last sequence applied. A read model moves its cursor in the transaction that applies the
/// changes, so a restart resumes exactly where it stopped and applies nothing twice.
public enum FeedCursors {
    /// The position applied so far in `feed` (0: nothing yet).
    public static func position(_ feed: String, in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT sequence FROM feed_cursor WHERE feed = ?", arguments: [feed]) ?? 0)
    }

    /// Stores `sequence` as the position applied in `feed` (inside the applying transaction).
    public static func move(_ feed: String, to sequence: UInt64, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO feed_cursor (feed, sequence) VALUES (?, ?) "
                + "ON CONFLICT(feed) DO UPDATE SET sequence = excluded.sequence",
            arguments: [feed, Int64(clamping: sequence)])
    }
}
