// See include/proto_runtime.h for why this is written by hand.
#include "proto_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Arena

typedef struct ProtoArenaBlock {
    struct ProtoArenaBlock *next;
    size_t capacity;
    size_t used;
    _Alignas(16) unsigned char bytes[];
} ProtoArenaBlock;

struct ProtoArena {
    ProtobufCAllocator allocator;
    ProtoArenaBlock *head;   // the block being filled; older blocks follow through `next`
    ProtoArenaBlock *first;  // kept across releases so a reused arena allocates nothing
    int poison;
    size_t bytes_used;
};

enum { FIRST_BLOCK_SIZE = 4096 - sizeof(ProtoArenaBlock) };

// Two cached arenas per thread: a message is decoded or encoded in one, and a second may be
// acquired while the first is held (the server decodes a request's payload while its frame's
// arena is alive). A third nested acquire gets an arena of its own. The cached arenas live as
// long as the thread.
// initial-exec: this code is linked into executables, and the default model for -fPIC code
// calls __tls_get_addr on every access, which showed up in profiles of the server.
enum { CACHED_ARENAS = 2 };
static _Thread_local ProtoArena *cached_arenas[CACHED_ARENAS] __attribute__((tls_model("initial-exec")));
static _Thread_local int cached_arena_busy[CACHED_ARENAS] __attribute__((tls_model("initial-exec")));

static ProtoArenaBlock *block_new(size_t capacity, int poison) {
    ProtoArenaBlock *block = malloc(sizeof(ProtoArenaBlock) + capacity);
    if (block == NULL) return NULL;
    block->next = NULL;
    block->capacity = capacity;
    block->used = 0;
    if (poison) memset(block->bytes, 0xA5, capacity);
    return block;
}

static void *arena_alloc_callback(void *data, size_t size) { return proto_arena_alloc(data, size); }

// Memory goes back all at once in proto_arena_release.
static void arena_free_callback(void *data, void *pointer) {
    (void)data;
    (void)pointer;
}

static ProtoArena *arena_new(int poison) {
    ProtoArena *arena = malloc(sizeof(ProtoArena));
    if (arena == NULL) return NULL;
    arena->first = block_new(FIRST_BLOCK_SIZE, poison);
    if (arena->first == NULL) {
        free(arena);
        return NULL;
    }
    arena->head = arena->first;
    arena->poison = poison;
    arena->bytes_used = 0;
    arena->allocator.alloc = arena_alloc_callback;
    arena->allocator.free = arena_free_callback;
    arena->allocator.allocator_data = arena;
    return arena;
}

static void arena_reset(ProtoArena *arena) {
    ProtoArenaBlock *block = arena->head;
    while (block != arena->first) {
        ProtoArenaBlock *next = block->next;
        free(block);
        block = next;
    }
    arena->head = arena->first;
    arena->first->used = 0;
    arena->bytes_used = 0;
}

static void arena_destroy(ProtoArena *arena) {
    arena_reset(arena);
    free(arena->first);
    free(arena);
}

ProtoArena *proto_arena_acquire(int poison) {
    for (int i = 0; i < CACHED_ARENAS; i++) {
        ProtoArena *cached = cached_arenas[i];
        if (cached != NULL && !cached_arena_busy[i]) {
            cached_arena_busy[i] = 1;
            cached->poison = poison;
            if (poison) memset(cached->first->bytes, 0xA5, cached->first->capacity);
            return cached;
        }
        if (cached == NULL) {
            ProtoArena *arena = arena_new(poison);
            if (arena != NULL) {
                cached_arenas[i] = arena;
                cached_arena_busy[i] = 1;
            }
            return arena;
        }
    }
    return arena_new(poison);
}

void proto_arena_release(ProtoArena *arena) {
    if (arena == NULL) return;
    for (int i = 0; i < CACHED_ARENAS; i++) {
        if (arena == cached_arenas[i]) {
            arena_reset(arena);
            cached_arena_busy[i] = 0;
            return;
        }
    }
    arena_destroy(arena);
}

