import ArgumentParser
import Foundation
import Gateway

/// `mentornet-token`: a development token for the gateway, signed with its HS256 secret.
@main
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mentornet-token",
        abstract: "Mint a development token (HS256) that mentornet-gateway accepts; prints it.",
        discussion: """
            Reads the secret, issuer and audience from the gateway's own variables (MENTORNET_JWT_SECRET or \
            MENTORNET_JWT_SECRET_FILE, MENTORNET_JWT_ISSUER, MENTORNET_JWT_AUDIENCE) unless given. For \
            development and tests: in production an identity provider issues the tokens (docs/security.md).
            """)

    @Option(help: "The member the token acts for (its member claim, `sub` by default).")
    var member: String?

    @Option(help: "A network the token's holder administers (repeat for several).")
    var admin: [String] = []

    @Option(help: "The token's subject (default: the member id, else admin:<networks>).")
    var subject: String?

    @Option(help: "A verified email claim (for a gateway mapping members by email).")
    var email: String?

    @Option(help: "Minutes the token is valid.")
    var ttlMinutes = 60

    @Option(help: "The HS256 secret file (default: MENTORNET_JWT_SECRET, MENTORNET_JWT_SECRET_FILE).")
    var secretFile: String?

    @Option(help: "The iss claim (default: MENTORNET_JWT_ISSUER).")
    var issuer: String?

    @Option(help: "The aud claim (default: MENTORNET_JWT_AUDIENCE).")
    var audience: String?

    func validate() throws {
        guard member != nil || !admin.isEmpty || subject != nil || email != nil else {
            throw ValidationError("give --member, --admin, --subject or --email (or several)")
        }
        guard (1...(60 * 24 * 30)).contains(ttlMinutes) else {
            throw ValidationError("--ttl-minutes must be 1 to 43200 (30 days)")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var overrides = environment
        if let secretFile {
            overrides[TokenSettings.Variable.secret] = nil
            overrides[TokenSettings.Variable.secretFile] = secretFile
        }
        if let issuer { overrides[TokenSettings.Variable.issuer] = issuer }
        if let audience { overrides[TokenSettings.Variable.audience] = audience }
        overrides[TokenSettings.Variable.jwksFile] = nil
        overrides[TokenSettings.Variable.jwksURL] = nil
        let settings: TokenSettings
        do {
            settings = try TokenSettings.fromEnvironment { overrides[$0] }
        } catch let error as TokenSettingsError {
            throw ValidationError(
                error.description.replacingOccurrences(of: "mentornet-gateway", with: "mentornet-token"))
        }
        guard let secret = settings.hmacSecret else { throw ValidationError("no HS256 secret given") }
        let token = try await TokenMinter.mint(
            secret: secret, issuer: settings.issuer, audience: settings.audience,
            subject: subject ?? member ?? email ?? "admin:" + admin.joined(separator: ","), member: member,
            admin: admin, memberClaim: settings.memberClaim, adminClaim: settings.adminClaim,
            extra: email.map { [settings.emailClaim: .string($0), "email_verified": .bool(true)] } ?? [:],
            lifetime: .seconds(ttlMinutes * 60))
        print(token)
    }
}
