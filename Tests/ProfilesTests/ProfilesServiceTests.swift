import ProfilesService
import ProfilesV1
import RPC
import Testing
import Wire

@Suite("the profiles service over the binary protocol")
struct ProfilesServiceTests {
    @Test("create → get → update → stale update → pause → resume → deactivate")
    func lifecycle() async throws {
        try await withProfilesServer { client in
            let created = try await client.create(sampleMember(email: "Ada@Example.org"))
            #expect(created.id.hasPrefix("mbr_"))
            #expect(created.status == .active)
            #expect(created.version == 1)
            #expect(created.createdAtMicros > 0)
            #expect(created.expertise == [Expertise(skill: "swift", level: 4)])

            let fetched = try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: created.id))
            #expect(fetched == created)

            var change = Member(id: created.id)
            change.headline = "Now a principal engineer"
            let updated = try await client.unary(
                ProfilesAPI.updateMember,
                UpdateMemberRequest(member: change, updateMask: ["headline"], expectedVersion: 1)
            )
            #expect(updated.headline == "Now a principal engineer")
            #expect(updated.displayName == created.displayName)
            #expect(updated.version == 2)

            let stale = await #expect(throws: RPCError.self) {
                try await client.unary(
                    ProfilesAPI.updateMember,
                    UpdateMemberRequest(member: change, updateMask: ["headline"], expectedVersion: 1))
            }
            #expect(stale?.code == .aborted)

            let paused = try await client.unary(ProfilesAPI.pauseMember, SetMemberStatusRequest(id: created.id))
            #expect(paused.status == .paused)
            let again = await #expect(throws: RPCError.self) {
                try await client.unary(ProfilesAPI.pauseMember, SetMemberStatusRequest(id: created.id))
            }
            #expect(again?.code == .failedPrecondition)
            let resumed = try await client.unary(ProfilesAPI.resumeMember, SetMemberStatusRequest(id: created.id))
            #expect(resumed.status == .active)
            let gone = try await client.unary(
                ProfilesAPI.deactivateMember, SetMemberStatusRequest(id: created.id, expectedVersion: resumed.version))
            #expect(gone.status == .deactivated)
            let frozen = await #expect(throws: RPCError.self) {
                try await client.unary(
                    ProfilesAPI.updateMember, UpdateMemberRequest(member: change, updateMask: ["headline"]))
            }
            #expect(frozen?.code == .failedPrecondition)
        }
    }

    @Test("unknown ids are NOT_FOUND and malformed ids INVALID_ARGUMENT")
    func missing() async throws {
        try await withProfilesServer { client in
            let missing = await #expect(throws: RPCError.self) {
                try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: "mbr_0000000000000000000000000a"))
            }
            #expect(missing?.code == .notFound)
            let malformed = await #expect(throws: RPCError.self) {
                try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: "42"))
            }
            #expect(malformed?.code == .invalidArgument)
            #expect(malformed?.violations.first?.field == "id")
            let created = try await client.create(sampleMember())
            let batch = try await client.unary(
                ProfilesAPI.batchGetMembers,
                BatchGetMembersRequest(ids: [created.id, "mbr_0000000000000000000000000a"])
            )
            #expect(batch.members.map(\.id) == [created.id])
            #expect(batch.missingIDs == ["mbr_0000000000000000000000000a"])
        }
    }

    @Test("a duplicate email, in any case, is ALREADY_EXISTS")
    func duplicateEmail() async throws {
        try await withProfilesServer { client in
            _ = try await client.create(sampleMember(email: "grace@example.org"))
            let error = await #expect(throws: RPCError.self) {
                try await client.create(sampleMember(email: "GRACE@example.ORG"))
            }
            #expect(error?.code == .alreadyExists)
            let all = try await client.list(ListMembersRequest())
            #expect(all.members.count == 1)
        }
    }

    @Test("a create retried with its idempotency key returns the first member and creates no other")
    func idempotency() async throws {
        try await withProfilesServer { client in
            let first = try await client.create(sampleMember(), key: "signup-42")
            let retry = try await client.create(sampleMember(), key: "signup-42")
            #expect(retry == first)
            let misuse = await #expect(throws: RPCError.self) {
                try await client.create(sampleMember(email: "other@example.org"), key: "signup-42")
            }
            #expect(misuse?.code == .invalidArgument)
            #expect(misuse?.violations.first?.field == "idempotency-key")
            let all = try await client.list(ListMembersRequest())
            #expect(all.members.map(\.id) == [first.id])
        }
    }

    @Test("invalid input names the field and stores nothing")
    func invalidInputChangesNothing() async throws {
        try await withProfilesServer { client in
            var bad = sampleMember()
            bad.email = "nope"
            bad.expertise[0].level = 9
            let error = await #expect(throws: RPCError.self) { try await client.create(bad) }
            #expect(error?.code == .invalidArgument)
            #expect(error?.violations.map(\.field) == ["member.email", "member.expertise[0].level"])
            let missing = await #expect(throws: RPCError.self) {
                try await client.unary(ProfilesAPI.createMember, CreateMemberRequest())
            }
            #expect(missing?.violations.first?.field == "member")
            #expect(try await client.list(ListMembersRequest()).members.isEmpty)
            let feed = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest())
            #expect(feed.changes.isEmpty)

            let member = try await client.create(sampleMember())
            var change = Member(id: member.id)
            change.timezone = "Nowhere/Special"
            let badUpdate = await #expect(throws: RPCError.self) {
                try await client.unary(
                    ProfilesAPI.updateMember, UpdateMemberRequest(member: change, updateMask: ["timezone", "id"]))
            }
            #expect(badUpdate?.violations.map(\.field) == ["update_mask[1]"])
            let badValue = await #expect(throws: RPCError.self) {
                try await client.unary(
                    ProfilesAPI.updateMember, UpdateMemberRequest(member: change, updateMask: ["timezone"]))
            }
            #expect(badValue?.violations.map(\.field) == ["member.timezone"])
            let unchanged = try await client.unary(ProfilesAPI.getMember, GetMemberRequest(id: member.id))
            #expect(unchanged == member)
        }
    }

    @Test("search filters by network, role, skill, words and status, and pages with a cursor")
    func search() async throws {
        try await withProfilesServer { client in
            let ada = try await client.create(
                sampleMember(email: "ada@x.org", name: "Ada Lovelace", networks: ["acme"], skills: ["Swift"]))
            let bob = try await client.create(
                sampleMember(
                    email: "bob@x.org", name: "Bob Builder", roles: [.mentee], networks: ["acme", "oss"], skills: [],
                    goals: ["Swift"])
            )
            let cy = try await client.create(
                sampleMember(email: "cy@x.org", name: "Cy Twombly", networks: ["oss"], skills: ["Go"]))
            _ = try await client.unary(ProfilesAPI.pauseMember, SetMemberStatusRequest(id: cy.id))

            func ids(_ request: ListMembersRequest) async throws -> [String] {
                try await client.list(request).members.map(\.id)
            }
            #expect(try await ids(ListMembersRequest(network: "acme")) == [ada.id, bob.id])
            #expect(try await ids(ListMembersRequest(network: "OSS")) == [bob.id, cy.id])
            #expect(try await ids(ListMembersRequest(role: .mentor)) == [ada.id, cy.id])
            #expect(try await ids(ListMembersRequest(skill: "swift")) == [ada.id, bob.id])
            #expect(try await ids(ListMembersRequest(query: "lovelace")) == [ada.id])
            #expect(try await ids(ListMembersRequest(query: "bob builder")) == [bob.id])
            #expect(try await ids(ListMembersRequest(query: "builder lovelace")).isEmpty)
            #expect(try await ids(ListMembersRequest(status: .paused)) == [cy.id])
            #expect(try await ids(ListMembersRequest(network: "acme", role: .mentee, skill: "rust")) == [ada.id])

            var seen: [String] = []
            var token = ""
            repeat {
                let page = try await client.list(ListMembersRequest(pageSize: 2, pageToken: token))
                #expect(page.members.count <= 2)
                seen += page.members.map(\.id)
                token = page.nextPageToken
            } while !token.isEmpty
            #expect(seen == [ada.id, bob.id, cy.id])

            let tooBig = await #expect(throws: RPCError.self) {
                try await client.list(ListMembersRequest(pageSize: 201))
            }
            #expect(tooBig?.violations.first?.field == "page_size")
            let forged = await #expect(throws: RPCError.self) {
                try await client.list(ListMembersRequest(pageToken: "bm9wZQ=="))
            }
            #expect(forged?.violations.first?.field == "page_token")
        }
    }

    @Test("the change feed has every change in order; a reader resumes from its cursor; watch streams new ones")
    func changeFeed() async throws {
        try await withProfilesServer { client in
            let ada = try await client.create(sampleMember(email: "ada@x.org"))
            _ = try await client.unary(ProfilesAPI.pauseMember, SetMemberStatusRequest(id: ada.id))
            let bob = try await client.create(sampleMember(email: "bob@x.org"))

            let all = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest())
            #expect(all.changes.map(\.sequence) == [1, 2, 3])
            #expect(all.changes.map(\.kind) == [.created, .paused, .created])
            #expect(all.changes.map { $0.member?.id } == [ada.id, ada.id, bob.id])
            #expect(Set(all.changes.map(\.eventID)).count == 3)
            #expect(all.headSequence == 3)

            let rest = try await client.unary(ProfilesAPI.listChanges, ListChangesRequest(afterSequence: 2))
            #expect(rest.changes.map(\.sequence) == [3])

            var watched: [UInt64] = []
            for try await change in client.serverStreaming(
                ProfilesAPI.watchChanges, ListChangesRequest(afterSequence: 1))
            {
                watched.append(change.sequence)
                if watched == [2, 3] {
                    _ = try await client.unary(ProfilesAPI.resumeMember, SetMemberStatusRequest(id: ada.id))
                }
                if watched.count == 3 { break }
            }
            #expect(watched == [2, 3, 4])
        }
    }
}
