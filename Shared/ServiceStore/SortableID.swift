/// Makes record ids that sort by creation time: a prefix (`mbr_`, `mat_`…) and 26 Crockford
/// base-32 characters of a ULID (48-bit millisecond time, then 80 random bits).
public enum SortableID {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A new id with `prefix` for a record created at `micros` (microseconds since 1970).
    public static func make(prefix: String, atMicros micros: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, micros / 1000)) & 0xFFFF_FFFF_FFFF
        let high = UInt64.random(in: 0...0xFFFF, using: &generator)  // 16 random bits
        let low = UInt64.random(in: .min ... .max, using: &generator)  // 64 random bits
        // 128 bits = millis(48) | high(16) | low(64); 26 characters of 5 bits hold 130 bits.
        let top = (millis << 16) | high
        var characters: [UInt8] = []
        characters.reserveCapacity(26)
        for index in 0..<26 {
            let shift = 129 - index * 5  // this character's top bit, counted from the right of 130 bits
            characters.append(alphabet[Int(bits(top, low, from: shift))])
        }
        return prefix + String(decoding: characters, as: UTF8.self)
    }

    /// `count` random characters of the ids' alphabet (5 bits each): secrets such as hold tokens
    /// and API keys.
    public static func randomText(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet[Int(generator.next() % 32)] }, as: UTF8.self)
    }

    /// Whether `text` has the form of an id with `prefix`.
    /// Checked on every request naming a record (a GET's path), so byte by byte over the UTF-8.
    public static func isWellFormed(_ text: String, prefix: String) -> Bool {
        let prefix = prefix.utf8
        let text = text.utf8
        guard text.count == prefix.count + 26, text.starts(with: prefix) else { return false }
        return text.dropFirst(prefix.count).allSatisfy(isInAlphabet)
    }

    /// Whether `byte` is one of `alphabet`'s: a digit, or a lower-case letter but i, l, o and u.
    private static func isInAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "i"), UInt8(ascii: "l"), UInt8(ascii: "o"), UInt8(ascii: "u"): false
        case UInt8(ascii: "a")...UInt8(ascii: "z"): true
        default: false
        }
    }

    /// Five bits of the 128-bit number `top:low` (left-padded to 130 bits) starting at `shift`.
    private static func bits(_ top: UInt64, _ low: UInt64, from shift: Int) -> UInt64 {
        var value: UInt64 = 0
        for offset in 0..<5 {
            let position = shift - offset  // 129 … 0, counted from the right of 130 bits
            let bit: UInt64
            if position >= 128 {
                bit = 0
            } else if position >= 64 {
                bit = (top >> UInt64(position - 64)) & 1
            } else {
                bit = (low >> UInt64(position)) & 1
            }
            value = (value << 1) | bit
        }
        return value
    }
}
