import CProtobufC
import ProtoC
import Testing
import TestingV1
import Wire

/// protobuf-c 1.4.1 can leave `unknown_fields` uninitialised, which makes
/// `protobuf_c_message_free_unpacked` free garbage. The bridge never frees message by message:
/// it unpacks into an arena released whole. These tests run that path on poisoned memory.
@Suite("the arena unpack path")
struct ArenaTests {
    var descriptor: UnsafePointer<ProtobufCMessageDescriptor> {
        proto_registry_message_named("mentornet.testing.v1.EchoRequest")!
    }

    func unpack(_ bytes: [UInt8], check: (UnsafePointer<ProtobufCMessage>) -> Void) {
        let arena = proto_arena_acquire(1)!  // fill with 0xA5 so nothing can rely on zeroed memory
        defer { proto_arena_release(arena) }
        bytes.withUnsafeBufferPointer { buffer in
            let message = proto_arena_unpack(arena, descriptor, buffer.count, buffer.baseAddress)
            #expect(message != nil)
            if let message { check(message) }
        }
        #expect(proto_arena_bytes_used(arena) > 0)
    }

    @Test("a message without unknown fields has none recorded, on poisoned memory")
    func withoutUnknownFields() {
        unpack([0x0A, 0x01, 0x68]) { message in
            #expect(message.pointee.n_unknown_fields == 0)
        }
    }

    @Test("unknown fields are recorded in the arena and released with it")
    func withUnknownFields() {
        unpack([0x98, 0x06, 0x05, 0xA2, 0x06, 0x02, 0xFF, 0xFE, 0x0A, 0x01, 0x68]) { message in
            #expect(message.pointee.n_unknown_fields == 2)
            #expect(message.pointee.unknown_fields != nil)
        }
    }

    @Test("released arenas are reused empty, also when acquired while another is held")
    func reuse() {
        let first = proto_arena_acquire(0)!
        _ = proto_arena_alloc(first, 100_000)  // past the first block
        let second = proto_arena_acquire(0)!  // taken while the first is held
        _ = proto_arena_alloc(second, 10)
        let third = proto_arena_acquire(0)!  // both cached ones held: an arena of its own
        #expect(Set([first, second, third].map { UnsafeRawPointer($0) }).count == 3)
        _ = proto_arena_alloc(third, 10)
        proto_arena_release(third)
        proto_arena_release(second)
        proto_arena_release(first)
        let again = proto_arena_acquire(0)!
        let nested = proto_arena_acquire(0)!
        #expect(proto_arena_bytes_used(again) == 0)
        #expect(proto_arena_bytes_used(nested) == 0)
        #expect(nested != again)
        proto_arena_release(nested)
        proto_arena_release(again)
    }

    @Test("decoding many messages with unknown fields keeps working")
    func repeatedDecoding() throws {
        let bytes: [UInt8] = [0x98, 0x06, 0x05, 0x0A, 0x02, 0x68, 0x69]
        for _ in 0..<10_000 {
            #expect(try EchoRequest(decoding: bytes).text == "hi")
        }
    }
}
