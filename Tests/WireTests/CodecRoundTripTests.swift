import ProfilesV1
import RPC
import Testing
import TestingV1
import Wire

@Suite("protobuf-c codec round trips")
struct CodecRoundTripTests {
    static let longText = String(repeating: "mentoring ", count: 20_000)
    static let unicode = "Zoë mentors 日本語 and Ünïcödé 🚀 — العربية"

    @Test("a frame with every field set round-trips")
    func fullFrame() throws {
        let frame = Frame(
            callID: UInt64.max - 7,
            kind: .request,
            method: "/mentornet.testing.v1.Echo/Get",
            timeoutMicros: 1_500_000,
            metadata: [
                MetadataEntry(key: "trace-id", value: "abc123"),
                MetadataEntry(key: "principal", value: Self.unicode),
                MetadataEntry(key: "empty", value: ""),
            ],
            payload: [0, 1, 2, 0, 255, 0],
            status: Status(
                code: .invalidArgument,
                message: "bad",
                violations: [
                    FieldViolation(field: "email", description: "must contain @"),
                    FieldViolation(field: "expertise[2].level", description: "must be 1 to 5"),
                ]
            )
        )
        let decoded = try Frame(decoding: frame.encoded())
        #expect(decoded == frame)
    }

    @Test("an empty message encodes to zero bytes and decodes to defaults")
    func emptyFrame() throws {
        #expect(try Frame().encoded() == [])
        #expect(try Frame(decoding: [UInt8]()) == Frame())
        #expect(try EchoRequest(decoding: [UInt8]()) == EchoRequest())
    }

    @Test("strings of every kind round-trip", arguments: ["", "a", unicode, longText])
    func strings(_ text: String) throws {
        let request = EchoRequest(text: text, tags: [text, "x", text])
        #expect(try EchoRequest(decoding: request.encoded()) == request)
    }

    @Test("repeated and nested fields keep their order")
    func nested() throws {
        let tree = Node(
            label: "root",
            children: [
                Node(label: "a", children: [Node(label: "a1"), Node(label: "a2")]),
                Node(label: "b"),
            ])
        #expect(try Node(decoding: tree.encoded()) == tree)
    }

    @Test("every message type round-trips with non-default values")
    func everyType() throws {
        #expect(try roundTrip(MetadataEntry(key: "k", value: "v")))
        #expect(try roundTrip(FieldViolation(field: "f", description: "d")))
        #expect(
            try roundTrip(
                Status(code: .unauthenticated, message: "who", violations: [.init(field: "a", description: "b")])))
        #expect(try roundTrip(HealthCheckRequest(service: "mentornet.profiles.v1.Profiles")))
        for status in HealthCheckResponse.ServingStatus.allCases {
            #expect(try roundTrip(HealthCheckResponse(status: status)))
        }
        #expect(try roundTrip(EchoRequest(text: "t", blob: [9, 0, 9], count: 3, delayMillis: 7, tags: ["x", "y"])))
        #expect(try roundTrip(EchoResponse(text: "t", blob: [1], index: 42, tags: ["z"])))
        for kind in FrameKind.allCases {
            #expect(try roundTrip(Frame(callID: 1, kind: kind)))
        }
        for code in StatusCode.allCases where code != .ok {
            #expect(try roundTrip(Status(code: code)))
        }
    }

    @Test("a member with every field set round-trips")
    func fullMember() throws {
        let member = Member(
            id: "mbr_01hx", email: "zoë@example.org", displayName: "Zoë", headline: "Staff engineer", bio: Self.unicode,
            roles: [.mentor, .mentee], networks: ["acme", "oss"], organization: "Acme", department: "Platform",
            location: "Berlin", timezone: "Europe/Berlin", languages: ["de", "en"], yearsOfExperience: 12,
            expertise: [Expertise(skill: "swift", level: 5)], learningGoals: [LearningGoal(skill: "rust", priority: 1)],
            mentoringCapacity: 3, availability: [AvailabilityWindow(weekday: 2, startMinute: 540, endMinute: 600)],
            preferences: MatchPreferences(oneWay: true, mutual: true, organization: .other), status: .paused,
            version: 7, createdAtMicros: 1_700_000_000_000_000, updatedAtMicros: -1
        )
        #expect(try Member(decoding: member.encoded()) == member)
        let change = MemberChange(sequence: 9, eventID: "evt", kind: .deactivated, member: member, occurredAtMicros: 5)
        #expect(try MemberChange(decoding: change.encoded()) == change)
        let page = ListChangesResponse(changes: [change, change], headSequence: 10)
        #expect(try ListChangesResponse(decoding: page.encoded()) == page)
        let list = ListMembersRequest(
            network: "acme", role: .mentor, skill: "swift", query: "q", status: .active, pageSize: 5, pageToken: "t")
        #expect(try ListMembersRequest(decoding: list.encoded()) == list)
        let update = UpdateMemberRequest(member: member, updateMask: ["headline"], expectedVersion: 7)
        #expect(try UpdateMemberRequest(decoding: update.encoded()) == update)
        let batch = BatchGetMembersResponse(members: [member], missingIDs: ["x"])
        #expect(try BatchGetMembersResponse(decoding: batch.encoded()) == batch)
    }

    @Test("a status code this build does not know reads as UNKNOWN")
    func unknownStatusCode() throws {
        // field 1 (code), varint 99
        #expect(try Status(decoding: [0x08, 99]).code == .unknown)
    }

    @Test("the encoding is what protobuf specifies, byte for byte")
    func knownBytes() throws {
        let frame = Frame(callID: 1, kind: .request, method: "/a/B", payload: [0x0A, 0x02, 0x68, 0x69])
        let expected: [UInt8] = [
            0x08, 0x01, 0x10, 0x01, 0x1A, 0x04, 0x2F, 0x61, 0x2F, 0x42, 0x32, 0x04, 0x0A, 0x02, 0x68, 0x69,
        ]
        #expect(try frame.encoded() == expected)
        #expect(try EchoRequest(decoding: [0x0A, 0x02, 0x68, 0x69]).text == "hi")
    }

    private func roundTrip<M: ProtoMessage>(_ message: M) throws -> Bool {
        try M(decoding: message.encoded()) == message
    }
}
