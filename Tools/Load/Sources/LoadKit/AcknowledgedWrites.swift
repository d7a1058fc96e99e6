import Foundation
import Synchronization

/// Every write the target acknowledged (a 2xx answer to anything but a GET), with the member it
/// acted as and the id and version of the resource it answered with: what a chaos check must find
/// again after killing services (`scripts/chaos`, docs/reliability.md). Written as JSON lines.
public final class AcknowledgedWrites: Sendable {
    private let lines = Mutex<[String]>([])

    /// An empty log.
    public init() {}

    /// How many writes were acknowledged.
    public var count: Int { lines.withLock { $0.count } }

    /// Records `method path`'s acknowledgement: its status and, from the answer, the resource's
    /// `id`, `version` and `state` (or `status`) when it has them.
    func record(method: String, path: String, status: Int, actingAs member: String?, answer: [String: Any]?) {
        var entry: [String: Any] = ["method": method, "path": path, "status": status]
        if let member { entry["member"] = member }
        for key in ["id", "version", "state", "status", "matchId", "goalId"] {
            // A resource's `status` (a member's) is its own field; the HTTP status is `status` above.
            if let value = answer?[key] { entry[key == "status" ? "resourceStatus" : key] = value }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys]),
            let line = String(data: data, encoding: .utf8)
        else { return }
        lines.withLock { $0.append(line) }
    }

    /// Writes the log to `path`, one JSON object a line, in the order the answers came.
    public func write(to path: String) throws {
        let text = lines.withLock { $0.map { $0 + "\n" }.joined() }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