void *proto_arena_alloc(ProtoArena *arena, size_t size) {
    size_t rounded = (size + 15) & ~(size_t)15;
    if (rounded < size) return NULL;
    ProtoArenaBlock *block = arena->head;
    if (block->capacity - block->used < rounded) {
        size_t capacity = block->capacity * 2;
        if (capacity < rounded) capacity = rounded;
        ProtoArenaBlock *fresh = block_new(capacity, arena->poison);
        if (fresh == NULL) return NULL;
        fresh->next = block;
        arena->head = fresh;
        block = fresh;
    }
    void *result = block->bytes + block->used;
    block->used += rounded;
    arena->bytes_used += rounded;
    return result;
}

size_t proto_arena_bytes_used(const ProtoArena *arena) { return arena->bytes_used; }

int proto_arena_copy_string(ProtoArena *arena, const uint8_t *bytes, size_t length, char **out) {
    if (length > 0 && memchr(bytes, 0, length) != NULL) return 1;
    char *copy = proto_arena_alloc(arena, length + 1);
    if (copy == NULL) return 2;
    if (length > 0) memcpy(copy, bytes, length);
    copy[length] = 0;
    *out = copy;
    return 0;
}

uint8_t *proto_arena_copy_bytes(ProtoArena *arena, const uint8_t *bytes, size_t length) {
    uint8_t *copy = proto_arena_alloc(arena, length > 0 ? length : 1);
    if (copy != NULL && length > 0) memcpy(copy, bytes, length);
    return copy;
}

ProtobufCMessage *proto_arena_new_message(ProtoArena *arena, const ProtobufCMessageDescriptor *descriptor) {
    ProtobufCMessage *message = proto_arena_alloc(arena, descriptor->sizeof_message);
    if (message == NULL) return NULL;
    descriptor->message_init(message);
    return message;
}

ProtobufCMessage *proto_arena_unpack(ProtoArena *arena, const ProtobufCMessageDescriptor *descriptor,
                                     size_t length, const uint8_t *data) {
    return protobuf_c_message_unpack(descriptor, &arena->allocator, length, data);
}

// MARK: - UTF-8

int proto_utf8_is_valid_without_nul(const uint8_t *data, size_t length, size_t *bad_offset) {
    size_t i = 0;
    while (i < length) {
        // Fast path: 8 ASCII bytes at a time, none of them NUL.
        while (length - i >= 8) {
            uint64_t word;
            memcpy(&word, data + i, 8);
            uint64_t has_high = word & 0x8080808080808080ULL;
            uint64_t has_zero = (word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL;
            if (has_high | has_zero) break;
            i += 8;
        }
        if (i >= length) break;
        uint8_t byte = data[i];
        if (byte >= 0x01 && byte < 0x80) {
            i += 1;
            continue;
        }
        if (byte == 0) goto bad;
        size_t need;
        uint32_t code;
        uint32_t minimum;
        if ((byte & 0xE0) == 0xC0) {
            need = 1, code = byte & 0x1F, minimum = 0x80;
        } else if ((byte & 0xF0) == 0xE0) {
            need = 2, code = byte & 0x0F, minimum = 0x800;
        } else if ((byte & 0xF8) == 0xF0) {
            need = 3, code = byte & 0x07, minimum = 0x10000;
        } else {
            goto bad;
        }
        if (length - i <= need) goto bad;
        for (size_t k = 1; k <= need; k++) {
            uint8_t next = data[i + k];
            if ((next & 0xC0) != 0x80) goto bad;
            code = (code << 6) | (next & 0x3F);
        }
        if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) goto bad;
        i += need + 1;
    }
    return 1;
bad:
    if (bad_offset != NULL) *bad_offset = i;
    return 0;
}

// MARK: - Validation

