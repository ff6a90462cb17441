/// Byte-level mutations of seed inputs (the property-based harness's generator): bit flips, interesting bytes, the
/// target's dictionary tokens, deletions, duplications, splices with other inputs and extreme numbers. Seeded, so a
/// run is reproducible from its seed.
struct Mutator {
    var random: Xorshift
    let dictionary: [[UInt8]]
    let maxLength: Int
    static let interesting: [UInt8] = [0, 0x0a, 0x0d, 0x20, 0x22, 0x27, 0x2c, 0x30, 0x39, 0x3a, 0x5b, 0x5c, 0x5d, 0x7b, 0x7d, 0x7f, 0x80, 0xc3, 0xed, 0xf0, 0xff]
    static let numbers = ["0", "-1", "1e999", "-1e999", "NaN", "9223372036854775808", "99999999999999999999999", "0.000000001", "4294967296"]

    init(seed: UInt64, dictionary: [String], maxLength: Int) {
        random = Xorshift(seed: seed)
        self.dictionary = dictionary.map { Array($0.utf8) }
        self.maxLength = maxLength
    }

    /// One to four mutations of `input`; `other` is a second input to splice with.
    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) {
            switch random.below(9) {
            case 0 where !bytes.isEmpty:
                bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8))
            case 1 where !bytes.isEmpty:
                bytes[random.below(bytes.count)] = Self.interesting[random.below(Self.interesting.count)]
            case 2 where !dictionary.isEmpty:
                bytes.insert(contentsOf: dictionary[random.below(dictionary.count)], at: random.below(bytes.count + 1))
            case 3 where bytes.count > 1:
                let start = random.below(bytes.count)
                let length = 1 + random.below(random.below(2) == 0 ? 8 : max(1, bytes.count / 2))
                bytes.removeSubrange(start..<min(bytes.count, start + length))
            case 4 where !bytes.isEmpty:
                let start = random.below(bytes.count)
                let piece = Array(bytes[start..<min(bytes.count, start + 1 + random.below(64))])
                for _ in 0..<(1 + random.below(random.below(4) == 0 ? 200 : 3)) { bytes.insert(contentsOf: piece, at: random.below(bytes.count + 1)) }
            case 5 where !other.isEmpty:
                let cut = random.below(bytes.count + 1)
                bytes = Array(bytes[..<cut]) + Array(other[random.below(other.count)...])
            case 6:
                bytes.insert(contentsOf: Array(Self.numbers[random.below(Self.numbers.count)].utf8), at: random.below(bytes.count + 1))
            case 7 where !bytes.isEmpty:
                // Replace a run of digits with an extreme number.
                let start = random.below(bytes.count)
                if let digit = bytes[start...].firstIndex(where: { (0x30...0x39).contains($0) }) {
                    var end = digit
                    while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
                    bytes.replaceSubrange(digit..<end, with: Array(Self.numbers[random.below(Self.numbers.count)].utf8))
                }
            default:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(bytes.count + 1))
            }
        }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }
}
