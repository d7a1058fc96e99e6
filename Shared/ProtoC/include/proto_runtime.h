// Hand-written support for the protobuf-c bridge: an arena allocator, building and unpacking
// messages in it, and a validating pre-pass over wire bytes. protobuf-c 1.4.1 itself accepts
// invalid UTF-8 and embedded NUL in strings and has no nesting limit, and no library here
// validates protobuf wire bytes against a protobuf-c descriptor, so this is written by hand.
#ifndef PROTO_RUNTIME_H
#define PROTO_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

/// A bump allocator: everything allocated in it is released at once by `proto_arena_release`.
typedef struct ProtoArena ProtoArena;

/// Takes one of this thread's two cached arenas when one is free, or a new one. `poison` fills
/// new memory with 0xA5.
ProtoArena *proto_arena_acquire(int poison);
/// Releases everything allocated in `arena` and returns it to the thread's cache (or frees it).
void proto_arena_release(ProtoArena *arena);
/// `size` bytes, 16-byte aligned, valid until the arena is released; NULL when out of memory.
void *proto_arena_alloc(ProtoArena *arena, size_t size);
/// Bytes currently handed out by the arena (for tests).
size_t proto_arena_bytes_used(const ProtoArena *arena);

/// Copies `length` bytes into the arena as a NUL-terminated string. Returns 0 and sets `*out`,
/// 1 when the bytes hold a NUL (protobuf-c strings cannot), or 2 when out of memory.
int proto_arena_copy_string(ProtoArena *arena, const uint8_t *bytes, size_t length, char **out);

/// Copies `length` bytes into the arena; NULL when out of memory.
uint8_t *proto_arena_copy_bytes(ProtoArena *arena, const uint8_t *bytes, size_t length);

/// A new message of `descriptor`'s type in the arena, initialised with its defaults.
ProtobufCMessage *proto_arena_new_message(ProtoArena *arena, const ProtobufCMessageDescriptor *descriptor);
/// protobuf-c's unpack with the arena as allocator: nothing is freed one by one, so the
/// uninitialised `unknown_fields` of protobuf-c 1.4.1 are never passed to free.
ProtobufCMessage *proto_arena_unpack(ProtoArena *arena, const ProtobufCMessageDescriptor *descriptor,
                                     size_t length, const uint8_t *data);

/// Why `proto_validate` rejected some bytes.
typedef enum ProtoValidationCode {
    PROTO_VALID = 0,
    PROTO_TRUNCATED = 1,
    PROTO_BAD_VARINT = 2,
    PROTO_BAD_FIELD_NUMBER = 3,
    PROTO_BAD_WIRE_TYPE = 4,
    PROTO_WRONG_WIRE_TYPE = 5,
    PROTO_INVALID_UTF8 = 6,
    PROTO_NUL_IN_STRING = 7,
    PROTO_TOO_DEEP = 8,
} ProtoValidationCode;

/// Where and why validation failed: `path` names the field, e.g. `metadata[1].value`.
typedef struct ProtoValidationError {
    ProtoValidationCode code;
    size_t offset;
    char path[256];
} ProtoValidationError;

/// Walks `data` as an encoding of `descriptor`'s message: well-formed tags and lengths, strings
/// valid UTF-8 without NUL, nesting at most `max_depth`. Unknown fields are skipped, not parsed.
/// `error` may be NULL; when given, it says where and why the walk failed.
ProtoValidationCode proto_validate(const ProtobufCMessageDescriptor *descriptor, const uint8_t *data,
                                   size_t length, unsigned max_depth, ProtoValidationError *error);

/// 1 when `data` is valid UTF-8 (no surrogates, no overlong forms) and holds no NUL byte.
int proto_utf8_is_valid_without_nul(const uint8_t *data, size_t length, size_t *bad_offset);

#endif
