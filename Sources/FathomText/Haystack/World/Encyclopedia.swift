import FathomCore
import Foundation

extension FictionalWorld {
    /// The shared encyclopedia: an endless, deterministic sequence of passages about the entities of one fixed
    /// `Atlas` (its core, and entities coined chunk by chunk), shared by every sample that uses passages, with the
    /// token counts of its sentences cached per tokenizer (as the essay haystack caches its units).
    ///
    /// Passages are made in chunks of `passagesPerChunk`, chunk k from its own seed and its own copy of the atlas,
    /// so chunks do not depend on each other or on the order they are asked for. Facts stay consistent across
    /// chunks because an atlas derives every value from the entity's name (`Atlas.value`). Samples read windows
    /// at seeded offsets, skip the passages their question forbids, and add their own planted facts and hard
    /// negatives (`PassageStream`).
    public final class Encyclopedia: @unchecked Sendable {
        /// The process-wide encyclopedia of the richer world.
        public static let shared = Encyclopedia(seed: 0x4641_5448_4f4d_0a71)

        /// The world every passage of the encyclopedia describes.
        public let atlas: Atlas
        public let seed: UInt64
        public let passagesPerChunk = 16
        /// Sentences per passage; a sample takes a prefix of each.
        public let sentencesPerPassage = 12
        /// Samples start their window within the first `span` passages.
        public let span = 128
        private let lock = NSLock()
        private var chunks: [Int: [Passage]] = [:]
        /// Per tokenizer fingerprint and chunk: for each passage, the counts of " " + sentence.
        private var counts: [String: [Int: [[Int32]]]] = [:]
        /// Per tokenizer fingerprint and passage index: counts of passages whose chunk is not counted.
        private var passageCounts: [String: [Int: [Int32]]] = [:]

        public init(seed: UInt64) {
            self.seed = seed
            atlas = Atlas(seed: deriveSeed(seed, "atlas"))
        }

        /// A fingerprint recorded in samples.
        public var fingerprint: String { "encyclopedia-v1-\(String(seed, radix: 16))" }

        private func made(_ k: Int) -> [Passage] {
            if let made = chunks[k] { return made }
            var rng = SeededRandom(seed: deriveSeed(seed, "chunk \(k)"))
            var world = atlas
            var out: [Passage] = []
            out.reserveCapacity(passagesPerChunk)
            while out.count < passagesPerChunk {
                let kind = rng.pick(FictionalWorld.atlasKinds)
                let subject = rng.below(2) == 0 ? rng.pick(world.core[kind] ?? []) : world.coin(kind, &rng)
                var attributes = FictionalWorld.attributes(of: kind)
                rng.shuffle(&attributes)
                let facts = attributes.prefix(rng.int(in: 1...3)).map { world.fact(subject, $0) }
                out.append(world.passage(about: subject, stating: facts, sentences: sentencesPerPassage, &rng))
            }
            chunks[k] = out
            return out
        }

        /// Chunk `k`'s passages.
        public func chunk(_ k: Int) -> [Passage] {
            lock.lock()
            defer { lock.unlock() }
            return made(k)
        }

        /// Passage `index` (0-based).
        public func passage(_ index: Int) -> Passage { chunk(index / passagesPerChunk)[index % passagesPerChunk] }

        /// Chunk `k`: its passages and, for each, the token counts of " " + each of its sentences in `tokenizer`.
        public func chunk(_ k: Int, tokenizer: any Tokenizer) -> (passages: [Passage], counts: [[Int32]]) {
            lock.lock()
            defer { lock.unlock() }
            let passages = made(k)
            let key = tokenizer.fingerprint
            if let cached = counts[key]?[k] { return (passages, cached) }
            let flat = tokenizer.counts(passages.flatMap { $0.sentences.map { " " + $0 } })
            var perPassage: [[Int32]] = []
            perPassage.reserveCapacity(passages.count)
            var i = 0
            for passage in passages {
                perPassage.append(flat[i..<(i + passage.sentences.count)].map { Int32(clamping: $0) })
                i += passage.sentences.count
            }
            counts[key, default: [:]][k] = perPassage
            return (passages, perPassage)
        }

        /// Passage `index` (0-based) and the token counts of " " + each of its sentences in `tokenizer`.
        public func passage(_ index: Int, tokenizer: any Tokenizer) -> (passage: Passage, counts: [Int32]) {
            let (passages, counts) = chunk(index / passagesPerChunk, tokenizer: tokenizer)
            return (passages[index % passagesPerChunk], counts[index % passagesPerChunk])
        }

        /// The token counts of " " + each sentence of passage `index` in `tokenizer`: the chunk's when it is counted,
        /// else this passage's alone (hard negatives are picked one passage per examined chunk or fewer).
        public func counts(ofPassage index: Int, tokenizer: any Tokenizer) -> [Int32] {
            let (k, offset) = (index / passagesPerChunk, index % passagesPerChunk)
            lock.lock()
            defer { lock.unlock() }
            let key = tokenizer.fingerprint
            if let cached = counts[key]?[k] { return cached[offset] }
            if let cached = passageCounts[key]?[index] { return cached }
            let counted = tokenizer.counts(made(k)[offset].sentences.map { " " + $0 }).map { Int32(clamping: $0) }
            passageCounts[key, default: [:]][index] = counted
            return counted
        }

        /// Mean tokens of " " + sentence over the first four chunks, in `tokenizer`.
        public func meanSentenceTokens(_ tokenizer: any Tokenizer) -> Double {
            var total = 0
            var n = 0
            for p in 0..<(4 * passagesPerChunk) {
                let counts = passage(p, tokenizer: tokenizer).counts
                total += counts.reduce(0) { $0 + Int($1) }
                n += counts.count
            }
            return Double(total) / Double(max(1, n))
        }
    }
}
