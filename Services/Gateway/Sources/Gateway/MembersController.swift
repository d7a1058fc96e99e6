import Foundation
import HTTPTypes
import Hummingbird
import ProfilesV1
import ProtoJSON
import RPC
import Wire

/// `/v1/members`: the member API over the profiles service.
struct MembersController: Sendable {
    let backends: Backends
    let maximumBodySize: Int

    func register(in router: Hummingbird.Router<BasicRequestContext>) {
        BindingRoutes.register(
            ProfilesAPI.httpBindings,
            handlers: [
                "CreateMember": create, "GetMember": get, "UpdateMember": update, "DeactivateMember": deactivate,
                "PauseMember": action, "ResumeMember": action, "ListMembers": list,
            ], in: router)
    }

    @Sendable func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try JSONObjectReader(try await json(request, context), path: "")
        let (member, _) = try MemberJSON.read(body)
        let metadata = try idempotencyMetadata(request)
        let created = try await jsonNames { () async throws(APIError) -> Member in
            try await backends.call(
                backends.profiles, "profiles", ProfilesAPI.createMember, CreateMemberRequest(member: member),
                metadata: metadata)
        }
        var response = Self.respond(created, status: .created)
        response.headers[.location] = "/v1/members/\(created.id)"
        return response
    }

    @Sendable func get(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("member_id")
        let member = try await backends.call(
            backends.profiles, "profiles", ProfilesAPI.getMember, GetMemberRequest(id: id))
        return Self.respond(member)
    }

    @Sendable func update(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("member_id")
        let body = try JSONObjectReader(try await json(request, context), path: "")
        var (member, mask) = try MemberJSON.read(body, allowing: ["version"])
        guard !mask.isEmpty else {
            throw APIError.badField("body", "must set at least one field to change")
        }
        member.id = id
        let fromHeader = try ifMatch(request)
        let expected = fromHeader != 0 ? fromHeader : try body.integer("version", in: 1...UInt64(Int64.max)) ?? 0
        let updated = try await jsonNames { () async throws(APIError) -> Member in
            try await backends.call(
                backends.profiles, "profiles", ProfilesAPI.updateMember,
                UpdateMemberRequest(member: member, updateMask: mask, expectedVersion: expected))
        }
        return Self.respond(updated)
    }

    @Sendable func deactivate(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("member_id")
        let member = try await backends.call(
            backends.profiles, "profiles", ProfilesAPI.deactivateMember,
            SetMemberStatusRequest(id: id, expectedVersion: try ifMatch(request)))
        return Self.respond(member)
    }

    @Sendable func action(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let (id, action) = try customMethod(
            try context.parameters.require("member_id"), path: "/v1/members", allowed: ["pause", "resume"])
        let method = action == "pause" ? ProfilesAPI.pauseMember : ProfilesAPI.resumeMember
        let member = try await backends.call(
            backends.profiles, "profiles", method, SetMemberStatusRequest(id: id, expectedVersion: try ifMatch(request))
        )
        return Self.respond(member)
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let known: Set<String> = ["network", "role", "skill", "q", "status", "pageSize", "pageToken"]
        if let unknown = query.map({ String($0.key) }).sorted().first(where: { !known.contains($0) }) {
            throw APIError.badField(unknown, "is not a filter (network, role, skill, q, status, pageSize, pageToken)")
        }
        var listRequest = ListMembersRequest()
        listRequest.network = query["network"].map(String.init) ?? ""
        listRequest.skill = query["skill"].map(String.init) ?? ""
        listRequest.query = query["q"].map(String.init) ?? ""
        listRequest.pageToken = query["pageToken"].map(String.init) ?? ""
        if let role = query["role"].map(String.init) {
            listRequest.role = try queryEnum("role", role, excluding: .unspecified)
        }
        if let status = query["status"].map(String.init) {
            listRequest.status = try queryEnum("status", status, excluding: .unspecified)
        }
        if let size = query["pageSize"].map(String.init) {
            guard let value = UInt32(size), (1...200).contains(value) else {
                throw APIError.badField("pageSize", "must be 1 to 200")
            }
            listRequest.pageSize = value
        }
        let page = try await backends.call(backends.profiles, "profiles", ProfilesAPI.listMembers, listRequest)
        return respondJSON(page)
    }

    // MARK: Helpers

    /// Runs a call whose violations name `member.` fields, renaming them as the JSON body does.
    private func jsonNames<T>(_ call: () async throws(APIError) -> T) async throws(APIError) -> T {
        do {
            return try await call()
        } catch {
            throw error.jsonFieldNames(droppingPrefix: "member.")
        }
    }

    private func json(_ request: Request, _ context: BasicRequestContext) async throws -> JSONValue {
        try await readJSON(request, limit: maximumBodySize)
    }

    private func ifMatch(_ request: Request) throws -> UInt64 {
        try ifMatchVersion(request, of: "member")
    }

    static func respond(_ member: Member, status: HTTPResponse.Status = .ok) -> Response {
        var response = respondJSON(member, status: status)
        response.headers[.eTag] = "\"\(member.version)\""
        return response
    }
}
