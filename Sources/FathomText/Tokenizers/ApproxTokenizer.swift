import FathomCore

/// The default tokenizer when no model tokenizer is given: a deterministic estimate, not any model's tokens.
///
/// Rules (on UTF-8 bytes): a single space or newline directly before a word joins that word; an ASCII word of n
/// letters is 1 + (n − 1) / 6 tokens; digits count one token per group of up to 3; every other ASCII character is
/// one token; non-ASCII text is one token per 2 bytes of a run; any other whitespace run is one token. English
/// prose comes out near 1.3 tokens per word, close to common BPE vocabularies, but use a real tokenizer
/// (`--tokenizer`) when exact lengths matter. Token ids are hashes of the token's bytes below 2^20.
public struct ApproxTokenizer: Tokenizer {
    public init() {}
    public var name: String { "approx" }
    public var fingerprint: String { "approx-v1" }
    public var bosTokenID: Int? { nil }

    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        var copy = text
        copy.withUTF8 { bytes in
            Self.scan(bytes) { start, end in ids.append(Self.id(bytes, start, end)) }
        }
        return ids
    }

    public func count(_ text: String) -> Int {
        var copy = text
        return copy.withUTF8 { Self.countTokens($0) }
    }

    /// Byte classes for `countTokens`: 0 letter, 1 digit, 2 space, 3 other, 4 non-ASCII (as `classify`).
    private static let classes: [UInt8] = (0...255).map { byte -> UInt8 in
        switch classify(UInt8(byte)) {
        case .letter: 0
        case .digit: 1
        case .space: 2
        case .other: 3
        case .nonASCII: 4
        }
    }

    /// The number of tokens `scan` emits, counted in one loop without a callback (counting is the hot path of
    /// sizing; `encode` keeps `scan`, and the tests check that the two agree).
    private static func countTokens(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        classes.withUnsafeBufferPointer { table in
            let n = bytes.count
            var i = 0, total = 0
            while i < n {
                var kind = table[Int(bytes[i])]
                if kind == 2, i + 1 < n, bytes[i] == 0x20 || bytes[i] == 0x0a {
                    let next = table[Int(bytes[i + 1])]
                    if next == 0 || next == 1 || next == 4 {
                        i += 1
                        kind = next
                    }
                }
                switch kind {
                case 0, 1, 4:
                    var end = i
                    while end < n, table[Int(bytes[end])] == kind { end += 1 }
                    let chunk = kind == 0 ? 6 : kind == 1 ? 3 : 2
                    total += (end - i + chunk - 1) / chunk
                    i = end
                case 2:
                    var end = i
                    while end < n, table[Int(bytes[end])] == 2 {
                        if end + 1 < n, bytes[end] == 0x20 || bytes[end] == 0x0a, end > i {
                            let next = table[Int(bytes[end + 1])]
                            if next == 0 || next == 1 || next == 4 { break }
                        }
                        end += 1
                    }
                    total += 1
                    i = end
                default:
                    total += 1
                    i += 1
                }
            }
            return total
        }
    }

    private enum Class { case letter, digit, space, other, nonASCII }

    @inline(__always) private static func classify(_ byte: UInt8) -> Class {
        switch byte {
        case 0x41...0x5a, 0x61...0x7a: return .letter
        case 0x30...0x39: return .digit
        case 0x20, 0x09, 0x0a, 0x0d: return .space
        case 0x80...0xff: return .nonASCII
        default: return .other
        }
    }

    /// Calls `emit(start, end)` for each token's byte range.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, emit: (Int, Int) -> Void) {
        let n = bytes.count
        var i = 0
        while i < n {
            let start = i
            var kind = classify(bytes[i])
            // One space or newline directly before a word or number belongs to it.
            if kind == .space, i + 1 < n, bytes[i] == 0x20 || bytes[i] == 0x0a {
                let next = classify(bytes[i + 1])
                if next == .letter || next == .digit || next == .nonASCII {
                    i += 1
                    kind = next
                }
            }
            switch kind {
            case .letter:
                var end = i
                while end < n, classify(bytes[end]) == .letter { end += 1 }
                emitChunks(start: start, wordStart: i, end: end, chunk: 6, emit: emit)
                i = end
            case .digit:
                var end = i
                while end < n, classify(bytes[end]) == .digit { end += 1 }
                emitChunks(start: start, wordStart: i, end: end, chunk: 3, emit: emit)
                i = end
            case .nonASCII:
                var end = i
                while end < n, classify(bytes[end]) == .nonASCII { end += 1 }
                emitChunks(start: start, wordStart: i, end: end, chunk: 2, emit: emit)
                i = end
            case .space:
                var end = i
                while end < n, classify(bytes[end]) == .space {
                    // Leave a final space/newline that leads a word to that word.
                    if end + 1 < n, bytes[end] == 0x20 || bytes[end] == 0x0a, end > i {
                        let next = classify(bytes[end + 1])
                        if next == .letter || next == .digit || next == .nonASCII { break }
                    }
                    end += 1
                }
                emit(start, end)
                i = end
            case .other:
                emit(start, i + 1)
                i += 1
            }
        }
    }

    @inline(__always) private static func emitChunks(start: Int, wordStart: Int, end: Int, chunk: Int, emit: (Int, Int) -> Void) {
        var piece = wordStart
        var first = true
        while piece < end {
            let stop = min(end, piece + chunk)
            emit(first ? start : piece, stop)
            first = false
            piece = stop
        }
    }

    private static func id(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in start..<end {
            hash ^= UInt64(bytes[i])
            hash &*= 0x0000_0100_0000_01b3
        }
        return Int(hash & 0xfffff)
    }
}
