#!/usr/bin/env python3
"""A MentorNet protocol client written from docs/protocol.md alone, with no protobuf library.

It calls /mentornet.testing.v1.Echo/Get on a running `mentornet-echo`, prints the frames in
hex and checks the answers; with MENTORNET_SERVICE_SECRET set it authenticates (docs/protocol.md,
5.1). Usage: echo_client.py HOST:PORT
"""
import os
import socket
import struct
import sys


def varint(n):
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        if n:
            out += bytes([low | 0x80])
        else:
            return out + bytes([low])


def field(number, value):
    """An int (varint, wire type 0) or bytes (length-delimited, wire type 2) field."""
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    return varint(number << 3 | 2) + varint(len(value)) + value


def request(call_id, method, payload, timeout_micros=0, metadata=()):
    body = field(1, call_id) + field(2, 1) + field(3, method.encode())
    if timeout_micros:
        body += field(4, timeout_micros)
    for key, value in metadata:
        body += field(5, field(1, key.encode()) + field(2, value.encode()))
    body += field(6, payload)
    return struct.pack(">I", len(body)) + body


def read_frame(sock):
    header = sock.recv(4, socket.MSG_WAITALL)
    (length,) = struct.unpack(">I", header)
    return header + sock.recv(length, socket.MSG_WAITALL)


def hexdump(data):
    for i in range(0, len(data), 16):
        chunk = data[i : i + 16]
        text = "".join(chr(c) if 32 <= c < 127 else "." for c in chunk)
        print("%04x  %-48s %s" % (i, " ".join("%02x" % c for c in chunk), text))


def main(address):
    host, port = address.rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=10)
    method = "/mentornet.testing.v1.Echo/Get"

    metadata = [("trace-id", "t-1")]
    # A server with a service secret wants it with every call (docs/protocol.md, 5.1).
    secret = os.environ.get("MENTORNET_SERVICE_SECRET")
    if secret:
        metadata.append(("authorization", "Service echo-example " + secret))
    ok = request(1, method, field(1, b"hi"), timeout_micros=250000, metadata=metadata)
    print("request:"), hexdump(ok)
    sock.sendall(ok)
    answer = read_frame(sock)
    print("response:"), hexdump(answer)
    # call_id 1, kind RESPONSE, payload EchoResponse{text: "hi"}, no status (OK)
    assert answer == bytes.fromhex("0000000a08011003320" "40a026869"), answer.hex()

    failing = request(2, method, field(1, b"status:NOT_FOUND"), metadata=metadata[1:])
    sock.sendall(failing)
    answer = read_frame(sock)
    print("error response:"), hexdump(answer)
    expected_status = field(1, 5) + field(2, b"failed as asked")
    assert answer[4:] == field(1, 2) + field(2, 3) + field(7, expected_status), answer.hex()
    print("ok")


if __name__ == "__main__":
    main(sys.argv[1])
