import Foundation
import HTTPMapping
import MatchingV1
import NIOCore
import NotificationsV1
import ProfilesV1
import ProtoJSON
import RPC
import SessionsV1
import Wire

/// The fuzz targets, by name (MENTORNET_FUZZ_TARGET). Each takes one input and either rejects it
/// the documented way or accepts it; anything else — a crash, a sanitizer report, a failed
/// round trip — is a finding.
enum Targets {
    static let all: [String: @Sendable (UnsafeRawBufferPointer) -> Void] = [
        "frame": frame,
        "envelope": envelope,
        "requests": requests,
        "json": json,
    ]

    /// The length-prefixed framing: the input as a byte stream, cut into reads at the sizes its
    /// first byte picks. Each frame body handed over lies within the input and the maximum size.
    static func frame(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        let step = 1 + Int(first)
        var splitter = FrameSplitter(maximumFrameSize: 4096)
        var offset = 1
        var total = 0
        while offset < input.count {
            let end = min(offset + step, input.count)
            var read = ByteBuffer()
            read.writeBytes(UnsafeRawBufferPointer(rebasing: input[offset..<end]))
            do {
                try splitter.split(read) { body in
                    precondition(body.count <= 4096, "a frame body over the maximum was handed over")
                    total += body.count + 4
                    return true
                }
            } catch {
                return  // a length over the maximum: the connection would be closed
            }
            offset = end
        }
        precondition(total + splitter.bufferedBytes <= input.count - 1, "more bytes handed over than read")
    }

    /// The envelope (protobuf-c): a decoded frame encodes to bytes that decode to the same frame.
    static func envelope(_ input: UnsafeRawBufferPointer) {
        guard let frame = try? Frame(decoding: input) else { return }
        roundTrip(frame)
    }

    /// Every request message of every service: those reached over HTTP
    /// (`<Service>API.visitHTTPMethods`) and those of the methods on the binary protocol only
    /// (`binaryOnly`); the first two bytes pick the method, the rest is its binary request.
    static func requests(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 2 else { return }
        let all = methods + binaryOnly
        let method = all[(Int(input[0]) << 8 | Int(input[1])) % all.count]
        method.binary(UnsafeRawBufferPointer(rebasing: input[2...]))
    }

    /// The request types of the methods without a route: the change feeds, the services-only
    /// reads and pushes, the streams and health (proto/: each `rpc` without `google.api.http`).
    static let binaryOnly: [Method] = [
        binary(ProfilesAPI.listChanges), binary(ProfilesAPI.batchGetMembers), binary(ProfilesAPI.authenticateApiKey),
        binary(ProfilesAPI.resolveMember), binary(ProfilesAPI.applyPartnerships), binary(MatchingAPI.listChanges),
        binary(SessionsAPI.listChanges), binary(NotificationsAPI.watchNotifications),
        binary(NotificationsAPI.watchNetworkEvents), binary(HealthAPI.check),
    ]

    /// A method's request type, for the binary target only.
    static func binary<Request: ProtoMessage, Response>(_ method: MethodDescriptor<Request, Response>) -> Method {
        Method(
            name: method.path,
            binary: { bytes in
                guard let request = try? Request(decoding: bytes) else { return }
                roundTrip(request)
            },
            json: { _ in })
    }

    /// The gateway's JSON bodies: the first two bytes pick the method, the rest is its request as
    /// JSON; one that reads is written back and read again, to the same message.
    static func json(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 2 else { return }
        let method = methods[(Int(input[0]) << 8 | Int(input[1])) % methods.count]
        method.json(Data(UnsafeRawBufferPointer(rebasing: input[2...])))
    }

    /// What the two request targets do with one method's request type.
    struct Method: Sendable {
        let name: String
        let binary: @Sendable (UnsafeRawBufferPointer) -> Void
        let json: @Sendable (Data) -> Void
    }

    /// Collects each method with its request type.
    struct Collector: HTTPMethodVisitor {
        var methods: [Method] = []
        var seen: Set<String> = []

        mutating func visit<Request: ProtoJSONMessage, Response: ProtoJSONMessage>(
            _ method: MethodDescriptor<Request, Response>, _ binding: HTTPBinding, resource: HTTPResource<Response>
        ) {
            guard seen.insert(method.path).inserted else { return }  // a method with several bindings
            methods.append(
                Method(
                    name: method.path,
                    binary: { bytes in
                        guard let request = try? Request(decoding: bytes) else { return }
                        roundTrip(request)
                    },
                    json: { data in
                        guard let value = try? JSONValue.parse(data), let request = try? Request(json: value) else {
                            return
                        }
                        let written = request.jsonBytes()
                        guard let again = try? Request(json: JSONValue.parse(Data(written))) else {
                            preconditionFailure(
                                "\(method.path): its own JSON does not read back: \(String(decoding: written, as: UTF8.self))"
                            )
                        }
                        precondition(
                            again.jsonBytes() == written,
                            "\(method.path): JSON round trip changed the message: \(request) → \(again)")
                    }))
        }
    }

    static let methods: [Method] = {
        var collector = Collector()
        ProfilesAPI.visitHTTPMethods(&collector)
        MatchingAPI.visitHTTPMethods(&collector)
        SessionsAPI.visitHTTPMethods(&collector)
        NotificationsAPI.visitHTTPMethods(&collector)
        return collector.methods
    }()

    /// A decoded message encodes, and the encoding decodes to a message that encodes to the same
    /// bytes. (Bytes, not values: a double may be NaN, which is not equal to itself.)
    static func roundTrip<Message: ProtoMessage>(_ message: Message) {
        guard let bytes = try? message.encoded() else {
            preconditionFailure("\(Message.schema.fullName): a decoded message does not encode")
        }
        guard let again = try? Message(decoding: bytes) else {
            preconditionFailure("\(Message.schema.fullName): its own encoding does not decode")
        }
        precondition(
            (try? again.encoded()) == bytes,
            "\(Message.schema.fullName): binary round trip changed the message: \(message) → \(again)")
    }
}
