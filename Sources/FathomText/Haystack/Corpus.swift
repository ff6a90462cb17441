import FathomCore
import Foundation

/// A haystack corpus: an endless, deterministic sequence of text units shared by every sample that uses it.
///
/// Each unit carries its own leading separator (`" "` between sentences, `"\n\n"` before a paragraph, `"\n"`
/// between lines), so concatenating units gives the text and token counts stay close to additive. Samples read
/// windows starting at different offsets. Units of generated corpora are produced in fixed chunks, so a longer
/// context never changes earlier units; finite corpora (user folders) repeat cyclically. Token counts are
/// computed once per (corpus, tokenizer) and cached, so sizing a context costs additions, not tokenization.
public final class Corpus: @unchecked Sendable {
    /// Content identity of the corpus, recorded in every sample that uses it.
    public let fingerprint: String
    /// Separator placed before needles inserted into this corpus.
    public let needleSeparator: String
    private let chunkSize: Int
    private let makeChunk: @Sendable (Int) -> [String]
    private let finiteCount: Int?
    private let lock = NSLock()
    private var chunks: [Int: [String]] = [:]
    private var counts: [String: [Int: [Int32]]] = [:]

    /// A generated corpus: `makeChunk(k)` returns the `chunkSize`-ish units of chunk k.
    public init(fingerprint: String, needleSeparator: String, chunkSize: Int, makeChunk: @escaping @Sendable (Int) -> [String]) {
        self.fingerprint = fingerprint
        self.needleSeparator = needleSeparator
        self.chunkSize = chunkSize
        self.makeChunk = makeChunk
        self.finiteCount = nil
    }

    /// A finite corpus that repeats cyclically.
    public init(fingerprint: String, needleSeparator: String, units: [String]) {
        precondition(!units.isEmpty, "a corpus needs at least one unit")
        self.fingerprint = fingerprint
        self.needleSeparator = needleSeparator
        self.chunkSize = units.count
        self.finiteCount = units.count
        self.makeChunk = { _ in units }
    }

    /// Number of distinct units before the corpus repeats, or nil for an endless generated corpus.
    public var distinctUnits: Int? { finiteCount }

    private func chunk(_ k: Int) -> [String] {
        if let cached = chunks[k] { return cached }
        let made = makeChunk(k)
        precondition(made.count == chunkSize, "chunk \(k) of corpus \(fingerprint) has \(made.count) units, expected \(chunkSize)")
        chunks[k] = made
        return made
    }

    private func locate(_ index: Int) -> (chunk: Int, offset: Int) {
        let i = finiteCount.map { index % $0 } ?? index
        return (i / chunkSize, i % chunkSize)
    }

    /// Units `start..<start+count` with their token counts in `tokenizer`.
    public func units(from start: Int, count: Int, tokenizer: any Tokenizer) -> (texts: [String], tokens: [Int]) {
        lock.lock()
        defer { lock.unlock() }
        var texts: [String] = []
        var tokens: [Int] = []
        texts.reserveCapacity(count)
        tokens.reserveCapacity(count)
        let key = tokenizer.fingerprint
        var index = start
        let end = start + count
        while index < end {
            // A run of units inside one chunk: one lookup of its texts and counts.
            let (k, offset) = locate(index)
            let units = chunk(k)
            let unitCounts: [Int32]
            if let cached = counts[key]?[k] {
                unitCounts = cached
            } else {
                unitCounts = tokenizer.counts(units).map { Int32(clamping: $0) }
                counts[key, default: [:]][k] = unitCounts
            }
            let run = min(end - index, chunkSize - offset)
            texts.append(contentsOf: units[offset..<(offset + run)])
            for c in unitCounts[offset..<(offset + run)] { tokens.append(Int(c)) }
            index += run
        }
        return (texts, tokens)
    }
}

/// Sequential access to haystack units for one sample.
public protocol UnitStream {
    /// The next `count` units and their token counts.
    mutating func next(_ count: Int, tokenizer: any Tokenizer) -> (texts: [String], tokens: [Int])
    /// Separator placed before needles.
    var needleSeparator: String { get }
}

/// A window into a shared corpus starting at `start`.
public struct CorpusWindow: UnitStream {
    public let corpus: Corpus
    public private(set) var position: Int
    public init(corpus: Corpus, start: Int) {
        self.corpus = corpus
        self.position = start
    }
    public var needleSeparator: String { corpus.needleSeparator }
    public mutating func next(_ count: Int, tokenizer: any Tokenizer) -> (texts: [String], tokens: [Int]) {
        defer { position += count }
        return corpus.units(from: position, count: count, tokenizer: tokenizer)
    }
}

/// Units made one by one for a single sample (e.g. distractor needles), counted as they are made.
public struct GeneratedUnits: UnitStream {
    public let needleSeparator: String
    private var rng: SeededRandom
    private let make: (inout SeededRandom) -> String
    public init(seed: UInt64, needleSeparator: String, make: @escaping (inout SeededRandom) -> String) {
        self.rng = SeededRandom(seed: seed)
        self.needleSeparator = needleSeparator
        self.make = make
    }
    public mutating func next(_ count: Int, tokenizer: any Tokenizer) -> (texts: [String], tokens: [Int]) {
        var texts: [String] = []
        texts.reserveCapacity(count)
        for _ in 0..<count { texts.append(make(&rng)) }
        return (texts, tokenizer.counts(texts))
    }
}