// The fields leading to the message being walked, innermost last; formatted only on failure.
// A repeated field's index is counted only when a path is formatted (on failure): counting it
// for every element of a valid message would make the walk quadratic in the elements.
typedef struct PathStep {
    const struct PathStep *parent;
    const ProtobufCFieldDescriptor *field;
    const uint8_t *message_start;  // the message holding `field`
    const uint8_t *field_start;    // this occurrence of `field` in it
} PathStep;

typedef struct Walk {
    unsigned max_depth;
    ProtoValidationError *error;
    const uint8_t *start;
} Walk;

static size_t read_varint(const uint8_t *p, size_t available, uint64_t *value) {
    uint64_t result = 0;
    for (size_t i = 0; i < available && i < 10; i++) {
        result |= (uint64_t)(p[i] & 0x7F) << (7 * i);
        if ((p[i] & 0x80) == 0) {
            *value = result;
            return i + 1;
        }
    }
    return 0;
}

/// The index of the occurrence of field `number` that starts at `field_start`, counted from
/// `message_start` (only needed for error messages).
static unsigned occurrence_index(const uint8_t *message_start, const uint8_t *field_start, uint32_t number) {
    // Occurrences of `number` before the one at `field_start`; the fields before it are well-formed.
    unsigned index = 0;
    const uint8_t *p = message_start;
    while (p < field_start) {
        uint64_t key, value;
        size_t used = read_varint(p, (size_t)(field_start - p), &key);
        if (used == 0) break;
        p += used;
        if ((key >> 3) == number) index++;
        switch (key & 7) {
        case 0:
            used = read_varint(p, (size_t)(field_start - p), &value);
            if (used == 0) return index;
            p += used;
            break;
        case 1: p += 8; break;
        case 5: p += 4; break;
        case 2:
            used = read_varint(p, (size_t)(field_start - p), &value);
            if (used == 0) return index;
            p += used + value;
            break;
        default: return index;
        }
    }
    return index;
}

static size_t format_path(const PathStep *step, char *out, size_t room) {
    if (step == NULL || step->field == NULL) return 0;
    size_t used = format_path(step->parent, out, room);
    if (used >= room) return used;
    const char *dot = used > 0 ? "." : "";
    int written;
    if (step->field->label == PROTOBUF_C_LABEL_REPEATED) {
        unsigned index = occurrence_index(step->message_start, step->field_start, step->field->id);
        written = snprintf(out + used, room - used, "%s%s[%u]", dot, step->field->name, index);
    } else {
        written = snprintf(out + used, room - used, "%s%s", dot, step->field->name);
    }
    if (written < 0) return used;
    return used + (size_t)written < room ? used + (size_t)written : room - 1;
}

static ProtoValidationCode fail(Walk *walk, ProtoValidationCode code, const uint8_t *at, const PathStep *path,
                                const ProtobufCFieldDescriptor *field, const uint8_t *message_start,
                                const uint8_t *field_start) {
    if (walk->error == NULL) return code;
    PathStep leaf = {path, field, message_start, field_start};
    walk->error->code = code;
    walk->error->offset = (size_t)(at - walk->start);
    size_t length = format_path(field != NULL ? &leaf : path, walk->error->path, sizeof(walk->error->path));
    walk->error->path[length] = 0;
    return code;
}

static int wire_type_fits(const ProtobufCFieldDescriptor *field, unsigned wire_type) {
    int repeated = field->label == PROTOBUF_C_LABEL_REPEATED;
    switch (field->type) {
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_BYTES:
    case PROTOBUF_C_TYPE_MESSAGE:
        return wire_type == 2;
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
        return wire_type == 1 || (repeated && wire_type == 2);
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_FLOAT:
        return wire_type == 5 || (repeated && wire_type == 2);
    default:
        return wire_type == 0 || (repeated && wire_type == 2);
    }
}

