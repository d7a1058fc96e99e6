// The registry of message descriptors; scripts/gen-proto generates its definition (generated/proto_registry.c).
#ifndef PROTO_REGISTRY_H
#define PROTO_REGISTRY_H

#include <protobuf-c/protobuf-c.h>

/// Every message descriptor generated from proto/, NULL-terminated.
extern const ProtobufCMessageDescriptor *const proto_registry_messages[];

/// The descriptor of the message with this full name (e.g. "mentornet.rpc.v1.Frame"), or NULL.
const ProtobufCMessageDescriptor *proto_registry_message_named(const char *full_name);

/// The index-th descriptor in the registry, or NULL past the end.
const ProtobufCMessageDescriptor *proto_registry_message_at(unsigned index);

#endif
