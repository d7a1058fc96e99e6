import Foundation
import HTTPMapping
import MatchingV1
import NotificationsV1
import ProfilesV1
import SessionsV1
import Testing

/// docs/security.md lists every route with its RPC, its rule and the scope an API key needs; this
/// keeps that table the route table's (a route added, or a rule changed, without the document
/// fails here, with the rows as they should be).
@Suite("docs/security.md lists every route's rule and scope as the route table has them")
struct RouteDocumentationTests {
    static func who(_ binding: HTTPBinding) -> String {
        switch binding.access {
        case "public": return "anyone, no token"
        case "authenticated": return "any token"
        case "self":
            return "the member `\(binding.accessMemberField)` names"
                + (binding.accessNetworkField.isEmpty
                    ? "" : ", or an admin of the network `\(binding.accessNetworkField)` names")
        case "networkAdmin": return "an admin of the network `\(binding.accessNetworkField)` names"
        case "anyAdmin": return "a network admin"
        default: return binding.access
        }
    }

    /// The first four columns of each route's row.
    static var expected: [String] {
        (ProfilesAPI.httpBindings + MatchingAPI.httpBindings + SessionsAPI.httpBindings
            + NotificationsAPI.httpBindings).map { binding in
                "| `\(binding.verb) \(binding.template)` | \(binding.method) | \(who(binding)) | "
                    + (binding.accessScope.isEmpty ? "—" : "`\(binding.accessScope)`") + " |"
            }
    }

    @Test("every route, its RPC, rule and scope, in the route table's order")
    func table() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../docs/security.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        let documented = text.split(separator: "\n").filter { $0.hasPrefix("| `") && $0.contains(" /v1/") }.map {
            line -> String in
            // Up to the fourth column's end: the fifth is written by hand.
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
            return cells.prefix(5).joined(separator: "|") + "|"
        }
        let expected = Self.expected
        let missing = expected.filter { !documented.contains($0) }
        let stale = documented.filter { !expected.contains($0) }
        #expect(missing.isEmpty, "rows docs/security.md lacks (or has wrong):\n\(missing.joined(separator: "\n"))")
        #expect(stale.isEmpty, "rows of docs/security.md that are no route's:\n\(stale.joined(separator: "\n"))")
        if missing.isEmpty && stale.isEmpty {
            #expect(documented == expected, "the rows are in another order than the route table's")
        }
    }
}
