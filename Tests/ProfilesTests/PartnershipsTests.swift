import Foundation
import ProfilesService
import ProfilesV1
import RPC
import TestSupport
import Testing
import Wire

/// Profiles' copy of who is whose active partner (pushed by matching) and the email rule it
/// serves, on the binary protocol with principals as the gateway sends them.
@Suite("partnerships pushed by matching; a member's email to their partners only")
struct PartnershipsTests {
    static func person(_ member: String?, admin: [String] = []) -> CallOptions {
        CallOptions(
            metadata: [
                Metadata.principalKey: Principal(
                    subject: "s-\(member ?? "admin")", member: member, adminNetworks: admin
                )
                .metadataValue
            ])
    }

    static func change(_ sequence: UInt64, _ match: String, _ a: String, _ b: String, active: Bool)
        -> PartnershipChange
    {
        PartnershipChange(
            sequence: sequence, partnership: Partnership(matchID: match, mentorID: a, menteeID: b, active: active))
    }

    @Test("each change applies once, in order; the answer is the position; an empty request reads it")
    func exactlyOnce() async throws {
        try await withProfilesServer { client in
            let ada = try await client.create(sampleMember(email: "ada@example.org")).id
            let bo = try await client.create(sampleMember(email: "bo@example.org")).id
            func email(of id: String, as viewer: String) async throws -> String {
                try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: id), options: Self.person(viewer))
                    .email
            }
            #expect(try await email(of: bo, as: ada) == "")
            let first = ApplyPartnershipsRequest(changes: [
                Self.change(3, "mat_1", ada, bo, active: false), PartnershipChange(sequence: 5),
                Self.change(7, "mat_1", ada, bo, active: true),
            ])
            #expect(try await client.unary(ProfilesAPI.applyPartnerships, first).position == 7)
            #expect(try await email(of: bo, as: ada) == "bo@example.org")
            #expect(try await email(of: ada, as: bo) == "ada@example.org")
            // A repeat of what was applied (a publisher restarting) changes nothing: the match
            // inactive at 3 is not applied again over the later change.
            let replay = ApplyPartnershipsRequest(changes: [
                Self.change(3, "mat_1", ada, bo, active: false), Self.change(8, "mat_2", ada, "mbr_x", active: true),
            ])
            #expect(try await client.unary(ProfilesAPI.applyPartnerships, replay).position == 8)
            #expect(try await email(of: bo, as: ada) == "bo@example.org")
            #expect(
                try await client.unary(ProfilesAPI.applyPartnerships, ApplyPartnershipsRequest()).position == 8)
            _ = try await client.unary(
                ProfilesAPI.applyPartnerships,
                ApplyPartnershipsRequest(changes: [Self.change(9, "mat_1", ada, bo, active: false)]))
            #expect(try await email(of: bo, as: ada) == "")
        }
    }

    @Test("a malformed push names the problem and changes nothing; a person may not push")
    func refusals() async throws {
        try await withProfilesServer { client in
            _ = try await client.unary(
                ProfilesAPI.applyPartnerships,
                ApplyPartnershipsRequest(changes: [Self.change(2, "mat_1", "mbr_a", "mbr_b", active: true)]))
            let cases: [(ApplyPartnershipsRequest, String)] = [
                (
                    ApplyPartnershipsRequest(changes: [
                        Self.change(5, "mat_1", "mbr_a", "mbr_b", active: false),
                        Self.change(4, "mat_1", "mbr_a", "mbr_b", active: false),
                    ]), "changes[1].sequence"
                ),
                (
                    ApplyPartnershipsRequest(changes: [Self.change(5, "", "mbr_a", "mbr_b", active: false)]),
                    "changes[0].partnership.match_id"
                ),
                (
                    ApplyPartnershipsRequest(changes: [Self.change(5, "mat_1", "mbr_a", "", active: false)]),
                    "changes[0].partnership.mentee_id"
                ),
                (
                    ApplyPartnershipsRequest(
                        changes: (1...1001).map { Self.change(UInt64($0) + 2, "mat_1", "a", "b", active: false) }),
                    "changes"
                ),
            ]
            for (request, field) in cases {
                await #expect { _ = try await client.unary(ProfilesAPI.applyPartnerships, request) } throws: {
                    names($0, field)
                }
            }
            await #expect {
                _ = try await client.unary(
                    ProfilesAPI.applyPartnerships,
                    ApplyPartnershipsRequest(changes: [Self.change(6, "mat_1", "mbr_a", "mbr_b", active: false)]),
                    options: Self.person("mbr_a"))
            } throws: { isRPCError($0, .permissionDenied, "only MentorNet's services") }
            #expect(
                try await client.unary(ProfilesAPI.applyPartnerships, ApplyPartnershipsRequest()).position == 2)
        }
    }

    @Test("members of other networks do not exist to a person; admins see their networks' members whole")
    func networks() async throws {
        try await withProfilesServer { client in
            let ada = try await client.create(sampleMember(email: "ada@example.org", networks: ["acme"])).id
            let cy = try await client.create(sampleMember(email: "cy@example.org", networks: ["acme", "guild"])).id
            let dee = try await client.create(sampleMember(email: "dee@example.org", networks: ["globex"])).id
            func get(_ id: String, _ options: CallOptions) async throws -> Member {
                try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: id), options: options)
            }
            #expect(try await get(cy, Self.person(ada)).email == "")
            #expect(try await get(cy, Self.person(ada)).displayName == "Ada Lovelace")
            #expect(try await get(ada, Self.person(ada)).email == "ada@example.org")
            await #expect { _ = try await get(dee, Self.person(ada)) } throws: {
                isRPCError($0, .notFound, "no member \(dee)")
            }
            #expect(try await get(dee, Self.person(nil, admin: ["globex"])).email == "dee@example.org")
            #expect(try await get(cy, Self.person(nil, admin: ["guild"])).email == "cy@example.org")
            await #expect { _ = try await get(ada, Self.person(nil, admin: ["guild"])) } throws: {
                isRPCError($0, .notFound)
            }
            // A service (no principal) sees everyone whole.
            #expect(try await get(dee, CallOptions()).email == "dee@example.org")
            let listed = try await client.unary(
                ProfilesAPI.listMembers, ListMembersRequest(), options: Self.person(nil, admin: ["guild"]))
            #expect(listed.members.map(\.id) == [cy] && listed.members[0].email == "cy@example.org")
            let asAda = try await client.unary(
                ProfilesAPI.listMembers, ListMembersRequest(network: "globex"), options: Self.person(ada))
            #expect(asAda.members.isEmpty)
        }
    }
}

@Suite("reading a member's networks from its encoding")
struct EncodedNetworksTests {
    @Test("the networks of any member, as decoding gives them; garbage ends the scan")
    func networks() throws {
        for networks in [["acme"], ["acme", "guild", "open-source"], []] {
            var member = sampleMember(networks: networks)
            member.id = "mbr_x"
            member.version = 300
            let bytes = try member.encoded()
            #expect(ProfilesService.networks(inEncoded: bytes) == networks)
        }
        #expect(ProfilesService.networks(inEncoded: [0x3a, 0xff]) == [])
        #expect(ProfilesService.networks(inEncoded: [0x3a, 0x02, 0x61]) == [])
    }
}
