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
        var total = 0
        var copy = text
        copy.withUTF8 { bytes in Self.scan(bytes) { _, _ in total += 1 } }
        return total
    }

    private enum Class: UInt8 { case letter, digit, space, other, nonASCII }

    private static func classOf(_ byte: UInt8) -> Class {
        switch byte {
        case 0x41...0x5a, 0x61...0x7a: return .letter
        case 0x30...0x39: return .digit
        case 0x20, 0x09, 0x0a, 0x0d: return .space
        case 0x80...0xff: return .nonASCII
        default: return .other
        }
    }

    /// `classOf` for every byte: a table lookup per byte, which also keeps unoptimized (test) builds fast.
    private static let classes: [Class] = (0...255).map { classOf(UInt8($0)) }

    /// Calls `emit(start, end)` for each token's byte range.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, emit: (Int, Int) -> Void) {
        classes.withUnsafeBufferPointer { table in scan(bytes, table: table, emit: emit) }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<Class>, emit: (Int, Int) -> Void) {
        @inline(__always) func classify(_ byte: UInt8) -> Class { table[Int(byte)] }
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
