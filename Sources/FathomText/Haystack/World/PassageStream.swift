import FathomCore
import Foundation

extension FictionalWorld {
    /// Why a distractor passage is there.
    public enum PassageRole: String, Sendable, Hashable, Codable, CaseIterable {
        /// About a question's entity, stating its other attributes (never the asked one).
        case sameEntity = "same_entity"
        /// About another entity of the asked kind, stating the asked attribute.
        case sameAttribute = "same_attribute"
        /// Stating values of the answer's type (other people, cities, years, numbers…).
        case decoyValue = "decoy_value"
        /// About any entity of the world (core or newly coined).
        case random
    }

    /// An endless, seeded stream of distractor passages for one question: hard negatives at a given share (same
    /// entity with another attribute, same attribute of another entity, decoy values of the answer's type), made
    /// for the sample, among passages read from the shared `Encyclopedia` at a seeded offset (their token counts
    /// are cached there). No passage states an excluded slot or names a forbidden string (the answer) in its facts
    /// (filler never names an entity or writes a digit), so the gold passages stay the only support of the
    /// answer. Passages come in a fixed order: a longer context extends a shorter one.
    public struct PassageStream: Sendable {
        public var atlas: Atlas
        private var rng: SeededRandom
        public let encyclopedia: Encyclopedia
        /// Next encyclopedia passage to read.
        public private(set) var cursor: Int
        /// The (subject, attribute) pairs the question is about: hard negatives target them.
        public let focus: [(subject: Entity, attribute: Attribute)]
        /// Slots no distractor may state.
        public let excluded: Set<AtlasSlot>
        /// Strings no distractor's facts may contain (compared as written: names and numbers keep their case).
        public let forbidden: [String]
        /// Percent of passages that are hard negatives (the first two always are, when there is a focus).
        public let hardShare: Int
        /// Sentences per passage.
        public let sentences: ClosedRange<Int>
        private var made = 0
        /// Where each hard-negative key is read from next (all keys start at a seeded offset).
        private var hardCursors: [HardKey: Int] = [:]
        private let hardOffset: Int
        /// The encyclopedia chunk being read.
        private var loaded: (index: Int, passages: [Passage], counts: [[Int32]]?)?

        /// `atlas` must be the encyclopedia's atlas with the sample's planted facts (so values agree).
        public init(
            atlas: Atlas, seed: UInt64, focus: [(subject: Entity, attribute: Attribute)], excluded: Set<AtlasSlot>, forbidden: [String],
            hardShare: Int = 30, sentences: ClosedRange<Int> = 6...9, encyclopedia: Encyclopedia = .shared
        ) {
            self.atlas = atlas
            var rng = SeededRandom(seed: seed)
            self.cursor = rng.below(encyclopedia.span)
            self.hardOffset = rng.below(encyclopedia.hardSpan)
            self.rng = rng
            self.encyclopedia = encyclopedia
            self.focus = focus
            self.excluded = excluded
            self.forbidden = forbidden
            self.hardShare = hardShare
            self.sentences = sentences
        }

        /// The next passage, its role, and (for encyclopedia passages) the cached counts of " " + each sentence.
        public mutating func next(tokenizer: (any Tokenizer)? = nil) -> (passage: Passage, role: PassageRole, counts: [Int32]?) {
            defer { made += 1 }
            let hard = !focus.isEmpty && (made < 2 || rng.below(100) < hardShare)
            let length = rng.int(in: sentences)
            if hard {
                let role: PassageRole = [.sameEntity, .sameAttribute, .decoyValue][made < 2 ? made : rng.below(3)]
                // Hard negatives come from the encyclopedia's filed ones first (their counts are cached).
                if length <= encyclopedia.sentencesPerPassage, let found = scan(role, length: length, tokenizer: tokenizer) {
                    return (found.passage, role, found.counts)
                }
                for _ in 0..<64 {
                    if let passage = make(role, length: length), allowed(passage) { return (passage, role, nil) }
                }
            }
            if length > encyclopedia.sentencesPerPassage {
                // Longer passages than the encyclopedia's: made for the sample.
                while true {
                    if let passage = make(.random, length: length), allowed(passage) { return (passage, .random, nil) }
                }
            }
            while true {
                let k = cursor / encyclopedia.passagesPerChunk
                if loaded?.index != k {
                    if let tokenizer {
                        let chunk = encyclopedia.chunk(k, tokenizer: tokenizer)
                        loaded = (k, chunk.passages, chunk.counts)
                    } else {
                        loaded = (k, encyclopedia.chunk(k), nil)
                    }
                }
                let offset = cursor % encyclopedia.passagesPerChunk
                let passage = loaded!.passages[offset]
                let counts = loaded!.counts?[offset]
                cursor += 1
                let cut = Passage(subject: passage.subject, sentences: Array(passage.sentences.prefix(length)), facts: Array(passage.facts.prefix(length)))
                if allowed(cut) { return (cut, .random, counts.map { Array($0.prefix(length)) }) }
            }
        }

