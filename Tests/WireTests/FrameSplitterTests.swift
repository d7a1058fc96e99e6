import NIOCore
import Testing
import Wire

@Suite("framing in place: FrameSplitter")
struct FrameSplitterTests {
    static let maximum = 1024

    func frame(_ body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt32(body.count))
        buffer.writeBytes(body)
        return buffer
    }

    /// Feeds `inputs` in turn; answers the bodies handed over.
    func bodies(_ inputs: [ByteBuffer], splitter: inout FrameSplitter) throws(FrameTooLargeError) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for input in inputs {
            try splitter.split(input) { body in
                out.append(Array(body))
                return true
            }
        }
        return out
    }

    @Test("a frame split at every byte is reassembled")
    func split() throws {
        let body = (0..<200).map { UInt8($0) }
        let whole = frame(body)
        let pieces = (0..<whole.readableBytes).map { whole.getSlice(at: $0, length: 1)! }
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        #expect(try bodies(pieces, splitter: &splitter) == [body])
        #expect(splitter.bufferedBytes == 0)
    }

    @Test("coalesced frames, an empty one among them, come out one by one")
    func coalesced() throws {
        var all = frame([1])
        all.writeImmutableBuffer(frame([2, 2]))
        all.writeImmutableBuffer(frame([]))
        all.writeImmutableBuffer(frame([3, 3, 3]))
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        #expect(try bodies([all], splitter: &splitter) == [[1], [2, 2], [], [3, 3, 3]])
    }

    @Test("a frame finished by a read that carries more frames and the start of another")
    func straddling() throws {
        var stream = frame([1, 2, 3, 4, 5])
        stream.writeImmutableBuffer(frame([6]))
        stream.writeImmutableBuffer(frame([7, 8]))
        stream.writeImmutableBuffer(frame([9, 9, 9]))
        // Cut inside the first length field, inside the first body, and inside the last frame.
        let cuts = [0, 2, 6, stream.readableBytes - 2, stream.readableBytes]
        let reads = zip(cuts, cuts.dropFirst()).map { stream.getSlice(at: $0, length: $1 - $0)! }
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        #expect(try bodies(reads, splitter: &splitter) == [[1, 2, 3, 4, 5], [6], [7, 8], [9, 9, 9]])
        #expect(splitter.bufferedBytes == 0)
    }

    @Test("a frame of exactly the maximum is accepted, whole or in pieces")
    func exactlyMaximum() throws {
        let body = [UInt8](repeating: 7, count: Self.maximum)
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        #expect(try bodies([frame(body)], splitter: &splitter) == [body])
        let whole = frame(body)
        let pieces = stride(from: 0, to: whole.readableBytes, by: 100).map {
            whole.getSlice(at: $0, length: min(100, whole.readableBytes - $0))!
        }
        #expect(try bodies(pieces, splitter: &splitter) == [body])
    }

    @Test("maximum + 1 is refused from the length field alone, before any body arrives")
    func overMaximum() throws {
        var header = ByteBuffer()
        header.writeInteger(UInt32(Self.maximum + 1))
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        let error = #expect(throws: FrameTooLargeError.self) { try bodies([header], splitter: &splitter) }
        #expect(error == FrameTooLargeError(length: Self.maximum + 1, maximum: Self.maximum))
        // Also when the length field itself arrives in two reads, after a good frame.
        var first = frame([1])
        first.writeInteger(UInt16(0))
        var second = ByteBuffer()
        second.writeInteger(UInt16(Self.maximum + 1))
        var other = FrameSplitter(maximumFrameSize: Self.maximum)
        var seen: [[UInt8]] = []
        let late = #expect(throws: FrameTooLargeError.self) {
            for input in [first, second] {
                try other.split(input) { body in
                    seen.append(Array(body))
                    return true
                }
            }
        }
        #expect(seen == [[1]])
        #expect(late == FrameTooLargeError(length: Self.maximum + 1, maximum: Self.maximum))
    }

    @Test("a huge announced length is refused without buffering anything")
    func hugeLength() throws {
        var header = ByteBuffer()
        header.writeInteger(UInt32.max)
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        #expect(throws: FrameTooLargeError.self) { try bodies([header], splitter: &splitter) }
        #expect(splitter.bufferedBytes == 0)
    }

    @Test("input that ends inside a frame stays buffered, and nothing is handed over")
    func truncated() throws {
        var partial = frame([1, 2, 3, 4])
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        #expect(try bodies([partial.readSlice(length: 6)!], splitter: &splitter).isEmpty)
        #expect(splitter.bufferedBytes == 6)
    }

    @Test("once the handler says stop, the rest of the input is dropped")
    func stop() throws {
        var all = frame([1])
        all.writeImmutableBuffer(frame([2]))
        all.writeImmutableBuffer(frame([3]))
        var splitter = FrameSplitter(maximumFrameSize: Self.maximum)
        var seen: [[UInt8]] = []
        try splitter.split(all) { body in
            seen.append(Array(body))
            return body.first != 2
        }
        #expect(seen == [[1], [2]])
        #expect(splitter.bufferedBytes == 0)
    }
}
