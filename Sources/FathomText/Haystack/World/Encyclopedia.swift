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
    ///
    /// Beside the running passages it keeps hard negatives filed by what they state (`HardKey`): passages made to
    /// state one attribute, or a value of one type, so a sample finds "the same attribute of another entity" by
    /// reading the next passage of its key rather than by searching the running passages (at 128K that search made
    /// and discarded about 20 passages per hard negative).
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
        /// Samples start reading each hard-negative key within its first `hardSpan` passages (a sample reads a
        /// hundred or so per key, so samples share what the first ones made and counted).
        public let hardSpan = 16
        private let lock = NSLock()
        private var chunks: [Int: [Passage]] = [:]
        /// Per tokenizer fingerprint and chunk: for each passage, the counts of " " + sentence.
        private var counts: [String: [Int: [[Int32]]]] = [:]
        private var hard: [HardKey: [Int: [Passage]]] = [:]
        /// Per tokenizer fingerprint, key and chunk: for each hard negative, the counts of " " + sentence.
        private var hardCounts: [String: [HardKey: [Int: [[Int32]]]]] = [:]

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

        /// For each passage, the token counts of " " + each of its sentences (one batch for all of them).
        static func sentenceCounts(_ passages: [Passage], _ tokenizer: any Tokenizer) -> [[Int32]] {
            let flat = tokenizer.counts(passages.flatMap { $0.sentences.map { " " + $0 } })
            var perPassage: [[Int32]] = []
            perPassage.reserveCapacity(passages.count)
            var i = 0
            for passage in passages {
                perPassage.append(flat[i..<(i + passage.sentences.count)].map { Int32(clamping: $0) })
                i += passage.sentences.count
            }
            return perPassage
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
            let perPassage = Self.sentenceCounts(passages, tokenizer)
            counts[key, default: [:]][k] = perPassage
            return (passages, perPassage)
        }

        /// Passage `index` (0-based) and the token counts of " " + each of its sentences in `tokenizer`.
        public func passage(_ index: Int, tokenizer: any Tokenizer) -> (passage: Passage, counts: [Int32]) {
            let (passages, counts) = chunk(index / passagesPerChunk, tokenizer: tokenizer)
            return (passages[index % passagesPerChunk], counts[index % passagesPerChunk])
        }

        private func madeHard(_ key: HardKey, _ k: Int) -> [Passage] {
            if let made = hard[key]?[k] { return made }
            var rng = SeededRandom(seed: deriveSeed(seed, "hard \(key.label) \(k)"))
            var world = atlas
            let candidates = key.attributes
            var out: [Passage] = []
            out.reserveCapacity(passagesPerChunk)
            while out.count < passagesPerChunk {
                let chosen = rng.pick(candidates)
                let subject: Entity
                if case .subject(let fixed) = key {
                    subject = fixed
                } else {
                    let core = world.core[chosen.subject] ?? []
                    subject = rng.below(2) == 0 && !core.isEmpty ? rng.pick(core) : world.coin(chosen.subject, &rng)
                }
                var others = FictionalWorld.attributes(of: subject.kind).filter { $0.id != chosen.id }
                rng.shuffle(&others)
                let facts = [world.fact(subject, chosen)] + others.prefix(rng.int(in: key.isSubject ? 0...2 : 0...1)).map { world.fact(subject, $0) }
                var passage = world.passage(about: subject, stating: facts, sentences: sentencesPerPassage, &rng)
                // The keyed fact goes in one of the first two sentences, so any cut of two or more keeps it.
                let at = passage.facts.firstIndex { $0.contains { $0.attribute.id == chosen.id } }!
                let to = rng.below(2)
                passage.sentences.swapAt(at, to)
                passage.facts.swapAt(at, to)
                out.append(passage)
            }
            hard[key, default: [:]][k] = out
            return out
        }

        /// Chunk `k` of the hard negatives filed under `key` (16 passages about the key's entity, or entities of the
        /// key's kinds, core or coined, each stating a keyed fact in its first two sentences, from their own seed) and, with a
        /// tokenizer, the counts of " " + each of their sentences.
        public func hardChunk(_ key: HardKey, _ k: Int, tokenizer: (any Tokenizer)?) -> (passages: [Passage], counts: [[Int32]]?) {
            lock.lock()
            defer { lock.unlock() }
            let passages = madeHard(key, k)
            guard let tokenizer else { return (passages, nil) }
            let fingerprint = tokenizer.fingerprint
            if let cached = hardCounts[fingerprint]?[key]?[k] { return (passages, cached) }
            let perPassage = Self.sentenceCounts(passages, tokenizer)
            hardCounts[fingerprint, default: [:]][key, default: [:]][k] = perPassage
            return (passages, perPassage)
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

    /// What a hard negative is filed under: the entity it is about (for "the same entity's other attributes"),
    /// the attribute it states (for "the same attribute of another entity"), or the type of value it states (for
    /// decoy values of the answer's type).
    public enum HardKey: Hashable, Sendable {
        case subject(Entity)
        case attribute(String)
        case valueType(ValueType)

        var isSubject: Bool {
            if case .subject = self { return true }
            return false
        }

        /// The attributes a passage under this key may state as its keyed fact.
        var attributes: [Attribute] {
            switch self {
            case .subject(let entity): FictionalWorld.attributes(of: entity.kind)
            case .attribute(let id): [FictionalWorld.attributesByID[id]!]
            case .valueType(let type): FictionalWorld.attributes.filter { $0.value == type }
            }
        }

        /// A stable name, for seeds.
        var label: String {
            switch self {
            case .subject(let entity): "subject \(entity.kind) \(entity.name)"
            case .attribute(let id): "attribute \(id)"
            case .valueType(let type): "value \(type)"
            }
        }

        /// Whether a fact is of this key.
        func matches(_ fact: AtlasFact) -> Bool {
            switch self {
            case .subject(let entity): fact.subject == entity
            case .attribute(let id): fact.attribute.id == id
            case .valueType(let type): fact.attribute.value == type
            }
        }
    }
}