        /// The next hard negative filed under the role's key (`HardKey`) that keeps out of the excluded slots
        /// and forbidden strings (and, but for the same entity's, is about no focus subject), within 48 passages.
        mutating func scan(_ role: PassageRole, length: Int, tokenizer: (any Tokenizer)?) -> (passage: Passage, counts: [Int32]?)? {
            let (subject, attribute) = rng.pick(focus)
            // Only core entities have filed passages of their own (a sample's coined entities are its own).
            if role == .sameEntity, !(encyclopedia.atlas.core[subject.kind]?.contains(subject) ?? false) { return nil }
            let subjects = role == .sameEntity ? [] : Set(focus.map { $0.subject })
            let key: HardKey =
                switch role {
                case .sameEntity: .subject(subject)
                case .sameAttribute: .attribute(attribute.id)
                default: .valueType(attribute.value)
                }
            // An entity's own passages are read from the start: few samples share an entity, so an offset would only
            // make passages nobody reads.
            var cursor = hardCursors[key, default: key.isSubject ? 0 : hardOffset]
            defer { hardCursors[key] = cursor }
            var chunk: (index: Int, passages: [Passage], counts: [[Int32]]?)?
            for _ in 0..<48 {
                let (k, offset) = (cursor / encyclopedia.passagesPerChunk, cursor % encyclopedia.passagesPerChunk)
                cursor += 1
                if chunk?.index != k {
                    let read = encyclopedia.hardChunk(key, k, tokenizer: tokenizer)
                    chunk = (k, read.passages, read.counts)
                }
                let whole = chunk!.passages[offset]
                if subjects.contains(whole.subject) { continue }
                let cut = Passage(subject: whole.subject, sentences: Array(whole.sentences.prefix(length)), facts: Array(whole.facts.prefix(length)))
                guard cut.facts.contains(where: { $0.contains(where: key.matches) }), allowed(cut) else { continue }
                // An entity's own passages state what this sample's atlas says (it may have planted other facts).
                if key.isSubject, !cut.stated().allSatisfy({ atlas.value(of: $0.subject, $0.attribute) == $0.value }) { continue }
                return (cut, chunk!.counts.map { Array($0[offset].prefix(length)) })
            }
            return nil
        }

        /// Whether a passage keeps out of the excluded slots and forbidden strings (checked on its facts: filler
        /// names no entity but its subject and writes no digit).
        func allowed(_ passage: Passage) -> Bool {
            if excluded.isEmpty && forbidden.isEmpty { return true }
            if forbidden.contains(where: { Self.occurs($0, in: passage.subject.name) }) { return false }
            for facts in passage.facts {
                for fact in facts {
                    if excluded.contains(fact.slot) { return false }
                    if forbidden.contains(where: { Self.occurs($0, in: fact.value.text) || Self.occurs($0, in: fact.subject.name) }) { return false }
                }
            }
            return true
        }

        /// Whether `needle` occurs in `hay`, byte for byte (the world writes ASCII; names and values are short).
        static func occurs(_ needle: String, in hay: String) -> Bool {
            var needle = needle
            var hay = hay
            return needle.withUTF8 { n in
                hay.withUTF8 { h in
                    guard let first = n.first else { return true }
                    guard h.count >= n.count else { return false }
                    var i = 0
                    while i <= h.count - n.count {
                        if h[i] == first, memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return true }
                        i += 1
                    }
                    return false
                }
            }
        }

        mutating func sentenceCount() -> Int { rng.int(in: sentences) }

        /// Up to `count` facts of `subject` outside the excluded slots, in a seeded order.
        mutating func facts(of subject: Entity, count: Int, without: Set<String> = []) -> [AtlasFact] {
            var attributes = FictionalWorld.attributes(of: subject.kind).filter {
                !without.contains($0.id) && !excluded.contains(AtlasSlot(subject: subject.name, attribute: $0.id))
            }
            rng.shuffle(&attributes)
            return attributes.prefix(count).map { atlas.fact(subject, $0) }
        }

        mutating func make(_ role: PassageRole, length: Int? = nil) -> Passage? {
            let length = length ?? sentenceCount()
            switch role {
            case .sameEntity:
                let (subject, attribute) = rng.pick(focus)
                let stated = facts(of: subject, count: rng.int(in: 1...3), without: [attribute.id])
                guard !stated.isEmpty else { return nil }
                return atlas.passage(about: subject, stating: stated, sentences: length, &rng)
            case .sameAttribute:
                let (subject, attribute) = rng.pick(focus)
                let other = rng.below(2) == 0 ? rng.pick(atlas.core[subject.kind] ?? [subject]) : atlas.coin(subject.kind, &rng)
                guard other != subject, !focus.contains(where: { $0.subject == other }) else { return nil }
                guard !excluded.contains(AtlasSlot(subject: other.name, attribute: attribute.id)) else { return nil }
                let stated = [atlas.fact(other, attribute)] + facts(of: other, count: rng.int(in: 0...1), without: [attribute.id])
                return atlas.passage(about: other, stating: stated, sentences: length, &rng)
            case .decoyValue:
                let (_, attribute) = rng.pick(focus)
                let candidates = FictionalWorld.attributes.filter { $0.value == attribute.value }
                let chosen = rng.pick(candidates)
                let subject = rng.below(2) == 0 ? rng.pick(atlas.core[chosen.subject] ?? []) : atlas.coin(chosen.subject, &rng)
                guard !focus.contains(where: { $0.subject == subject }) else { return nil }
                guard !excluded.contains(AtlasSlot(subject: subject.name, attribute: chosen.id)) else { return nil }
                let stated = [atlas.fact(subject, chosen)] + facts(of: subject, count: rng.int(in: 0...1), without: [chosen.id])
                return atlas.passage(about: subject, stating: stated, sentences: length, &rng)
            case .random:
                let kind = rng.pick(FictionalWorld.atlasKinds)
                let subject = rng.below(2) == 0 ? rng.pick(atlas.core[kind] ?? []) : atlas.coin(kind, &rng)
                if focus.contains(where: { $0.subject == subject }) { return nil }
                let stated = facts(of: subject, count: rng.int(in: 1...3))
                guard !stated.isEmpty else { return nil }
                return atlas.passage(about: subject, stating: stated, sentences: length, &rng)
            }
        }
    }
}
