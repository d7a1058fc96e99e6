import Foundation
import Gateway
import Synchronization

/// The bearer tokens the load tool sends through the gateway: each request acts as the member it
/// names (its body's `memberId` or `requestedBy`, or the `/v1/members/{id}` of its path) with that
/// member's token, as that person's app would; a request naming no member (a sign-up, a search)
/// uses the admin token. Tokens are minted with the gateway's development secret, or one fixed
/// token is used for everything (a gateway whose tokens come from elsewhere; then only the routes
/// that token may call succeed).
public final class TokenSource: Sendable {
    /// How the tokens are made.
    public enum Kind: Sendable {
        /// One token for every request.
        case fixed(String)
        /// HS256 tokens minted per member (and one admin token), as the gateway's settings say.
        case minted(secret: String, issuer: String, audience: String, memberClaim: String, adminNetwork: String)
    }

    private let kind: Kind
    private let cache = Mutex<[String: String]>([:])

    /// A source of tokens.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// The `Authorization` value for a request acting as `member` (nil: the admin token).
    public func authorization(for member: String?) async throws -> String {
        let key = member ?? ""
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let token: String
        switch kind {
        case .fixed(let fixed):
            token = fixed
        case .minted(let secret, let issuer, let audience, let memberClaim, let adminNetwork):
            token = try await TokenMinter.mint(
                secret: secret, issuer: issuer, audience: audience, subject: member ?? "mentornet-load-admin",
                member: member, admin: member == nil ? [adminNetwork] : [], memberClaim: memberClaim,
                lifetime: .seconds(24 * 3600))
        }
        let value = "Bearer \(token)"
        cache.withLock { $0[key] = value }
        return value
    }

    /// The member a request acts as: `memberId` or `requestedBy` in its body, else the member of a
    /// `/v1/members/{id}` path.
    public static func actingMember(path: String, body: [String: Any]?) -> String? {
        if let id = body?["memberId"] as? String ?? body?["requestedBy"] as? String { return id }
        let route = path.split(separator: "?", maxSplits: 1)[0]
        guard route.hasPrefix("/v1/members/") else { return queryMember(path) }
        let rest = route.dropFirst("/v1/members/".count)
        let id = rest.split(separator: "/", maxSplits: 1).first.map { String($0.split(separator: ":")[0]) }
        return id.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `memberId` in a query.
    private static func queryMember(_ path: String) -> String? {
        guard let query = path.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("memberId=") {
            return String(pair.dropFirst("memberId=".count))
        }
        return nil
    }
}
