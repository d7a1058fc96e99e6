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

// One cached arena per thread: decoding and encoding never nest on one thread except through
// a second acquire, which then gets its own arena. The cached arena lives as long as the thread.
static _Thread_local ProtoArena *cached_arena;
static _Thread_local int cached_arena_busy;

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
    if (cached_arena != NULL && !cached_arena_busy) {
        cached_arena_busy = 1;
        cached_arena->poison = poison;
        if (poison) memset(cached_arena->first->bytes, 0xA5, cached_arena->first->capacity);
        return cached_arena;
    }
    ProtoArena *arena = arena_new(poison);
    if (arena != NULL && cached_arena == NULL) {
        cached_arena = arena;
        cached_arena_busy = 1;
    }
    return arena;
}

void proto_arena_release(ProtoArena *arena) {
    if (arena == NULL) return;
    if (arena == cached_arena) {
        arena_reset(arena);
        cached_arena_busy = 0;
    } else {
        arena_destroy(arena);
    }
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

typedef struct Walk {
    unsigned max_depth;
    ProtoValidationError *error;
    const uint8_t *start;
    char path[256];
    size_t path_length;
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

static void append_path(Walk *walk, const ProtobufCFieldDescriptor *field, unsigned index) {
    int written;
    size_t room = sizeof(walk->path) - walk->path_length;
    const char *dot = walk->path_length > 0 ? "." : "";
    if (field->label == PROTOBUF_C_LABEL_REPEATED) {
        written = snprintf(walk->path + walk->path_length, room, "%s%s[%u]", dot, field->name, index);
    } else {
        written = snprintf(walk->path + walk->path_length, room, "%s%s", dot, field->name);
    }
    if (written > 0) walk->path_length += (size_t)written < room ? (size_t)written : room - 1;
}

static ProtoValidationCode fail(Walk *walk, ProtoValidationCode code, const uint8_t *at,
                                const ProtobufCFieldDescriptor *field, unsigned index) {
    if (field != NULL) append_path(walk, field, index);
    walk->error->code = code;
    walk->error->offset = (size_t)(at - walk->start);
    memcpy(walk->error->path, walk->path, walk->path_length);
    walk->error->path[walk->path_length] = 0;
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
                                        const uint8_t *p, size_t length, unsigned depth) {
    if (depth > walk->max_depth) return fail(walk, PROTO_TOO_DEEP, p, NULL, 0);
    // Occurrences per field, for indices of repeated fields in error paths.
    unsigned counts[64] = {0};
    const uint8_t *end = p + length;
    while (p < end) {
        const uint8_t *field_start = p;
        uint64_t key;
        size_t used = read_varint(p, (size_t)(end - p), &key);
        if (used == 0) return fail(walk, (size_t)(end - p) < 10 ? PROTO_TRUNCATED : PROTO_BAD_VARINT, p, NULL, 0);
        p += used;
        uint64_t number = key >> 3;
        unsigned wire_type = (unsigned)(key & 7);
        if (number == 0 || number > 536870911u) return fail(walk, PROTO_BAD_FIELD_NUMBER, field_start, NULL, 0);
        const ProtobufCFieldDescriptor *field = protobuf_c_message_descriptor_get_field(descriptor, (unsigned)number);
        unsigned index = 0;
        if (field != NULL) {
            size_t slot = (size_t)(field - descriptor->fields);
            if (slot < 64) index = counts[slot]++;
            if (!wire_type_fits(field, wire_type)) return fail(walk, PROTO_WRONG_WIRE_TYPE, field_start, field, index);
        }
        uint64_t value;
        switch (wire_type) {
        case 0:
            used = read_varint(p, (size_t)(end - p), &value);
            if (used == 0) return fail(walk, (size_t)(end - p) < 10 ? PROTO_TRUNCATED : PROTO_BAD_VARINT, p, field, index);
            p += used;
            break;
        case 1:
            if ((size_t)(end - p) < 8) return fail(walk, PROTO_TRUNCATED, p, field, index);
            p += 8;
            break;
        case 5:
            if ((size_t)(end - p) < 4) return fail(walk, PROTO_TRUNCATED, p, field, index);
            p += 4;
            break;
        case 2: {
            used = read_varint(p, (size_t)(end - p), &value);
            if (used == 0) return fail(walk, (size_t)(end - p) < 10 ? PROTO_TRUNCATED : PROTO_BAD_VARINT, p, field, index);
            p += used;
            if (value > (uint64_t)(end - p)) return fail(walk, PROTO_TRUNCATED, p, field, index);
            if (field != NULL && field->type == PROTOBUF_C_TYPE_STRING) {
                size_t bad = 0;
                if (!proto_utf8_is_valid_without_nul(p, (size_t)value, &bad)) {
                    ProtoValidationCode code = p[bad] == 0 ? PROTO_NUL_IN_STRING : PROTO_INVALID_UTF8;
                    return fail(walk, code, p + bad, field, index);
                }
            } else if (field != NULL && field->type == PROTOBUF_C_TYPE_MESSAGE) {
                size_t saved = walk->path_length;
                append_path(walk, field, index);
                ProtoValidationCode code = walk_message(walk, field->descriptor, p, (size_t)value, depth + 1);
                if (code != PROTO_VALID) return code;
                walk->path_length = saved;
                walk->path[saved] = 0;
            }
            p += value;
            break;
        }
        default:
            // 3 and 4 are proto2 groups, which protobuf-c does not parse; 6 and 7 do not exist.
            return fail(walk, PROTO_BAD_WIRE_TYPE, field_start, field, index);
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
    walk.path[0] = 0;
    walk.path_length = 0;
    error->code = PROTO_VALID;
    error->offset = 0;
    error->path[0] = 0;
    return walk_message(&walk, descriptor, data, length, 0);
}