static ProtoValidationCode walk_message(Walk *walk, const ProtobufCMessageDescriptor *descriptor,
                                        const uint8_t *p, size_t length, unsigned depth, const PathStep *path) {
    const uint8_t *const start = p;
    if (depth > walk->max_depth) return fail(walk, PROTO_TOO_DEEP, p, path, NULL, start, p);
    const uint8_t *end = p + length;
    while (p < end) {
        const uint8_t *field_start = p;
        uint64_t key;
        size_t used = read_varint(p, (size_t)(end - p), &key);
        if (used == 0) {
            return fail(walk, (size_t)(end - p) < 10 ? PROTO_TRUNCATED : PROTO_BAD_VARINT, p, path, NULL, start, p);
        }
        p += used;
        uint64_t number = key >> 3;
        unsigned wire_type = (unsigned)(key & 7);
        if (number == 0 || number > 536870911u) {
            return fail(walk, PROTO_BAD_FIELD_NUMBER, field_start, path, NULL, start, field_start);
        }
        const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field(descriptor, (unsigned)number);
        if (field != NULL && !wire_type_fits(field, wire_type)) {
            return fail(walk, PROTO_WRONG_WIRE_TYPE, field_start, path, field, start, field_start);
        }
        uint64_t value;
        switch (wire_type) {
        case 0:
            used = read_varint(p, (size_t)(end - p), &value);
            if (used == 0) {
                ProtoValidationCode code = (size_t)(end - p) < 10 ? PROTO_TRUNCATED : PROTO_BAD_VARINT;
                return fail(walk, code, p, path, field, start, field_start);
            }
            p += used;
            break;
        case 1:
            if ((size_t)(end - p) < 8) return fail(walk, PROTO_TRUNCATED, p, path, field, start, field_start);
            p += 8;
            break;
        case 5:
            if ((size_t)(end - p) < 4) return fail(walk, PROTO_TRUNCATED, p, path, field, start, field_start);
            p += 4;
            break;
        case 2: {
            used = read_varint(p, (size_t)(end - p), &value);
            if (used == 0) {
                ProtoValidationCode code = (size_t)(end - p) < 10 ? PROTO_TRUNCATED : PROTO_BAD_VARINT;
                return fail(walk, code, p, path, field, start, field_start);
            }
            p += used;
            if (value > (uint64_t)(end - p)) return fail(walk, PROTO_TRUNCATED, p, path, field, start, field_start);
            if (field != NULL && field->type == PROTOBUF_C_TYPE_STRING) {
                size_t bad = 0;
                if (!proto_utf8_is_valid_without_nul(p, (size_t)value, &bad)) {
                    ProtoValidationCode code = p[bad] == 0 ? PROTO_NUL_IN_STRING : PROTO_INVALID_UTF8;
                    return fail(walk, code, p + bad, path, field, start, field_start);
                }
            } else if (field != NULL && field->type == PROTOBUF_C_TYPE_MESSAGE) {
                PathStep step = {path, field, start, field_start};
                ProtoValidationCode code = walk_message(walk, field->descriptor, p, (size_t)value, depth + 1, &step);
                if (code != PROTO_VALID) return code;
            }
            p += value;
            break;
        }
        default:
            // 3 and 4 are proto2 groups, which protobuf-c does not parse; 6 and 7 do not exist.
            return fail(walk, PROTO_BAD_WIRE_TYPE, field_start, path, field, start, field_start);
        }
    }
    return PROTO_VALID;
}

ProtoValidationCode proto_validate(const ProtobufCMessageDescriptor *descriptor, const uint8_t *data,
                                   size_t length, unsigned max_depth, ProtoValidationError *error) {
    Walk walk;
    walk.max_depth = max_depth;
    walk.error = error;
    walk.start = data;
    if (error != NULL) {
        error->code = PROTO_VALID;
        error->offset = 0;
        error->path[0] = 0;
    }
    return walk_message(&walk, descriptor, data, length, 0, NULL);
}
