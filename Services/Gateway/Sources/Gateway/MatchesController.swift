import Foundation
import HTTPTypes
import Hummingbird
import MatchingV1
import ProtoJSON
import RPC
import Wire

/// `/v1/matches`, `/v1/rounds`, and a member's suggestions and matches: the matching API over the
/// matching service.
struct MatchesController: Sendable {
    let backends: Backends
    let maximumBodySize: Int

    func register(in router: Hummingbird.Router<BasicRequestContext>) {
        BindingRoutes.register(
            MatchingAPI.httpBindings,
            handlers: [
                "GetSuggestions": suggestions, "ListMatches": memberMatches, "ProposeMatch": propose, "GetMatch": get,
                "AcceptMatch": action, "DeclineMatch": action, "WithdrawMatch": action, "EndMatch": action,
                "RunRound": runRound, "GetRound": getRound, "PublishRound": publishRound,
            ], in: router)
    }

    @Sendable func suggestions(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        try Self.rejectUnknown(query.map { String($0.key) }, known: ["network", "kind", "limit"])
        var call = GetSuggestionsRequest(memberID: try context.parameters.require("member_id"), kind: .oneWay)
        call.network = query["network"].map(String.init) ?? ""
        if let kind = query["kind"].map(String.init) {
            call.kind = try queryEnum("kind", kind, excluding: .unspecified)
        }
        if let limit = query["limit"].map(String.init) {
            guard let value = UInt32(limit), (1...50).contains(value) else {
                throw APIError.badField("limit", "must be 1 to 50")
            }
            call.limit = value
        }
        let found = try await matching(MatchingAPI.getSuggestions, call)
        return respondJSON(found)
    }

    @Sendable func memberMatches(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        try Self.rejectUnknown(query.map { String($0.key) }, known: ["state", "pageSize", "pageToken"])
        var call = ListMatchesRequest(memberID: try context.parameters.require("member_id"))
        if let state = query["state"].map(String.init) {
            call.state = try queryEnum("state", state, excluding: .unspecified)
        }
        if let size = query["pageSize"].map(String.init) {
            guard let value = UInt32(size), (1...200).contains(value) else {
                throw APIError.badField("pageSize", "must be 1 to 200")
            }
            call.pageSize = value
        }
        call.pageToken = query["pageToken"].map(String.init) ?? ""
        let page = try await matching(MatchingAPI.listMatches, call)
        return respondJSON(page)
    }

    @Sendable func propose(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try JSONObjectReader(try await readJSON(request, limit: maximumBodySize), path: "")
        try body.rejectUnknown(["network", "kind", "mentorId", "menteeId", "origin", "requestedBy"])
        let call = ProposeMatchRequest(
            network: try body.string("network") ?? "",
            kind: try body.field("kind", "kind", JSONField.enumeration(MatchKind.self)) ?? .oneWay,
            mentorID: try body.string("mentorId") ?? "", menteeID: try body.string("menteeId") ?? "",
            origin: try body.field("origin", "origin", JSONField.enumeration(MatchOrigin.self)) ?? .requested,
            requestedBy: try body.string("requestedBy") ?? "")
        let match = try await matching(MatchingAPI.proposeMatch, call, metadata: try idempotencyMetadata(request))
        var response = Self.respond(match, status: .created)
        response.headers[.location] = "/v1/matches/\(match.id)"
        return response
    }

    @Sendable func get(_ request: Request, context: BasicRequestContext) async throws -> Response {
        Self.respond(
            try await matching(MatchingAPI.getMatch, GetMatchRequest(id: try context.parameters.require("match_id"))))
    }

    @Sendable func action(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let (id, action) = try customMethod(
            try context.parameters.require("match_id"), path: "/v1/matches",
            allowed: ["accept", "decline", "withdraw", "end"])
        let body = try JSONObjectReader(try await readJSON(request, limit: maximumBodySize), path: "")
        let fromHeader = try ifMatchVersion(request, of: "match")
        let memberID = try body.string("memberId") ?? ""
        let reason = try body.string("reason") ?? ""
        let version =
            fromHeader != 0 ? fromHeader : try body.integer("version", in: 1...UInt64(Int64.max)) ?? 0
        let match: Match
        if action == "end" {
            try body.rejectUnknown(["memberId", "outcome", "reason", "version"])
            let outcomes: [String: MatchState] = ["MATCH_STATE_COMPLETED": .completed, "MATCH_STATE_ENDED": .ended]
            guard let outcome = try body.enumeration("outcome", outcomes) else {
                throw APIError.badField("outcome", "is required: MATCH_STATE_COMPLETED or MATCH_STATE_ENDED")
            }
            match = try await matching(
                MatchingAPI.endMatch,
                EndMatchRequest(
                    matchID: id, memberID: memberID, outcome: outcome, reason: reason, expectedVersion: version))
        } else {
            try body.rejectUnknown(["memberId", "reason", "version"])
            let method =
                switch action {
                case "accept": MatchingAPI.acceptMatch
                case "decline": MatchingAPI.declineMatch
                default: MatchingAPI.withdrawMatch
                }
            match = try await matching(
                method, MatchActionRequest(matchID: id, memberID: memberID, expectedVersion: version, reason: reason))
        }
        return Self.respond(match)
    }

    @Sendable func runRound(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try JSONObjectReader(try await readJSON(request, limit: maximumBodySize), path: "")
        try body.rejectUnknown(["network", "objective", "minimumScore", "seed", "mutual"])
        let call = RunRoundRequest(
            network: try body.string("network") ?? "",
            objective: try body.field("objective", "objective", JSONField.enumeration(RoundObjective.self))
                ?? .maxScore,
            minimumScore: try body.number("minimumScore", in: 0...100) ?? 30,
            seed: try body.integer("seed", in: 0...UInt64.max) ?? 1,
            skipMutual: !(try body.bool("mutual") ?? true))
        let round = try await matching(MatchingAPI.runRound, call)
        var response = respondJSON(round, status: .created)
        response.headers[.location] = "/v1/rounds/\(round.id)"
        return response
    }

    @Sendable func getRound(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let round = try await matching(
            MatchingAPI.getRound, GetRoundRequest(id: try context.parameters.require("round_id")))
        return respondJSON(round)
    }

    @Sendable func publishRound(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let (id, _) = try customMethod(
            try context.parameters.require("round_id"), path: "/v1/rounds", allowed: ["publish"])
        let round = try await matching(MatchingAPI.publishRound, GetRoundRequest(id: id))
        return respondJSON(round)
    }

    // MARK: Helpers

    /// Calls the matching service; violations come back with their JSON names.
    private func matching<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, metadata: Metadata = Metadata()
    ) async throws(APIError) -> Response {
        do {
            return try await backends.call(backends.matching, "matching", method, request, metadata: metadata)
        } catch {
            throw error.jsonFieldNames(droppingPrefix: "")
        }
    }

    private static func rejectUnknown(_ keys: [String], known: [String]) throws {
        if let unknown = keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badField(unknown, "is not a parameter here (\(known.joined(separator: ", ")))")
        }
    }

    static func respond(_ match: Match, status: HTTPResponse.Status = .ok) -> Response {
        var response = respondJSON(match, status: status)
        response.headers[.eTag] = "\"\(match.version)\""
        return response
    }
}
