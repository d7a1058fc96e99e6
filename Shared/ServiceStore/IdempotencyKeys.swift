import Foundation
import GRDB

/// The `idempotency_key` table every service keeps: a call's key, the request it came with, and
/// the response it got, stored in the transaction of the change it made. A retry with the same
/// key and request is answered the stored response; the key with another request is refused.
public enum IdempotencyKeys {
    /// A key and the request (its encoding) it guards.
    public typealias Key = (key: String, request: [UInt8])

    /// What the table says of a key.
    public enum Lookup: Equatable {
        /// Not seen before: make the change.
        case new
        /// Seen with this request: answer this response.
        case answered([UInt8])
        /// Seen with another request: refuse.
        case reused
    }

    /// What the table says of `key` (`new` without one).
    public static func lookup(_ key: Key?, in db: Database) throws -> Lookup {
        guard let key,
            let row = try Row.fetchOne(
                db, sql: "SELECT request, response FROM idempotency_key WHERE key = ?", arguments: [key.key])
        else { return .new }
        guard (row["request"] as Data) == Data(key.request) else { return .reused }
        return .answered([UInt8](row["response"] as Data))
    }

    /// Stores `response` for `key` (nothing without one), in the change's transaction.
    public static func remember(_ key: Key?, response: Data, at micros: Int64, in db: Database) throws {
        guard let key else { return }
        try db.execute(
            sql: "INSERT INTO idempotency_key (key, request, response, created_at) VALUES (?, ?, ?, ?)",
            arguments: [key.key, Data(key.request), response, micros])
    }
}
